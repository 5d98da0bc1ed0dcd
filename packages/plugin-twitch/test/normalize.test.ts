import type { ChatMessage, ChatNotice } from '@streamsuites/kernel';
import { describe, expect, it } from 'vitest';
import { normalizeLine } from '../src/normalize/index.js';
import { ctx, line, norm, message, notice } from './normalize-helpers.js';

describe('PRIVMSG → ChatMessage', () => {
  it('maps a modern tag set exactly (privmsg:3)', () => {
    expect(message(3)).toEqual({
      id: 'c5ddcb05-85ae-4a60-91bc-7704c7031257',
      platform: 'twitch',
      creatorId: 'c1',
      channel: 'alca',
      receivedAt: ctx.receivedAt,
      sentAt: 1554296462753,
      author: {
        id: '7676884', login: 'alca', displayName: 'Alca', roles: ['broadcaster', 'subscriber'],
        badges: { broadcaster: '1', subscriber: '12', 'overwatch-league-insider_2019A': '1' }, color: '#177DE3',
      },
      text: 'Hi :)',
      isAction: false,
      emotes: [{ id: '499', name: ':)', start: 3, end: 5 }],
    });
  });

  it('display name vs login: escaped, non-ASCII and empty display names', () => {
    expect(message(11).author).toMatchObject({ login: 'riotgames', displayName: 'Riot Games', id: '36029255' });
    expect(message(10).author).toMatchObject({ login: 'testaccount_420', displayName: '테스트계정420' });
    expect(message(8).author).toMatchObject({ login: 'jun1orrrr', displayName: 'JuN1oRRRR', color: '#0000FF' });
    expect(message(11).author.color).toBeUndefined(); // color= (empty)
  });

  it('roles: broadcaster, moderator by mod=1 without badge, moderator badge, vip badge, founder as subscriber, none', () => {
    expect(message(33).author.roles).toEqual(['broadcaster', 'subscriber']);
    expect(message(6).author.roles).toEqual(['moderator']); // mod=1, no badges tag
    expect(message(9).author.roles).toEqual(['moderator', 'subscriber']);
    expect(message(27).author.roles).toEqual(['moderator', 'subscriber']); // founder/0
    expect(message(27).author.badges).toEqual({ moderator: '1', founder: '0', 'game-developer': '1' });
    expect(message(8).author.roles).toEqual([]);
    expect(message(19).author.roles).toEqual(['subscriber']);
    const vip = normalizeLine('@badges=vip/1;mod=0;user-id=1;id=v1 :a!a@a PRIVMSG #c :hi', ctx);
    expect(vip.kind === 'message' && vip.message.author.roles).toEqual(['vip']);
    expect(normalizeLine('@vip=1;user-id=1;id=v2 :a!a@a PRIVMSG #c :hi', ctx)).toMatchObject({ message: { author: { roles: ['vip'] } } });
  });

  it('emotes: several ids sorted by start, with names', () => {
    expect(message(12).emotes).toEqual([
      { id: '25', name: 'Kappa', start: 0, end: 5 },
      { id: '1902', name: 'Keepo', start: 6, end: 11 },
      { id: '25', name: 'Kappa', start: 12, end: 17 },
      { id: '25', name: 'Kappa', start: 18, end: 23 },
      { id: '1902', name: 'Keepo', start: 29, end: 34 },
      { id: '1902', name: 'Keepo', start: 35, end: 40 },
      { id: '499', name: ':)', start: 45, end: 47 },
      { id: '499', name: ':)', start: 48, end: 50 },
      { id: '490', name: ':P', start: 51, end: 53 },
    ]);
  });

  it('emotes: code-point offsets with emoji before the emote (privmsg:13)', () => {
    const m = message(13);
    expect(m.text).toBe('👉 <3 👉 <3 👉 <3');
    expect(m.emotes).toEqual([
      { id: '483', name: '<3', start: 2, end: 4 },
      { id: '483', name: '<3', start: 7, end: 9 },
      { id: '483', name: '<3', start: 12, end: 14 },
    ]);
    // Code-point offsets: slicing the code points gives the emote.
    const cps = [...m.text];
    for (const e of m.emotes!) expect(cps.slice(e.start, e.end).join('')).toBe(e.name);
  });

  it('emotes: astral tag character before the emote and an id containing "/" (privmsg:34)', () => {
    expect(message(34).emotes).toEqual([{ id: '80481_/3', name: 'pajaW_/3', start: 7, end: 15 }]);
  });

  it('emotes: non-ASCII text, non-numeric ids', () => {
    expect(message(36).emotes).toEqual([{ id: '25', name: 'Kappa', start: 13, end: 18 }]);
  });

  it('emotes: a uniform off-by-one from Twitch (twitchdev/issues#104) is repaired only when every range then fits', () => {
    // Twitch's range 38-52 is one past the 52-code-point text; shifted back it is exactly the emote.
    expect(message(21).text).toBe('Чет скушные катки Жек когда Хачаги?! ResidentSleeper');
    expect(message(21).emotes).toEqual([{ id: '245', name: 'ResidentSleeper', start: 37, end: 52 }]);
    expect(message(15).emotes).toEqual([{ id: '425618', name: 'LUL', start: 48, end: 51 }]);
    expect(message(31).emotes).toEqual([
      { id: '301683486', name: 'staryuukiLove', start: 45, end: 58 },
      { id: '301683486', name: 'staryuukiLove', start: 59, end: 72 },
      { id: '301683486', name: 'staryuukiLove', start: 73, end: 86 },
      { id: '301683544', name: 'staryuukiBits', start: 87, end: 100 },
    ]);
    expect(message(36).emotes).toEqual([{ id: '25', name: 'Kappa', start: 13, end: 18 }]);
    expect(message(31).emotes?.map((e) => e.name)).toEqual(['staryuukiLove', 'staryuukiLove', 'staryuukiLove', 'staryuukiBits']);
  });

  it('emotes: ranges outside the text are dropped (Linkoping shifted variants)', () => {
    // "Då kan du begära skadestånd och förtal Kappa" is 44 code points; Kappa is 39-43.
    expect(message(30).emotes).toEqual([{ id: '25', name: 'Kappa', start: 39, end: 44 }]); // 40-44: off by one, repaired
    expect(message(16).emotes).toBeUndefined(); // 44-48: out of range even shifted
    expect(message(17).emotes).toBeUndefined(); // 45-49
    const fixed = normalizeLine(line('privmsg.irc', 30).replace('emotes=25:40-44', 'emotes=25:39-43'), ctx);
    expect(fixed.kind === 'message' && fixed.message.emotes).toEqual([{ id: '25', name: 'Kappa', start: 39, end: 44 }]);
    // tmi.js test line: "Hello :)" with 25:0-4,12-16/1902:6-10 → only the first range fits.
    expect(message(2).emotes).toEqual([{ id: '25', name: 'Hello', start: 0, end: 5 }]);
  });

  it('bits → monetary', () => {
    expect(message(14).monetary).toEqual({ kind: 'bits', amountMicros: 1_000_000, currency: 'BITS' });
    expect(message(32).monetary).toEqual({ kind: 'bits', amountMicros: 5_000_000_000, currency: 'BITS' });
    expect(message(32).text).toBe('showlove5000 Chew your food slower... it\'s healthier');
    expect(message(8).monetary).toBeUndefined();
  });

  it('reply-parent tags → reply, with the body unescaped', () => {
    expect(message(24).reply).toEqual({ messageId: 'b34ccfc7-4977-403a-8a94-33c6bac34fb8', authorLogin: 'yannismate', text: 'This message contains special chars !;' });
    expect(message(23).reply).toBeUndefined();
  });

  it('/me actions are unwrapped', () => {
    expect(message(9)).toMatchObject({ text: '-tags', isAction: true });
    expect(message(28)).toMatchObject({ text: 'Thrashh5, FeelsWayTooAmazingMan kinda', isAction: true });
    expect(message(20)).toMatchObject({ text: '', isAction: true }); // \u0001ACTION\u0001
    expect(message(4)).toMatchObject({ text: 'cheer100 Hello :)', isAction: true, monetary: { amountMicros: 100_000_000 } });
    expect(message(8).isAction).toBe(false);
  });

  it('first-msg → firstMessage only when the tag is sent', () => {
    expect(message(22).firstMessage).toBe(false);
    expect(message(23).firstMessage).toBeUndefined();
    const first = normalizeLine('@first-msg=1;id=f1;user-id=1 :a!a@a PRIVMSG #c :hello', ctx);
    expect(first.kind === 'message' && first.message.firstMessage).toBe(true);
  });

  it('old tag sets: a stable hashed id, sentAt = receivedAt, user id = login', () => {
    const a = message(2);
    expect(a.id).toMatch(/^h:[0-9a-f]{16}$/);
    expect(normalizeLine(line('privmsg.irc', 2), { creatorId: 'other', receivedAt: 5 })).toMatchObject({ message: { id: a.id } });
    expect(message(1).id).not.toBe(a.id);
    expect(a.sentAt).toBe(ctx.receivedAt);
    expect(a.author.id).toBe('schmoopiie');
    expect(message(37)).toMatchObject({ text: 'hi :', author: { login: 'olabaz', displayName: 'olabaz', roles: [] }, channel: 'olab0t' });
  });

  it('a PRIVMSG from the server host has no sender and is ignored (privmsg:18)', () => {
    expect(norm('privmsg.irc', 18)).toMatchObject({ kind: 'ignored' });
  });

  it('messages are plain JSON', () => {
    for (const n of [3, 12, 13, 24, 32, 34]) expect(JSON.parse(JSON.stringify(message(n)))).toEqual(message(n));
  });
});

