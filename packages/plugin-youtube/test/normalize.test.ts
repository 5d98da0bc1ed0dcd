import { readdirSync, readFileSync } from 'node:fs';
import type { ChatMessage, ChatNotice } from '@streamsuites/kernel';
import { describe, expect, it } from 'vitest';
import { normalizeItem, parseRfc3339 } from '../src/normalize/index.js';
import type { LiveChatItem, LiveChatPage, NormalizedItem } from '../src/types.js';

const dir = new URL('../../../fixtures/youtube/', import.meta.url);
const read = <T>(file: string): T => JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as T;
const ctx = { creatorId: 'c1', channel: 'UCcreator', receivedAt: 1_700_000_000_000 };
const norm = (item: unknown): NormalizedItem => normalizeItem(item as LiveChatItem, ctx);

const constructed = read<LiveChatPage>('constructed-from-docs/liveChatMessages.list.event-types.constructed.json');
const byId = (id: string): LiveChatItem => {
  const found = constructed.items!.find((i) => i.id === id);
  if (!found) throw new Error(`${id} missing`);
  return found;
};
function message(item: unknown): ChatMessage {
  const r = norm(item);
  if (r.kind !== 'message') throw new Error(`gave ${r.kind}: ${JSON.stringify(r)}`);
  return r.message;
}
function notice(item: unknown): ChatNotice {
  const r = norm(item);
  if (r.kind !== 'notice') throw new Error(`gave ${r.kind}: ${JSON.stringify(r)}`);
  return r.notice;
}
const clone = <T>(v: T): T => structuredClone(v);

describe('parseRfc3339', () => {
  it('parses every shape the API sends', () => {
    expect(parseRfc3339('2018-06-22T15:25:11.777Z')).toBe(Date.UTC(2018, 5, 22, 15, 25, 11, 777));
    expect(parseRfc3339('2021-06-09T15:40:52.765983+00:00')).toBe(Date.UTC(2021, 5, 9, 15, 40, 52, 765));
    expect(parseRfc3339('2023-03-31T15:27:16Z')).toBe(Date.UTC(2023, 2, 31, 15, 27, 16));
    expect(parseRfc3339('2024-05-01T18:00:06.5Z')).toBe(Date.UTC(2024, 4, 1, 18, 0, 6, 500));
    expect(parseRfc3339('2024-05-01T20:30:00+02:30')).toBe(Date.UTC(2024, 4, 1, 18, 0, 0));
    expect(parseRfc3339('2024-05-01T10:00:00-08:00')).toBe(Date.UTC(2024, 4, 1, 18, 0, 0));
    expect(parseRfc3339('2024-05-01t18:00:00z')).toBe(Date.UTC(2024, 4, 1, 18, 0, 0));
    expect(parseRfc3339('2024-05-01 18:00:00.123456789Z')).toBe(Date.UTC(2024, 4, 1, 18, 0, 0, 123));
    expect(parseRfc3339('2024-02-29T00:00:00Z')).toBe(Date.UTC(2024, 1, 29));
    expect(parseRfc3339('2016-12-31T23:59:60Z')).toBe(Date.UTC(2016, 11, 31, 23, 59, 59, 999));
    expect(parseRfc3339('0050-01-01T00:00:00Z')).toBe(-60589296000000);
  });

  it('rejects what is not RFC 3339', () => {
    for (const bad of [
      '2023-6-14 09:00:00', // the hand-made "offline" fixture upstream
      '2023-06-14T09:00:00', // no offset
      '2023-06-14',
      '2023-02-29T00:00:00Z',
      '2023-13-01T00:00:00Z',
      '2023-04-31T00:00:00Z',
      '2023-01-01T24:00:00Z',
      '2023-01-01T00:60:00Z',
      '2023-01-01T00:00:61Z',
      '2023-01-01T00:00:00+24:00',
      '2023-01-01T00:00:00.Z',
      '2023-01-01T00:00:00.1234567890Z',
      ' 2023-01-01T00:00:00Z',
      '1687000000000',
      '',
      'x'.repeat(100_000),
    ]) expect(parseRfc3339(bad), bad).toBeUndefined();
    for (const bad of [1687000000000, null, undefined, {}, []]) expect(parseRfc3339(bad)).toBeUndefined();
  });
});

