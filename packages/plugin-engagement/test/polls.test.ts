import { describe, expect, it, vi } from 'vitest';
import { act, ALICE_CONFIG, logsWith, message, mod, readExport, readTree, say, startEngagement, T0, viewer } from './helpers.js';

describe('polls from triggers and chat votes', () => {
  it('opens a poll, counts votes by number and by label, one per voter, changes allowed; closes by action', async () => {
    const { t, clock, root } = await startEngagement();
    const opened = await act(t, message('alice', '!poll "Best map?" Dust Inferno "Mirage Night"', mod));
    expect(opened.event).toBe('action.dispatched');
    expect(t.events.of('poll.opened')).toEqual([
      { creatorId: 'alice', pollId: 'poll-1', question: 'Best map?', options: ['Dust', 'Inferno', 'Mirage Night'], openedAt: T0, at: T0 },
    ]);

    clock.advance(1000);
    say(t, message('alice', '!vote 1', viewer(1))); // by number
    say(t, message('alice', '!vote inferno', viewer(2))); // by label, any case
    say(t, message('alice', '  !VOTE   "mirage   NIGHT" ', viewer(3))); // quotes and spacing ignored
    say(t, message('alice', '!vote 1', viewer(1))); // the same vote again: nothing changes
    clock.advance(1000);
    say(t, message('alice', '!vote 3', viewer(1))); // change of mind
    say(t, message('alice', '!vote 7', viewer(4))); // no option 7
    say(t, message('alice', '!vote pizza', viewer(4))); // no such option
    say(t, message('alice', '!voter 1', viewer(4))); // not the vote command
    say(t, message('alice', 'gg !vote 1', viewer(4))); // not at the start
    say(t, message('alice', '!vote 2', viewer(1, 'youtube'))); // same user id on another platform: another voter
    say(t, message('bob', '!vote 2', viewer(5))); // another creator: bob has no poll

    expect(t.events.of('poll.vote').map(({ option, optionNumber, previousOption, at }) => ({ option, optionNumber, previousOption, at }))).toEqual([
      { option: 'Dust', optionNumber: 1, previousOption: undefined, at: T0 + 1000 },
      { option: 'Inferno', optionNumber: 2, previousOption: undefined, at: T0 + 1000 },
      { option: 'Mirage Night', optionNumber: 3, previousOption: undefined, at: T0 + 1000 },
      { option: 'Mirage Night', optionNumber: 3, previousOption: 'Dust', at: T0 + 2000 },
      { option: 'Inferno', optionNumber: 2, previousOption: undefined, at: T0 + 2000 },
    ]);
    for (const vote of t.events.of('poll.vote')) expect(JSON.stringify(vote)).not.toMatch(/uid-|viewer_|Viewer/u);

    clock.advance(3000);
    const closed = await act(t, message('alice', '!endpoll', mod));
    expect(closed.event).toBe('action.dispatched');
    expect(t.events.of('poll.closed')).toEqual([
      {
        creatorId: 'alice',
        pollId: 'poll-1',
        question: 'Best map?',
        reason: 'action',
        results: [
          { label: 'Dust', votes: 0 },
          { label: 'Inferno', votes: 2 },
          { label: 'Mirage Night', votes: 2 },
        ],
        totalVotes: 4,
        winners: ['Inferno', 'Mirage Night'],
        openedAt: T0,
        closedAt: T0 + 5000,
        at: T0 + 5000,
      },
    ]);
    // Votes after the close do not count.
    say(t, message('alice', '!vote 1', viewer(9)));
    expect(t.events.of('poll.vote')).toHaveLength(5);

    await t.stop();
    expect(readExport(root, 'runtime/exports/polls.json').polls).toEqual([
      {
        id: 'poll-1',
        creator: 'alice',
        question: 'Best map?',
        status: 'closed',
        options: [
          { label: 'Dust', votes: 0 },
          { label: 'Inferno', votes: 2 },
          { label: 'Mirage Night', votes: 2 },
        ],
        openedAt: '2026-11-27T20:00:00.000Z',
        closedAt: '2026-11-27T20:00:05.000Z',
      },
    ]);
    expect(readExport(root, 'runtime/signals/poll_votes.json').events).toEqual([
      { at: '2026-11-27T20:00:01.000Z', creator: 'alice', pollId: 'poll-1', option: 'Dust' },
      { at: '2026-11-27T20:00:01.000Z', creator: 'alice', pollId: 'poll-1', option: 'Inferno' },
      { at: '2026-11-27T20:00:01.000Z', creator: 'alice', pollId: 'poll-1', option: 'Mirage Night' },
      { at: '2026-11-27T20:00:02.000Z', creator: 'alice', pollId: 'poll-1', option: 'Mirage Night' },
      { at: '2026-11-27T20:00:02.000Z', creator: 'alice', pollId: 'poll-1', option: 'Inferno' },
    ]);
    // No exported file (public or dashboard-only) names a voter.
    for (const [file, text] of Object.entries(readTree(root))) {
      if (!file.includes('poll')) continue;
      expect(text, file).not.toMatch(/uid-\d|viewer_\d|Viewer\d/u);
    }
  });

  it('with allowChangeVote false, the first vote stands; voteCommand is configurable', async () => {
    const { t, engagement } = await startEngagement({ bob: { polls: { allowChangeVote: false, voteCommand: '#pick' } } });
    await engagement.openPoll('bob', { question: 'Snack?', options: ['Chips', 'Fruit'] });
    say(t, message('bob', '#pick chips', viewer(1)));
    say(t, message('bob', '#pick 2', viewer(1))); // refused: no change allowed
    say(t, message('bob', '!vote 2', viewer(2))); // not bob's vote command
    say(t, message('bob', '#PICK 2', viewer(2)));
    expect(t.events.of('poll.vote').map((v) => v.option)).toEqual(['Chips', 'Fruit']);
    expect(engagement.polls('bob')[0]).toMatchObject({ status: 'open', counts: [1, 1] });
  });

  it('an exact label wins over an option number', async () => {
    const { t, engagement } = await startEngagement();
    await engagement.openPoll('alice', { question: 'Year?', options: ['3', '1', '2'] });
    say(t, message('alice', '!vote 1', viewer(1)));
    say(t, message('alice', '!vote #1', viewer(2)));
    expect(t.events.of('poll.vote').map((v) => v.option)).toEqual(['1', '3']);
  });

  it('drops empty templated options and reports poll problems with coded errors; the runtime keeps running', async () => {
    const { t, engagement } = await startEngagement({ alice: { ...ALICE_CONFIG, polls: { onOpenWhileOpen: 'refuse' } }, bob: { polls: { maxOptions: 3 } } });
    const fewer = await act(t, message('alice', '!poll "Coin?" Heads', mod));
    expect(fewer.event).toBe('action.failed');
    expect(logsWith(t, 'SS_ERR_ENGAGEMENT_POLL_INVALID')).not.toHaveLength(0);

    const duplicate = await act(t, message('alice', '!poll "Coin?" Heads HEADS', mod));
    expect(duplicate.event).toBe('action.failed');
    expect(logsWith(t, 'appears twice')).not.toHaveLength(0);

    await expect(engagement.openPoll('bob', { question: 'Pick', options: ['a', 'b', 'c', 'd'] })).rejects.toMatchObject({
      code: 'SS_ERR_ENGAGEMENT_POLL_INVALID',
      message: expect.stringContaining('polls.maxOptions is 3'),
      hint: expect.stringContaining('creators.bob.config.engagement'),
    });
    await expect(engagement.openPoll('bob', { question: '   ', options: ['a', 'b'] })).rejects.toMatchObject({ code: 'SS_ERR_ENGAGEMENT_POLL_INVALID' });

    const noPoll = await act(t, message('alice', '!endpoll', mod));
    expect(noPoll.event).toBe('action.failed');
    expect(logsWith(t, 'SS_ERR_ENGAGEMENT_NO_OPEN_POLL')).not.toHaveLength(0);

    // Three of four option slots filled: the empty "{arg5}" is dropped.
    const ok = await act(t, message('alice', '!poll "Coin?" Heads Tails Edge', mod));
    expect(ok.event).toBe('action.dispatched');
    expect(t.events.of('poll.opened').at(-1)?.options).toEqual(['Heads', 'Tails', 'Edge']);

    const twice = await act(t, message('alice', '!poll "Again?" yes no', mod));
    expect(twice.event).toBe('action.failed');
    const [line] = logsWith(t, 'SS_ERR_ENGAGEMENT_POLL_ALREADY_OPEN');
    expect(JSON.stringify(line)).toContain('already has an open poll (poll-1: \\"Coin?\\")');

    // Only moderators may open polls (a trigger filter, not ours): nothing happens for a viewer.
    say(t, message('alice', '!poll "Mine?" a b', viewer(1)));
    say(t, message('alice', '!vote tails', viewer(1)));
    expect(t.events.of('poll.vote').map((v) => v.option)).toEqual(['Tails']);
    expect(t.kernel.status().creators.find((c) => c.id === 'alice')?.plugins.engagement).toBe('running');
  });
});

