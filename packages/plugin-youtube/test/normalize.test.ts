import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseRfc3339 } from '../src/normalize/index.js';
import type { LiveChatItem, LiveChatPage } from '../src/types.js';
import { byId, clone, constructed, ctx, dir, message, norm, notice, read } from './normalize-helpers.js';

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
