import type { ChatMessage, ChatRole, StateStore } from '@streamsuites/kernel';
import { chatMessage } from '@streamsuites/kernel/testing';

/** chatMessage() for creator alice at time 0, with the text first and `user` / `roles` shortcuts. */
export function chat(text: string, overrides: Partial<ChatMessage> & { user?: string; roles?: ChatRole[] } = {}): ChatMessage {
  const { user = 'viewer', roles = [], ...rest } = overrides;
  return chatMessage({ receivedAt: 0, text, author: { id: `id-${user}`, login: user, roles }, ...rest });
}

/** A fake clock the test moves by hand. */
export function fakeClock(start = Date.UTC(2026, 10, 27, 12)) {
  let now = start;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

/**
 * A minimal StateStore over a Map (JSON copies), to share one store between
 * two kernels: key-value only. The table methods are there (stateStoreRef's
 * contract lists them) but refuse to run.
 */
export class MapStateStore implements StateStore {
  readonly data = new Map<string, string>();
  async get<T>(namespace: string, key: string): Promise<T | undefined> {
    const raw = this.data.get(`${namespace}\u0000${key}`);
    return raw === undefined ? undefined : (JSON.parse(raw) as T);
  }
  async set(namespace: string, key: string, value: unknown): Promise<void> {
    this.data.set(`${namespace}\u0000${key}`, JSON.stringify(value));
  }
  async delete(namespace: string, key: string): Promise<boolean> {
    return this.data.delete(`${namespace}\u0000${key}`);
  }
  async entries<T>(namespace: string): Promise<[string, T][]> {
    const prefix = `${namespace}\u0000`;
    return [...this.data]
      .filter(([k]) => k.startsWith(prefix))
      .map(([k, v]) => [k.slice(prefix.length), JSON.parse(v) as T]);
  }
  append(): Promise<number> {
    return tablesUnsupported();
  }
  read(): Promise<never> {
    return tablesUnsupported();
  }
  lastSeq(): Promise<number> {
    return tablesUnsupported();
  }
  trim(): Promise<number> {
    return tablesUnsupported();
  }
}

function tablesUnsupported(): Promise<never> {
  return Promise.reject(new Error('MapStateStore keeps key-value state only'));
}
