import { once } from 'node:events';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EventBus } from '@streamsuites/kernel';
import { spawnScript } from '@streamsuites/testing';
import { describeJobQueue } from '../../defaults/test/suites/job-queue.js';
import { SqliteDatabase } from '../src/database.js';
import { SqliteStore } from '../src/index.js';
import { SqliteJobStorage } from '../src/job-storage.js';
import { fixture, tempDir } from './helpers.js';

describeJobQueue('sqlite', {
  open() {
    const file = join(tempDir(), 'jobs.db');
    const connections = [SqliteDatabase.open({ file })];
    return {
      storage: new SqliteJobStorage(connections[0]!),
      // A second connection to the same file, as the next process would open it.
      reopen: () => new SqliteJobStorage(connections[connections.push(SqliteDatabase.open({ file })) - 1]!),
      close: () => connections.forEach((c) => c.close()),
    };
  },
});

describe('SQLite job registry across real processes', () => {
  it('a job whose process was killed with SIGKILL mid-run is queued again on the next open, and runs', async () => {
    const file = join(tempDir(), 'crash.db');
    const child = spawnScript(fixture('job-crasher.ts'), [file]);
    const closed = once(child.child, 'close');
    try {
      await child.until('running ');
    } finally {
      child.child.kill('SIGKILL');
      await closed;
    }
    const jobId = /running (\S+)/.exec(child.stdout())![1]!;

    const bus = new EventBus();
    const recovered: string[] = [];
    bus.on('job.state', (e) => void recovered.push(`${e.previous}->${e.state}`));
    const store = SqliteStore.open({ file });
    const jobs = store.jobRegistry({ bus, clock: { now: () => Date.now() } });
    expect(await jobs.get(jobId)).toMatchObject({
      state: 'queued',
      attempts: 1,
      maxAttempts: 3,
      creatorId: 'alice',
      payload: { video: 42 },
      errorCode: 'SS_ERR_JOB_INTERRUPTED',
    });
    expect(recovered).toEqual(['running->queued']);
    jobs.register({ type: 'crash.work', run: (job) => ({ done: (job.payload as { video: number }).video }) });
    await bus.waitFor('job.state', (e) => e.jobId === jobId && e.state === 'succeeded', { timeout: 5000 });
    expect(await jobs.get(jobId)).toMatchObject({ state: 'succeeded', attempts: 2, result: { done: 42 } });
    await store.close();
  });
});
