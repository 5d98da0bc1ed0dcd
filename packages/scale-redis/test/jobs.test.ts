/**
 * The JobRegistry contract on Redis, one registry at a time: the cases of
 * @streamsuites/defaults' job-queue suite (whose backend shape is a
 * synchronous JobStorage), rewritten for a real redis-server and real time
 * (short backoffs and timeouts instead of fake timers, which would stop the
 * Redis client's own timers).
 */
import type { JobRecord, JobRunContext } from '@streamsuites/kernel';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LocalRedis } from '../src/testing.js';
import { deferred, jobWorld, SECRET, type Gate } from './fixtures/job-worker-kit.js';
import { connect, until, useLocalRedis } from './helpers.js';

let server: LocalRedis;
let redis: Redis;
useLocalRedis((s, r) => {
  server = s;
  redis = r;
});

const world = jobWorld(() => redis);
beforeEach(() => world.reset());
afterEach(() => world.closeAll());

const stateOf = async (jobs: { get(id: string): Promise<JobRecord | undefined> }, id: string) => (await jobs.get(id))?.state;

describe('RedisJobRegistry: the JobRegistry contract', () => {
  it('enqueue stores a queued record under <prefix>{jobs}: and emits job.state', async () => {
    const jobs = world.registry();
    const before = Date.now();
    const job = await jobs.enqueue('test.work', { n: 1 }, { creatorId: 'alice' });
    expect(job).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      type: 'test.work',
      creatorId: 'alice',
      state: 'queued',
      payload: { n: 1 },
      attempts: 0,
      maxAttempts: 3,
      createdAt: job.createdAt,
      updatedAt: job.createdAt,
      runAt: job.createdAt,
    });
    expect(job.createdAt).toBeGreaterThanOrEqual(before);
    expect(await jobs.get(job.id)).toEqual(job);
    expect(await jobs.get('nope')).toBeUndefined();
    expect(await redis.hget(`${world.prefix}{jobs}:job:${job.id}`, 'state')).toBe('queued');
    expect(await redis.zcard(`${world.prefix}{jobs}:queued:test.work`)).toBe(1);
    expect(world.events).toEqual([
      { jobId: job.id, type: 'test.work', creatorId: 'alice', state: 'queued', attempts: 0, maxAttempts: 3, runAt: job.runAt, at: job.createdAt },
    ]);
  });

  it('runs a job once a handler for its type is registered, and keeps the result', async () => {
    const jobs = world.registry();
    const payload = { list: [1] };
    const job = await jobs.enqueue('test.work', payload);
    payload.list.push(2);
    expect(await stateOf(jobs, job.id)).toBe('queued');
    const seen: JobRecord[] = [];
    jobs.register({ type: 'test.work', run: (record) => (seen.push(record), { ok: true, size: 1 }) });
    await until(async () => (await stateOf(jobs, job.id)) === 'succeeded', 5000, 'success');
    const done = (await jobs.get(job.id))!;
    expect(done).toMatchObject({ state: 'succeeded', attempts: 1, result: { ok: true, size: 1 }, payload: { list: [1] } });
    expect(done.finishedAt).toBeGreaterThanOrEqual(done.startedAt!);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ id: job.id, state: 'running', attempts: 1, payload: { list: [1] } });
    expect(world.statesOf(job.id)).toEqual(['queued', 'running', 'succeeded']);
    expect(world.events.find((e) => e.state === 'running')).toMatchObject({ previous: 'queued', attempts: 1 });
    // Every index let go of the finished job.
    expect(await redis.zcard(`${world.prefix}{jobs}:running`)).toBe(0);
    expect(await redis.scard(`${world.prefix}{jobs}:active:test.work`)).toBe(0);
    expect(await redis.zscore(`${world.prefix}{jobs}:finished`, job.id)).toBe(String(done.finishedAt));
  });

  it('retries a throwing handler with exponential backoff, never before runAt, then succeeds', async () => {
    const jobs = world.registry();
    const starts: number[] = [];
    jobs.register({
      type: 'test.flaky',
      backoff: { initialMs: 100, factor: 3 },
      run: (_job, ctx) => {
        starts.push(Date.now());
        if (ctx.attempt < 3) throw new Error(`attempt ${ctx.attempt} failed`);
      },
    });
    const job = await jobs.enqueue('test.flaky', null);
    await until(async () => (await stateOf(jobs, job.id)) === 'succeeded', 5000, 'success after retries');
    const retries = world.events.filter((e) => e.jobId === job.id && e.state === 'queued' && e.previous === 'running');
    expect(retries.map((e) => [e.attempts, e.runAt - e.at, e.error])).toEqual([
      [1, 100, 'attempt 1 failed'],
      [2, 300, 'attempt 2 failed'],
    ]);
    expect(starts).toHaveLength(3);
    expect(starts[1]!).toBeGreaterThanOrEqual(retries[0]!.runAt);
    expect(starts[2]!).toBeGreaterThanOrEqual(retries[1]!.runAt);
    const done = (await jobs.get(job.id))!;
    expect(done.attempts).toBe(3);
    expect(done.error).toBeUndefined();
    expect(world.statesOf(job.id)).toEqual(['queued', 'running', 'queued', 'running', 'queued', 'running', 'succeeded']);
  });

  it('fails for good after maxAttempts with the redacted message; retryable: false and enqueue maxAttempts end it sooner', async () => {
    const jobs = world.registry();
    let runs = 0;
    jobs.register({
      type: 'test.broken',
      maxAttempts: 2,
      backoff: { initialMs: 10 },
      run: () => {
        runs++;
        throw new Error(`upload to https://api.example/x?key=${SECRET} refused (token ${SECRET})`);
      },
    });
    const job = await jobs.enqueue('test.broken', {});
    await until(async () => (await stateOf(jobs, job.id)) === 'failed', 5000, 'failure');
    const failed = (await jobs.get(job.id))!;
    expect(runs).toBe(2);
    expect(failed).toMatchObject({ state: 'failed', attempts: 2, maxAttempts: 2 });
    expect(failed.finishedAt).toBeGreaterThan(0);
    expect(failed.error).toContain('refused');
    expect(failed.error).not.toContain(SECRET);
    expect(JSON.stringify(world.events)).not.toContain(SECRET);
    expect(JSON.stringify(await redis.hgetall(`${world.prefix}{jobs}:job:${job.id}`))).not.toContain(SECRET);
    expect(world.events.at(-1)).toMatchObject({ state: 'failed', previous: 'running', error: failed.error });

    let finals = 0;
    jobs.register({ type: 'test.final', run: () => ((finals += 1), Promise.reject(Object.assign(new Error('no such destination'), { retryable: false }))) });
    const final = await jobs.enqueue('test.final', 1);
    await until(async () => (await stateOf(jobs, final.id)) === 'failed', 5000, 'final failure');
    expect(await jobs.get(final.id)).toMatchObject({ attempts: 1, maxAttempts: 3, error: 'no such destination' });
    expect(finals).toBe(1);

    jobs.register({ type: 'test.coded', maxAttempts: 5, run: () => Promise.reject(Object.assign(new Error('quota gone'), { code: 'NOT_OURS' })) });
    const coded = await jobs.enqueue('test.coded', 1, { maxAttempts: 1 });
    await until(async () => (await stateOf(jobs, coded.id)) === 'failed', 5000, 'coded failure');
    const codedDone = (await jobs.get(coded.id))!;
    expect(codedDone).toMatchObject({ maxAttempts: 1, attempts: 1, error: 'quota gone' });
    expect(codedDone.errorCode).toBeUndefined(); // only StreamSuitesError codes are kept
  });

  it('never runs more than `concurrency` jobs of a type at once, in FIFO order', async () => {
    const jobs = world.registry();
    const gates = new Map<number, Gate>();
    const started: number[] = [];
    let running = 0;
    let peak = 0;
    jobs.register({
      type: 'test.slow',
      concurrency: 2,
      run: async (job) => {
        const n = job.payload as number;
        started.push(n);
        peak = Math.max(peak, ++running);
        const gate = deferred();
        gates.set(n, gate);
        await gate.promise;
        running--;
      },
    });
    for (let n = 1; n <= 5; n++) await jobs.enqueue('test.slow', n);
    await until(() => started.length === 2, 5000, 'two started');
    expect(started).toEqual([1, 2]);
    expect((await jobs.list({ state: 'running' })).map((j) => j.payload).sort()).toEqual([1, 2]);
    expect(await redis.scard(`${world.prefix}{jobs}:active:test.slow`)).toBe(2);
    gates.get(2)!.resolve();
    await until(() => started.length === 3, 5000, 'third started');
    expect(started).toEqual([1, 2, 3]);
    for (const n of [1, 3, 4, 5]) {
      await until(() => gates.has(n), 5000, `job ${n} started`);
      gates.get(n)!.resolve();
    }
    await until(async () => (await jobs.list({ state: 'succeeded' })).length === 5, 5000, 'all done');
    expect(peak).toBe(2);
    expect(started).toEqual([1, 2, 3, 4, 5]);
  });

  it('limits jobs per creator with perCreatorConcurrency; creator-less jobs are not limited', async () => {
    const jobs = world.registry();
    const gates: Gate[] = [];
    const started: string[] = [];
    jobs.register({
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
    await jobs.enqueue('test.clip', 1, { creatorId: 'alice' });
    await jobs.enqueue('test.clip', 2, { creatorId: 'alice' });
    await jobs.enqueue('test.clip', 3, { creatorId: 'bob' });
    await jobs.enqueue('test.clip', 4, { creatorId: 'alice' });
    await jobs.enqueue('test.clip', 5);
    await until(() => started.length === 3, 5000, 'three started');
    expect(started).toEqual(['alice:1', 'bob:3', '-:5']);
    gates[0]!.resolve();
    await until(() => started.length === 4, 5000, "alice's second job");
    expect(started.at(-1)).toBe('alice:2');
    for (const gate of gates) gate.resolve();
    await until(() => started.length === 5, 5000, "alice's third job");
    for (const gate of gates) gate.resolve();
  });

  it('cancel: a queued job never runs; a running one is aborted and its late end is ignored', async () => {
    const jobs = world.registry();
    const gate = deferred<string>();
    const contexts: JobRunContext[] = [];
    jobs.register({ type: 'test.cancel', run: async (_job, ctx) => (contexts.push(ctx), gate.promise) });
    const running = await jobs.enqueue('test.cancel', 'a');
    const queued = await jobs.enqueue('test.cancel', 'b');
    await until(() => contexts.length === 1, 5000, 'first started');

    expect(await jobs.cancel(queued.id)).toBe(true);
    expect(await jobs.get(queued.id)).toMatchObject({ state: 'cancelled', attempts: 0 });
    expect(await jobs.cancel(queued.id)).toBe(false);

    expect(await jobs.cancel(running.id)).toBe(true);
    expect(contexts[0]!.signal.aborted).toBe(true);
    expect(contexts[0]!.signal.reason).toMatchObject({ code: 'SS_ERR_JOB_CANCELLED' });
    gate.resolve('late result');
    await until(async () => (await redis.zcard(`${world.prefix}{jobs}:running`)) === 0, 5000, 'running index empty');
    expect(await jobs.get(running.id)).toMatchObject({ state: 'cancelled', attempts: 1 });
    expect((await jobs.get(running.id))!.result).toBeUndefined();
    expect(contexts).toHaveLength(1);
    expect(world.statesOf(running.id)).toEqual(['queued', 'running', 'cancelled']);
    expect(world.statesOf(queued.id)).toEqual(['queued', 'cancelled']);
    expect(await jobs.cancel('unknown-id')).toBe(false);
    expect(await redis.zcard(`${world.prefix}{jobs}:queued:test.cancel`)).toBe(0);
  });

  it('an attempt that exceeds timeoutMs fails with SS_ERR_JOB_TIMEOUT, even if the handler ignores its signal', async () => {
    const jobs = world.registry();
    const contexts: JobRunContext[] = [];
    const gate = deferred();
    jobs.register({
      type: 'test.hang',
      timeoutMs: 200,
      maxAttempts: 2,
      backoff: { initialMs: 50 },
      run: async (_job, ctx) => {
        contexts.push(ctx);
        if (ctx.attempt === 1) await gate.promise; // ignores the signal
        else await new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason)));
      },
    });
    const job = await jobs.enqueue('test.hang', {});
    await until(() => contexts.length === 1, 5000, 'first attempt');
    await until(() => contexts[0]!.signal.aborted, 5000, 'first attempt timed out');
    expect(contexts[0]!.signal.reason).toMatchObject({ code: 'SS_ERR_JOB_TIMEOUT' });
    await until(() => contexts.length === 2, 5000, 'second attempt');
    const retried = world.events.find((e) => e.jobId === job.id && e.previous === 'running');
    expect(retried).toMatchObject({ state: 'queued', attempts: 1, errorCode: 'SS_ERR_JOB_TIMEOUT' });
    expect(retried!.error).toContain('200 ms');
    // The first attempt finishing now changes nothing.
    gate.resolve();
    await until(async () => (await stateOf(jobs, job.id)) === 'failed', 5000, 'second attempt timed out');
    expect(await jobs.get(job.id)).toMatchObject({ state: 'failed', attempts: 2, errorCode: 'SS_ERR_JOB_TIMEOUT' });
    expect(world.statesOf(job.id)).toEqual(['queued', 'running', 'queued', 'running', 'failed']);
  });

  it('delayMs holds a job back until it is due', async () => {
    const jobs = world.registry();
    const ran: number[] = [];
    jobs.register({ type: 'test.later', run: () => void ran.push(Date.now()) });
    const job = await jobs.enqueue('test.later', {}, { delayMs: 300 });
    expect(job.runAt).toBe(job.createdAt + 300);
    await until(() => ran.length === 1, 5000, 'the delayed job');
    expect(ran[0]!).toBeGreaterThanOrEqual(job.runAt);
  });

  it('stop() aborts running handlers and gives their attempt back; reads still work; after close() every call is SS_ERR_STORE_CLOSED', async () => {
    const jobs = world.registry();
    const contexts: JobRunContext[] = [];
    jobs.register({
      type: 'test.stop',
      run: (_job, ctx) => (contexts.push(ctx), new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason)))),
    });
    const job = await jobs.enqueue('test.stop', {});
    await until(() => contexts.length === 1, 5000, 'started');
    await jobs.stop();
    expect(contexts[0]!.signal.reason).toMatchObject({ code: 'SS_ERR_JOB_INTERRUPTED' });
    expect(world.statesOf(job.id)).toEqual(['queued', 'running', 'queued']);
    expect(await jobs.get(job.id)).toMatchObject({ state: 'queued', attempts: 0 });
    expect((await jobs.list()).map((j) => j.id)).toContain(job.id);
    await jobs.close();
    await expect(jobs.get(job.id)).rejects.toMatchObject({ code: 'SS_ERR_STORE_CLOSED' });
    await expect(jobs.enqueue('test.stop', {})).rejects.toMatchObject({ code: 'SS_ERR_STORE_CLOSED' });
    expect(() => jobs.register({ type: 'test.other', run: () => {} })).toThrow(expect.objectContaining({ code: 'SS_ERR_STORE_CLOSED' }));
    expect(jobs.stop()).toBe(jobs.stop());

    const next = world.registry();
    next.register({ type: 'test.stop', run: () => 'done' });
    await until(async () => (await stateOf(next, job.id)) === 'succeeded', 5000, 'the next registry runs it');
    expect(await next.get(job.id)).toMatchObject({ attempts: 1, result: 'done' });
  });

  it('stop() waits at most the grace period for a handler that ignores its signal, and still gives the attempt back', async () => {
    const jobs = world.registry({ shutdownGraceMs: 200 });
    let started = false;
    jobs.register({ type: 'test.stubborn', run: () => ((started = true), new Promise(() => {})) });
    const job = await jobs.enqueue('test.stubborn', {});
    await until(() => started, 5000, 'started');
    const t0 = performance.now();
    await jobs.stop();
    expect(performance.now() - t0).toBeGreaterThanOrEqual(190);
    expect(await jobs.get(job.id)).toMatchObject({ state: 'queued', attempts: 0 });
  });

  it('list filters by type, creator and state, newest first; prune deletes old finished jobs', async () => {
    const jobs = world.registry();
    jobs.register({ type: 'test.done', run: () => {} });
    const a = await jobs.enqueue('test.done', 1, { creatorId: 'alice' });
    const b = await jobs.enqueue('test.done', 2, { creatorId: 'bob' });
    await until(async () => (await jobs.list({ state: 'succeeded' })).length === 2, 5000, 'both done');
    const c = await jobs.enqueue('test.idle', 3, { creatorId: 'alice' });
    expect((await jobs.list()).map((j) => j.id)).toEqual([c.id, b.id, a.id]);
    expect((await jobs.list({ creatorId: 'alice' })).map((j) => j.id)).toEqual([c.id, a.id]);
    expect((await jobs.list({ type: 'test.done' })).map((j) => j.id)).toEqual([b.id, a.id]);
    expect((await jobs.list({ state: ['queued', 'running'] })).map((j) => j.id)).toEqual([c.id]);
    expect((await jobs.list({ limit: 2 })).map((j) => j.id)).toEqual([c.id, b.id]);
    await expect(jobs.list({ state: 'bogus' as never })).rejects.toMatchObject({ code: 'SS_ERR_JOB_INVALID' });

    const finished = (await jobs.list({ state: 'succeeded' })).map((j) => j.finishedAt!);
    expect(await jobs.prune(Math.min(...finished))).toBe(0);
    expect(await jobs.prune(Math.max(...finished) + 1)).toBe(2);
    expect((await jobs.list()).map((j) => j.id)).toEqual([c.id]);
    expect(await redis.exists(`${world.prefix}{jobs}:job:${a.id}`)).toBe(0);
    expect(await redis.zcard(`${world.prefix}{jobs}:finished`)).toBe(0);
  });

  it('a non-JSON result fails the job without retrying; unregistering stops new jobs of the type', async () => {
    const jobs = world.registry();
    let runs = 0;
    jobs.register({ type: 'test.badresult', run: () => ((runs += 1), { at: new Date() }) });
    const bad = await jobs.enqueue('test.badresult', {});
    await until(async () => (await stateOf(jobs, bad.id)) === 'failed', 5000, 'failed');
    expect(await jobs.get(bad.id)).toMatchObject({ errorCode: 'SS_ERR_NOT_JSON', attempts: 1 });
    expect(runs).toBe(1);

    const ran: unknown[] = [];
    const off = jobs.register({ type: 'test.off', run: (job) => void ran.push(job.payload) });
    await jobs.enqueue('test.off', 1);
    await until(() => ran.length === 1, 5000, 'first ran');
    off();
    const waiting = await jobs.enqueue('test.off', 2);
    // A handler registered again picks up what waited; it never ran meanwhile.
    expect(await stateOf(jobs, waiting.id)).toBe('queued');
    jobs.register({ type: 'test.off', run: (job) => void ran.push(`again ${String(job.payload)}`) });
    await until(() => ran.length === 2, 5000, 'second ran');
    expect(ran).toEqual([1, 'again 2']);
  });

  it('a failing Redis is reported as SS_ERR_SCALE_REDIS_UNAVAILABLE, with the client error as cause', async () => {
    const client = connect(server.url);
    const jobs = world.registry({ redis: client });
    await client.ping();
    client.disconnect();
    for (const call of [() => jobs.enqueue('test.x', {}), () => jobs.get('some-id'), () => jobs.list(), () => jobs.cancel('some-id'), () => jobs.prune(1)]) {
      const error = await call().then(() => undefined, (e: unknown) => e);
      expect(error).toMatchObject({ code: 'SS_ERR_SCALE_REDIS_UNAVAILABLE', details: { operation: expect.stringMatching(/^job /) } });
      expect((error as Error).cause).toBeInstanceOf(Error);
    }
    // Coded errors of the contract still come through as they are.
    await expect(jobs.enqueue('Bad type', {})).rejects.toMatchObject({ code: 'SS_ERR_JOB_INVALID' });
  });

  it('refuses bad types, options, duplicate handlers, non-JSON payloads and bad registry options with coded errors', async () => {
    const jobs = world.registry();
    jobs.register({ type: 'test.dup', run: () => {} });
    expect(() => jobs.register({ type: 'test.dup', run: () => {} })).toThrow(expect.objectContaining({ code: 'SS_ERR_JOB_HANDLER_DUPLICATE' }));
    for (const bad of [{ type: 'nodot', run: () => {} }, { type: 'test.c', concurrency: 0, run: () => {} }, { type: 'test.b', backoff: { factor: 0.5 }, run: () => {} }, { type: 'test.norun' }]) {
      expect(() => jobs.register(bad as never)).toThrow(expect.objectContaining({ code: 'SS_ERR_JOB_INVALID' }));
    }
    await expect(jobs.enqueue('Bad type', {})).rejects.toMatchObject({ code: 'SS_ERR_JOB_INVALID' });
    await expect(jobs.enqueue('test.x', {}, { maxAttempts: 0 })).rejects.toMatchObject({ code: 'SS_ERR_JOB_INVALID' });
    await expect(jobs.enqueue('test.x', {}, { delayMs: -1 })).rejects.toMatchObject({ code: 'SS_ERR_JOB_INVALID' });
    await expect(jobs.enqueue('test.x', {}, { creatorId: '' })).rejects.toMatchObject({ code: 'SS_ERR_JOB_INVALID' });
    await expect(jobs.enqueue('test.x', { f: () => 1 })).rejects.toMatchObject({ code: 'SS_ERR_NOT_JSON' });
    expect(await jobs.list()).toEqual([]);
    const prefixed = new Redis(server.url, { keyPrefix: 'x:', lazyConnect: true });
    for (const bad of [{ leaseMs: 50 }, { owner: '' }, { concurrencyScope: 'galaxy' as never }, { redis: {} as never }, { redis: prefixed }, { prefix: 'a{b}:' }]) {
      expect(() => world.registry(bad)).toThrow(expect.objectContaining({ code: 'SS_ERR_SCALE_JOBS_INVALID' }));
    }
    prefixed.disconnect();
  });
});
