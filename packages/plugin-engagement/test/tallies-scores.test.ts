import { describe, expect, it } from 'vitest';
import { act, logsWith, message, mod, readExport, startEngagement, T0, viewer } from './helpers.js';

describe('tallies through triggers', () => {
  it('counts fixed and templated labels; a tally with labels shows each of them and refuses others', async () => {
    const { t, clock, root } = await startEngagement();
    for (let i = 0; i < 3; i += 1) expect((await act(t, message('alice', '!death', viewer(1)))).event).toBe('action.dispatched');
    clock.advance(500);
    await act(t, message('alice', '!undeath', viewer(1)));
    await act(t, message('alice', '!mood hype', viewer(2)));
    await act(t, message('alice', '!mood HYPE', viewer(3)));
    const angry = await act(t, message('alice', '!mood angry', viewer(4)));
    expect(angry.event).toBe('action.failed');
    const [line] = logsWith(t, 'SS_ERR_ENGAGEMENT_LABEL_NOT_ALLOWED');
    expect(JSON.stringify(line)).toContain('does not count \\"angry\\" (its labels: Hype, Calm)');
    // "{arg1}" without an argument is an empty label: the kernel refuses it against the schema.
    expect((await act(t, message('alice', '!mood', viewer(4)))).event).toBe('action.failed');

    expect(t.events.of('tally.changed').map(({ tallyId, label, delta, count }) => [tallyId, label, delta, count])).toEqual([
      ['deaths', 'total', 1, 1],
      ['deaths', 'total', 1, 2],
      ['deaths', 'total', 1, 3],
      ['deaths', 'total', -1, 2],
      ['mood', 'Hype', 1, 1],
      ['mood', 'Hype', 1, 2],
    ]);

    await t.stop();
    expect(readExport(root, 'runtime/exports/tallies.json').tallies).toEqual([
      { id: 'deaths', creator: 'alice', name: 'Deaths', counts: [{ label: 'total', count: 2 }] },
      { id: 'free', creator: 'alice', name: 'Anything', counts: [] },
      {
        id: 'mood',
        creator: 'alice',
        name: 'Mood',
        counts: [
          { label: 'Calm', count: 0 },
          { label: 'Hype', count: 2 },
        ],
      },
    ]);
    expect(readExport(root, 'runtime/signals/tally_events.json').events).toEqual([
      { at: '2026-11-27T20:00:00.000Z', creator: 'alice', tallyId: 'deaths', label: 'total', delta: 1 },
      { at: '2026-11-27T20:00:00.000Z', creator: 'alice', tallyId: 'deaths', label: 'total', delta: 1 },
      { at: '2026-11-27T20:00:00.000Z', creator: 'alice', tallyId: 'deaths', label: 'total', delta: 1 },
      { at: '2026-11-27T20:00:00.500Z', creator: 'alice', tallyId: 'deaths', label: 'total', delta: -1 },
      { at: '2026-11-27T20:00:00.500Z', creator: 'alice', tallyId: 'mood', label: 'Hype', delta: 1 },
      { at: '2026-11-27T20:00:00.500Z', creator: 'alice', tallyId: 'mood', label: 'Hype', delta: 1 },
    ]);
  });

  it('a tally without labels takes at most 100 distinct labels, case-insensitively', async () => {
    const { engagement } = await startEngagement();
    for (let i = 0; i < 100; i += 1) await engagement.addToTally('alice', { tally: 'free', label: `Label ${i}`, delta: 1 });
    await expect(engagement.addToTally('alice', { tally: 'free', label: 'one more', delta: 1 })).rejects.toMatchObject({
      code: 'SS_ERR_ENGAGEMENT_TOO_MANY_LABELS',
    });
    // Existing labels still count, whatever their case and spacing.
    expect(await engagement.addToTally('alice', { tally: 'free', label: '  LABEL   7 ', delta: 4 })).toEqual({ label: 'Label 7', value: 5 });
    expect(engagement.tallies('alice').find((x) => x.id === 'free')?.counts).toHaveLength(100);
  });
});

