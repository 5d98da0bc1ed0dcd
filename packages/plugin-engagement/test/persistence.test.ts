import { MemoryStateStore } from '@streamsuites/defaults';
import { type StateStore } from '@streamsuites/kernel';
import { describe, expect, it } from 'vitest';
import { act, ALICE_CONFIG, logsWith, message, mod, readExport, say, startEngagement, T0, TestClock, viewer } from './helpers.js';

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
  it('keeps the open poll with its ballots (polls.resumeOnRestart), closed polls, tallies and scores', async () => {
    const store = new MemoryStateStore();
    const clock = new TestClock();
    const alice = { ...ALICE_CONFIG, polls: { resumeOnRestart: true } };
    const first = await startEngagement({ store, clock, alice });
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
    const second = await startEngagement({ store, clock, alice });
    expect(second.t.events.of('poll.closed')).toEqual([]);
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

describe('a poll left open by an earlier run (stopped mid-poll)', () => {
  const iso = (ms: number) => new Date(ms).toISOString();
  type PollRow = { id: string; status: string; options: { label: string; votes: number }[]; openedAt: string; closedAt?: string };

  it('without a duration: closed when the creator starts again (reason restart, results final and exported); the next !poll opens without an error', async () => {
    const store = new MemoryStateStore();
    const clock = new TestClock();
    const first = await startEngagement({ store, clock });
    await act(first.t, message('alice', '!poll "Snack?" popcorn chips', mod));
    say(first.t, message('alice', '!vote chips', viewer(1)));
    say(first.t, message('alice', '!vote 1', viewer(2)));
    say(first.t, message('alice', '!vote chips', viewer(3)));
    await first.t.stop();
    expect(readExport<{ polls: PollRow[] }>(first.root, 'runtime/exports/polls.json').polls.map((p) => [p.id, p.status])).toEqual([['poll-1', 'open']]);

    clock.advance(3_600_000);
    const restartedAt = T0 + 3_600_000;
    const second = await startEngagement({ store, clock, dataDir: first.dataDir });
    expect(second.t.events.of('poll.closed')).toEqual([
      {
        creatorId: 'alice',
        pollId: 'poll-1',
        question: 'Snack?',
        reason: 'restart',
        results: [
          { label: 'popcorn', votes: 1 },
          { label: 'chips', votes: 2 },
        ],
        totalVotes: 3,
        winners: ['chips'],
        openedAt: T0,
        closedAt: restartedAt,
        at: restartedAt,
      },
    ]);
    const again = await act(second.t, message('alice', '!poll "Drink?" tea coffee', mod));
    expect(again.event).toBe('action.dispatched');
    expect(logsWith(second.t, 'SS_ERR_ENGAGEMENT_POLL_ALREADY_OPEN')).toEqual([]);
    say(second.t, message('alice', '!vote tea', viewer(1))); // counts for the new poll only
    await second.t.stop();

    expect(readExport<{ polls: PollRow[] }>(second.root, 'runtime/exports/polls.json').polls).toMatchObject([
      { id: 'poll-2', status: 'open', options: [{ label: 'tea', votes: 1 }, { label: 'coffee', votes: 0 }], openedAt: iso(restartedAt) },
      { id: 'poll-1', status: 'closed', options: [{ label: 'popcorn', votes: 1 }, { label: 'chips', votes: 2 }], openedAt: iso(T0), closedAt: iso(restartedAt) },
    ]);
    const stored = new Map(await store.entries<{ status: string; closeReason?: string }>('engagement.alice.polls'));
    expect(stored.get('poll-1')).toMatchObject({ status: 'closed', closeReason: 'restart', closedAt: restartedAt });
    expect((await store.read<{ poll: string }>('engagement.alice.ballots')).map((row) => row.record.poll)).toEqual(['poll-2']);
  });

  it('with time left (the demo run twice in a row): it runs on, and a moderator\'s !poll replaces it — the old poll closed (replaced) and exported', async () => {
    const store = new MemoryStateStore();
    const clock = new TestClock();
    const first = await startEngagement({ store, clock });
    await act(first.t, message('alice', '!quickpoll "Down?" yes no', mod)); // 30 s
    say(first.t, message('alice', '!vote yes', viewer(1)));
    await first.t.stop();

    clock.advance(10_000);
    const second = await startEngagement({ store, clock, dataDir: first.dataDir });
    expect(second.t.events.of('poll.closed')).toEqual([]);
    expect(second.engagement.polls('alice')).toMatchObject([{ id: 'poll-1', status: 'open', counts: [1, 0], closesAt: T0 + 30_000 }]);

    // An invalid poll does not close the open one.
    expect((await act(second.t, message('alice', '!poll "Bad?" only', mod))).event).toBe('action.failed');
    expect(second.engagement.polls('alice')[0]).toMatchObject({ id: 'poll-1', status: 'open' });

    const replaced = await act(second.t, message('alice', '!poll "Next?" left right', mod));
    expect(replaced.event).toBe('action.dispatched');
    expect(logsWith(second.t, 'SS_ERR_ENGAGEMENT_POLL_ALREADY_OPEN')).toEqual([]);
    expect(second.t.events.of('poll.closed')).toMatchObject([{ pollId: 'poll-1', reason: 'replaced', closedAt: T0 + 10_000, at: T0 + 10_000, winners: ['yes'] }]);
    expect(second.t.events.of('poll.opened')).toMatchObject([{ pollId: 'poll-2', question: 'Next?', openedAt: T0 + 10_000 }]);
    // The replaced poll's deadline no longer matters; the new one has none.
    clock.advance(60_000);
    say(second.t, message('alice', '!vote right', viewer(2)));
    expect(second.t.events.of('poll.closed')).toHaveLength(1);
    await second.t.stop();

    expect(readExport<{ polls: PollRow[] }>(second.root, 'runtime/exports/polls.json').polls).toMatchObject([
      { id: 'poll-2', status: 'open', options: [{ votes: 0 }, { votes: 1 }] },
      { id: 'poll-1', status: 'closed', options: [{ label: 'yes', votes: 1 }, { label: 'no', votes: 0 }], closedAt: iso(T0 + 10_000) },
    ]);
    expect(new Map(await store.entries('engagement.alice.polls')).get('poll-1')).toMatchObject({ status: 'closed', closeReason: 'replaced' });
  });
});
