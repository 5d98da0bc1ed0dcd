import type { StateStorage } from '@streamsuites/defaults';
import type { SqliteDatabase } from './database.js';

/** The kernel's StateStorage on tables `kv`, `log_tables` and `log_rows` (migration 1). */
export class SqliteStateStorage implements StateStorage {
  readonly #db: SqliteDatabase;
  readonly #get;
  readonly #set;
  readonly #delete;
  readonly #entries;
  readonly #nextSeq;
  readonly #insertRow;
  readonly #read;
  readonly #lastSeq;
  readonly #trimKeepLast;
  readonly #trimBefore;

  constructor(db: SqliteDatabase) {
    this.#db = db;
    this.#get = db.prepare('SELECT value FROM kv WHERE namespace = ? AND key = ?').pluck();
    this.#set = db.prepare(
      'INSERT INTO kv (namespace, key, value) VALUES (?, ?, ?) ON CONFLICT (namespace, key) DO UPDATE SET value = excluded.value',
    );
    this.#delete = db.prepare('DELETE FROM kv WHERE namespace = ? AND key = ?');
    // BINARY collation compares UTF-8 bytes: code point order, as the contract says.
    this.#entries = db.prepare('SELECT key, value FROM kv WHERE namespace = ? ORDER BY key').raw();
    this.#nextSeq = db
      .prepare('INSERT INTO log_tables (name, last_seq) VALUES (?, 1) ON CONFLICT (name) DO UPDATE SET last_seq = last_seq + 1 RETURNING last_seq')
      .pluck();
    this.#insertRow = db.prepare('INSERT INTO log_rows (tbl, seq, record) VALUES (?, ?, ?)');
    this.#read = db.prepare('SELECT seq, record AS json FROM log_rows WHERE tbl = ? AND seq > ? ORDER BY seq LIMIT ?');
    this.#lastSeq = db.prepare('SELECT last_seq FROM log_tables WHERE name = ?').pluck();
    // The seq of the (keepLast + 1)-th newest row; it and everything older goes.
    this.#trimKeepLast = db.prepare(
      'DELETE FROM log_rows WHERE tbl = @table AND seq <= (SELECT seq FROM log_rows WHERE tbl = @table ORDER BY seq DESC LIMIT 1 OFFSET @keepLast)',
    );
    this.#trimBefore = db.prepare('DELETE FROM log_rows WHERE tbl = ? AND seq < ?');
  }

  get(namespace: string, key: string): string | undefined {
    return this.#db.read(() => this.#get.get(namespace, key) as string | undefined);
  }

  set(namespace: string, key: string, json: string): void {
    this.#db.write(() => this.#set.run(namespace, key, json));
  }

  delete(namespace: string, key: string): boolean {
    return this.#db.write(() => this.#delete.run(namespace, key).changes > 0);
  }

  entries(namespace: string): [string, string][] {
    return this.#db.read(() => this.#entries.all(namespace) as [string, string][]);
  }

  append(table: string, json: string): number {
    // Counter and row in one transaction: a crash leaves both or neither.
    return this.#db.write(() => {
      const seq = this.#nextSeq.get(table) as number;
      this.#insertRow.run(table, seq, json);
      return seq;
    });
  }

  read(table: string, afterSeq: number, limit: number | undefined): { seq: number; json: string }[] {
    return this.#db.read(() => this.#read.all(table, afterSeq, limit ?? -1) as { seq: number; json: string }[]);
  }

  lastSeq(table: string): number {
    return this.#db.read(() => (this.#lastSeq.get(table) as number | undefined) ?? 0);
  }

  trim(table: string, keepLast: number | undefined, beforeSeq: number | undefined): number {
    return this.#db.write(() => {
      let removed = 0;
      if (keepLast !== undefined) removed += this.#trimKeepLast.run({ table, keepLast }).changes;
      if (beforeSeq !== undefined) removed += this.#trimBefore.run(table, beforeSeq).changes;
      return removed;
    });
  }
}
