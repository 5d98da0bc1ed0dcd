import { randomBytes } from 'node:crypto';
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { drawClipId, isClipId, type RandomSource } from '../src/jobs.js';
import { gateEncoder } from './fixtures/jobs-media.js';
import { openEngine, sampleMp4 } from './jobs-helpers.js';

const request = { creatorId: 'alice', platform: 'twitch', seconds: 5 };

/** Yields `bytes` for the first `times` calls, then crypto bytes; counts calls. */
function repeating(bytes: number[], times: number): RandomSource & { calls: number } {
  const source = Object.assign(
    (size: number) => {
      source.calls++;
      return source.calls <= times ? Uint8Array.from({ length: size }, (_, i) => bytes[i % bytes.length]!) : randomBytes(size);
    },
    { calls: 0 },
  );
  return source;
}

describe('clip ids', () => {
  it('are 6 characters of [a-z0-9], unique over many clips', () => {
    const t = openEngine({ encoder: gateEncoder(sampleMp4()).encoder, start: false });
    const ids = Array.from({ length: 1000 }, () => t.engine.create(request).id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]{6}$/);
    // Every character of the alphabet shows up (no bias to a subset).
    expect(new Set(ids.join('')).size).toBe(36);
  });

  it('a random source that repeats: the taken id is skipped and a fresh one drawn', () => {
    const random = repeating([0, 1, 2, 3, 4, 5], 3);
    const t = openEngine({ encoder: gateEncoder(sampleMp4()).encoder, start: false, random, workerId: 'w' });
    const first = t.engine.create(request);
    expect(first.id).toBe('abcdef');
    const second = t.engine.create(request);
    expect(second.id).not.toBe('abcdef');
    expect(second.id).toMatch(/^[a-z0-9]{6}$/);
    expect(random.calls).toBe(4); // abcdef, abcdef (taken), abcdef (taken), fresh
  });

  it('an id whose file already sits in the output folder is not reused', () => {
    const random = repeating([0, 1, 2, 3, 4, 5], 1);
    const t = openEngine({ encoder: gateEncoder(sampleMp4()).encoder, start: false, random, workerId: 'w' });
    mkdirSync(t.engine.outputDir, { recursive: true });
    writeFileSync(join(t.engine.outputDir, 'abcdef.mp4'), 'left by a lost database');
    expect(t.engine.create(request).id).not.toBe('abcdef');
  });

  it('a source that always repeats gives SS_ERR_CLIP_ID_EXHAUSTED, and nothing is written', () => {
    const t = openEngine({ encoder: gateEncoder(sampleMp4()).encoder, start: false, random: repeating([7, 8, 9, 10, 11, 12], Infinity), workerId: 'w' });
    t.engine.create(request);
    expect(() => t.engine.create(request)).toThrow(expect.objectContaining({ code: 'SS_ERR_CLIP_ID_EXHAUSTED' }));
    expect(t.engine.list()).toHaveLength(1);
  });

  it('rejection sampling: bytes >= 252 are skipped, a source of only such bytes never loops forever', () => {
    expect(drawClipId(() => Uint8Array.from([255, 252, 0, 253, 1, 35, 36, 71, 254, 2, 3, 4]))).toBe('ab9a9c');
    expect(drawClipId(() => new Uint8Array(12).fill(255))).toBeUndefined();
    const t = openEngine({ encoder: gateEncoder(sampleMp4()).encoder, start: false, random: () => new Uint8Array(12).fill(252), workerId: 'w' });
    expect(() => t.engine.create(request)).toThrow(expect.objectContaining({ code: 'SS_ERR_CLIP_ID_EXHAUSTED' }));
  });

  it('only well-formed ids are path-safe ids, and the table refuses anything else', () => {
    for (const bad of ['../abc', 'ABCDEF', 'abc12', 'abc1234', 'abc 12', 'ab/c12', 'ab.c12', 'con', 'nul.mp', '', 42]) expect(isClipId(bad)).toBe(false);
    expect(isClipId('a1b2c3')).toBe(true);
    const t = openEngine({ encoder: gateEncoder(sampleMp4()).encoder, start: false });
    const raw = new Database(t.db.file);
    const insert = (id: string) =>
      raw.prepare(`INSERT INTO clips (id, creator_id, platform, title, seconds, mode, state, created_at, updated_at)
        VALUES (?, 'a', 'twitch', 't', 1, 'copy', 'queued', 0, 0)`).run(id);
    for (const bad of ['../x/y', 'ABCDEF', 'abc12', 'abc1234']) expect(() => insert(bad)).toThrow(/CHECK constraint/);
    raw.close();
  });
});
