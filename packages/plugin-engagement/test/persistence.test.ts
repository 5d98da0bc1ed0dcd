import { MemoryStateStore, type StateStore } from '@streamsuites/kernel';
import { describe, expect, it } from 'vitest';
import { act, message, mod, readExport, say, startEngagement, T0, TestClock, viewer } from './helpers.js';

/** Every value the plugin keeps for a creator, as one JSON text. */
async function storedText(store: StateStore, creatorId: string): Promise<string> {
  const base = `engagement.${creatorId}`;
  const parts = await Promise.all([
    store.entries(`${base}.polls`),
    store.entries(`${base}.tallies`),
    store.entries(`${base}.scores`),
    store.read(`${base}.ballots`),
  ]);
  return JSON.stringify(parts);
}

describe('state survives a restart (same state store)', () => {
  it('keeps the open poll with its ballots, closed polls, tallies and scores', async () => {
    const store = new MemoryStateStore();
    const clock = new TestClock();
    const first = await startEngagement({ store, clock });
    await act(first.t, message('alice', '!poll "Old?" a b', mod));
    say(first.t, message('alice', '!vote a', viewer(1)));
    await act(first.t, message('alice', '!endpoll', mod));
    clock.advance(1000);
    await act(first.t, message('alice', '!poll "Best snack?" Chips Fruit Nuts', mod));
    say(first.t, message('alice', '!vote chips', viewer(1)));
    say(first.t, message('alice', '!vote 2', viewer(2)));
    say(first.t, message('alice', '!vote 2', viewer(3)));
    say(first.t, message('alice', '!vote 3', viewer(3))); // changed: only the last ballot counts
    await act(first.t, message('alice', '!death', viewer(1)));
    await act(first.t, message('alice', '!point', viewer(4)));
    await act(first.t, message('alice', '!point', viewer(4)));
    await first.t.stop();

    // The store holds counts and hashed voter keys, never a user id, login or name.
    expect(await storedText(store, 'alice')).not.toMatch(/uid-|viewer_/u);

    clock.advance(60_000);
    const second = await startEngagement({ store, clock });
    expect(second.engagement.polls('alice').map(({ id, status, counts }) => ({ id, status, counts }))).toEqual([
      { id: 'poll-2', status: 'open', counts: [1, 1, 1] },
      { id: 'poll-1', status: 'closed', counts: [1, 0] },
    ]);
    say(second.t, message('alice', '!vote chips', viewer(1))); // the same ballot again: nothing changes
    say(second.t, message('alice', '!vote nuts', viewer(2))); // a change from the first run's ballot
    expect(second.t.events.of('poll.vote')).toMatchObject([{ option: 'Nuts', previousOption: 'Fruit' }]);
    await act(second.t, message('alice', '!death', viewer(1)));
    await act(second.t, message('alice', '!point', viewer(4)));
    await act(second.t, message('alice', '!endpoll', mod));
    expect(second.t.events.of('poll.closed')[0]).toMatchObject({ pollId: 'poll-2', results: [{ votes: 1 }, { votes: 0 }, { votes: 2 }], winners: ['Nuts'] });
    // The next poll continues the sequence.
    await act(second.t, message('alice', '!poll "Next?" x y', mod));
    await second.t.stop();

    expect(await store.read('engagement.alice.ballots')).toEqual([]);
    expect(readExport(second.root, 'runtime/exports/tallies.json').tallies).toContainEqual({
      id: 'deaths',
      creator: 'alice',
      name: 'Deaths',
      counts: [{ label: 'total', count: 2 }],
    });
    expect(readExport(second.root, 'runtime/exports/scoreboards.json').scoreboards).toEqual([
      { id: 'points', creator: 'alice', name: 'Points', entries: [{ rank: 1, label: 'Viewer4', score: 3 }] },
    ]);
    expect(readExport<{ polls: { id: string; status: string }[] }>(second.root, 'runtime/exports/polls.json').polls.map((p) => [p.id, p.status])).toEqual([
      ['poll-3', 'open'],
      ['poll-2', 'closed'],
      ['poll-1', 'closed'],
    ]);
  });

  it('a poll whose time ran out while the runtime was down closes on start, at its scheduled time', async () => {
    const store = new MemoryStateStore();
    const clock = new TestClock();
    const first = await startEngagement({ store, clock });
    await act(first.t, message('alice', '!quickpoll "Down?" yes no', mod));
    say(first.t, message('alice', '!vote yes', viewer(1)));
    await first.t.stop();

    clock.advance(10 * 60_000);
    const second = await startEngagement({ store, clock });
    expect(second.t.events.of('poll.closed')).toMatchObject([
      { pollId: 'poll-1', reason: 'duration', closedAt: T0 + 30_000, at: T0 + 600_000, winners: ['yes'] },
    ]);
    expect(second.engagement.polls('alice')[0]).toMatchObject({ status: 'closed', closedAt: T0 + 30_000 });
  });

  it('keeps only polls.history closed polls, in memory and in the store', async () => {
    const store = new MemoryStateStore();
    const { engagement, t } = await startEngagement({ store, bob: { polls: { history: 2 } } });
    for (let i = 1; i <= 4; i += 1) {
      await engagement.openPoll('bob', { question: `Q${i}`, options: ['a', 'b'] });
      await engagement.closePoll('bob');
    }
    expect(engagement.polls('bob').map((p) => p.id)).toEqual(['poll-4', 'poll-3']);
    await t.stop();
    expect((await store.entries('engagement.bob.polls')).map(([key]) => key)).toEqual(['poll-3', 'poll-4']);
  });

  it('config changes between runs: tallies keep their counts, labels no longer allowed are hidden', async () => {
    const store = new MemoryStateStore();
    const first = await startEngagement({ store });
    await first.engagement.addToTally('alice', { tally: 'free', label: 'Red', delta: 2 });
    await first.engagement.addToTally('alice', { tally: 'free', label: 'Blue', delta: 1 });
    await first.t.stop();

    const second = await startEngagement({ store, alice: { tallies: [{ id: 'free', name: 'Colors', labels: ['red', 'green'] }] } });
    expect(second.engagement.tallies('alice')).toEqual([
      {
        id: 'free',
        name: 'Colors',
        counts: [
          { label: 'green', count: 0 },
          { label: 'red', count: 2 },
        ],
      },
    ]);
  });
});
