/**
 * Several "processes" on one queue: registries on separate Redis
 * connections (and one real child process, SIGKILLed), sharing a prefix.
 */
import { fileURLToPath } from 'node:url';
import { EventBus, type JobRunContext, type JobStateEvent } from '@streamsuites/kernel';
import { spawnScript } from '@streamsuites/kernel/testing';
import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RedisJobRegistry } from '../src/jobs/registry.js';
import type { LocalRedis } from '../src/testing.js';
import { deferred, jobWorld, type Gate } from './fixtures/job-worker-kit.js';
import { connect, until, useLocalRedis } from './helpers.js';

const LEASE_MS = 600;

let server: LocalRedis;
let redis: Redis;
const clients: Redis[] = [];
useLocalRedis((s, r) => {
  server = s;
  redis = r;
});

const world = jobWorld(() => redis);
beforeEach(() => world.reset());
afterEach(async () => {
  await world.closeAll();
  for (const client of clients.splice(0)) client.disconnect();
});

/** A registry on a connection of its own, with its own bus (what another process would have). */
async function proc(owner: string, options: { leaseMs?: number; concurrencyScope?: 'cluster' | 'process' } = {}) {
  const client = connect(server.url);
  clients.push(client);
  const bus = new EventBus();
  const events: JobStateEvent[] = [];
  bus.on('job.state', (e) => void events.push(e));
  const jobs = world.registry({ redis: client, owner, bus, leaseMs: options.leaseMs ?? LEASE_MS, ...(options.concurrencyScope ? { concurrencyScope: options.concurrencyScope } : {}) });
  await jobs.ready();
  return { jobs, events, client };
}

const runningKey = () => `${world.prefix}{jobs}:running`;
const stateOf = async (jobs: RedisJobRegistry, id: string) => (await jobs.get(id))?.state;