describe('USERNOTICE → ChatNotice', () => {
  it('resub with a user message (usernotice:8)', () => {
    expect(notice(8)).toEqual({
      id: 'e0975c76-054c-4954-8cb0-91b8867ec1ca',
      platform: 'twitch',
      creatorId: 'c1',
      channel: 'xqcow',
      receivedAt: ctx.receivedAt,
      kind: 'resub',
      author: { id: '21156217', login: 'gutrin', displayName: 'Gutrin', roles: ['subscriber'], badges: { subscriber: '0', battlerite_1: '1' }, color: '#0000FF' },
      text: 'xqcL',
      emotes: [{ id: '1035663', name: 'xqcL', start: 0, end: 4 }],
      data: {
        cumulativeMonths: 2, months: 0, shouldShareStreak: true, streakMonths: 2,
        subPlanName: 'Channel Subscription (xqcow)', subPlan: '1000',
        systemMsg: "Gutrin subscribed at Tier 1. They've subscribed for 2 months, currently on a 2 month streak!",
        sentAt: 1581713640019,
      },
    });
  });

  it('sub without a message (usernotice:7)', () => {
    const n = notice(7);
    expect(n.kind).toBe('sub');
    expect(n.text).toBeUndefined();
    expect(n.data).toMatchObject({ cumulativeMonths: 1, subPlan: 'Prime', systemMsg: 'fallenseraphhh subscribed with Twitch Prime.' });
  });

  it('subgift: recipient id stays a string, origin id unescaped', () => {
    const n = notice(10);
    expect(n.kind).toBe('subgift');
    expect(n.data).toMatchObject({
      giftMonths: 1, months: 2, recipientId: '236653628', recipientUserName: 'qatarking24xd', recipientDisplayName: 'qatarking24xd',
      senderCount: 0, originId: 'da 39 a3 ee 5e 6b 4b 0d 32 55 bf ef 95 60 18 90 af d8 07 09',
    });
    expect(n.author?.login).toBe('adamatreflectstudios');
  });

  it('submysterygift, anonsubgift, giftpaidupgrade, anongiftpaidupgrade, primepaidupgrade', () => {
    expect(notice(13)).toMatchObject({ kind: 'submysterygift', data: { massGiftCount: 20, senderCount: 50, subPlan: '1000' } });
    expect(notice(12)).toMatchObject({ kind: 'anonsubgift', data: { recipientUserName: 'qatarking24xd' } });
    expect(notice(16)).toMatchObject({ kind: 'giftpaidupgrade', data: { senderLogin: 'stridezgum', senderName: 'Stridezgum' } });
    expect(notice(17).data).toMatchObject({ promoName: 'TestSubtember2020', promoGiftTotal: 4003 });
    expect(notice(18).kind).toBe('anongiftpaidupgrade');
    expect(notice(6)).toMatchObject({ kind: 'primepaidupgrade', data: { subPlan: '1000' } });
  });

  it('raid and unraid', () => {
    expect(notice(26)).toMatchObject({
      kind: 'raid', channel: 'clippyassistant',
      data: { viewerCount: 538, login: 'fletchercodes', displayName: 'FletcherCodes', systemMsg: '538 raiders from FletcherCodes have joined\n!' },
    });
    expect(notice(1).data).toMatchObject({ viewerCount: 6, systemMsg: '6 raiders from raider have joined\n!' });
    expect(notice(27)).toMatchObject({ kind: 'unraid', data: { systemMsg: 'The raid has been cancelled.' } });
  });

  it('ritual and rewardgift', () => {
    expect(notice(19)).toMatchObject({ kind: 'ritual', text: 'HeyGuys', data: { ritualName: 'new_chatter', systemMsg: 'Seventoes is new here!' } });
    expect(notice(20)).toMatchObject({ kind: 'rewardgift', data: { domain: 'pride_megacommerce_2020', selectedCount: 100, triggerAmount: 20, triggerType: 'SUBGIFT' } });
  });

  it('a /me resub text is unwrapped and flagged (usernotice:21)', () => {
    expect(notice(21)).toMatchObject({ kind: 'resub', text: 'Kappa TEST TEST Kappa :)', data: { isAction: true, streakMonths: 23 } });
  });

  it('all-digit names, logins and ids stay strings; only count params become numbers', () => {
    // Constructed from the real giftpaidupgrade line usernotice:16 and raid line usernotice:26, with the
    // sender/raider renamed to all-digit names (Twitch logins and display names may be all digits, e.g.
    // `007`; USERNOTICE tag format per dev.twitch.tv/docs/irc/tags/#usernotice-tags). Before the fix
    // `msg-param-sender-name=007` came out as `senderName: 7`.
    const gift = line('usernotice.irc', 16).replace('msg-param-sender-login=stridezgum', 'msg-param-sender-login=0070').replace('msg-param-sender-name=Stridezgum', 'msg-param-sender-name=007');
    expect(normalizeLine(gift, ctx)).toMatchObject({ kind: 'notice', notice: { data: { senderLogin: '0070', senderName: '007' } } });
    const raid = line('usernotice.irc', 26).replace('msg-param-displayName=FletcherCodes', 'msg-param-displayName=1337').replace('msg-param-login=fletchercodes', 'msg-param-login=01337');
    const r = normalizeLine(raid, ctx);
    expect(r).toMatchObject({ kind: 'notice', notice: { data: { displayName: '1337', login: '01337', viewerCount: 538 } } });
    // The count params of the real lines are still numbers; names and ids that look like numbers are strings.
    expect(notice(10).data).toMatchObject({ giftMonths: 1, months: 2, senderCount: 0, recipientId: '236653628' });
    expect(notice(13).data).toMatchObject({ massGiftCount: 20, senderCount: 50, subPlan: '1000' });
    expect(notice(8).data).toMatchObject({ cumulativeMonths: 2, streakMonths: 2, months: 0 });
    expect(notice(20).data).toMatchObject({ selectedCount: 100, totalRewardCount: 100, triggerAmount: 20 });
  });

  it('the user text of a USERNOTICE gets its emotes like a PRIVMSG (usernotice:8, :19, :23)', () => {
    expect(notice(8).emotes).toEqual([{ id: '1035663', name: 'xqcL', start: 0, end: 4 }]);
    expect(notice(19).emotes).toEqual([{ id: '30259', name: 'HeyGuys', start: 0, end: 7 }]);
    expect(notice(23)).toMatchObject({ emotes: [{ id: '28087', start: 0, end: 7 }] });
    expect(notice(7).emotes).toBeUndefined(); // no text
    expect(notice(9).emotes).toBeUndefined(); // emotes= (empty)
  });

  it('a /me USERNOTICE: emote ranges counted from "ACTION " are moved onto the unwrapped text (usernotice:21)', () => {
    // Twitch sends `emotes=25:7-11,23-27/499:29-30` for `\u0001ACTION Kappa TEST TEST Kappa :)\u0001`.
    expect(notice(21).emotes).toEqual([
      { id: '25', name: 'Kappa', start: 0, end: 5 },
      { id: '25', name: 'Kappa', start: 16, end: 21 },
      { id: '499', name: ':)', start: 22, end: 24 },
    ]);
  });

  it('unknown msg-ids pass through; no msg-id gives "unknown"', () => {
    const r = normalizeLine('@msg-id=viewermilestone;msg-param-category=watch-streak;msg-param-value=3;id=x1;login=a :tmi.twitch.tv USERNOTICE #c', ctx);
    expect(r).toMatchObject({ kind: 'notice', notice: { kind: 'viewermilestone', data: { category: 'watch-streak', value: 3 } } });
    expect(normalizeLine('@msg-id=some-new-thing;id=x2 :tmi.twitch.tv USERNOTICE #c', ctx)).toMatchObject({ notice: { kind: 'some-new-thing' } });
    expect(normalizeLine('@id=x3 :tmi.twitch.tv USERNOTICE #c', ctx)).toMatchObject({ notice: { kind: 'unknown' } });
  });
});
