import type { ReadOptions, StateStore, TableRow, TrimOptions } from '@streamsuites/kernel';
import { SS_ERR_STATE_ARGUMENT, SS_ERR_STORE_CLOSED } from './errors.js';
import { decodeJson, encodeJson } from './json.js';
import { checkInteger, checkKey, checkName } from './names.js';

/**
 * What a state backend implements. Synchronous (both backends are: memory,
 * and better-sqlite3), each call atomic; names arrive validated and values as
 * JSON text, so a backend only moves strings. The StateStore semantics
 * (validation, JSON, copies, closing) live once, in {@link StorageStateStore}.
 */
export interface StateStorage {
  get(namespace: string, key: string): string | undefined;
  set(namespace: string, key: string, json: string): void;
  delete(namespace: string, key: string): boolean;
  /** Sorted by key in code point order (UTF-8 byte order, SQLite's BINARY collation). */
  entries(namespace: string): [key: string, json: string][];
  /** Stores the row and returns its seq: the table's last seq + 1 (never reused). */
  append(table: string, json: string): number;
  /** Rows with seq > afterSeq, ascending, at most `limit`. */
  read(table: string, afterSeq: number, limit: number | undefined): { seq: number; json: string }[];
  lastSeq(table: string): number;
  /** Removes rows with seq < beforeSeq, or beyond the newest `keepLast`; returns how many. */
  trim(table: string, keepLast: number | undefined, beforeSeq: number | undefined): number;
}

/**
 * The StateStore contract over a {@link StateStorage}: validation, JSON
 * encoding and copies, and closing. Backends subclass or wrap it.
 */
export class StorageStateStore implements StateStore {
  readonly #storage: StateStorage;
  readonly #name: string;
  #closed = false;

  constructor(storage: StateStorage, name = 'The state store') {
    this.#storage = storage;
    this.#name = name;
  }

  async get<T = unknown>(namespace: string, key: string): Promise<T | undefined> {
    const storage = this.#open();
    checkName('namespace', namespace);
    checkKey(key);
    const json = storage.get(namespace, key);
    return json === undefined ? undefined : decodeJson<T>(json);
  }

  async set(namespace: string, key: string, value: unknown): Promise<void> {
    const storage = this.#open();
    checkName('namespace', namespace);
    checkKey(key);
    storage.set(namespace, key, encodeJson(value, `The value of ${namespace} ${JSON.stringify(key)}`));
  }

  async delete(namespace: string, key: string): Promise<boolean> {
    const storage = this.#open();
    checkName('namespace', namespace);
    checkKey(key);
    return storage.delete(namespace, key);
  }

  async entries<T = unknown>(namespace: string): Promise<[key: string, value: T][]> {
    const storage = this.#open();
    checkName('namespace', namespace);
    return storage.entries(namespace).map(([key, json]) => [key, decodeJson<T>(json)]);
  }

  async append(table: string, record: unknown): Promise<number> {
    const storage = this.#open();
    checkName('table', table);
    return storage.append(table, encodeJson(record, `The record appended to ${table}`));
  }

  async read<T = unknown>(table: string, options: ReadOptions = {}): Promise<TableRow<T>[]> {
    const storage = this.#open();
    checkName('table', table);
    checkInteger('read() afterSeq', options.afterSeq, 0);
    checkInteger('read() limit', options.limit, 0);
    return storage.read(table, options.afterSeq ?? 0, options.limit).map(({ seq, json }) => ({ seq, record: decodeJson<T>(json) }));
  }

  async lastSeq(table: string): Promise<number> {
    const storage = this.#open();
    checkName('table', table);
    return storage.lastSeq(table);
  }

  async trim(table: string, options: TrimOptions): Promise<number> {
    const storage = this.#open();
    checkName('table', table);
    checkInteger('trim() keepLast', options?.keepLast, 0);
    checkInteger('trim() beforeSeq', options?.beforeSeq, 0);
    if (options?.keepLast === undefined && options?.beforeSeq === undefined) {
      throw new SS_ERR_STATE_ARGUMENT('trim() options', 'give keepLast, beforeSeq or both');
    }
    return storage.trim(table, options.keepLast, options.beforeSeq);
  }

  /** Later calls reject with SS_ERR_STORE_CLOSED. The owner closes the backend itself. */
  close(): void {
    this.#closed = true;
  }

  #open(): StateStorage {
    if (this.#closed) throw new SS_ERR_STORE_CLOSED(this.#name);
    return this.#storage;
  }
}
