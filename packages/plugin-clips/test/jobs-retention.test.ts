import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '@streamsuites/kernel';
import { folderDestination, gateEncoder } from './fixtures/jobs-media.js';
import { listDir, openEngine, sampleMp4, tempDir } from './jobs-helpers.js';

const DAY = 86_400_000;
const request = { creatorId: 'alice', platform: 'twitch', seconds: 1 };

describe('retention', () => {
  it('deletes local files older than maxAgeDays (after each publish and when run); rows stay published, with expiredAt and their URL', async () => {
    const t0 = Date.UTC(2026, 0, 1);
    const clock = new ManualClock(t0);
    const gate = gateEncoder(sampleMp4());
    const t = openEngine({ encoder: gate.encoder, clock, retention: { maxAgeDays: 1 } });
    const ids: string[] = [];
    for (let day = 0; day < 3; day++) {
      clock.set(t0 + day * DAY);
      const { id } = t.engine.create(request);
      await gate.finish(id);
      await t.engine.settled(id);
      ids.push(id);
    }
    // Publishing day 2's clip ran retention: day 0's clip was 2 days old, day 1's exactly 1 (not older than 1 day).
    expect(t.engine.get(ids[0]!).expiredAt).toBe(t0 + 2 * DAY);
    expect(t.engine.get(ids[1]!).expiredAt).toBeNull();
    expect(listDir(t.engine.outputDir)).toEqual(ids.slice(1).map((id) => `${id}.mp4`).sort());

    clock.set(t0 + 2.5 * DAY);
    const report = t.engine.runRetention();
    expect(report).toEqual({ expired: [ids[1]], freedBytes: statSync(sampleMp4()).size });
    expect(listDir(t.engine.outputDir)).toEqual([`${ids[2]}.mp4`]);
    expect(t.engine.get(ids[1]!)).toMatchObject({ state: 'published', expiredAt: clock.now(), url: expect.stringMatching(/^file:/) });
    expect(t.engine.get(ids[2]!).expiredAt).toBeNull();
    // The gallery still lists them (the uploaded copies are not ours to expire).
    expect(t.engine.listPublic().map((c) => c.id)).toEqual([...ids].reverse());
    // Expiry is not a state change.
    expect(t.engine.history(ids[0]!).at(-1)!.to).toBe('published');
    expect(t.engine.runRetention().expired).toEqual([]);
  });

  it('keeps the output folder under maxTotalBytes, deleting the oldest published files first (after each publish)', async () => {
    const size = statSync(sampleMp4()).size;
    const gate = gateEncoder(sampleMp4());
    const t = openEngine({ encoder: gate.encoder, retention: { maxTotalBytes: Math.floor(2.5 * size) } });
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const { id } = t.engine.create(request);
      await gate.finish(id);
      await t.engine.settled(id);
      ids.push(id);
    }
    // Retention ran before each 'published' was reported.
    expect(listDir(t.engine.outputDir)).toEqual(ids.slice(2).map((id) => `${id}.mp4`).sort());
    expect(t.engine.list().filter((c) => c.expiredAt !== null).map((c) => c.id).sort()).toEqual(ids.slice(0, 2).sort());
    expect(t.engine.list().every((c) => c.state === 'published')).toBe(true);
  });

  it('a published clip whose file vanished is marked expired; without a retention config nothing is deleted', async () => {
    const gate = gateEncoder(sampleMp4());
    const dataDir = tempDir();
    const plain = openEngine({ dataDir, encoder: gate.encoder });
    const { id } = plain.engine.create(request);
    await gate.finish(id);
    await plain.engine.settled(id);
    expect(plain.engine.runRetention()).toEqual({ expired: [], freedBytes: 0 });
    rmSync(join(plain.engine.outputDir, `${id}.mp4`));
    const withRetention = openEngine({ dataDir, encoder: gate.encoder, retention: { maxAgeDays: 30 }, start: false });
    expect(withRetention.engine.runRetention()).toEqual({ expired: [id], freedBytes: 0 });
    expect(withRetention.engine.get(id).expiredAt).not.toBeNull();
  });
});

describe('output folder sweep at start', () => {
  it('removes files without a row, partial outputs and files of failed or expired clips; keeps live clips and sub-folders', async () => {
    const dataDir = tempDir();
    const gate = gateEncoder(sampleMp4());
    const first = openEngine({
      dataDir,
      encoder: gate.encoder,
      destinations: { local: folderDestination(join(dataDir, 'pub')), broken: folderDestination(join(dataDir, 'x'), { fail: 'always' }) },
      defaultDestination: 'local',
      isRetryable: () => false,
    });
    const kept = first.engine.create(request);
    const failed = first.engine.create({ ...request, creatorId: 'bob', destination: 'broken' });
    const expired = first.engine.create({ ...request, creatorId: 'carol' });
    for (const { id } of [kept, failed, expired]) {
      await gate.finish(id);
      await first.engine.settled(id);
    }
    expect(first.engine.get(failed.id).state).toBe('failed');
    await first.engine.stop();
    first.db.close();

    const out = first.engine.outputDir;
    const raw = new Database(join(dataDir, 'streamsuites.db'));
    raw.prepare('UPDATE clips SET expired_at = 1 WHERE id = ?').run(expired.id);
    raw.close();
    const strays = [`${failed.id}.mp4`, `${expired.id}.mp4`, 'zzzzzz.mp4', `${kept.id}.mp4.3f2a1b.part`, '.qqqqqq.tmp', 'notes.txt'];
    for (const name of strays) writeFileSync(join(out, name), 'stray');
    mkdirSync(join(out, 'keep-me'));

    const second = openEngine({ dataDir, encoder: gate.encoder, start: false });
    const report = await second.engine.start();
    expect(report.removedFiles.sort()).toEqual([...strays].sort());
    expect(listDir(out)).toEqual([`${kept.id}.mp4`, 'keep-me'].sort());
    expect(second.engine.get(kept.id).state).toBe('published');
  });
});