describe('RedisJobRegistry across processes', () => {
  it('a job enqueued by A runs on B, the only one with a handler; each process emits the changes it made', async () => {
    const a = await proc('proc-a');
    const b = await proc('proc-b');
    const ranBy: string[] = [];
    b.jobs.register({ type: 'test.remote', run: (job) => (ranBy.push('b'), { doubled: (job.payload as number) * 2 }) });
    const job = await a.jobs.enqueue('test.remote', 21, { creatorId: 'alice' });
    await until(async () => (await stateOf(a.jobs, job.id)) === 'succeeded', 5000, 'B to run the job');
    expect(await a.jobs.get(job.id)).toMatchObject({ attempts: 1, result: { doubled: 42 } });
    expect(ranBy).toEqual(['b']);
    expect(await redis.hget(`${world.prefix}{jobs}:job:${job.id}`, 'owner')).toBe('proc-b');
    expect(a.events.map((e) => e.state)).toEqual(['queued']);
    expect(b.events.map((e) => [e.previous, e.state])).toEqual([
      ['queued', 'running'],
      ['running', 'succeeded'],
    ]);
  });

  it('a type\'s concurrency holds across processes: B starts nothing while A runs the limit', async () => {
    const a = await proc('proc-a');
    const b = await proc('proc-b');
    const started: string[] = [];
    const gates = new Map<number, Gate>();
    let running = 0;
    let peak = 0;
    const handler = (who: string) => ({
      type: 'test.shared',
      concurrency: 2,
      run: async (job: { payload: unknown }) => {
        const n = job.payload as number;
        started.push(`${who}:${n}`);
        peak = Math.max(peak, ++running);
        const gate = deferred();
        gates.set(n, gate);
        await gate.promise;
        running--;
      },
    });
    a.jobs.register(handler('a'));
    await a.jobs.enqueue('test.shared', 1);
    await a.jobs.enqueue('test.shared', 2);
    await until(() => started.length === 2, 5000, 'A to run two');
    b.jobs.register(handler('b'));
    const probes: string[] = [];
    b.jobs.register({ type: 'test.probe', run: () => void probes.push('probe') });
    await a.jobs.enqueue('test.shared', 3);
    await a.jobs.enqueue('test.probe', 0);
    // B's pump tries test.shared before test.probe: once the probe ran, B has seen job 3 and left it.
    await until(() => probes.length === 1, 5000, 'B to run the probe');
    expect(started).toEqual(['a:1', 'a:2']);
    expect(await redis.scard(`${world.prefix}{jobs}:active:test.shared`)).toBe(2);
    gates.get(1)!.resolve();
    await until(() => started.length === 3, 5000, 'job 3 to start once a slot is free');
    gates.get(2)!.resolve();
    gates.get(3)!.resolve();
    await until(async () => (await a.jobs.list({ type: 'test.shared', state: 'succeeded' })).length === 3, 5000, 'all done');
    expect(peak).toBe(2);
  });

  it("concurrencyScope 'process': each process runs up to the type's concurrency", async () => {
    const a = await proc('proc-a', { concurrencyScope: 'process' });
    const b = await proc('proc-b', { concurrencyScope: 'process' });
    const started: string[] = [];
    const gates: Gate[] = [];
    const handler = (who: string) => ({
      type: 'test.local',
      run: async () => {
        started.push(who);
        const gate = deferred();
        gates.push(gate);
        await gate.promise;
      },
    });
    a.jobs.register(handler('a'));
    b.jobs.register(handler('b'));
    for (let n = 0; n < 3; n++) await a.jobs.enqueue('test.local', n);
    await until(() => started.length === 2, 5000, 'one job on each process');
    expect(started.sort()).toEqual(['a', 'b']);
    for (let i = 0; i < 3; i++) {
      await until(() => gates.length > i, 5000, `job ${i} started`);
      gates[i]!.resolve();
    }
    await until(async () => (await a.jobs.list({ state: 'succeeded' })).length === 3, 5000, 'all done');
  });

  it('perCreatorConcurrency holds across processes', async () => {
    const a = await proc('proc-a');
    const b = await proc('proc-b');
    const started: string[] = [];
    const gates: Gate[] = [];
    const run = (who: string) => async (job: { creatorId?: string; payload: unknown }) => {
      started.push(`${who}:${job.creatorId}:${String(job.payload)}`);
      const gate = deferred();
      gates.push(gate);
      await gate.promise;
    };
    a.jobs.register({ type: 'test.clip', concurrency: 1, perCreatorConcurrency: 1, run: run('a') });
    await a.jobs.enqueue('test.clip', 1, { creatorId: 'alice' });
    await until(() => started.length === 1, 5000, 'A to run alice:1');
    b.jobs.register({ type: 'test.clip', concurrency: 3, perCreatorConcurrency: 1, run: run('b') });
    await a.jobs.enqueue('test.clip', 2, { creatorId: 'alice' });
    await a.jobs.enqueue('test.clip', 3, { creatorId: 'bob' });
    // Claims go in queue order: had B ignored alice's job on A, it would have started alice:2 first.
    await until(() => started.length === 2, 5000, 'B to run bob:3');
    expect(started).toEqual(['a:alice:1', 'b:bob:3']);
    gates[0]!.resolve();
    await until(() => started.length === 3, 5000, 'alice:2 once alice:1 ended');
    expect(started[2]).toMatch(/^[ab]:alice:2$/);
    for (const gate of gates) gate.resolve();
  });

  it('cancel on A aborts the handler running on B at once (pub/sub), and B\'s late end changes nothing', async () => {
    // Leases of a minute: B's renewal round (every 20 s) cannot be what tells it, within the 5 s wait.
    const a = await proc('proc-a', { leaseMs: 60_000 });
    const b = await proc('proc-b', { leaseMs: 60_000 });
    const contexts: JobRunContext[] = [];
    const gate = deferred<string>();
    b.jobs.register({ type: 'test.long', run: (_job, ctx) => (contexts.push(ctx), gate.promise) });
    const job = await a.jobs.enqueue('test.long', {});
    await until(() => contexts.length === 1, 5000, 'B to start');
    expect(await a.jobs.cancel(job.id)).toBe(true);
    await until(() => contexts[0]!.signal.aborted, 5000, 'B to abort');
    expect(contexts[0]!.signal.reason).toMatchObject({ code: 'SS_ERR_JOB_CANCELLED' });
    gate.resolve('too late');
    await until(async () => (await redis.zcard(runningKey())) === 0, 5000, 'running index empty');
    expect(await a.jobs.get(job.id)).toMatchObject({ state: 'cancelled', attempts: 1 });
    expect((await a.jobs.get(job.id))!.result).toBeUndefined();
    expect(a.events.map((e) => e.state)).toEqual(['queued', 'cancelled']);
    expect(b.events.map((e) => e.state)).toEqual(['running']);
  });

  it('a renewal tells the running process when its job was cancelled or taken while a wake-up message was lost', async () => {
    const a = await proc('proc-a');
    const b = await proc('proc-b');
    const contexts = new Map<unknown, JobRunContext>(); // the first attempt of each
    b.jobs.register({
      type: 'test.renew',
      concurrency: 2,
      run: (job, ctx) => (contexts.set(ctx.attempt === 1 ? job.payload : `${String(job.payload)} again`, ctx), new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason)))),
    });
    const cancelled = await a.jobs.enqueue('test.renew', 'cancelled');
    const taken = await a.jobs.enqueue('test.renew', 'taken');
    await until(() => contexts.size === 2, 5000, 'B to run both');
    // Changes written straight to Redis, with no pub/sub message: only B's next renewal can tell.
    const row1 = (await a.jobs.store.get(cancelled.id))!;
    expect(await a.jobs.store.transition({ ...row1, state: 'cancelled', finishedAt: Date.now() }, row1)).toBe(true);
    const row2 = (await a.jobs.store.get(taken.id))!;
    expect(await a.jobs.store.transition({ ...row2, state: 'queued' }, row2)).toBe(true);
    await until(() => contexts.get('cancelled')!.signal.aborted && contexts.get('taken')!.signal.aborted, 5000, 'B to abort both');
    expect(contexts.get('cancelled')!.signal.reason).toMatchObject({ code: 'SS_ERR_JOB_CANCELLED' });
    expect(contexts.get('taken')!.signal.reason).toMatchObject({ code: 'SS_ERR_JOB_INTERRUPTED' });
    expect(await a.jobs.get(cancelled.id)).toMatchObject({ state: 'cancelled', attempts: 1 });
    // B's aborted attempt wrote nothing: the job ran again (by B, the only handler) as attempt 2.
    await until(() => contexts.has('taken again'), 5000, 'the taken job to run again');
    expect(await a.jobs.get(taken.id)).toMatchObject({ state: 'running', attempts: 2 });
    expect(contexts.has('cancelled again')).toBe(false);
  });

  it('a live process keeps renewing its job; cut off from Redis it aborts the job before another takes it over', async () => {
    const a = await proc('proc-a');
    const b = await proc('proc-b');
    const contexts: JobRunContext[] = [];
    let abortedAt: number | undefined;
    a.jobs.register({
      type: 'test.keep',
      run: (_job, ctx) => {
        contexts.push(ctx);
        return new Promise((_, reject) => ctx.signal.addEventListener('abort', () => ((abortedAt = performance.now()), reject(ctx.signal.reason))));
      },
    });
    const job = await a.jobs.enqueue('test.keep', {});
    await until(() => contexts.length === 1, 5000, 'A to start');
    const firstExpiry = Number(await redis.zscore(runningKey(), job.id));
    const ranOnB: { attempt: number; at: number }[] = [];
    b.jobs.register({ type: 'test.keep', run: (_job, ctx) => void ranOnB.push({ attempt: ctx.attempt, at: performance.now() }) });
    // Renewals push the lease well past the first one; B's rounds (every leaseMs / 3) leave the job alone.
    await until(async () => Number(await redis.zscore(runningKey(), job.id)) > firstExpiry + LEASE_MS, 5000, 'A to renew twice');
    expect(await a.jobs.get(job.id)).toMatchObject({ state: 'running', attempts: 1 });
    expect(ranOnB).toEqual([]);

    // A loses Redis (a partition): it stops the job after leaseMs / 2 without renewal; B takes it once the lease expired.
    a.client.disconnect();
    await until(() => ranOnB.length === 1, 5000, 'B to take the job over');
    expect(abortedAt).toBeDefined();
    expect(abortedAt!).toBeLessThan(ranOnB[0]!.at);
    expect(contexts[0]!.signal.reason).toMatchObject({ code: 'SS_ERR_JOB_INTERRUPTED' });
    expect(String((contexts[0]!.signal.reason as Error).message)).toContain('could not be renewed');
    await until(async () => (await stateOf(b.jobs, job.id)) === 'succeeded', 5000, 'B to finish');
    expect(ranOnB.map((r) => r.attempt)).toEqual([2]);
    expect(b.events.filter((e) => e.jobId === job.id).map((e) => [e.previous, e.state, e.errorCode])).toEqual([
      ['running', 'queued', 'SS_ERR_JOB_INTERRUPTED'],
      ['queued', 'running', 'SS_ERR_JOB_INTERRUPTED'],
      ['running', 'succeeded', undefined],
    ]);
    expect(a.events.filter((e) => e.jobId === job.id).map((e) => e.state)).toEqual(['queued', 'running']);
  });

  it('a job whose lease expired on its last attempt fails with SS_ERR_JOB_INTERRUPTED', async () => {
    const a = await proc('proc-a');
    const b = await proc('proc-b');
    const contexts: JobRunContext[] = [];
    a.jobs.register({
      type: 'test.once',
      run: (_job, ctx) => (contexts.push(ctx), new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason)))),
    });
    const job = await a.jobs.enqueue('test.once', {}, { maxAttempts: 1 });
    await until(() => contexts.length === 1, 5000, 'A to start');
    a.client.disconnect();
    await until(async () => (await stateOf(b.jobs, job.id)) === 'failed', 5000, 'the job to fail');
    const failed = (await b.jobs.get(job.id))!;
    expect(failed).toMatchObject({ attempts: 1, errorCode: 'SS_ERR_JOB_INTERRUPTED' });
    expect(failed.error).toContain('proc-a');
    expect(failed.error).toContain('attempt 1 of 1');
    expect(contexts[0]!.signal.aborted).toBe(true);
    expect(b.events.map((e) => [e.previous, e.state])).toEqual([['running', 'failed']]);
  });

  it('a process SIGKILLed mid-job: another takes the job over within the lease and runs it to success, never both at once', async () => {
    const parent = await proc('proc-live');
    const prefix = world.prefix;
    const worker = spawnScript(fileURLToPath(new URL('./fixtures/job-worker.ts', import.meta.url)), [server.url, prefix, 'proc-dead', String(LEASE_MS), 'test.crash'], {
      env: { PATH: process.env.PATH ?? '' },
    });
    let exitedAt: number | undefined;
    void worker.exited.then(() => (exitedAt = Date.now()));
    try {
      await worker.until('ready');
      const job = await parent.jobs.enqueue('test.crash', { clip: 7 }, { creatorId: 'alice' });
      await worker.until(`running ${job.id} 1`);
      expect(await redis.hget(`${prefix}{jobs}:job:${job.id}`, 'owner')).toBe('proc-dead');
      const runs: { at: number; attempt: number; workerExited: boolean }[] = [];
      parent.jobs.register({ type: 'test.crash', run: (_job, ctx) => void runs.push({ at: Date.now(), attempt: ctx.attempt, workerExited: exitedAt !== undefined }) });
      worker.child.kill('SIGKILL');
      await worker.exited;
      const killedAt = Date.now();
      await until(async () => (await stateOf(parent.jobs, job.id)) === 'succeeded', 5000, 'the survivor to finish the job');
      // Lease expiry (leaseMs) plus one round (leaseMs / 3); the rest is slack for a loaded 2-core machine.
      expect(runs[0]!.at - killedAt).toBeLessThan(LEASE_MS + LEASE_MS / 3 + 2000);
      expect(runs).toEqual([{ at: runs[0]!.at, attempt: 2, workerExited: true }]);
      expect(worker.stdout().match(/running /g)).toHaveLength(1);
      expect(await parent.jobs.get(job.id)).toMatchObject({ state: 'succeeded', attempts: 2, creatorId: 'alice' });
      const interrupted = parent.events.find((e) => e.jobId === job.id && e.previous === 'running');
      expect(interrupted).toMatchObject({ state: 'queued', attempts: 1, errorCode: 'SS_ERR_JOB_INTERRUPTED' });
      expect(interrupted!.error).toContain('proc-dead');
      expect(await redis.zcard(runningKey())).toBe(0);
    } finally {
      if (exitedAt === undefined) worker.child.kill('SIGKILL');
    }
  });
});
