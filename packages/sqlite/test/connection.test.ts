import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { defineError } from '@streamsuites/kernel';
import { createTempDirs } from '@streamsuites/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteConnection, translateSqliteError, type SqliteErrors, type SqliteMigration } from '../src/index.js';

const temp = createTempDirs('ss-sqlite-');
afterEach(() => temp.removeAll());

const E = defineError('SS_ERR_TEST_DB', (kind: string, file: string, detail: string) => `${kind} ${file}: ${detail}`);
const errors: SqliteErrors = {
  unwritable: (path, reason, o) => new E('unwritable', path, reason, o),
  corrupt: (file, reason, o) => new E('corrupt', file, reason, o),
  locked: (file, ms, o) => new E('locked', file, `busy ${ms} ms`, o),
  schemaNewer: (file, found, ours) => new E('newer', file, `${found} > ${ours}`),
  failed: (file, message, o) => new E('failed', file, message, o),
  closed: (file, o) => new E('closed', file, 'closed', o),
};
const v1: SqliteMigration = { version: 1, name: 'notes', sql: 'CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL)' };
const v2: SqliteMigration = { version: 2, name: 'tags', sql: 'ALTER TABLE notes ADD COLUMN tag TEXT' };
const open = (file: string, migrations: SqliteMigration[] = [v1], extra: Partial<Parameters<typeof SqliteConnection.connect>[0]> = {}) =>
  SqliteConnection.connect({ file, migrationsTable: 'test_migrations', migrations, errors, busyTimeoutMs: 50, ...extra });

describe('SqliteConnection', () => {
  it('creates the folder and file, uses WAL, applies migrations once, and writes in one transaction', () => {
    const file = join(temp.make(), 'nested', 'db.sqlite');
    const db = open(file);
    expect([db.pragma('journal_mode'), db.schemaVersion()]).toEqual(['wal', 1]);
    db.write(() => db.prepare('INSERT INTO notes (text) VALUES (?)').run('a'));
    expect(() => db.write(() => {
      db.prepare('INSERT INTO notes (text) VALUES (?)').run('b');
      db.prepare('INSERT INTO notes (text) VALUES (NULL)').run(); // fails: the whole write rolls back
    })).toThrow(expect.objectContaining({ code: 'SS_ERR_TEST_DB' }));
    expect(db.read(() => db.prepare('SELECT text FROM notes').pluck().all())).toEqual(['a']);
    db.close();
    const again = open(file, [v1, v2]);
    expect(again.schemaVersion()).toBe(2);
    again.close();
    expect(() => again.pragma('journal_mode')).toThrow(/closed/);
  });

  it('refuses a newer schema, a damaged file and a folder, with the package\'s own errors', () => {
    const dir = temp.make();
    const file = join(dir, 'db.sqlite');
    open(file, [v1, v2]).close();
    expect(() => open(file, [v1])).toThrow(/newer .*2 > 1/);
    const garbage = join(dir, 'garbage.sqlite');
    writeFileSync(garbage, 'this is not a database, just text long enough to look like a header'.repeat(100));
    expect(() => open(garbage)).toThrow(/^corrupt /);
    expect(() => open(dir)).toThrow(/unwritable .*folder/);
  });

  it('migrate: always takes the write lock at open; when-pending opens an up-to-date file while another connection writes', () => {
    const file = join(temp.make(), 'db.sqlite');
    open(file).close();
    const other = new Database(file);
    other.prepare('BEGIN IMMEDIATE').run();
    try {
      expect(() => open(file, [v1], { migrate: 'always' })).toThrow(/^locked /);
      const reader = open(file, [v1], { migrate: 'when-pending' });
      expect(reader.schemaVersion()).toBe(1);
      reader.close();
      expect(() => open(file, [v1, v2], { migrate: 'when-pending' })).toThrow(/^locked /); // a migration is due: it needs the lock
    } finally {
      other.prepare('ROLLBACK').run();
      other.close();
    }
  });
});

describe('translateSqliteError', () => {
  it("a native addon that cannot load is not a disk problem: the hint says to rebuild better-sqlite3", () => {
    const file = join(temp.make(), 'db.sqlite');
    let thrown: unknown;
    try {
      // The real error better-sqlite3 gives when its compiled addon is missing.
      new Database(file, { nativeBinding: join(temp.make(), 'better_sqlite3.node') });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(Error);
    const coded = translateSqliteError(thrown, file, 50, errors);
    expect(coded.message).toContain(`failed ${file}:`);
    expect(coded.hint).toContain('npm rebuild better-sqlite3');
    // Any other failure keeps the package's own hint.
    expect(translateSqliteError(new Error('disk I/O error'), file, 50, errors).hint).toBeUndefined();
  });
});
