import { createHash } from 'node:crypto';
import type { ChatMessage } from '@streamsuites/kernel';
import { describe, expect, it } from 'vitest';
import { Counter, withRanks } from '../src/counters.js';
import { voterKey } from '../src/creator.js';
import { cleanLabel, labelKey } from '../src/labels.js';
import { PollBook } from '../src/polls.js';
import { SerialQueue } from '../src/queue.js';
import { parseVote } from '../src/index.js';

describe('parseVote', () => {
  const options = ['Dust', 'Inferno', 'Mirage Night'];
  it.each([
    ['!vote 1', 0],
    ['!vote #3', 2],
    ['!VOTE inferno', 1],
    ['   !vote   mirage    night  ', 2],
    ['!vote "Mirage Night"', 2],
    ['!vote 0', undefined],
    ['!vote 4', undefined],
    ['!vote', undefined],
    ['!vote   ', undefined],
    ['!votes 1', undefined],
    ['vote 1', undefined],
    ['!vote 1.5', undefined],
    ['!vote dust inferno', undefined],
  ])('%j → %j', (text, expected) => {
    expect(parseVote(text, '!vote', options)).toBe(expected);
  });

  it('prefers an exact label over an option number', () => {
    expect(parseVote('!vote 2', '!vote', ['10', '2'])).toBe(1);
    expect(parseVote('!vote 1', '!vote', ['10', '2'])).toBe(0);
  });

  it('reads the options as they are now, even when the same array was changed since the last vote', () => {
    const changing = ['Tea', 'Coffee'];
    expect(parseVote('!vote coffee', '!vote', changing)).toBe(1);
    changing[1] = 'Juice';
    expect(parseVote('!vote coffee', '!vote', changing)).toBeUndefined();
    expect(parseVote('!vote JUICE', '!vote', changing)).toBe(1);
    changing.push('Café');
    expect(parseVote('!vote cafe\u0301', '!vote', changing)).toBe(2);
  });
});

describe('voterKey', () => {
  it('is the first 22 characters of the base64url SHA-256 of platform:author (the key ballots were stored under)', () => {
    const from = (author: { id: string; login: string }) => ({ platform: 'twitch', id: 'm1', author }) as unknown as ChatMessage;
    const expected = (text: string) => createHash('sha256').update(text).digest('base64url').slice(0, 22);
    expect(voterKey(from({ id: 'uid-7', login: 'viewer_7' }))).toBe(expected('twitch:uid-7'));
    expect(voterKey(from({ id: '', login: 'viewer_7' }))).toBe(expected('twitch:viewer_7'));
  });
});

describe('labels and counters', () => {
  it('labels that are already clean come back unchanged', () => {
    for (const label of ['Big Win', 'a', '!vote #2', 'x-y_z', '~']) expect(cleanLabel(label)).toBe(label);
    expect(labelKey('Big Win')).toBe('big win');
  });

  it('labels are trimmed, collapsed and compared ignoring case', () => {
    expect(cleanLabel('  Big \t  Win ')).toBe('Big Win');
    expect(labelKey(' BIG win')).toBe(labelKey('big WIN'));
    expect(cleanLabel('Cafe\u0301')).toBe('Caf\u00e9'); // NFC: one label however it was typed
    expect(cleanLabel('bad \ud800 half')).toBe('bad \ufffd half'); // storable as a state key
  });

  it('ranks by score then label; equal scores share a rank', () => {
    const counter = new Counter({ limit: 10, integer: false });
    for (const [label, delta] of [['b', 2], ['a', 2], ['c', 5], ['d', 1], ['e', 0.1], ['E', 0.2]] as const) counter.add(label, delta);
    expect(withRanks(counter.ranked())).toEqual([
      { rank: 1, label: 'c', score: 5 },
      { rank: 2, label: 'a', score: 2 },
      { rank: 2, label: 'b', score: 2 },
      { rank: 4, label: 'd', score: 1 },
      { rank: 5, label: 'e', score: 0.3 }, // not 0.30000000000000004
    ]);
  });

  it('refuses labels outside a fixed list, past the limit, or past the safe range', () => {
    expect(new Counter({ allowed: ['Yes'], limit: 5, integer: true }).add('no', 1)).toEqual({ kind: 'not-allowed' });
    const open = new Counter({ limit: 1, integer: true });
    expect(open.add('one', 1)).toMatchObject({ entry: { label: 'one', value: 1 } });
    expect(open.add('two', 1)).toEqual({ kind: 'full', limit: 1 });
    expect(open.add('one', Number.MAX_SAFE_INTEGER)).toEqual({ kind: 'out-of-range' });
    expect(open.byLabel()).toEqual([{ label: 'one', value: 1 }]);
  });
});

describe('PollBook', () => {
  it('one ballot per voter; changes move the vote; restore rebuilds counts from ballots', () => {
    const book = new PollBook();
    const poll = book.openPoll('Q', ['a', 'b'], 0, 1000);
    expect(book.vote('v1', 0, true)).toEqual({ option: 0 });
    expect(book.vote('v1', 0, true)).toBeUndefined();
    expect(book.vote('v1', 1, false)).toBeUndefined();
    expect(book.vote('v1', 1, true)).toEqual({ option: 1, previous: 0 });
    expect(book.open?.counts).toEqual([0, 1]);
    expect(book.due(999)).toBe(false);
    expect(book.due(1000)).toBe(true);
    const restored = PollBook.restore([{ ...poll, counts: [0, 0] }], new Map([['v1', 1], ['v2', 0], ['bad', 7]]));
    expect(restored.open?.counts).toEqual([1, 1]);
    expect(restored.openPoll('Next', ['x', 'y'], 5, undefined).id).toBe('poll-2');
  });
});

describe('SerialQueue', () => {
  it('runs tasks one at a time, in order; a failure does not stop the next task', async () => {
    const queue = new SerialQueue();
    const log: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const first = queue.run(async () => {
      log.push('first:start');
      await gate;
      log.push('first:end');
    });
    const second = queue.run(async () => {
      log.push('second');
      throw new Error('boom');
    });
    const third = queue.run(async () => void log.push('third'));
    expect(queue.pending).toBe(3);
    await Promise.resolve();
    expect(log).toEqual(['first:start']);
    release();
    await first;
    await expect(second).rejects.toThrow('boom');
    await third;
    await queue.settled();
    expect(log).toEqual(['first:start', 'first:end', 'second', 'third']);
    expect(queue.pending).toBe(0);
  });
});
