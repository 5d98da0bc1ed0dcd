import type { StateStorage } from './storage.js';
import { StorageStateStore } from './storage.js';

interface MemoryTable {
  lastSeq: number;
  /** Ascending by seq. */
  rows: { seq: number; json: string }[];
}

/** A StateStorage in Maps. Values are kept as JSON text: nothing the caller holds can alias them. */
export class MemoryStateStorage implements StateStorage {
  readonly #values = new Map<string, Map<string, string>>();
  readonly #tables = new Map<string, MemoryTable>();

  get(namespace: string, key: string): string | undefined {
    return this.#values.get(namespace)?.get(key);
  }

  set(namespace: string, key: string, json: string): void {
    let values = this.#values.get(namespace);
    if (values === undefined) this.#values.set(namespace, (values = new Map()));
    values.set(key, json);
  }

  delete(namespace: string, key: string): boolean {
    const values = this.#values.get(namespace);
    const deleted = values?.delete(key) ?? false;
    if (values?.size === 0) this.#values.delete(namespace);
    return deleted;
  }

  entries(namespace: string): [string, string][] {
    return [...(this.#values.get(namespace) ?? [])].sort(([a], [b]) => compareCodePoints(a, b));
  }

  append(table: string, json: string): number {
    let entry = this.#tables.get(table);
    if (entry === undefined) this.#tables.set(table, (entry = { lastSeq: 0, rows: [] }));
    const seq = ++entry.lastSeq;
    entry.rows.push({ seq, json });
    return seq;
  }

  read(table: string, afterSeq: number, limit: number | undefined): { seq: number; json: string }[] {
    const rows = this.#tables.get(table)?.rows ?? [];
    const start = firstAfter(rows, afterSeq);
    return rows.slice(start, limit === undefined ? undefined : start + limit).map((row) => ({ ...row }));
  }

  lastSeq(table: string): number {
    return this.#tables.get(table)?.lastSeq ?? 0;
  }

  trim(table: string, keepLast: number | undefined, beforeSeq: number | undefined): number {
    const entry = this.#tables.get(table);
    if (entry === undefined) return 0;
    let drop = keepLast === undefined ? 0 : Math.max(0, entry.rows.length - keepLast);
    if (beforeSeq !== undefined) drop = Math.max(drop, firstAfter(entry.rows, beforeSeq - 1));
    entry.rows.splice(0, drop);
    return drop;
  }
}

/**
 * The kernel's default state store: everything in memory, lost when the
 * process exits. Provide `stateStoreRef` from @streamsuites/store-sqlite for
 * state that survives restarts.
 */
export class MemoryStateStore extends StorageStateStore {
  constructor() {
    super(new MemoryStateStorage(), 'The in-memory state store');
  }
}

/** Index of the first row with seq > afterSeq (binary search: rows are ascending). */
function firstAfter(rows: readonly { seq: number }[], afterSeq: number): number {
  let low = 0;
  let high = rows.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (rows[mid]!.seq <= afterSeq) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Code point order, which is also UTF-8 byte order (SQLite's BINARY collation). */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Only surrogates (0xD800-0xDFFF) sort differently in UTF-16 and code point order.
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}