describe('scoreboards through triggers', () => {
  it('templated labels and deltas; ranked by score then label, ties share a rank; exports keep maxEntries', async () => {
    const { t, clock, root } = await startEngagement();
    const sequence: [number, number][] = [
      [1, 3], // Viewer1: 3 points
      [2, 2],
      [3, 2],
      [4, 1],
      [5, 1],
    ];
    for (const [n, times] of sequence) {
      for (let i = 0; i < times; i += 1) expect((await act(t, message('alice', '!point', viewer(n)))).event).toBe('action.dispatched');
    }
    clock.advance(1000);
    await act(t, message('alice', '!give Viewer5 2.5', mod));
    await act(t, message('alice', '!give viewer1 -1', mod)); // any case: the same entry
    expect(t.events.of('score.changed').slice(-2).map(({ label, delta, score }) => [label, delta, score])).toEqual([
      ['Viewer5', 2.5, 3.5],
      ['Viewer1', -1, 2],
    ]);
    const notNumber = await act(t, message('alice', '!give Viewer5 lots', mod));
    expect(notNumber.event).toBe('action.failed');
    expect(notNumber.payload).toMatchObject({ error: { code: 'SS_ERR_ACTION_PARAMS_INVALID' } });

    await t.stop();
    expect(readExport(root, 'runtime/exports/scoreboards.json').scoreboards).toEqual([
      {
        id: 'points',
        creator: 'alice',
        name: 'Points',
        entries: [
          { rank: 1, label: 'Viewer5', score: 3.5 },
          { rank: 2, label: 'Viewer1', score: 2 },
          { rank: 2, label: 'Viewer2', score: 2 },
        ],
      },
    ]);
    const events = readExport<{ events: { label: string; delta: number; at: string }[] }>(root, 'runtime/signals/score_events.json').events;
    expect(events).toHaveLength(11);
    expect(events.at(-1)).toEqual({ at: '2026-11-27T20:00:01.000Z', creator: 'alice', scoreboardId: 'points', label: 'Viewer1', delta: -1 });
  });

  it('concurrent additions never lose an update, in memory or in the store', async () => {
    const { t, engagement } = await startEngagement();
    await Promise.all(Array.from({ length: 200 }, () => engagement.addToScore('alice', { scoreboard: 'points', label: 'Team', delta: 1 })));
    // And 50 chat lines fired at once, their actions running concurrently.
    await Promise.all(Array.from({ length: 50 }, (_, i) => act(t, message('alice', '!point', { ...viewer(7), id: 'uid-7' }, T0 + i))));
    expect(engagement.scoreboards('alice')[0]?.entries).toEqual([
      { rank: 1, label: 'Team', score: 200 },
      { rank: 2, label: 'Viewer7', score: 50 },
    ]);
    await engagement.settled();
    const { stateStoreRef } = await import('@streamsuites/kernel');
    const stored = await t.kernel.resolve(stateStoreRef).entries<{ label: string; value: number }>('engagement.alice.scores');
    expect(stored.map(([, v]) => v)).toEqual([
      { label: 'Team', value: 200 },
      { label: 'Viewer7', value: 50 },
    ]);
  });
});

describe('bad ids are coded errors, never a crash', () => {
  it('unknown tally or scoreboard, and a creator without the plugin', async () => {
    const { t, engagement } = await startEngagement();
    // The trigger with a literal unknown tally id was reported when alice started.
    expect(logsWith(t, 'trigger \\"typo\\" action 0 (tally.add) names unknown tally \\"deads\\"')).toHaveLength(1);

    const typo = await act(t, message('alice', '!typo', viewer(1)));
    expect(typo.event).toBe('action.failed');
    const [line] = logsWith(t, 'SS_ERR_ENGAGEMENT_UNKNOWN_TALLY').filter((l) => l.level === 50);
    expect(JSON.stringify(line)).toContain('Creator \\"alice\\" has no tally \\"deads\\" (configured: deaths, mood, free)');

    await expect(engagement.addToScore('alice', { scoreboard: 'nope', label: 'x', delta: 1 })).rejects.toMatchObject({
      code: 'SS_ERR_ENGAGEMENT_UNKNOWN_SCOREBOARD',
      hint: expect.stringContaining('creators.alice.config.engagement.scoreboards'),
    });
    await expect(engagement.addToScore('alice', { scoreboard: 'points', label: '   ', delta: 1 })).rejects.toMatchObject({ code: 'SS_ERR_ENGAGEMENT_LABEL_INVALID' });
    await expect(engagement.addToScore('alice', { scoreboard: 'points', label: 'x'.repeat(101), delta: 1 })).rejects.toMatchObject({
      code: 'SS_ERR_ENGAGEMENT_LABEL_INVALID',
    });
    await expect(engagement.addToTally('carol', { tally: 'deaths', label: 'x', delta: 1 })).rejects.toMatchObject({ code: 'SS_ERR_ENGAGEMENT_NOT_ENABLED' });
    await engagement.addToScore('alice', { scoreboard: 'points', label: 'big', delta: 1e9 });
    await expect(engagement.addToScore('alice', { scoreboard: 'points', label: 'big', delta: Number.MAX_SAFE_INTEGER })).rejects.toMatchObject({
      code: 'SS_ERR_ENGAGEMENT_VALUE_OUT_OF_RANGE',
    });

    // Still running: the next good action works.
    expect((await act(t, message('alice', '!death', viewer(1)))).event).toBe('action.dispatched');
    expect(engagement.tallies('alice')[0]).toMatchObject({ id: 'deaths', counts: [{ label: 'total', count: 1 }] });
  });
});