describe('captured items', () => {
  it('textMessageEvent, old quoted etags, chat owner (wondible 2018)', () => {
    const page = read<LiveChatPage>('liveChatMessages.list.text.wondible-2018.json');
    expect(page.items).toHaveLength(1);
    expect(message(page.items![0])).toEqual({
      id: 'LCC.CiMSIQoYVUNRSWRGX1lRS01iLTE5SG84bzVXYnhnEgUvbGl2ZRI5ChpDTWFBcHBySzU5c0NGUXh6Z3dvZGgzTURQZxIbQ1BlQXZaS3c1OXNDRmN3cEF3b2Q4NkVPNWcw',
      platform: 'youtube',
      creatorId: 'c1',
      channel: 'UCcreator',
      receivedAt: ctx.receivedAt,
      sentAt: Date.UTC(2018, 5, 22, 15, 25, 11, 777),
      author: { id: 'UCQIdF_YQKMb-19Ho8o5Wbxg', login: 'UCQIdF_YQKMb-19Ho8o5Wbxg', displayName: 'wondible', roles: ['broadcaster'], badges: {} },
      text: 'hi',
      isAction: false,
    });
  });

  it('textMessageEvent with microseconds and an offset (scrubbed 2023)', () => {
    const page = read<LiveChatPage>('liveChatMessages.list.text.scrubbed-2023.json');
    expect(message(page.items![0])).toEqual({
      id: 'LCC.CjgKDQoLamZLZlBmeUpSZGsqJwoYVUNTSjRna1ZDNk5ydklJOHVtenRmME93EgtqZktmUGZ5SlJkaxIcChpDTHZEcjRTWndmOENGV3dKMWdBZElnWUt2UQ',
      platform: 'youtube',
      creatorId: 'c1',
      channel: 'UCcreator',
      receivedAt: ctx.receivedAt,
      sentAt: Date.UTC(2023, 5, 13, 21, 31, 56, 822),
      author: { id: 'fake_channel_id', login: 'fake_channel_id', displayName: 'fake display name', roles: [], badges: {} },
      text: 'fake msg text',
      isAction: false,
    });
  });

  it('superChatEvent: amountMicros string → number, userComment as text, moderator (brianlough 2021)', () => {
    const item = read<LiveChatItem>('liveChatMessage.item.superChat.brianlough-2021.json');
    const m = message(item);
    // The capture has no `id` (it starts at "snippet"): a stable synthetic one.
    expect(m.id).toMatch(/^h:[0-9a-f]{16}$/);
    expect(message(clone(item)).id).toBe(m.id);
    expect({ ...m, id: '' }).toEqual({
      id: '',
      platform: 'youtube',
      creatorId: 'c1',
      channel: 'UCcreator',
      receivedAt: ctx.receivedAt,
      sentAt: Date.UTC(2021, 5, 9, 15, 40, 52, 765),
      author: { id: 'UCezJOfu7OtqGzd5xrP3q6WA', login: 'UCezJOfu7OtqGzd5xrP3q6WA', displayName: 'Brian Lough', roles: ['moderator'], badges: {} },
      text: 'test',
      isAction: false,
      monetary: { kind: 'superchat', amountMicros: 2_000_000, currency: 'EUR', display: '€2.00' },
    });
    expect(message({ ...item, id: 'LCC.x' }).id).toBe('LCC.x');
  });
});

