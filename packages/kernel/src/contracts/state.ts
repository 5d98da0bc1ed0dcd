import type { ServiceRef } from '../service-ref.js';
import { createServiceRef } from '../service-ref.js';

/** A plain JSON value: what the state store and the job queue persist. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** One row of an append-only table. */
export interface TableRow<T = unknown> {
  /** Position in the table: 1, 2, 3... per table, never reused (not even after a trim). */
  seq: number;
  record: T;
}

export interface ReadOptions {
  /** Only rows with a larger `seq` (default 0: from the start). Pass the last seq you saw to page. */
  afterSeq?: number;
  /** At most this many rows (default: all). */
  limit?: number;
}

/**
 * Which rows `trim` removes. `keepLast: 100` keeps the newest 100 rows;
 * `beforeSeq: 50` removes rows 1-49. With both, a row is removed when either
 * says so.
 */
export interface TrimOptions {
  keepLast?: number;
  beforeSeq?: number;
}

/**
 * Durable process state. Two shapes, both holding JSON:
 *
 * - **key-value**, namespaced by owner (`kernel.quotas`, `kernel.cooldowns`,
 *   `youtube.pageTokens`...): `get`, `set`, `delete`, `entries`;
 * - **append-only tables** (`chat.log`, `clips.history`...): `append` returns
 *   the row's sequence number, `read` pages through rows in order, `trim`
 *   drops old rows.
 *
 * Values are deep-copied in and out: mutating what you passed to `set`, or
 * what `get` returned, never changes the store. Only plain JSON is accepted
 * (objects, arrays, strings, finite numbers, booleans, null); a function,
 * BigInt, symbol, cycle, NaN, Date, Map or class instance is refused with
 * `SS_ERR_NOT_JSON` naming the path, so what you read back is exactly what
 * you wrote. `undefined` object properties are dropped, as JSON.stringify does.
 *
 * Names: a namespace or table is 1-128 characters, dot-separated segments of
 * `a-z A-Z 0-9 _ -` starting with a lowercase letter (`kernel.quotas`); a key is
 * any string of 1-1024 characters without lone surrogates (NUL is
 * allowed, e.g. as a separator). Bad names
 * and options are `SS_ERR_STATE_ARGUMENT`; any use after the store closed
 * (kernel stopped) is `SS_ERR_STORE_CLOSED`.
 *
 * Every method is async so that any backend fits; each call is atomic on its
 * own. Implementations: in memory (the kernel default) and SQLite
 * (@streamsuites/store-sqlite, durable across restarts and crashes).
 */
export interface StateStore {
  /** The value under `key`, or undefined. */
  get<T = unknown>(namespace: string, key: string): Promise<T | undefined>;
  /** Stores `value` (a JSON value) under `key`, replacing any previous value. */
  set(namespace: string, key: string, value: unknown): Promise<void>;
  /** Removes `key`; true when it existed. */
  delete(namespace: string, key: string): Promise<boolean>;
  /** Every entry of a namespace, sorted by key (by code point, the same in every backend). */
  entries<T = unknown>(namespace: string): Promise<[key: string, value: T][]>;

  /** Appends a JSON record to `table` and returns its sequence number. */
  append(table: string, record: unknown): Promise<number>;
  /** Rows in sequence order. */
  read<T = unknown>(table: string, options?: ReadOptions): Promise<TableRow<T>[]>;
  /** The sequence number of the last row ever appended (0 if none), even if it was trimmed. */
  lastSeq(table: string): Promise<number>;
  /** Removes old rows; returns how many were removed. Sequence numbers are never reused. */
  trim(table: string, options: TrimOptions): Promise<number>;
}

export const stateStoreRef: ServiceRef<StateStore, 'root'> = createServiceRef<StateStore>({
  id: 'kernel.state',
  methods: ['get', 'set', 'delete', 'entries', 'append', 'read', 'lastSeq', 'trim'],
  scope: 'root',
});
