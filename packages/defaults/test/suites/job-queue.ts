/**
 * The JobRegistry behaviour every job backend must have, written once over a
 * JobStorage: @streamsuites/defaults runs it on memory, @streamsuites/store-sqlite on
 * SQLite files. Time is vitest's fake clock (setTimeout and Date only, so
 * `flush()` can drain microtasks with a real setImmediate).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EventBus, SecretRegistry, type JobRecord, type JobRunContext, type JobStateEvent } from '@streamsuites/kernel';
import { JobQueue } from '../../src/jobs/queue.js';
import type { JobStorage } from '../../src/jobs/storage.js';

export interface JobBackendInstance {
  storage: JobStorage;
  /** The same jobs as the next process would see them (the previous storage is abandoned, not closed cleanly). */
  reopen(): JobStorage;
  /** Releases everything (after each test). */
  close(): void | Promise<void>;
}

export interface JobBackend {
  /** A new, empty backend. */
  open(): JobBackendInstance | Promise<JobBackendInstance>;
}

/** Drains pending microtasks (and whatever they chain) with a real setImmediate. */
export const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Polls `check` between drains of pending work; fails instead of hanging.
 * The deadline uses process.hrtime (never faked), so a loaded machine gets
 * up to 5 s, not just a count of turns.
 */
export async function until(check: () => boolean | Promise<boolean>, what = 'condition'): Promise<void> {
  const start = process.hrtime.bigint();
  for (let turns = 0; turns < 200 || process.hrtime.bigint() - start < 5_000_000_000n; turns++) {
    if (await check()) return;
    await flush();
  }
  throw new Error(`${what} did not happen`);
}

export function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

type Gate = ReturnType<typeof deferred<void>>;