describe('constructed event types (from the API docs)', () => {
  it('every item normalizes to the expected kind', () => {
    expect(constructed.items!.map((i) => norm(i).kind)).toEqual([
      'message',
      'notice',
      'notice',
      'notice',
      'notice',
      'deleted',
      'user-timeout',
      'ignored',
      'chat-ended',
    ]);
  });

  it('superStickerEvent → message with supersticker monetary and the alt text', () => {
    expect(message(byId('LCC.CONSTRUCTED01'))).toEqual({
      id: 'LCC.CONSTRUCTED01',
      platform: 'youtube',
      creatorId: 'c1',
      channel: 'UCcreator',
      receivedAt: ctx.receivedAt,
      sentAt: Date.UTC(2024, 4, 1, 18, 0, 1, 123),
      author: { id: 'UCconstructedViewer00001', login: 'UCconstructedViewer00001', displayName: 'Viewer One', roles: [], badges: {} },
      text: 'Waving hand',
      isAction: false,
      monetary: { kind: 'supersticker', amountMicros: 2_000_000, currency: 'USD', display: '$2.00' },
    });
  });

  it('newSponsorEvent → notice newSponsor', () => {
    expect(notice(byId('LCC.CONSTRUCTED02'))).toEqual({
      id: 'LCC.CONSTRUCTED02',
      platform: 'youtube',
      creatorId: 'c1',
      channel: 'UCcreator',
      receivedAt: ctx.receivedAt,
      kind: 'newSponsor',
      author: { id: 'UCconstructedMember00002', login: 'UCconstructedMember00002', displayName: 'Member Two', roles: ['member'], badges: {} },
      data: { memberLevelName: 'Gold', isUpgrade: false, displayMessage: 'Welcome to Gold!', sentAt: Date.UTC(2024, 4, 1, 18, 0, 2, 456) },
    });
  });

  it('memberMilestoneChatEvent → notice memberMilestone with the comment as text', () => {
    expect(notice(byId('LCC.CONSTRUCTED03'))).toEqual({
      id: 'LCC.CONSTRUCTED03',
      platform: 'youtube',
      creatorId: 'c1',
      channel: 'UCcreator',
      receivedAt: ctx.receivedAt,
      kind: 'memberMilestone',
      author: { id: 'UCconstructedMember00002', login: 'UCconstructedMember00002', displayName: 'Member Two', roles: ['member'], badges: {} },
      text: 'six months already',
      data: { memberLevelName: 'Gold', memberMonth: 6, displayMessage: 'six months already', sentAt: Date.UTC(2024, 4, 1, 18, 0, 3, 789) },
    });
  });

  it('membershipGiftingEvent → notice membershipGifting (count as a number)', () => {
    expect(notice(byId('LCC.CONSTRUCTED04'))).toEqual({
      id: 'LCC.CONSTRUCTED04',
      platform: 'youtube',
      creatorId: 'c1',
      channel: 'UCcreator',
      receivedAt: ctx.receivedAt,
      kind: 'membershipGifting',
      author: { id: 'UCconstructedViewer00001', login: 'UCconstructedViewer00001', displayName: 'Viewer One', roles: [], badges: {} },
      data: { giftMembershipsCount: 5, giftMembershipsLevelName: 'Gold', displayMessage: 'gifted 5 memberships', sentAt: Date.UTC(2024, 4, 1, 18, 0, 4) },
    });
  });

  it('giftMembershipReceivedEvent → notice giftMembershipReceived', () => {
    expect(notice(byId('LCC.CONSTRUCTED05'))).toEqual({
      id: 'LCC.CONSTRUCTED05',
      platform: 'youtube',
      creatorId: 'c1',
      channel: 'UCcreator',
      receivedAt: ctx.receivedAt,
      kind: 'giftMembershipReceived',
      author: { id: 'UCconstructedMember00002', login: 'UCconstructedMember00002', displayName: 'Member Two', roles: ['member'], badges: {} },
      data: {
        memberLevelName: 'Gold',
        gifterChannelId: 'UCconstructedViewer00001',
        associatedMembershipGiftingMessageId: 'LCC.CONSTRUCTED04',
        displayMessage: 'received a gift membership',
        sentAt: Date.UTC(2024, 4, 1, 18, 0, 5, 1),
      },
    });
  });

  it('messageDeletedEvent → deleted', () => {
    expect(norm(byId('LCC.CONSTRUCTED06'))).toEqual({
      kind: 'deleted',
      event: { creatorId: 'c1', platform: 'youtube', channel: 'UCcreator', messageId: 'LCC.CONSTRUCTED01', at: ctx.receivedAt },
    });
  });

  it('userBannedEvent temporary → timeout with durationSec; permanent → ban', () => {
    const temporary = byId('LCC.CONSTRUCTED07');
    expect(norm(temporary)).toEqual({
      kind: 'user-timeout',
      event: {
        creatorId: 'c1',
        platform: 'youtube',
        channel: 'UCcreator',
        userId: 'UCconstructedSpammer0004',
        login: 'Spammer Four',
        action: 'timeout',
        durationSec: 300,
        at: ctx.receivedAt,
      },
    });
    // On the wire banDurationSeconds is a uint64, i.e. a string.
    const asString = clone(temporary);
    asString.snippet!.userBannedDetails!.banDurationSeconds = '300';
    expect(norm(asString)).toMatchObject({ kind: 'user-timeout', event: { action: 'timeout', durationSec: 300 } });
    const permanent = clone(temporary);
    permanent.snippet!.userBannedDetails!.banType = 'permanent';
    delete permanent.snippet!.userBannedDetails!.banDurationSeconds;
    expect(norm(permanent)).toEqual({
      kind: 'user-timeout',
      event: { creatorId: 'c1', platform: 'youtube', channel: 'UCcreator', userId: 'UCconstructedSpammer0004', login: 'Spammer Four', action: 'ban', at: ctx.receivedAt },
    });
  });

  it('tombstone → ignored; chatEndedEvent → chat-ended', () => {
    expect(norm(byId('LCC.CONSTRUCTED08'))).toEqual({ kind: 'ignored', reason: 'tombstone: the message was removed', type: 'tombstone' });
    expect(norm(byId('LCC.CONSTRUCTED09'))).toEqual({ kind: 'chat-ended', at: ctx.receivedAt });
  });

  it('every fixture file item normalizes without throwing', () => {
    const files = [
      ...readdirSync(dir).filter((f) => f.startsWith('liveChatMessage')),
      ...readdirSync(new URL('constructed-from-docs/', dir))
        .filter((f) => f.startsWith('liveChatMessage'))
        .map((f) => `constructed-from-docs/${f}`),
    ];
    expect(files).toHaveLength(4);
    let n = 0;
    for (const f of files) {
      const body = read<LiveChatPage & LiveChatItem>(f);
      for (const item of body.items ?? [body]) {
        expect(() => norm(item)).not.toThrow();
        expect(['message', 'notice', 'deleted', 'user-timeout', 'chat-ended', 'ignored']).toContain(norm(item).kind);
        n++;
      }
    }
    expect(n).toBe(12);
  });
});

