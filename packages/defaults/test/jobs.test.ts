import { describe, expect, it } from 'vitest';
import { definePlugin, jobRegistryRef } from '@streamsuites/kernel';
import { MemoryJobRegistry } from '../src/jobs/memory-registry.js';
import { MemoryJobStorage } from '../src/jobs/memory-storage.js';
import { startTestKernel } from './helpers/kernel.js';
import { describeJobQueue, until } from './suites/job-queue.js';

describeJobQueue('memory', {
  open() {
    const storage = new MemoryJobStorage();
    // A "new process" of an in-memory backend sees the same Map: that is what a crash test needs.
    return { storage, reopen: () => storage, close: () => {} };
  },
});

describe('the default job registry in a kernel', () => {
  it('is in memory, runs jobs of plugins, emits job.state on the kernel bus, and redacts known secrets', async () => {
    const token = 'tok-0123456789abcdef';
    const worker = definePlugin({
      id: 'worker',
      version: '1.0.0',
      kernel: '^0.2.0',
      register(reg) {
        reg.onInit({
          deps: { jobs: jobRegistryRef },
          init({ deps }) {
            deps.jobs.register({
              type: 'worker.echo',
              maxAttempts: 1,
              run: (job) => {
                if (job.payload === 'fail') throw new Error(`bad token ${token}`);
                return { echoed: job.payload };
              },
            });
          },
        });
      },
    });
    // Registered like a value the manifest took from ${env:...}.
    const t = await startTestKernel({ plugins: [worker], start: false });
    t.kernel.secrets.add(token);
    await t.kernel.start();
    const jobs = t.kernel.resolve(jobRegistryRef);
    expect(jobs).toBeInstanceOf(MemoryJobRegistry);

    const ok = await jobs.enqueue('worker.echo', 'hi', { creatorId: 'alice' });
    const bad = await jobs.enqueue('worker.echo', 'fail');
    await t.events.waitFor('job.state', (e) => e.jobId === ok.id && e.state === 'succeeded');
    const failed = await t.events.waitFor('job.state', (e) => e.jobId === bad.id && e.state === 'failed');
    expect(await jobs.get(ok.id)).toMatchObject({ state: 'succeeded', result: { echoed: 'hi' }, creatorId: 'alice' });
    expect(failed.error).toBe('bad token [redacted]');
    expect((await jobs.get(bad.id))!.error).toBe('bad token [redacted]');
    await t.stop();
  });

  it('aborts running jobs when the kernel stops, before plugins stop, and gives their attempt back', async () => {
    const order: string[] = [];
    let signal: AbortSignal | undefined;
    const slow = definePlugin({
      id: 'slow',
      version: '1.0.0',
      kernel: '^0.2.0',
      register(reg) {
        reg.onInit({
          deps: { jobs: jobRegistryRef },
          init({ deps }) {
            deps.jobs.register({
              type: 'slow.work',
              run: (_job, ctx) => {
                signal = ctx.signal;
                return new Promise((_, reject) =>
                  ctx.signal.addEventListener('abort', () => {
                    order.push('job aborted');
                    reject(ctx.signal.reason);
                  }),
                );
              },
            });
          },
          stop: () => void order.push('plugin stop'),
        });
      },
    });
    const t = await startTestKernel({ plugins: [slow] });
    const jobs = t.kernel.resolve(jobRegistryRef);
    const job = await jobs.enqueue('slow.work', {});
    await until(() => signal !== undefined, 'job started');
    await t.stop();
    expect(order).toEqual(['job aborted', 'plugin stop']);
    expect(signal!.reason).toMatchObject({ code: 'SS_ERR_JOB_INTERRUPTED' });
    expect(t.events.of('job.state').filter((e) => e.jobId === job.id).map((e) => e.state)).toEqual(['queued', 'running', 'queued']);
    await expect(jobs.list()).rejects.toMatchObject({ code: 'SS_ERR_STORE_CLOSED' });
  });
});