describe('closing by duration on the kernel clock', () => {
  it('a vote at the closing time closes the poll first and is not counted; closedAt is the scheduled time', async () => {
    const { t, clock, root } = await startEngagement();
    await act(t, message('alice', '!quickpoll "Next game?" Chess Go Poker', mod));
    expect(t.events.of('poll.opened')[0]).toMatchObject({ openedAt: T0, closesAt: T0 + 30_000 });

    clock.advance(29_999);
    say(t, message('alice', '!vote go', viewer(1)));
    clock.advance(1); // exactly closesAt
    say(t, message('alice', '!vote chess', viewer(2)));
    expect(t.events.of('poll.vote').map((v) => v.option)).toEqual(['Go']);
    expect(t.events.of('poll.closed')).toMatchObject([
      { pollId: 'poll-1', reason: 'duration', closedAt: T0 + 30_000, at: T0 + 30_000, results: [{ votes: 0 }, { votes: 1 }, { votes: 0 }], winners: ['Go'] },
    ]);

    // Noticed late (the next chat line comes a minute later): still closed at the scheduled time.
    await act(t, message('alice', '!quickpoll "Snack?" Chips Fruit', mod));
    clock.advance(90_000);
    say(t, message('alice', 'anyone there?', viewer(3)));
    expect(t.events.of('poll.closed')[1]).toMatchObject({ pollId: 'poll-2', reason: 'duration', closedAt: T0 + 60_000, at: T0 + 120_000 });

    // The duration may come from the chat line too ("{arg1}" converted to a number).
    await act(t, message('alice', '!timedpoll 45 "Tea?" Yes No', mod));
    expect(t.events.of('poll.opened')[2]).toMatchObject({ pollId: 'poll-3', openedAt: T0 + 120_000, closesAt: T0 + 165_000 });

    await t.stop();
    expect(readExport<{ polls: { id: string; status: string; closedAt?: string }[] }>(root, 'runtime/exports/polls.json').polls).toEqual([
      expect.objectContaining({ id: 'poll-3', status: 'open', openedAt: '2026-11-27T20:02:00.000Z' }),
      expect.objectContaining({ id: 'poll-2', status: 'closed', closedAt: '2026-11-27T20:01:00.000Z' }),
      expect.objectContaining({ id: 'poll-1', status: 'closed', closedAt: '2026-11-27T20:00:30.000Z' }),
    ]);
  });

  it('the live timer closes a due poll without any chat, asking the kernel clock', async () => {
    const { t, clock, engagement } = await startEngagement();
    await engagement.openPoll('alice', { question: 'Quick?', options: ['a', 'b'], durationSec: 1 });
    say(t, message('alice', '!vote b', viewer(1)));
    clock.advance(60_000); // virtual time passes; no chat arrives
    const closed = await t.events.waitFor('poll.closed');
    expect(closed).toMatchObject({ creatorId: 'alice', reason: 'duration', closedAt: T0 + 1000, at: T0 + 60_000, winners: ['b'] });
  });

  it('the timer re-checks the kernel clock: never early, and closes once the clock reached closesAt', async () => {
    const { t, clock, engagement } = await startEngagement();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      await engagement.openPoll('alice', { question: 'Slow?', options: ['a', 'b'], durationSec: 1 });
      await engagement.openPoll('bob', { question: 'Probe', options: ['x', 'y'], durationSec: 2 });
      vi.advanceTimersByTime(10_000); // real time passes, the virtual clock does not: the timers fire and re-arm
      expect(t.events.of('poll.closed')).toEqual([]);
      clock.advance(999);
      engagement.tick();
      expect(t.events.of('poll.closed')).toEqual([]);
      clock.advance(1);
      vi.advanceTimersByTime(1000);
      expect(t.events.of('poll.closed').map((e) => [e.creatorId, e.closedAt])).toEqual([['alice', T0 + 1000]]);
      clock.advance(5000);
      vi.advanceTimersByTime(1000);
      expect(t.events.of('poll.closed').map((e) => [e.creatorId, e.closedAt, e.at])).toEqual([
        ['alice', T0 + 1000, T0 + 1000],
        ['bob', T0 + 2000, T0 + 6000],
      ]);
    } finally {
      vi.useRealTimers();
    }
  });
});