describe('authors', () => {
  const text = (authorDetails: unknown, extra: Record<string, unknown> = {}) => ({
    id: 'LCC.a',
    snippet: { type: 'textMessageEvent', authorChannelId: 'UCx', publishedAt: '2024-05-01T18:00:00Z', displayMessage: 'hey', textMessageDetails: { messageText: 'hey' }, ...extra },
    authorDetails,
  });

  it('roles in privilege order, verified as a badge', () => {
    const a = message(
      text({ channelId: 'UCx', displayName: 'X', isChatOwner: true, isChatModerator: true, isChatSponsor: true, isVerified: true }),
    ).author;
    expect(a).toEqual({ id: 'UCx', login: 'UCx', displayName: 'X', roles: ['broadcaster', 'moderator', 'member'], badges: { verified: '1' } });
  });

  it('part=snippet only: the author comes from authorChannelId', () => {
    expect(message(text(undefined)).author).toEqual({ id: 'UCx', login: 'UCx', displayName: 'UCx', roles: [], badges: {} });
  });

  it('a missing display name falls back to the channel id', () => {
    expect(message(text({ channelId: 'UCy' })).author).toEqual({ id: 'UCy', login: 'UCy', displayName: 'UCy', roles: [], badges: {} });
  });

  it('lone surrogates become U+FFFD, pairs are kept', () => {
    const m = message(text({ channelId: 'UCx', displayName: 'a\uD800b' }, { textMessageDetails: { messageText: 'x\uDC00y 😀' } }));
    expect(m.author.displayName).toBe('a\uFFFDb');
    expect(m.text).toBe('x\uFFFDy 😀');
  });

  it('text falls back to displayMessage without textMessageDetails', () => {
    expect(message(text({ channelId: 'UCx' }, { textMessageDetails: undefined })).text).toBe('hey');
  });
});

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

  it('hostile objects (throwing getters) are ignored', () => {
    const item = { id: 'x', snippet: { type: 'textMessageEvent' } };
    Object.defineProperty(item.snippet, 'publishedAt', {
      enumerable: true,
      get() {
        throw new Error('boom');
      },
    });
    expect(norm(item)).toEqual({ kind: 'ignored', reason: 'item could not be read: boom' });
  });

  it('random mutations of the fixtures never throw', () => {
    const items = [...constructed.items!, read<LiveChatItem>('liveChatMessage.item.superChat.brianlough-2021.json')];
    const junk = [null, 0, -1, 1.5, '', 'x', true, [], {}, '\uD800', 'x'.repeat(10_000), '2024-13-01T00:00:00Z'];
    let seed = 42;
    const rnd = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
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
      expect(() => norm(item)).not.toThrow();
    }
  });
});
