/** Malformed, hostile and randomly mutated items are ignored by the normalizer, never thrown. */
import { describe, expect, it } from 'vitest';
import type { LiveChatItem } from '../src/types.js';
import { clone, constructed, ctx, message, norm, notice, read } from './normalize-helpers.js';

describe('bad input is ignored, never thrown', () => {
  const good = (): Record<string, unknown> =>
    clone({
      id: 'LCC.ok',
      snippet: {
        type: 'superChatEvent',
        authorChannelId: 'UCx',
        publishedAt: '2024-05-01T18:00:00Z',
        superChatDetails: { amountMicros: '5000000', currency: 'USD', amountDisplayString: '$5.00', userComment: 'hi', tier: 2 },
      },
      authorDetails: { channelId: 'UCx', displayName: 'X', isChatOwner: false, isChatModerator: false, isChatSponsor: false, isVerified: false },
    });
  const withSnippet = (patch: Record<string, unknown>) => {
    const item = good();
    Object.assign(item.snippet as object, patch);
    return item;
  };

  it('the base item is a superchat', () => {
    expect(message(good()).monetary).toEqual({ kind: 'superchat', amountMicros: 5_000_000, currency: 'USD', display: '$5.00' });
    expect(message(withSnippet({ superChatDetails: { amountMicros: 1_000_000, currency: 'JPY' } })).monetary).toEqual({
      kind: 'superchat',
      amountMicros: 1_000_000,
      currency: 'JPY',
    });
  });

  const cases: [string, unknown, RegExp][] = [
    ['null', null, /not an object/],
    ['a string', 'textMessageEvent', /not an object/],
    ['an array', [], /not an object/],
    ['no snippet', { id: 'x' }, /no snippet/],
    ['snippet not an object', { id: 'x', snippet: 'x' }, /snippet is not an object/],
    ['no type', { snippet: {} }, /snippet\.type/],
    ['type a number', { snippet: { type: 1 } }, /snippet\.type/],
    ['huge type', { snippet: { type: 'x'.repeat(1_000_000) } }, /too long/],
    ['unknown type', { snippet: { type: 'fooEvent' } }, /unknown snippet\.type/],
    ['pollEvent', { snippet: { type: 'pollEvent' } }, /poll/],
    ['id a number', { id: 5, snippet: { type: 'textMessageEvent' } }, /item\.id is not a string/],
    ['huge id', { id: 'x'.repeat(10_000), snippet: { type: 'textMessageEvent' } }, /item\.id is longer/],
  ];
  for (const [name, item, reason] of cases) {
    it(name, () => {
      const r = norm(item);
      expect(r.kind).toBe('ignored');
      expect(r.kind === 'ignored' && r.reason).toMatch(reason);
    });
  }

  const snippetCases: [string, Record<string, unknown>, RegExp][] = [
    ['bad date', { publishedAt: '2023-6-14 09:00:00' }, /publishedAt/],
    ['date as a number', { publishedAt: 1687000000000 }, /publishedAt/],
    ['huge date', { publishedAt: '2'.repeat(1_000_000) }, /publishedAt/],
    ['details not an object', { superChatDetails: 'x' }, /superChatDetails is not an object/],
    ['no details', { superChatDetails: undefined }, /without superChatDetails/],
    ['amountMicros not digits', { superChatDetails: { amountMicros: '5e6', currency: 'USD' } }, /amountMicros/],
    ['amountMicros negative', { superChatDetails: { amountMicros: -1, currency: 'USD' } }, /amountMicros/],
    ['amountMicros too big', { superChatDetails: { amountMicros: '99999999999999999999', currency: 'USD' } }, /amountMicros/],
    ['amountMicros missing', { superChatDetails: { currency: 'USD' } }, /amountMicros is missing/],
    ['currency missing', { superChatDetails: { amountMicros: '1' } }, /currency is missing/],
    ['currency a number', { superChatDetails: { amountMicros: '1', currency: 840 } }, /currency is not a string/],
    ['huge comment', { superChatDetails: { amountMicros: '1', currency: 'USD', userComment: 'x'.repeat(1_000_000) } }, /userComment is longer/],
  ];
  for (const [name, patch, reason] of snippetCases) {
    it(name, () => {
      const r = norm(withSnippet(patch));
      expect(r.kind).toBe('ignored');
      expect(r.kind === 'ignored' && r.reason).toMatch(reason);
      expect(r.kind === 'ignored' && r.type).toBe('superChatEvent');
    });
  }

  it('bad author fields', () => {
    for (const [authorDetails, reason] of [
      ['x', /authorDetails is not an object/],
      [{ channelId: 5 }, /channelId is not a string/],
      [{ channelId: 'UCx', displayName: 'x'.repeat(100_000) }, /displayName is longer/],
      [{ channelId: 'UCx', isChatOwner: 'true' }, /isChatOwner is not a boolean/],
    ] as const) {
      const item = good();
      item.authorDetails = authorDetails;
      const r = norm(item);
      expect(r.kind === 'ignored' && r.reason, JSON.stringify(authorDetails).slice(0, 60)).toMatch(reason);
    }
    const anonymous = good();
    delete anonymous.authorDetails;
    delete (anonymous.snippet as Record<string, unknown>).authorChannelId;
    expect(norm(anonymous)).toMatchObject({ kind: 'ignored', reason: expect.stringMatching(/no author/) });
  });

  it('bad details of the other kinds', () => {
    const item = (type: string, snippet: Record<string, unknown>) => ({ id: 'i', snippet: { type, authorChannelId: 'UCx', ...snippet } });
    const cases: [unknown, RegExp][] = [
      [item('textMessageEvent', {}), /without text/],
      [item('textMessageEvent', { textMessageDetails: { messageText: 7 } }), /messageText is not a string/],
      [item('textMessageEvent', { textMessageDetails: { messageText: 'x'.repeat(5000) } }), /messageText is longer/],
      [item('superStickerEvent', { superStickerDetails: { amountMicros: '1', currency: 'USD', superStickerMetadata: 'x' } }), /superStickerMetadata/],
      [item('memberMilestoneChatEvent', { memberMilestoneChatDetails: { memberMonth: 'six' } }), /memberMonth/],
      [item('newSponsorEvent', { newSponsorDetails: { isUpgrade: 'no' } }), /isUpgrade/],
      [item('membershipGiftingEvent', { membershipGiftingDetails: { giftMembershipsCount: 1.5 } }), /giftMembershipsCount/],
      [item('messageDeletedEvent', {}), /without messageDeletedDetails/],
      [item('messageDeletedEvent', { messageDeletedDetails: { deletedMessageId: '' } }), /deletedMessageId is missing/],
      [item('userBannedEvent', { userBannedDetails: { banType: 'permanent' } }), /bannedUserDetails is missing/],
      [item('userBannedEvent', { userBannedDetails: { banType: 'forever', bannedUserDetails: { channelId: 'UCy' } } }), /banType/],
      [item('userBannedEvent', { userBannedDetails: { banType: 'temporary', banDurationSeconds: '-5', bannedUserDetails: { channelId: 'UCy' } } }), /banDurationSeconds/],
    ];
    for (const [input, reason] of cases) {
      const r = norm(input);
      expect(r.kind === 'ignored' && r.reason, JSON.stringify(input).slice(0, 120)).toMatch(reason);
    }
  });

  it('notices without details or author still normalize; a retraction is a deletion', () => {
    expect(notice({ id: 'n', snippet: { type: 'newSponsorEvent', publishedAt: '2024-05-01T18:00:00Z' } })).toEqual({
      id: 'n',
      platform: 'youtube',
      creatorId: 'c1',
      channel: 'UCcreator',
      receivedAt: ctx.receivedAt,
      kind: 'newSponsor',
      data: { sentAt: Date.UTC(2024, 4, 1, 18) },
    });
    expect(norm({ id: 'r', snippet: { type: 'messageRetractedEvent', messageRetractedDetails: { retractedMessageId: 'LCC.z' } } })).toMatchObject({
      kind: 'deleted',
      event: { messageId: 'LCC.z' },
    });
  });

  // Broke it once: the catch in normalizeItem returned ignored('item could not be read: ...') (the old code) → failed.
  it('hostile objects (throwing getters) are reported as failed, not ignored', () => {
    const item = { id: 'x', snippet: { type: 'textMessageEvent' } };
    Object.defineProperty(item.snippet, 'publishedAt', {
      enumerable: true,
      get() {
        throw new Error('boom');
      },
    });
    expect(norm(item)).toEqual({ kind: 'failed', reason: 'item could not be read: boom' });
  });

  // Zero failures, not just "does not throw": normalizeItem catches its own throws and returns `failed`, so a
  // bug would not throw here. Broke it once: `throw` in normalizeUnknown when snippet.type is not a string (the junk
  // list makes it one) → failures > 0 and this failed, while "never throws" still passed.
  it('random mutations of the fixtures never throw and never fail', () => {
    const items = [...constructed.items!, read<LiveChatItem>('liveChatMessage.item.superChat.brianlough-2021.json')];
    const junk = [null, 0, -1, 1.5, '', 'x', true, [], {}, '\uD800', 'x'.repeat(10_000), '2024-13-01T00:00:00Z'];
    let seed = 42;
    const rnd = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    const failures: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const item = clone(items[rnd(items.length)]!) as Record<string, unknown>;
      // Replace one leaf or object anywhere in the tree.
      const stack: Record<string, unknown>[] = [item];
      let target = item;
      while (stack.length > 0 && rnd(3) !== 0) {
        const keys = Object.keys(target).filter((k) => typeof target[k] === 'object' && target[k] !== null);
        if (keys.length === 0) break;
        target = target[keys[rnd(keys.length)]!] as Record<string, unknown>;
      }
      const keys = Object.keys(target);
      if (keys.length > 0) target[keys[rnd(keys.length)]!] = junk[rnd(junk.length)];
      let result;
      expect(() => (result = norm(item))).not.toThrow();
      if (result!.kind === 'failed') failures.push(`${result!.reason}: ${JSON.stringify(item).slice(0, 200)}`);
    }
    expect(failures).toEqual([]);
  });
});
