import { describe, expect, it } from 'vitest';
import { gateEncoder } from './fixtures/jobs-media.js';
import { observedRegistry, openEngine, runningJobs, sampleMp4 } from './jobs-helpers.js';

const clip = (creatorId: string) => ({ creatorId, platform: 'twitch', seconds: 1 });

describe('ClipJobs on the job registry: concurrency', () => {
  it('runs at most `concurrency` clips, at most one per creator by default, oldest first', async () => {
    const gate = gateEncoder(sampleMp4());
    const registry = observedRegistry();
    const t = openEngine({ encoder: gate.encoder, registry });
    const a1 = t.engine.create(clip('alice'));
    const a2 = t.engine.create(clip('alice'));
    const b1 = t.engine.create(clip('bob'));
    const c1 = t.engine.create(clip('carol'));
    // The registry claims the encode jobs oldest first: alice's second clip waits for her first, carol for a free slot.
    // "Still queued" is asserted once the registry has demonstrably tried to claim more (no sleep): checked by
    // registering the encode handler with concurrency + 1 (c1 claimed too) and perCreatorConcurrency + 1 (a2 too).
    await gate.started(2);
    await registry.claimPass();
    expect(await runningJobs(registry, 'clips.encode')).toEqual([a1.id, b1.id].sort());
    expect(gate.running()).toEqual([a1.id, b1.id]);
    expect(t.engine.running().sort()).toEqual([a1.id, b1.id].sort());
    expect(t.engine.get(a2.id).state).toBe('queued');
    expect(t.engine.get(c1.id).state).toBe('queued');

    // Once a1 is encoded (its upload is a job of its own), alice's next clip (older than carol's) gets the encode slot.
    gate.release(a1.id);
    await gate.started(3);
    await registry.claimPass();
    expect(await runningJobs(registry, 'clips.encode')).toEqual([b1.id, a2.id].sort());
    expect(t.engine.get(c1.id).state).toBe('queued');
    expect(gate.order).toEqual([a1.id, b1.id, a2.id]);
    expect(gate.running().sort()).toEqual([b1.id, a2.id].sort());
    expect((await t.engine.settled(a1.id)).state).toBe('published');

    gate.release(b1.id);
    await gate.started(4);
    expect(gate.order.at(-1)).toBe(c1.id);
    gate.release(a2.id);
    gate.release(c1.id);
    for (const { id } of [a2, b1, c1]) expect((await t.engine.settled(id)).state).toBe('published');
    expect(gate.maxRunning).toBe(2);
    expect(Math.max(...gate.maxPerCreator.values())).toBe(1);
  });

  it('honours configured limits under load (concurrency 3, 2 per creator) and uses the whole pool', async () => {
    const gate = gateEncoder(sampleMp4());
    const registry = observedRegistry();
    const t = openEngine({ encoder: gate.encoder, registry, concurrency: 3, perCreatorConcurrency: 2 });
    const ids = ['alice', 'bob', 'carol'].flatMap((creator) => Array.from({ length: 4 }, () => t.engine.create(clip(creator)).id));
    for (let released = 0; released < ids.length; released++) {
      await gate.started(released + 1);
      // Counted once the registry has claimed all it may, not when the cuts happen to have started (checked by concurrency + 1).
      await registry.claimPass();
      expect((await runningJobs(registry, 'clips.encode')).length).toBeLessThanOrEqual(3);
      expect(gate.running().length).toBeLessThanOrEqual(3);
      gate.release(gate.order[released]!);
    }
    for (const id of ids) expect((await t.engine.settled(id)).state).toBe('published');
    expect(gate.maxRunning).toBe(3);
    expect(Math.max(...gate.maxPerCreator.values())).toBe(2);
    expect(new Set(gate.order)).toEqual(new Set(ids));
  });

  it('work created before start() waits, and start() picks it up', async () => {
    const gate = gateEncoder(sampleMp4());
    const registry = observedRegistry();
    const t = openEngine({ encoder: gate.encoder, registry, start: false });
    const { id } = t.engine.create(clip('alice'));
    // Before start() the clip is not handed to the registry at all, so nothing can run it, however long one waits
    // (checked by letting create() enqueue before start()).
    expect(await registry.list({ type: 'clips.encode' })).toEqual([]);
    expect(gate.order).toEqual([]);
    expect(await t.engine.start()).toMatchObject({ enqueued: [id] });
    await gate.started(1);
    await registry.claimPass();
    expect(gate.order).toEqual([id]);
    // One job for it: the clip created before start() was enqueued once, by start().
    expect(await registry.list({ type: 'clips.encode' })).toEqual([expect.objectContaining({ state: 'running', payload: { clipId: id } })]);
    gate.release(id);
    expect((await t.engine.settled(id)).state).toBe('published');
  });
});
