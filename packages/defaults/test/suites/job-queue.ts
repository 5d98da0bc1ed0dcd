/**
 * The JobRegistry behaviour every job backend must have, written once over a
 * JobStorage: @streamsuites/defaults runs it on memory, @streamsuites/store-sqlite on
 * SQLite files. Time is vitest's fake clock (setTimeout and Date only, so
 * `flush()` can drain microtasks with a real setImmediate).
 */
import { describe, expect, it, vi } from 'vitest';
import type { JobRecord, JobRunContext } from '@streamsuites/kernel';
import { describeJobRecovery } from './job-queue-recovery.js';
import { deferred, flush, SECRET, suiteContext, until, type Gate, type JobBackend } from './job-queue-kit.js';

export { crashable, deferred, flush, until } from './job-queue-kit.js';
export type { JobBackend, JobBackendInstance } from './job-queue-kit.js';

export function describeJobQueue(name: string, backend: JobBackend): void {
  describe(`JobRegistry contract: ${name}`, () => {
    const suite = suiteContext(backend);

    it('enqueue stores a queued record and emits job.state', async () => {
      const queue = suite.newQueue(suite.instance.storage);
      const now = Date.now();
      const job = await queue.enqueue('test.work', { n: 1 }, { creatorId: 'alice' });
      expect(job).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        type: 'test.work',
        creatorId: 'alice',
        state: 'queued',
        payload: { n: 1 },
        attempts: 0,
        maxAttempts: 3,
        createdAt: now,
        updatedAt: now,
        runAt: now,
      });
      expect(await queue.get(job.id)).toEqual(job);
      expect(await queue.get('nope')).toBeUndefined();
      expect(suite.events).toEqual([
        { jobId: job.id, type: 'test.work', creatorId: 'alice', state: 'queued', attempts: 0, maxAttempts: 3, runAt: now, at: now },
      ]);
    });

    it('runs a job once a handler for its type is registered, and keeps the result', async () => {
      const queue = suite.newQueue(suite.instance.storage);
      const payload = { list: [1] };
      const job = await queue.enqueue('test.work', payload);
      payload.list.push(2);
      await flush();
      expect((await queue.get(job.id))!.state).toBe('queued');

      const seen: JobRecord[] = [];
      queue.register({
        type: 'test.work',
        run: (record) => {
          seen.push(record);
          (record.payload as { list: number[] }).list.push(99);
          return { ok: true, size: 1 };
        },
      });
      await until(async () => (await queue.get(job.id))!.state === 'succeeded', 'success');
      const done = (await queue.get(job.id))!;
      expect(done).toMatchObject({ state: 'succeeded', attempts: 1, result: { ok: true, size: 1 }, payload: { list: [1] } });
      expect(done.finishedAt).toBe(Date.now());
      expect(seen).toHaveLength(1);
      expect(seen[0]).toMatchObject({ id: job.id, state: 'running', attempts: 1, payload: { list: [1, 99] } });
      expect(suite.statesOf(job.id)).toEqual(['queued', 'running', 'succeeded']);
      expect(suite.events.find((e) => e.state === 'running')).toMatchObject({ previous: 'queued', attempts: 1 });
    });

    it('retries a throwing handler with exponential backoff, then succeeds', async () => {
      const queue = suite.newQueue(suite.instance.storage);
      const attempts: number[] = [];
      queue.register({
        type: 'test.flaky',
        backoff: { initialMs: 1000, factor: 3 },
        run: (_job, ctx) => {
          attempts.push(ctx.attempt);
          if (ctx.attempt < 3) throw new Error(`attempt ${ctx.attempt} failed`);
        },
      });
      const job = await queue.enqueue('test.flaky', null);
      await until(() => attempts.length === 1);
      const start = Date.now();
      await flush();
      expect(await queue.get(job.id)).toMatchObject({ state: 'queued', attempts: 1, runAt: start + 1000, error: 'attempt 1 failed' });

      await vi.advanceTimersByTimeAsync(999);
      expect(attempts).toEqual([1]);
      await vi.advanceTimersByTimeAsync(1);
      await until(() => attempts.length === 2);
      await flush();
      expect(await queue.get(job.id)).toMatchObject({ state: 'queued', attempts: 2, runAt: start + 1000 + 3000, error: 'attempt 2 failed' });

      await vi.advanceTimersByTimeAsync(2999);
      expect(attempts).toEqual([1, 2]);
      await vi.advanceTimersByTimeAsync(1);
      await until(async () => (await queue.get(job.id))!.state === 'succeeded');
      const done = (await queue.get(job.id))!;
      expect(done.attempts).toBe(3);
      expect(done.error).toBeUndefined();
      expect(suite.statesOf(job.id)).toEqual(['queued', 'running', 'queued', 'running', 'queued', 'running', 'succeeded']);
    });

    it('fails for good after maxAttempts, keeping the redacted error message and code', async () => {
      const queue = suite.newQueue(suite.instance.storage);
      let runs = 0;
      queue.register({
        type: 'test.broken',
        maxAttempts: 2,
        backoff: { initialMs: 10 },
        run: () => {
          runs++;
          throw new Error(`upload to https://api.example/x?key=${SECRET} refused (token ${SECRET})`);
        },
      });
      const job = await queue.enqueue('test.broken', {});
      await until(() => runs === 1);
      await vi.advanceTimersByTimeAsync(10);
      await until(async () => (await queue.get(job.id))!.state === 'failed', 'failure');
      const failed = (await queue.get(job.id))!;
      expect(runs).toBe(2);
      expect(failed).toMatchObject({ state: 'failed', attempts: 2, maxAttempts: 2, finishedAt: Date.now() });
      expect(failed.error).toContain('refused');
      expect(failed.error).not.toContain(SECRET);
      expect(JSON.stringify(suite.events)).not.toContain(SECRET);
      expect(suite.events.at(-1)).toMatchObject({ state: 'failed', previous: 'running', error: failed.error });
      await vi.advanceTimersByTimeAsync(60_000);
      expect(runs).toBe(2);
    });

    it('enqueue maxAttempts overrides the handler; a coded error keeps its code', async () => {
      const queue = suite.newQueue(suite.instance.storage);
      queue.register({
        type: 'test.coded',
        maxAttempts: 5,
        run: () => {
          throw Object.assign(new Error('quota gone'), { code: 'NOT_OURS' });
        },
      });
      const job = await queue.enqueue('test.coded', 1, { maxAttempts: 1 });
      await until(async () => (await queue.get(job.id))!.state === 'failed');
      const failed = (await queue.get(job.id))!;
      expect(failed).toMatchObject({ maxAttempts: 1, attempts: 1, error: 'quota gone' });
      // Only StreamSuitesError codes are kept: a foreign `code` property means nothing to readers.
      expect(failed.errorCode).toBeUndefined();
    });

    it('an error marked retryable: false fails the job at once, whatever attempts are left', async () => {
      const queue = suite.newQueue(suite.instance.storage);
      let runs = 0;
      queue.register({
        type: 'test.final',
        maxAttempts: 3,
        run: () => {
          runs += 1;
          throw Object.assign(new Error('no such destination'), { retryable: false });
        },
      });
      const job = await queue.enqueue('test.final', 1);
      await until(async () => (await queue.get(job.id))!.state === 'failed');
      expect(await queue.get(job.id)).toMatchObject({ state: 'failed', attempts: 1, maxAttempts: 3, error: 'no such destination' });
      expect(runs).toBe(1);
      expect(suite.statesOf(job.id)).toEqual(['queued', 'running', 'failed']);
    });

    it('never runs more than `concurrency` jobs of a type at once, in FIFO order', async () => {
      const queue = suite.newQueue(suite.instance.storage);
      const gates = new Map<number, Gate>();
      const started: number[] = [];
      let running = 0;
      let peak = 0;
      queue.register<'test.slow'>({
        type: 'test.slow',
        concurrency: 2,
        run: async (job) => {
          const n = job.payload as number;
          started.push(n);
          running++;
          peak = Math.max(peak, running);
          const gate = deferred();
          gates.set(n, gate);
          await gate.promise;
          running--;
        },
      });
      const jobs = [];
      for (let n = 1; n <= 5; n++) jobs.push(await queue.enqueue('test.slow', n));
      await until(() => started.length === 2);
      await flush();
      expect(started).toEqual([1, 2]);
      expect((await queue.list({ state: 'running' })).map((j) => j.payload).sort()).toEqual([1, 2]);

      gates.get(2)!.resolve();
      await until(() => started.length === 3);
      await flush();
      expect(started).toEqual([1, 2, 3]);
      for (const n of [1, 3, 4, 5]) {
        await until(() => gates.has(n), `job ${n} started`);
        gates.get(n)!.resolve();
      }
      await until(async () => (await queue.list({ state: 'succeeded' })).length === 5, 'all done');
      expect(peak).toBe(2);
      expect(started).toEqual([1, 2, 3, 4, 5]);
    });

    it('limits jobs per creator with perCreatorConcurrency', async () => {
      const queue = suite.newQueue(suite.instance.storage);
      const gates: Gate[] = [];
      const started: string[] = [];
      queue.register({
        type: 'test.clip',
        concurrency: 3,
        perCreatorConcurrency: 1,
        run: async (job) => {
          started.push(`${job.creatorId ?? '-'}:${String(job.payload)}`);
          const gate = deferred();
          gates.push(gate);
          await gate.promise;
        },
      });
      await queue.enqueue('test.clip', 1, { creatorId: 'alice' });
      await queue.enqueue('test.clip', 2, { creatorId: 'alice' });
      await queue.enqueue('test.clip', 3, { creatorId: 'bob' });
      await queue.enqueue('test.clip', 4, { creatorId: 'alice' });
      await queue.enqueue('test.clip', 5);
      await until(() => started.length === 3);
      await flush();
      // alice's second job waits although there is a free slot; creator-less jobs are not limited.
      expect(started).toEqual(['alice:1', 'bob:3', '-:5']);
      gates[0]!.resolve();
      await until(() => started.length === 4);
      await flush();
      expect(started.at(-1)).toBe('alice:2');
      expect(started).toHaveLength(4);
    });

    it('cancel: a queued job never runs; a running one is aborted and its late end is ignored', async () => {
      const queue = suite.newQueue(suite.instance.storage);
      const gate = deferred<string>();
      const contexts: JobRunContext[] = [];
      queue.register({
        type: 'test.cancel',
        run: async (_job, ctx) => {
          contexts.push(ctx);
          return gate.promise;
        },
      });
      const running = await queue.enqueue('test.cancel', 'a');
      const queued = await queue.enqueue('test.cancel', 'b');
      await until(() => contexts.length === 1);

      expect(await queue.cancel(queued.id)).toBe(true);
      expect(await queue.get(queued.id)).toMatchObject({ state: 'cancelled', attempts: 0, finishedAt: Date.now() });
      expect(await queue.cancel(queued.id)).toBe(false);

      expect(await queue.cancel(running.id)).toBe(true);
      expect(contexts[0]!.signal.aborted).toBe(true);
      expect(contexts[0]!.signal.reason).toMatchObject({ code: 'SS_ERR_JOB_CANCELLED' });
      gate.resolve('late result');
      await flush();
      await flush();
      expect(await queue.get(running.id)).toMatchObject({ state: 'cancelled', attempts: 1 });
      expect((await queue.get(running.id))!.result).toBeUndefined();
      expect(contexts).toHaveLength(1);
      expect(suite.statesOf(running.id)).toEqual(['queued', 'running', 'cancelled']);
      expect(suite.statesOf(queued.id)).toEqual(['queued', 'cancelled']);
      expect(await queue.cancel('unknown-id')).toBe(false);
    });

    it('an attempt that exceeds timeoutMs fails with SS_ERR_JOB_TIMEOUT, even if the handler ignores its signal', async () => {
      const queue = suite.newQueue(suite.instance.storage);
      const contexts: JobRunContext[] = [];
      const gate = deferred();
      queue.register({
        type: 'test.hang',
        timeoutMs: 5000,
        maxAttempts: 2,
        backoff: { initialMs: 100 },
        run: async (_job, ctx) => {
          contexts.push(ctx);
          if (ctx.attempt === 1) await gate.promise; // ignores the signal
          else await new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason)));
        },
      });
      const job = await queue.enqueue('test.hang', {});
      await until(() => contexts.length === 1);
      await vi.advanceTimersByTimeAsync(4999);
      expect((await queue.get(job.id))!.state).toBe('running');
      await vi.advanceTimersByTimeAsync(1);
      expect(contexts[0]!.signal.reason).toMatchObject({ code: 'SS_ERR_JOB_TIMEOUT' });
      expect(await queue.get(job.id)).toMatchObject({ state: 'queued', attempts: 1, errorCode: 'SS_ERR_JOB_TIMEOUT' });
      expect((await queue.get(job.id))!.error).toContain('5000 ms');

      await vi.advanceTimersByTimeAsync(100);
      await until(() => contexts.length === 2);
      // The first attempt finishing now changes nothing: not the record, not the concurrency count.
      gate.resolve();
      await flush();
      expect((await queue.get(job.id))!.state).toBe('running');
      const other = await queue.enqueue('test.hang', {});
      await flush();
      expect(contexts).toHaveLength(2);
      await vi.advanceTimersByTimeAsync(5000);
      await until(async () => (await queue.get(job.id))!.state === 'failed');
      expect(await queue.get(job.id)).toMatchObject({ state: 'failed', attempts: 2, errorCode: 'SS_ERR_JOB_TIMEOUT' });
      await until(async () => (await queue.get(other.id))!.state === 'succeeded', 'the next job');
    });

    it('delayMs holds a job back until it is due', async () => {
      const queue = suite.newQueue(suite.instance.storage);
      const ran: number[] = [];
      queue.register({ type: 'test.later', run: () => void ran.push(Date.now()) });
      const start = Date.now();
      const job = await queue.enqueue('test.later', {}, { delayMs: 30_000 });
      expect(job.runAt).toBe(start + 30_000);
      await vi.advanceTimersByTimeAsync(29_999);
      expect(ran).toEqual([]);
      await vi.advanceTimersByTimeAsync(1);
      await until(() => ran.length === 1);
      expect(ran).toEqual([start + 30_000]);
    });
    describeJobRecovery(suite);
  });
}
