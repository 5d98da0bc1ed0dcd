import type { StateStore } from '@streamsuites/kernel';

/**
 * A tiny key-value store for the quota tests, kept for fault injection (the
 * restart test also runs over the default MemoryStateStore). Values are JSON deep copies,
 * every call yields to the event loop's microtasks like a real async store,
 * `writeTicks(n)` sets how many microtasks the n-th write takes (so writes
 * can complete out of order), and `failWrites` makes `set` reject.
 */
export class TestStateStore implements Pick<StateStore, 'get' | 'set' | 'delete' | 'entries'> {
  readonly data = new Map<string, string>();
  writes = 0;
  failWrites: Error | undefined;
  writeTicks: ((n: number) => number) | undefined;
  #started = 0;

  async get<T = unknown>(namespace: string, key: string): Promise<T | undefined> {
    await tick();
    const raw = this.data.get(id(namespace, key));
    return raw === undefined ? undefined : (JSON.parse(raw) as T);
  }

  async set(namespace: string, key: string, value: unknown): Promise<void> {
    const json = JSON.stringify(value);
    await tick(this.writeTicks?.(this.#started++) ?? 3);
    if (this.failWrites !== undefined) throw this.failWrites;
    this.writes += 1;
    this.data.set(id(namespace, key), json);
  }

  async delete(namespace: string, key: string): Promise<boolean> {
    await tick();
    return this.data.delete(id(namespace, key));
  }

  async entries<T = unknown>(namespace: string): Promise<[key: string, value: T][]> {
    await tick();
    const prefix = `${namespace}\u0000`;
    return [...this.data]
      .filter(([k]) => k.startsWith(prefix))
      .map(([k, v]) => [k.slice(prefix.length), JSON.parse(v) as T]);
  }

  /** The stored value, read synchronously (for assertions). */
  peek<T = unknown>(namespace: string, key: string): T | undefined {
    const raw = this.data.get(id(namespace, key));
    return raw === undefined ? undefined : (JSON.parse(raw) as T);
  }
}

const id = (namespace: string, key: string) => `${namespace}\u0000${key}`;

async function tick(count = 3): Promise<void> {
  for (let i = 0; i < count; i++) await Promise.resolve();
}