/** A JobStorage that stops working at `crash()`, as if its process had died mid-flight. */
export function crashable(storage: JobStorage): { storage: JobStorage; crash(): void } {
  let alive = true;
  const proxy = new Proxy(storage, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (!alive) throw new Error('process crashed');
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { storage: proxy, crash: () => void (alive = false) };
}

const SECRET = 'sk-live-0123456789';

export function describeJobQueue(name: string, backend: JobBackend): void {
  describe(`JobRegistry contract: ${name}`, () => {
    let instance: JobBackendInstance;
    let bus: EventBus;
    let events: JobStateEvent[];
    const queues: JobQueue[] = [];
    const secrets = new SecretRegistry();
    secrets.add(SECRET);

    const newQueue = (storage: JobStorage) => {
      const queue = new JobQueue({ storage, clock: { now: () => Date.now() }, bus, redact: (t) => secrets.redactString(t), shutdownGraceMs: 1000 });
      queues.push(queue);
      return queue;
    };
    const statesOf = (jobId: string) => events.filter((e) => e.jobId === jobId).map((e) => e.state);

    beforeEach(async () => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'], now: 1_700_000_000_000 });
      instance = await backend.open();
      bus = new EventBus();
      events = [];
      bus.on('job.state', (e) => void events.push(e));
    });
    afterEach(async () => {
      const stopping = Promise.all(queues.splice(0).map((q) => q.stop()));
      await vi.advanceTimersByTimeAsync(2000);
      await stopping;
      await instance.close();
      vi.useRealTimers();
    });

    it('enqueue stores a queued record and emits job.state', async () => {
      const queue = newQueue(instance.storage);
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
      expect(events).toEqual([
        { jobId: job.id, type: 'test.work', creatorId: 'alice', state: 'queued', attempts: 0, maxAttempts: 3, runAt: now, at: now },
      ]);
    });

    it('runs a job once a handler for its type is registered, and keeps the result', async () => {
      const queue = newQueue(instance.storage);
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
      expect(statesOf(job.id)).toEqual(['queued', 'running', 'succeeded']);
      expect(events.find((e) => e.state === 'running')).toMatchObject({ previous: 'queued', attempts: 1 });
    });

    it('retries a throwing handler with exponential backoff, then succeeds', async () => {
      const queue = newQueue(instance.storage);
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
      expect(statesOf(job.id)).toEqual(['queued', 'running', 'queued', 'running', 'queued', 'running', 'succeeded']);
    });

    it('fails for good after maxAttempts, keeping the redacted error message and code', async () => {
      const queue = newQueue(instance.storage);
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
      expect(JSON.stringify(events)).not.toContain(SECRET);
      expect(events.at(-1)).toMatchObject({ state: 'failed', previous: 'running', error: failed.error });
      await vi.advanceTimersByTimeAsync(60_000);
      expect(runs).toBe(2);
    });

    it('enqueue maxAttempts overrides the handler; a coded error keeps its code', async () => {
      const queue = newQueue(instance.storage);
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

    it('never runs more than `concurrency` jobs of a type at once, in FIFO order', async () => {
      const queue = newQueue(instance.storage);
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
      const queue = newQueue(instance.storage);
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
      const queue = newQueue(instance.storage);
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
      expect(statesOf(running.id)).toEqual(['queued', 'running', 'cancelled']);
      expect(statesOf(queued.id)).toEqual(['queued', 'cancelled']);
      expect(await queue.cancel('unknown-id')).toBe(false);
    });

    it('an attempt that exceeds timeoutMs fails with SS_ERR_JOB_TIMEOUT, even if the handler ignores its signal', async () => {
      const queue = newQueue(instance.storage);
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
      const queue = newQueue(instance.storage);
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

    it('after a crash, running jobs are queued again, or failed when it was their last attempt', async () => {
      const first = crashable(instance.storage);
      const queue = newQueue(first.storage);
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

      events.length = 0;
      await vi.advanceTimersByTimeAsync(1000);
      const recovered = newQueue(instance.reopen());
      expect(await recovered.get(retry.id)).toMatchObject({
        state: 'queued',
        attempts: 1,
        runAt: Date.now(),
        errorCode: 'SS_ERR_JOB_INTERRUPTED',
      });
      expect(await recovered.get(last.id)).toMatchObject({ state: 'failed', attempts: 1, errorCode: 'SS_ERR_JOB_INTERRUPTED', finishedAt: Date.now() });
      expect((await recovered.get(last.id))!.error).toContain('attempt 1 of 1');
      expect(events.map((e) => [e.jobId, e.previous, e.state])).toEqual(
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
      const queue = newQueue(instance.storage);
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
      expect(statesOf(job.id)).toEqual(['queued', 'running', 'queued']);
      // Stopping (kernel.stopping) only stops running jobs: final exports still list them.
      expect(await queue.get(job.id)).toMatchObject({ state: 'queued' });
      expect((await queue.list()).map((j) => j.id)).toContain(job.id);
      await queue.close();
      await expect(queue.get(job.id)).rejects.toMatchObject({ code: 'SS_ERR_STORE_CLOSED' });
      await expect(queue.enqueue('test.stop', {})).rejects.toMatchObject({ code: 'SS_ERR_STORE_CLOSED' });
      expect(() => queue.register({ type: 'test.other', run: () => {} })).toThrow(expect.objectContaining({ code: 'SS_ERR_STORE_CLOSED' }));
      expect(queue.stop()).toBe(queue.stop());

      const next = newQueue(instance.reopen());
      expect(await next.get(job.id)).toMatchObject({ state: 'queued', attempts: 0 });
      next.register({ type: 'test.stop', run: () => 'done' });
      await until(async () => (await next.get(job.id))!.state === 'succeeded');
      expect(await next.get(job.id)).toMatchObject({ attempts: 1, result: 'done' });
    });

    it('stop() waits at most the grace period for a handler that ignores its signal', async () => {
      const queue = newQueue(instance.storage);
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
      const reopened = newQueue(instance.reopen());
      expect(await reopened.get(job.id)).toMatchObject({ state: 'queued', attempts: 0 });
    });

    it('list filters by type, creator and state, newest first; prune deletes old finished jobs', async () => {
      const queue = newQueue(instance.storage);
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
      const queue = newQueue(instance.storage);
      let runs = 0;
      queue.register({ type: 'test.badresult', run: () => ((runs += 1), { at: new Date() }) });
      const job = await queue.enqueue('test.badresult', {});
      await until(async () => (await queue.get(job.id))!.state === 'failed');
      expect(await queue.get(job.id)).toMatchObject({ errorCode: 'SS_ERR_NOT_JSON', attempts: 1 });
      expect(runs).toBe(1);
    });

    it('unregistering a handler stops new jobs of its type from starting', async () => {
      const queue = newQueue(instance.storage);
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
      const queue = newQueue(instance.storage);
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
  });
}
