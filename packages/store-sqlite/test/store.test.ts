import { once } from 'node:events';
import { chmodSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { spawnScript } from '@streamsuites/testing';
import { describeStateStore } from '../../defaults/test/suites/state-store.js';
import { SqliteDatabase } from '../src/database.js';
import { SqliteStore } from '../src/index.js';
import { MIGRATIONS } from '../src/migrations.js';
import { fixture, tempDir } from './helpers.js';

const stores = new WeakMap<object, SqliteStore>();
describeStateStore('sqlite', {
  open() {
    const store = SqliteStore.open({ file: join(tempDir(), 'state.db') });
    stores.set(store.state, store);
    return store.state;
  },
  close: (state) => stores.get(state)!.close(),
});

function openError(file: string, options: { busyTimeoutMs?: number } = {}): unknown {
  try {
    SqliteStore.open({ file, ...options });
  } catch (error) {
    return error;
  }
  throw new Error(`opening ${file} did not fail`);
}

function migrationsOf(file: string): number[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all() as number[];
  } finally {
    db.close();
  }
}

describe('SqliteStore on disk', () => {
  it('keeps values, tables and sequence numbers across close and reopen', async () => {
    const file = join(tempDir(), 'nested', 'dirs', 'streamsuites.db');
    const first = SqliteStore.open({ file });
    await first.state.set('test.persist', 'config', { volume: 7, tags: ['a'] });
    await first.state.append('test.events', { n: 1 });
    await first.state.append('test.events', { n: 2 });
    await first.state.trim('test.events', { keepLast: 1 });
    await first.close();

    const second = SqliteStore.open({ file });
    expect(await second.state.get('test.persist', 'config')).toEqual({ volume: 7, tags: ['a'] });
    expect(await second.state.read('test.events')).toEqual([{ seq: 2, record: { n: 2 } }]);
    expect(await second.state.lastSeq('test.events')).toBe(2);
    expect(await second.state.append('test.events', { n: 3 })).toBe(3);
    await second.close();
  });

  it('uses WAL journal mode, the chosen synchronous level and the busy timeout', () => {
    const dir = tempDir();
    for (const [synchronous, level] of [['normal', 1], ['full', 2]] as const) {
      const db = SqliteDatabase.open({ file: join(dir, `${synchronous}.db`), synchronous, busyTimeoutMs: 1234 });
      expect(db.pragma('journal_mode')).toBe('wal');
      expect(db.pragma('synchronous')).toBe(level);
      expect(db.pragma('busy_timeout')).toBe(1234);
      db.close();
    }
  });

  it('applies migrations once, in order, and only the missing ones', async () => {
    const dir = tempDir();
    const file = join(dir, 'm.db');
    await SqliteStore.open({ file }).close();
    await SqliteStore.open({ file }).close();
    expect(migrationsOf(file)).toEqual(MIGRATIONS.map((m) => m.version));

    // A database from a release that only had migration 1.
    const old = join(dir, 'old.db');
    const db = new Database(old);
    db.exec(`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL);
      ${MIGRATIONS[0]!.sql}
      INSERT INTO schema_migrations VALUES (1, 'old', 0);
      INSERT INTO kv VALUES ('test.old', 'k', '"kept"');`);
    db.close();
    const upgraded = SqliteStore.open({ file: old });
    expect(await upgraded.state.get('test.old', 'k')).toBe('kept');
    const jobs = upgraded.jobRegistry({ clock: { now: () => 1 } });
    expect((await jobs.enqueue('test.job', {})).state).toBe('queued');
    await upgraded.close();
    expect(migrationsOf(old)).toEqual([1, 2]);
  });

  it('rolls every pending migration back when one fails', () => {
    const file = join(tempDir(), 'foreign.db');
    // Another application's database that happens to have a `jobs` table: migration 2 fails.
    const db = new Database(file);
    db.exec('CREATE TABLE jobs (whatever TEXT)');
    db.close();
    expect(openError(file)).toMatchObject({ code: 'SS_ERR_STORE_FAILED', message: expect.stringContaining('jobs') });
    const check = new Database(file, { readonly: true });
    const tables = check.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
    check.close();
    expect(tables).toEqual(['jobs']);
  });

  it('refuses a database written by a newer schema', async () => {
    const file = join(tempDir(), 'new.db');
    await SqliteStore.open({ file }).close();
    const db = new Database(file);
    db.prepare('INSERT INTO schema_migrations VALUES (99, ?, 0)').run('from the future');
    db.close();
    expect(openError(file)).toMatchObject({ code: 'SS_ERR_STORE_SCHEMA_NEWER', details: {} });
  });

  it('a file that is not a database is SS_ERR_STORE_CORRUPT, named, and left untouched', () => {
    const dir = tempDir();
    const file = join(dir, 'streamsuites.db');
    const bytes = Buffer.from('{"this": "is a JSON file someone saved under the wrong name"}\n'.repeat(200));
    writeFileSync(file, bytes);
    const error = openError(file) as Error & { code: string; hint: string; details: Record<string, unknown> };
    expect(error.code).toBe('SS_ERR_STORE_CORRUPT');
    expect(error.message).toContain(file);
    expect(error.message).toContain('not a database');
    expect(error.hint).toContain('Move');
    expect(error.hint).toContain('backup');
    expect(readFileSync(file).equals(bytes)).toBe(true);
    expect(readdirSync(dir)).toEqual(['streamsuites.db']);
  });

  it('a damaged database (valid header, broken pages) is SS_ERR_STORE_CORRUPT and left untouched', async () => {
    const file = join(tempDir(), 'damaged.db');
    const store = SqliteStore.open({ file });
    for (let i = 0; i < 400; i++) await store.state.append('test.bulk', { i, text: 'y'.repeat(200) });
    await store.close();
    const bytes = readFileSync(file);
    const pageSize = bytes.readUInt16BE(16);
    for (let i = pageSize * 2; i < pageSize * 6; i++) bytes[i] = (i * 31) & 0xff;
    writeFileSync(file, bytes);

    const error = openError(file);
    expect(error).toMatchObject({ code: 'SS_ERR_STORE_CORRUPT' });
    expect((error as Error).message).toContain(file);
    expect(readFileSync(file).equals(bytes)).toBe(true);
  });

  it('a folder that cannot be created, or a path that is a folder, is SS_ERR_STORE_UNWRITABLE', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'plain-file'), 'x');
    const underFile = openError(join(dir, 'plain-file', 'data', 'streamsuites.db'));
    expect(underFile).toMatchObject({ code: 'SS_ERR_STORE_UNWRITABLE' });
    expect((underFile as Error).message).toContain(join(dir, 'plain-file', 'data'));

    mkdirSync(join(dir, 'is-a-folder.db'));
    expect(openError(join(dir, 'is-a-folder.db'))).toMatchObject({ code: 'SS_ERR_STORE_UNWRITABLE', message: expect.stringContaining('folder') });
  });

  it.skipIf(process.getuid?.() === 0)('a read-only folder is SS_ERR_STORE_UNWRITABLE (not checkable as root)', () => {
    const dir = join(tempDir(), 'ro');
    mkdirSync(dir);
    chmodSync(dir, 0o500);
    try {
      expect(openError(join(dir, 'streamsuites.db'))).toMatchObject({ code: 'SS_ERR_STORE_UNWRITABLE' });
    } finally {
      chmodSync(dir, 0o700);
    }
  });

  it('a database locked by another process is SS_ERR_STORE_LOCKED, at open and on write', async () => {
    const file = join(tempDir(), 'locked.db');
    const store = SqliteStore.open({ file, busyTimeoutMs: 100 });
    await store.state.set('test.lock', 'before', 1);

    const holder = spawnScript(fixture('lock-holder.ts'), [file]);
    try {
      await holder.until('locked');
      const started = Date.now();
      const writeError = await store.state.set('test.lock', 'during', 2).catch((e: unknown) => e);
      expect(writeError).toMatchObject({ code: 'SS_ERR_STORE_LOCKED', details: { sqliteCode: 'SQLITE_BUSY' } });
      expect(Date.now() - started).toBeGreaterThanOrEqual(90);
      expect(openError(file, { busyTimeoutMs: 100 })).toMatchObject({ code: 'SS_ERR_STORE_LOCKED' });
      // Reads still work under WAL while someone else writes.
      expect(await store.state.get('test.lock', 'before')).toBe(1);
    } finally {
      const closed = once(holder.child, 'close');
      holder.child.kill('SIGKILL');
      await closed;
    }
    // The holder's transaction died with it; our write now goes through.
    await store.state.set('test.lock', 'after', 3);
    expect(await store.state.entries('test.lock')).toEqual([
      ['after', 3],
      ['before', 1],
    ]);
    expect(await store.state.entries('lock.holder')).toEqual([]);
    await store.close();
  });

  it('refuses use after close with SS_ERR_STORE_CLOSED; close is idempotent', async () => {
    const store = SqliteStore.open({ file: join(tempDir(), 'c.db') });
    const jobs = store.jobRegistry({ clock: { now: () => 0 } });
    expect(store.jobRegistry({ clock: { now: () => 0 } })).toBe(jobs);
    expect(store.close()).toBe(store.close());
    await store.close();
    await expect(store.state.get('test.closed', 'k')).rejects.toMatchObject({ code: 'SS_ERR_STORE_CLOSED' });
    await expect(jobs.list()).rejects.toMatchObject({ code: 'SS_ERR_STORE_CLOSED' });
    expect(() => store.jobRegistry({ clock: { now: () => 0 } })).toThrow(expect.objectContaining({ code: 'SS_ERR_STORE_CLOSED' }));
  });
});
