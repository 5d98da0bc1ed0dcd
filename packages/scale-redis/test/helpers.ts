import { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { startLocalRedis, type LocalRedis } from '../src/testing.js';

/** Resolves once predicate() holds, polling every 10 ms; rejects after timeoutMs (waiting without fixed sleeps). */
export async function until(predicate: () => boolean | Promise<boolean>, timeoutMs: number, message: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${message}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

let next = 0;
/** A key prefix of its own for each test, so tests sharing one server never see each other's keys. */
export function uniquePrefix(): string {
  return `t${process.pid}-${next++}:`;
}

export function connect(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: 1 });
}

/**
 * Starts a redis-server for the test file before its tests (and a client on
 * it, handed to `ready`), and stops both after them.
 */
export function useLocalRedis(ready: (server: LocalRedis, redis: Redis) => void): void {
  let server: LocalRedis | undefined;
  let redis: Redis | undefined;
  beforeAll(async () => {
    server = await startLocalRedis();
    redis = connect(server.url);
    ready(server, redis);
  });
  afterAll(async () => {
    redis?.disconnect();
    await server?.stop();
  });
}
