/**
 * Shared pieces of the JobRegistry contract suite (job-queue.ts and
 * job-queue-recovery.ts): the backend a store plugs in, the per-test
 * context, and helpers for fake time.
 */
import { afterEach, beforeEach, vi } from 'vitest';
import { EventBus, SecretRegistry, type JobStateEvent } from '@streamsuites/kernel';
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

export type Gate = ReturnType<typeof deferred<void>>;

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

export const SECRET = 'sk-live-0123456789';

/** What every test of the suite works with; fresh for each test. */
export interface SuiteContext {
  instance: JobBackendInstance;
  bus: EventBus;
  events: JobStateEvent[];
  secrets: SecretRegistry;
  newQueue(storage: JobStorage): JobQueue;
  statesOf(jobId: string): JobStateEvent['state'][];
}

/** Registers the suite's beforeEach/afterEach (fake timers, a fresh backend and bus) in the current describe. */
export function suiteContext(backend: JobBackend): SuiteContext {
  const queues: JobQueue[] = [];
  const secrets = new SecretRegistry();
  secrets.add(SECRET);
  const suite: SuiteContext = {
    instance: undefined as unknown as JobBackendInstance,
    bus: new EventBus(),
    events: [],
    secrets,
    newQueue(storage) {
      const queue = new JobQueue({ storage, clock: { now: () => Date.now() }, bus: suite.bus, redact: (t) => secrets.redactString(t), shutdownGraceMs: 1000 });
      queues.push(queue);
      return queue;
    },
    statesOf: (jobId) => suite.events.filter((e) => e.jobId === jobId).map((e) => e.state),
  };
  beforeEach(async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'], now: 1_700_000_000_000 });
    suite.instance = await backend.open();
    suite.bus = new EventBus();
    suite.events = [];
    suite.bus.on('job.state', (e) => void suite.events.push(e));
  });
  afterEach(async () => {
    const stopping = Promise.all(queues.splice(0).map((q) => q.stop()));
    await vi.advanceTimersByTimeAsync(2000);
    await stopping;
    await suite.instance.close();
    vi.useRealTimers();
  });
  return suite;
}
