/** The JobRegistry contract suite, part two: crashes, stop and close, listing, pruning, refusals (see job-queue.ts). */
import { expect, it, vi } from 'vitest';
import type { JobRunContext } from '@streamsuites/kernel';
import { crashable, deferred, flush, until, type SuiteContext } from './job-queue-kit.js';

export function describeJobRecovery(suite: SuiteContext): void {
    it('after a crash, running jobs are queued again, or failed when it was their last attempt', async () => {
      const first = crashable(suite.instance.storage);
      const queue = suite.newQueue(first.storage);
      const started: string[] = [];
      queue.register({
        type: 'test.crash',
        concurrency: 2,
        run: (job) => {
          started.push(job.payload as string);
          return new Promise(() => {}); // still running when the process "dies"
        },
      });
      const retry = await queue.enqueue('test.crash', 'retry', { maxAttempts: 2 });
      const last = await queue.enqueue('test.crash', 'last', { maxAttempts: 1 });
      await until(() => started.length === 2);
      first.crash();

      suite.events.length = 0;
      await vi.advanceTimersByTimeAsync(1000);
      const recovered = suite.newQueue(suite.instance.reopen());
      expect(await recovered.get(retry.id)).toMatchObject({
        state: 'queued',
        attempts: 1,
        runAt: Date.now(),
        errorCode: 'SS_ERR_JOB_INTERRUPTED',
      });
      expect(await recovered.get(last.id)).toMatchObject({ state: 'failed', attempts: 1, errorCode: 'SS_ERR_JOB_INTERRUPTED', finishedAt: Date.now() });
      expect((await recovered.get(last.id))!.error).toContain('attempt 1 of 1');
      expect(suite.events.map((e) => [e.jobId, e.previous, e.state])).toEqual(
        expect.arrayContaining([
          [retry.id, 'running', 'queued'],
          [last.id, 'running', 'failed'],
        ]),
      );

      const ran: string[] = [];
      recovered.register({ type: 'test.crash', run: (job) => void ran.push(job.payload as string) });
      await until(async () => (await recovered.get(retry.id))!.state === 'succeeded');
      expect(ran).toEqual(['retry']);
      expect((await recovered.get(retry.id))!.attempts).toBe(2);
    });

    it('stop() aborts running handlers and gives their attempt back; reads still work; after close() every call is SS_ERR_STORE_CLOSED', async () => {
      const queue = suite.newQueue(suite.instance.storage);
      const contexts: JobRunContext[] = [];
      queue.register({
        type: 'test.stop',
        run: (_job, ctx) => {
          contexts.push(ctx);
          return new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason)));
        },
      });
      const job = await queue.enqueue('test.stop', {});
      await until(() => contexts.length === 1);
      await queue.stop();
      expect(contexts[0]!.signal.reason).toMatchObject({ code: 'SS_ERR_JOB_INTERRUPTED' });
      expect(suite.statesOf(job.id)).toEqual(['queued', 'running', 'queued']);
      // Stopping (kernel.stopping) only stops running jobs: final exports still list them.
      expect(await queue.get(job.id)).toMatchObject({ state: 'queued' });
      expect((await queue.list()).map((j) => j.id)).toContain(job.id);
      await queue.close();
      await expect(queue.get(job.id)).rejects.toMatchObject({ code: 'SS_ERR_STORE_CLOSED' });
      await expect(queue.enqueue('test.stop', {})).rejects.toMatchObject({ code: 'SS_ERR_STORE_CLOSED' });
      expect(() => queue.register({ type: 'test.other', run: () => {} })).toThrow(expect.objectContaining({ code: 'SS_ERR_STORE_CLOSED' }));
      expect(queue.stop()).toBe(queue.stop());

      const next = suite.newQueue(suite.instance.reopen());
      expect(await next.get(job.id)).toMatchObject({ state: 'queued', attempts: 0 });
      next.register({ type: 'test.stop', run: () => 'done' });
      await until(async () => (await next.get(job.id))!.state === 'succeeded');
      expect(await next.get(job.id)).toMatchObject({ attempts: 1, result: 'done' });
    });

    it('stop() waits at most the grace period for a handler that ignores its signal', async () => {
      const queue = suite.newQueue(suite.instance.storage);
      let started = false;
      queue.register({ type: 'test.stubborn', run: () => ((started = true), new Promise(() => {})) });
      const job = await queue.enqueue('test.stubborn', {});
      await until(() => started);
      let stopped = false;
      const stopping = queue.stop().then(() => (stopped = true));
      await vi.advanceTimersByTimeAsync(999);
      expect(stopped).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      await stopping;
      const reopened = suite.newQueue(suite.instance.reopen());
      expect(await reopened.get(job.id)).toMatchObject({ state: 'queued', attempts: 0 });
    });

    it('list filters by type, creator and state, newest first; prune deletes old finished jobs', async () => {
      const queue = suite.newQueue(suite.instance.storage);
      queue.register({ type: 'test.done', run: () => {} });
      const a = await queue.enqueue('test.done', 1, { creatorId: 'alice' });
      const b = await queue.enqueue('test.done', 2, { creatorId: 'bob' });
      await until(async () => (await queue.list({ state: 'succeeded' })).length === 2);
      await vi.advanceTimersByTimeAsync(10_000);
      const c = await queue.enqueue('test.idle', 3, { creatorId: 'alice' });
      expect((await queue.list()).map((j) => j.id)).toEqual([c.id, b.id, a.id]);
      expect((await queue.list({ creatorId: 'alice' })).map((j) => j.id)).toEqual([c.id, a.id]);
      expect((await queue.list({ type: 'test.done' })).map((j) => j.id)).toEqual([b.id, a.id]);
      expect((await queue.list({ state: ['queued', 'running'] })).map((j) => j.id)).toEqual([c.id]);
      expect((await queue.list({ limit: 2 })).map((j) => j.id)).toEqual([c.id, b.id]);
      await expect(queue.list({ state: 'bogus' as never })).rejects.toMatchObject({ code: 'SS_ERR_JOB_INVALID' });

      expect(await queue.prune(Date.now() - 10_000)).toBe(0);
      expect(await queue.prune(Date.now())).toBe(2);
      expect((await queue.list()).map((j) => j.id)).toEqual([c.id]);
    });

    it('a handler returning a non-JSON result fails the job without retrying', async () => {
      const queue = suite.newQueue(suite.instance.storage);
      let runs = 0;
      queue.register({ type: 'test.badresult', run: () => ((runs += 1), { at: new Date() }) });
      const job = await queue.enqueue('test.badresult', {});
      await until(async () => (await queue.get(job.id))!.state === 'failed');
      expect(await queue.get(job.id)).toMatchObject({ errorCode: 'SS_ERR_NOT_JSON', attempts: 1 });
      expect(runs).toBe(1);
    });

    it('unregistering a handler stops new jobs of its type from starting', async () => {
      const queue = suite.newQueue(suite.instance.storage);
      const ran: unknown[] = [];
      const off = queue.register({ type: 'test.off', run: (job) => void ran.push(job.payload) });
      await queue.enqueue('test.off', 1);
      await until(() => ran.length === 1);
      off();
      const waiting = await queue.enqueue('test.off', 2);
      await flush();
      await vi.advanceTimersByTimeAsync(60_000);
      expect(ran).toEqual([1]);
      expect((await queue.get(waiting.id))!.state).toBe('queued');
      queue.register({ type: 'test.off', run: (job) => void ran.push(job.payload) });
      await until(() => ran.length === 2);
    });

    it('refuses bad types, options, duplicate handlers and non-JSON payloads with coded errors', async () => {
      const queue = suite.newQueue(suite.instance.storage);
      queue.register({ type: 'test.dup', run: () => {} });
      expect(() => queue.register({ type: 'test.dup', run: () => {} })).toThrow(expect.objectContaining({ code: 'SS_ERR_JOB_HANDLER_DUPLICATE' }));
      for (const bad of [{ type: 'nodot', run: () => {} }, { type: 'test.c', concurrency: 0, run: () => {} }, { type: 'test.t', timeoutMs: 1.5, run: () => {} }, { type: 'test.b', backoff: { factor: 0.5 }, run: () => {} }, { type: 'test.norun' }]) {
        expect(() => queue.register(bad as never)).toThrow(expect.objectContaining({ code: 'SS_ERR_JOB_INVALID' }));
      }
      await expect(queue.enqueue('Bad type', {})).rejects.toMatchObject({ code: 'SS_ERR_JOB_INVALID' });
      await expect(queue.enqueue('test.x', {}, { maxAttempts: 0 })).rejects.toMatchObject({ code: 'SS_ERR_JOB_INVALID' });
      await expect(queue.enqueue('test.x', {}, { delayMs: -1 })).rejects.toMatchObject({ code: 'SS_ERR_JOB_INVALID' });
      await expect(queue.enqueue('test.x', {}, { creatorId: '' })).rejects.toMatchObject({ code: 'SS_ERR_JOB_INVALID' });
      await expect(queue.enqueue('test.x', { f: () => 1 })).rejects.toMatchObject({ code: 'SS_ERR_NOT_JSON' });
      expect(await queue.list()).toEqual([]);
    });
}
