import type { ServiceRef } from '../service-ref.js';
import { createServiceRef } from '../service-ref.js';

/**
 * Durable key/value state, namespaced by owner (`triggers.cooldowns`,
 * `youtube.pageTokens`...). Values are JSON. Implementations: in-memory
 * (kernel) and SQLite (@streamsuites/store-sqlite).
 */
export interface StateStore {
  get<T = unknown>(namespace: string, key: string): Promise<T | undefined>;
  set(namespace: string, key: string, value: unknown): Promise<void>;
  delete(namespace: string, key: string): Promise<boolean>;
  entries<T = unknown>(namespace: string): Promise<[key: string, value: T][]>;
}

export const stateStoreRef: ServiceRef<StateStore, 'root'> = createServiceRef<StateStore>({
  id: 'kernel.state',
  scope: 'root',
});
