import { once } from 'node:events';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { spawnScript } from '@streamsuites/testing';
import { ClipJobs, ClipsDatabase, CLIPS_SCHEMA_VERSION, SS_ERR_CLIPS_DB_CORRUPT } from '../src/jobs.js';
import { folderDestination, gateEncoder } from './fixtures/jobs-media.js';
import { fixture, memoryRegistry, onCleanup, openEngine, path, sampleMp4, tempDir } from './jobs-helpers.js';

const request = { creatorId: 'alice', platform: 'twitch', seconds: 1 };

function openError(options: Parameters<typeof ClipsDatabase.open>[0]): unknown {
  try {
    ClipsDatabase.open(options).close();
  } catch (error) {
    return error;
  }
  throw new Error('open did not throw');
}

describe('clips database', () => {
  it('creates <dataDir>/streamsuites.db with the clip tables on boot: WAL, busy_timeout, foreign keys, versioned migrations', () => {
    const dataDir = join(tempDir(), 'data', 'nested');
    const db = ClipsDatabase.open({ dataDir });
    onCleanup(() => db.close());
    expect(db.file).toBe(join(dataDir, 'streamsuites.db'));
    expect(db.pragma('journal_mode')).toBe('wal');
    expect(db.pragma('busy_timeout')).toBe(5000);
    expect(db.pragma('foreign_keys')).toBe(1);
    expect(db.schemaVersion()).toBe(CLIPS_SCHEMA_VERSION);
    db.close();

    const raw = new Database(join(dataDir, 'streamsuites.db'), { readonly: true });
    const columns = (table: string) => (raw.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(table) as string[]).sort();
    expect(raw.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).pluck().all()).toEqual([
      'clip_jobs',
      'clip_state_history',
      'clips',
      'clips_migrations',
    ]);
    expect(columns('clips')).toEqual(
      ['id', 'creator_id', 'platform', 'title', 'requested_by', 'request_key', 'seconds', 'mode', 'state', 'output_path', 'poster_path', 'url', 'duration_sec',
        'error', 'error_code', 'destination', 'created_at', 'updated_at', 'published_at', 'expired_at'].sort(),
    );
    expect(columns('clip_jobs')).toEqual(
      ['clip_id', 'phase', 'attempts', 'max_attempts', 'next_run_at', 'locked_by', 'locked_at', 'last_error', 'last_error_code', 'updated_at'].sort(),
    );
    expect(columns('clip_state_history')).toEqual(['seq', 'clip_id', 'from_state', 'to_state', 'at', 'reason'].sort());
    raw.close();

    // Opening again applies nothing twice.
    ClipsDatabase.open({ dataDir }).close();
    const again = new Database(join(dataDir, 'streamsuites.db'), { readonly: true });
    expect(again.prepare('SELECT version, name FROM clips_migrations').all()).toEqual([
      { version: 1, name: 'clips, clip_jobs, clip_state_history' },
      { version: 2, name: 'clips.poster_path' },
    ]);
    again.close();
  });

  it("shares streamsuites.db with store-sqlite's tables without touching them", () => {
    const dataDir = tempDir();
    const file = join(dataDir, 'streamsuites.db');
    const other = new Database(file);
    other.pragma('journal_mode = WAL');
    other.exec(`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL);
      INSERT INTO schema_migrations VALUES (1, 'state', 0), (2, 'jobs', 0);
      CREATE TABLE kv (namespace TEXT, key TEXT, value TEXT, PRIMARY KEY (namespace, key));
      CREATE TABLE jobs (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, state TEXT NOT NULL);
      CREATE INDEX jobs_due ON jobs (state);
      INSERT INTO kv VALUES ('ns', 'k', '"v"');`);
    const t = openEngine({ dataDir, encoder: gateEncoder(sampleMp4()).encoder, start: false });
    t.engine.create(request);
    // Both live side by side; the other connection keeps working on its tables.
    other.prepare(`INSERT INTO jobs (id, state) VALUES ('j1', 'queued')`).run();
    expect(other.prepare('SELECT version FROM schema_migrations').pluck().all()).toEqual([1, 2]);
    expect(other.prepare('SELECT COUNT(*) FROM clips').pluck().get()).toBe(1);
    expect(other.prepare(`SELECT value FROM kv WHERE key = 'k'`).pluck().get()).toBe('"v"');
    other.close();
  });

  it('a file that is not a database is SS_ERR_CLIPS_DB_CORRUPT, and is left byte for byte as it was', () => {
    const file = join(tempDir(), 'streamsuites.db');
    const garbage = Buffer.from('this is not a sqlite database, just some text '.repeat(200));
    writeFileSync(file, garbage);
    const error = openError({ file });
    expect(error).toMatchObject({ code: 'SS_ERR_CLIPS_DB_CORRUPT', details: { sqliteCode: 'SQLITE_NOTADB' } });
    expect(SS_ERR_CLIPS_DB_CORRUPT.is(error)).toBe(true);
    expect((error as Error).message).toContain(file);
    expect(readFileSync(file)).toEqual(garbage);
  });

  it('damaged pages in a real database are SS_ERR_CLIPS_DB_CORRUPT', () => {
    const dataDir = tempDir();
    const t = openEngine({ dataDir, encoder: gateEncoder(sampleMp4()).encoder, start: false });
    for (let i = 0; i < 300; i++) t.engine.create({ ...request, title: `clip number ${i} `.repeat(5) });
    t.db.close();
    const file = join(dataDir, 'streamsuites.db');
    const bytes = readFileSync(file);
    expect(statSync(file).size).toBeGreaterThan(16 * 4096);
    bytes.fill(0x5a, 8 * 4096, 12 * 4096); // pages 9-12: b-tree pages of the clip tables
    writeFileSync(file, bytes);
    expect(openError({ file })).toMatchObject({ code: 'SS_ERR_CLIPS_DB_CORRUPT' });
  });

  it('a database locked by another process: writes give SS_ERR_CLIPS_DB_LOCKED after busy_timeout, reads still work', async () => {
    const dataDir = tempDir();
    const file = join(dataDir, 'streamsuites.db');
    const db = ClipsDatabase.open({ file, busyTimeoutMs: 100 });
    onCleanup(() => db.close());
    const engine = new ClipJobs({ db, registry: memoryRegistry(), encoder: gateEncoder(sampleMp4()).encoder, source: () => ({ playlist: 'p' }), destinations: { local: folderDestination(join(dataDir, 'pub')) } });
    const before = engine.create(request);

    const holder = spawnScript(fixture('jobs-lock-holder.ts'), [file]);
    const closed = once(holder.child, 'close');
    try {
      await holder.until('locked');
      const started = Date.now();
      expect(() => engine.create(request)).toThrow(expect.objectContaining({ code: 'SS_ERR_CLIPS_DB_LOCKED', details: { file, sqliteCode: 'SQLITE_BUSY' } }));
      expect(Date.now() - started).toBeGreaterThanOrEqual(90);
      expect(engine.list().map((c) => c.id)).toEqual([before.id]);
      // An up-to-date database still opens (migrations only read) while locked.
      ClipsDatabase.open({ file, busyTimeoutMs: 100 }).close();
    } finally {
      holder.child.kill('SIGKILL');
      await closed;
    }
    expect(engine.create(request).state).toBe('queued');
    expect(engine.list()).toHaveLength(2);
  });

  it('a new database whose first write is locked out is SS_ERR_CLIPS_DB_LOCKED at open', async () => {
    const file = join(tempDir(), 'streamsuites.db');
    const holder = spawnScript(fixture('jobs-lock-holder.ts'), [file]);
    const closed = once(holder.child, 'close');
    try {
      await holder.until('locked');
      expect(openError({ file, busyTimeoutMs: 50 })).toMatchObject({ code: 'SS_ERR_CLIPS_DB_LOCKED' });
    } finally {
      holder.child.kill('SIGKILL');
      await closed;
    }
    ClipsDatabase.open({ file }).close();
  });

  it('a database of schema 1 (before posters) is migrated at open: its clips keep everything, with no poster', () => {
    const dataDir = tempDir();
    const file = join(dataDir, 'streamsuites.db');
    ClipsDatabase.open({ dataDir }).close();
    // Back to what version 1 wrote, with a published clip in it.
    const raw = new Database(file);
    raw.exec(`ALTER TABLE clips DROP COLUMN poster_path; DELETE FROM clips_migrations WHERE version = 2;
      INSERT INTO clips (id, creator_id, platform, title, seconds, mode, state, output_path, url, duration_sec, created_at, updated_at, published_at)
        VALUES ('abc123', 'daniel', 'twitch', 'old one', 30, 'copy', 'published', '/srv/out/abc123.mp4', 'https://clips.example/abc123.mp4', 30, 1, 2, 2);
      INSERT INTO clip_jobs (clip_id, phase, attempts, max_attempts, updated_at) VALUES ('abc123', 'done', 1, 3, 2);`);
    raw.close();
    const t = openEngine({ dataDir, encoder: gateEncoder(sampleMp4()).encoder, start: false });
    expect(t.db.schemaVersion()).toBe(2);
    expect(t.engine.get('abc123')).toMatchObject({ title: 'old one', state: 'published', outputPath: '/srv/out/abc123.mp4', posterPath: null });
  });

    it('a newer schema, a folder in place of the file, or no path are coded errors', () => {
    const dataDir = tempDir();
    ClipsDatabase.open({ dataDir }).close();
    const raw = new Database(join(dataDir, 'streamsuites.db'));
    raw.prepare(`INSERT INTO clips_migrations VALUES (99, 'from the future', 0)`).run();
    raw.close();
    expect(openError({ dataDir })).toMatchObject({ code: 'SS_ERR_CLIPS_DB_SCHEMA_NEWER', message: expect.stringContaining('99') });

    const folder = join(tempDir(), 'streamsuites.db');
    mkdirSync(folder);
    expect(openError({ file: folder })).toMatchObject({ code: 'SS_ERR_CLIPS_DB', message: expect.stringContaining('folder') });
    expect(openError({})).toMatchObject({ code: 'SS_ERR_CLIPS_DB' });
  });

  it('a state change is one transaction: when its history row cannot be written, the clip row is not changed either', async () => {
    const dataDir = tempDir();
    ClipsDatabase.open({ dataDir }).close();
    const raw = new Database(join(dataDir, 'streamsuites.db'));
    raw.exec(`CREATE TRIGGER refuse_encoded BEFORE INSERT ON clip_state_history WHEN NEW.to_state = 'encoded'
      BEGIN SELECT RAISE(ABORT, 'history refused by test trigger'); END`);
    raw.close();
    const gate = gateEncoder(sampleMp4());
    const states: string[] = [];
    const t = openEngine({ dataDir, encoder: gate.encoder, maxEncodeAttempts: 1, onState: (clip) => void states.push(clip.state) });
    const { id } = t.engine.create(request);
    await gate.finish(id);
    const clip = await t.engine.settled(id);
    expect(clip).toMatchObject({ state: 'failed', errorCode: 'SS_ERR_CLIPS_DB', error: expect.stringContaining('history refused by test trigger') });
    expect(path(t.engine.history(id))).toEqual(['new->queued', 'queued->encoding', 'encoding->failed']);
    expect(states).toEqual(['queued', 'encoding', 'failed']); // 'encoded' was never committed, so never reported
    expect(clip.durationSec).toBeNull();
  });
});
