// Parity: the same chat situation read over IRC (a captured fixture line) and
// over EventSub (the event Twitch sends for it, built from the shape of the
// reference payloads in fixtures/eventsub-chat with the line's ids, users and
// text) gives the same kernel payload. Both sides use the same receivedAt,
// and the EventSub sentAt is set to the line's tmi-sent-ts (on the wire the
// two differ by the transports' latency; the field is the same).
//
// Fields that legitimately differ are listed per case with the reason; the
// test checks that each listed field really differs (so the list cannot go
// stale) and that everything else is equal.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { chatNormalizers } from '../src/eventsub/normalize/chat.js';
import type { NormalizedNotification } from '../src/eventsub/types.js';
import { normalizeLine, type NormalizedLine } from '../src/normalize/index.js';

type Obj = Record<string, unknown>;

const RECEIVED = 1_700_000_000_000;
const shared = new URL('../../../fixtures/twitch/', import.meta.url);
const own = new URL('../fixtures/eventsub-chat/', import.meta.url);

function ircLine(file: string, n: number): string {
  const dir = file === 'irc-extra.irc' ? own : shared;
  const line = readFileSync(new URL(file, dir), 'utf8').split('\n')[n - 1];
  if (line === undefined || line.length === 0) throw new Error(`${file}:${n} missing`);
  return line;
}
const irc = (file: string, n: number): NormalizedLine => normalizeLine(ircLine(file, n), { creatorId: 'c1', receivedAt: RECEIVED });

function fixture(name: string): Obj {
  return (JSON.parse(readFileSync(new URL(name, own), 'utf8')) as { event: Obj }).event;
}
const docMessage = fixture('channel.chat.message.parse_payload.json');
const docNotice = fixture('channel.chat.notification.parse_payload.json');

const text = (t: string): Obj => ({ type: 'text', text: t, cheermote: null, emote: null, mention: null });
const emote = (t: string, id: string): Obj => ({ type: 'emote', text: t, cheermote: null, emote: { id, emote_set_id: '0', owner_id: '0', format: ['static'] }, mention: null });
const cheermote = (t: string, prefix: string, bits: number, tier: number): Obj => ({ type: 'cheermote', text: t, cheermote: { prefix, bits, tier }, emote: null, mention: null });
const badge = (setId: string, id: string, info = ''): Obj => ({ set_id: setId, id, info });
const NO_SOURCE = { source_broadcaster_user_id: null, source_broadcaster_user_login: null, source_broadcaster_user_name: null, source_message_id: null, source_badges: null };

interface Who {
  broadcaster: [id: string, login: string];
  chatter: [id: string, login: string, name: string];
  color: string;
  badges: Obj[];
}
function people(w: Who): Obj {
  return {
    broadcaster_user_id: w.broadcaster[0],
    broadcaster_user_login: w.broadcaster[1],
    broadcaster_user_name: w.broadcaster[1],
    chatter_user_id: w.chatter[0],
    chatter_user_login: w.chatter[1],
    chatter_user_name: w.chatter[2],
    color: w.color,
    badges: w.badges,
  };
}
/** A channel.chat.message event in the reference payload's shape. */
function chatMessage(w: Who, id: string, body: string, fragments: Obj[], extra: Obj = {}): Obj {
  return { ...docMessage, ...people(w), ...NO_SOURCE, message_id: id, message: { text: body, fragments }, ...extra };
}
/** A channel.chat.notification event in the reference payload's shape. */
function notification(w: Who | 'anonymous', id: string, noticeType: string, body: Obj, systemMessage: string, message: { text: string; fragments: Obj[] } = { text: '', fragments: [] }, extra: Obj = {}): Obj {
  const who =
    w === 'anonymous'
      ? { chatter_user_id: null, chatter_user_login: null, chatter_user_name: null, chatter_is_anonymous: true, color: '', badges: [] }
      : { ...people(w), chatter_is_anonymous: false };
  return { ...docNotice, ...NO_SOURCE, resub: null, ...who, message_id: id, system_message: systemMessage, message, notice_type: noticeType, [noticeType]: body, ...extra };
}

interface Case {
  name: string;
  irc: [file: string, line: number];
  type: string;
  event: Obj;
  /** the line's tmi-sent-ts */
  sentAt: number;
  /** Fields that differ between the transports (path in the normalized result → why). */
  differs?: Record<string, string>;
  /** For broadcaster-only events built from another channel's line. */
  broadcaster?: [string, string];
}

const pajlada: [string, string] = ['11148817', 'pajlada'];
const xqcow: [string, string] = ['71092938', 'xqcow'];
const randers = (b: [string, string]): Who => ({ broadcaster: b, chatter: ['40286300', 'randers', 'randers'], color: '#19E6E6', badges: [badge('moderator', '1'), badge('subscriber', '12', '22')] });

const IRC_ONLY = {
  months: 'IRC msg-param-months (deprecated, always 0 on subs; the recipient\'s months on gifts): EventSub has no such field',
  subPlanName: 'IRC msg-param-sub-plan-name: EventSub sends no plan name',
  originId: 'IRC msg-param-origin-id: EventSub has no such field',
};

const cases: Case[] = [
  {
    name: 'plain message',
    irc: ['privmsg.irc', 8],
    type: 'channel.chat.message',
    sentAt: 1594545155039,
    event: chatMessage({ broadcaster: pajlada, chatter: ['29803735', 'jun1orrrr', 'JuN1oRRRR'], color: '#0000FF', badges: [] }, 'e9d998c3-36f1-430f-89ec-6b887c28af36', 'dank cam', [text('dank cam')]),
  },
  {
    name: 'emotes after emoji (code points, not UTF-16 units)',
    irc: ['privmsg.irc', 13],
    type: 'channel.chat.message',
    sentAt: 1594557379272,
    event: chatMessage(randers(pajlada), '3695cb46-f70a-4d6f-a71b-159d434c45b5', '👉 <3 👉 <3 👉 <3', [
      text('👉 '), emote('<3', '483'), text(' 👉 '), emote('<3', '483'), text(' 👉 '), emote('<3', '483'),
    ]),
  },
  {
    name: 'many emotes',
    irc: ['privmsg.irc', 12],
    type: 'channel.chat.message',
    sentAt: 1594556065407,
    event: chatMessage(randers(pajlada), 'f9c5774b-faa7-4378-b1af-c4e08b532dc2', 'Kappa Keepo Kappa Kappa test Keepo Keepo 123 :) :) :P', [
      emote('Kappa', '25'), text(' '), emote('Keepo', '1902'), text(' '), emote('Kappa', '25'), text(' '), emote('Kappa', '25'), text(' test '),
      emote('Keepo', '1902'), text(' '), emote('Keepo', '1902'), text(' 123 '), emote(':)', '499'), text(' '), emote(':)', '499'), text(' '), emote(':P', '490'),
    ]),
  },
  {
    name: 'broadcaster with emotes',
    irc: ['privmsg.irc', 33],
    type: 'channel.chat.message',
    sentAt: 1587291978478,
    event: chatMessage(
      { broadcaster: pajlada, chatter: ['11148817', 'pajlada', 'pajlada'], color: '#CC44FF', badges: [badge('broadcaster', '1'), badge('subscriber', '48', '52'), badge('partner', '1')] },
      '2a3f9d35-5487-4239-80b3-6c9a5a1907a9', '-tags Kappa 123 Keepo', [text('-tags '), emote('Kappa', '25'), text(' 123 '), emote('Keepo', '1902')],
    ),
  },
  {
    name: 'cheer',
    irc: ['privmsg.irc', 32],
    type: 'channel.chat.message',
    sentAt: 1551478518354,
    event: chatMessage(
      { broadcaster: ['408892348', 'clippyassistant'], chatter: ['269899575', 'fletchercodes', 'FletcherCodes'], color: '#007EFF', badges: [badge('bits', '5000')] },
      '405c4ccb-7d69-4a57-ac16-292e72ba288b', "showlove5000 Chew your food slower... it's healthier",
      [cheermote('showlove5000', 'showlove', 5000, 5000), text(" Chew your food slower... it's healthier")], { cheer: { bits: 5000 } },
    ),
  },
  {
    name: 'reply',
    irc: ['privmsg.irc', 24],
    type: 'channel.chat.message',
    sentAt: 1551473087761,
    event: chatMessage(
      { broadcaster: ['408892348', 'clippyassistant'], chatter: ['269899575', 'fletchercodes', 'FletcherCodes'], color: '#DAA520', badges: [badge('premium', '1')] },
      '6efffc70-27a1-4637-9111-44e5104bb7da', "Chew your food slower... it's healthier", [text("Chew your food slower... it's healthier")],
      {
        reply: {
          parent_message_id: 'b34ccfc7-4977-403a-8a94-33c6bac34fb8', parent_message_body: 'This message contains special chars !;',
          parent_user_id: '71601484', parent_user_name: 'Yannismate', parent_user_login: 'yannismate',
          thread_message_id: 'b34ccfc7-4977-403a-8a94-33c6bac34fb8', thread_user_id: '71601484', thread_user_name: 'Yannismate', thread_user_login: 'yannismate',
        },
      },
    ),
  },
  {
    name: '/me (the CTCP wrapper kept in message.text, not in the fragments)',
    irc: ['privmsg.irc', 9],
    type: 'channel.chat.message',
    sentAt: 1594555275886,
    event: chatMessage(randers(pajlada), 'd831d848-b7c7-4559-ae3a-2cb88f4dbfed', '\u0001ACTION -tags\u0001', [text('-tags')]),
  },
  {
    name: 'shared chat message (source_* like source-* tags)',
    irc: ['privmsg.irc', 25],
    type: 'channel.chat.message',
    sentAt: 1762536730215,
    event: chatMessage(
      { broadcaster: ['39656772', 'vampireblazewing'], chatter: ['488149571', 'eternalwerecat22', 'Eternalwerecat22'], color: '#00FF7F', badges: [badge('moderator', '1')] },
      'fa9da65d-86da-429f-90f1-467a6ac332df', 'Video game things', [text('Video game things')],
      {
        source_broadcaster_user_id: '655533779', source_broadcaster_user_login: 'someoneelse', source_broadcaster_user_name: 'SomeoneElse',
        source_message_id: '614e293b-46c8-4f6f-9e35-f53f64254472', source_badges: [badge('subscriber', '3', '5')], is_source_only: false,
      },
    ),
  },
  {
    name: 'channel points reward message (custom-reward-id / channel_points_custom_reward_id: kept by neither)',
    irc: ['privmsg.irc', 6],
    type: 'channel.chat.message',
    sentAt: 1607582291194,
    event: chatMessage(
      { broadcaster: ['7676884', 'channel'], chatter: ['89983882', 'murdocturner', 'MurdocTurner'], color: '#0FC7D1', badges: [badge('moderator', '1')] },
      '702b9546-f0fe-41cb-b35b-fba5f8315909', 'lol', [text('lol')], { channel_points_custom_reward_id: '27c8e486-a386-40cc-9a4b-dbb5cf01e439' },
    ),
    differs: { 'message.author.badges': 'the captured line has no badges tag at all (its role comes from mod=1); EventSub always sends the badges' },
  },
  {
    name: 'highlighted message (msg-id=highlighted-message / message_type channel_points_highlighted: a plain message on both)',
    irc: ['privmsg.irc', 7],
    type: 'channel.chat.message',
    sentAt: 1607586921729,
    event: chatMessage(
      { broadcaster: ['121476331', 'channel'], chatter: ['89983882', 'murdocturner', 'MurdocTurner'], color: '#0FC7D1', badges: [badge('moderator', '1')] },
      '3da15282-3268-402e-8fc7-d736d7093077', 'test123', [text('test123')], { message_type: 'channel_points_highlighted' },
    ),
    differs: { 'message.author.badges': 'the captured line has no badges tag at all (its role comes from mod=1); EventSub always sends the badges' },
  },
  {
    name: 'message with first-msg (EventSub has no first-message flag)',
    irc: ['privmsg.irc', 26],
    type: 'channel.chat.message',
    sentAt: 1727526200010,
    event: chatMessage(
      { broadcaster: ['63073510', 'hash_table'], chatter: ['63073510', 'hash_table', 'hash_table'], color: '#8A2BE2', badges: [badge('broadcaster', '1'), badge('subscriber', '0', '23'), badge('sub-gifter', '5')] },
      '05eb8c6f-6606-4a44-90f3-fa2d516f9c51', 'asd', [text('asd')],
    ),
    differs: { 'message.firstMessage': 'IRC first-msg tag; EventSub channel.chat.message has no such field (message_type user_intro is a different thing), so it stays unset' },
  },
  {
    name: 'sub (Prime)',
    irc: ['usernotice.irc', 29],
    type: 'channel.chat.notification',
    sentAt: 1573195737406,
    event: notification(
      { broadcaster: ['26301881', 'sodapoppin'], chatter: ['48805272', 'jaythaden', 'jaythaden'], color: '#8A2BE2', badges: [badge('subscriber', '0', '0'), badge('premium', '1')] },
      '3f6415cc-9ba4-4545-8b01-2992467b3da7', 'sub', { sub_tier: '1000', is_prime: true, duration_months: 1 }, 'jaythaden subscribed with Twitch Prime.',
    ),
    differs: {
      'notice.data.cumulativeMonths': 'EventSub `sub` is a first sub and carries no cumulative count (IRC: 1)',
      'notice.data.months': IRC_ONLY.months,
      'notice.data.shouldShareStreak': 'IRC msg-param-should-share-streak on a first sub: EventSub `sub` has no streak',
      'notice.data.subPlanName': IRC_ONLY.subPlanName,
      'notice.data.multimonthDuration': 'EventSub duration_months; this 2019 line predates msg-param-multimonth-duration',
    },
  },
  {
    name: 'resub with a message',
    irc: ['usernotice.irc', 28],
    type: 'channel.chat.notification',
    sentAt: 1573195468132,
    event: notification(
      { broadcaster: ['26301881', 'sodapoppin'], chatter: ['48034331', 'lheathal', 'LHEATHAL'], color: '#19E3F5', badges: [badge('subscriber', '3', '3'), badge('premium', '1')] },
      'b5343497-bce7-489b-a2c4-947e5cf2d5cd', 'resub',
      { cumulative_months: 3, duration_months: 0, streak_months: 1, sub_tier: '1000', is_prime: true, is_gift: false, gifter_is_anonymous: null, gifter_user_id: null, gifter_user_name: null, gifter_user_login: null },
      "LHEATHAL subscribed with Twitch Prime. They've subscribed for 3 months, currently on a 1 month streak!", { text: 'yeee', fragments: [text('yeee')] },
    ),
    differs: {
      'notice.data.months': IRC_ONLY.months,
      'notice.data.subPlanName': IRC_ONLY.subPlanName,
      'notice.data.multimonthDuration': 'EventSub duration_months; this 2019 line predates msg-param-multimonth-duration',
      'notice.data.wasGifted': 'EventSub is_gift; IRC sends msg-param-was-gifted only on newer lines',
    },
  },
  {
    name: 'resub with an emote',
    irc: ['usernotice.irc', 8],
    type: 'channel.chat.notification',
    sentAt: 1581713640019,
    event: notification(
      { broadcaster: xqcow, chatter: ['21156217', 'gutrin', 'Gutrin'], color: '#0000FF', badges: [badge('subscriber', '0', '2'), badge('battlerite_1', '1')] },
      'e0975c76-054c-4954-8cb0-91b8867ec1ca', 'resub',
      { cumulative_months: 2, duration_months: 0, streak_months: 2, sub_tier: '1000', is_prime: false, is_gift: false, gifter_is_anonymous: null, gifter_user_id: null, gifter_user_name: null, gifter_user_login: null },
      "Gutrin subscribed at Tier 1. They've subscribed for 2 months, currently on a 2 month streak!", { text: 'xqcL', fragments: [emote('xqcL', '1035663')] },
    ),
    differs: {
      'notice.data.months': IRC_ONLY.months,
      'notice.data.subPlanName': IRC_ONLY.subPlanName,
      'notice.data.multimonthDuration': 'EventSub duration_months; this 2020 line predates msg-param-multimonth-duration',
      'notice.data.wasGifted': 'EventSub is_gift; IRC sends msg-param-was-gifted only on newer lines',
    },
  },
  {
    name: 'resub with a /me message and emotes',
    irc: ['usernotice.irc', 21],
    type: 'channel.chat.notification',
    sentAt: 1595497450553,
    event: notification(
      randers(pajlada), '8c2918c2-adf4-4208-a554-8a72d016de70', 'resub',
      { cumulative_months: 23, duration_months: 0, streak_months: 23, sub_tier: '1000', is_prime: false, is_gift: false, gifter_is_anonymous: null, gifter_user_id: null, gifter_user_name: null, gifter_user_login: null },
      "randers subscribed at Tier 1. They've subscribed for 23 months, currently on a 23 month streak!",
      { text: '\u0001ACTION Kappa TEST TEST Kappa :)\u0001', fragments: [emote('Kappa', '25'), text(' TEST TEST '), emote('Kappa', '25'), text(' '), emote(':)', '499')] },
    ),
    differs: {
      'notice.data.months': IRC_ONLY.months,
      'notice.data.subPlanName': IRC_ONLY.subPlanName,
      'notice.data.multimonthDuration': 'EventSub duration_months; this 2020 line predates msg-param-multimonth-duration',
      'notice.data.wasGifted': 'EventSub is_gift; IRC sends msg-param-was-gifted only on newer lines',
    },
  },
  {
    name: 'sub gift',
    irc: ['usernotice.irc', 10],
    type: 'channel.chat.notification',
    sentAt: 1594583782376,
    event: notification(
      { broadcaster: xqcow, chatter: ['211711554', 'adamatreflectstudios', 'AdamAtReflectStudios'], color: '', badges: [badge('sub-gifter', '50')] },
      'e21409b1-d25d-4a1a-b5cf-ef27d8b7030e', 'sub_gift',
      { duration_months: 1, cumulative_total: null, recipient_user_id: '236653628', recipient_user_name: 'qatarking24xd', recipient_user_login: 'qatarking24xd', sub_tier: '1000', community_gift_id: null },
      'AdamAtReflectStudios gifted a Tier 1 sub to qatarking24xd!',
    ),
    differs: {
      'notice.data.months': IRC_ONLY.months,
      'notice.data.originId': IRC_ONLY.originId,
      'notice.data.subPlanName': IRC_ONLY.subPlanName,
      'notice.data.senderCount': 'IRC sends sender-count=0 when the gifter hides the total; EventSub sends cumulative_total null (left out)',
    },
  },
  {
    name: 'anonymous sub gift (author: Twitch\'s anonymous gifter account)',
    irc: ['usernotice.irc', 11],
    type: 'channel.chat.notification',
    sentAt: 1594495108936,
    event: notification(
      'anonymous', '62c3fd39-84cc-452a-9096-628a5306633a', 'sub_gift',
      { duration_months: 1, cumulative_total: null, recipient_user_id: '151784015', recipient_user_name: 'Dot0422', recipient_user_login: 'dot0422', sub_tier: '1000', community_gift_id: null },
      'An anonymous user gifted a Tier 1 sub to Dot0422! ', undefined, { broadcaster_user_id: '71092938', broadcaster_user_login: 'xqcow', broadcaster_user_name: 'xQcOW' },
    ),
    differs: {
      'notice.data.months': IRC_ONLY.months,
      'notice.data.originId': IRC_ONLY.originId,
      'notice.data.subPlanName': IRC_ONLY.subPlanName,
      'notice.data.funString': 'IRC msg-param-fun-string: EventSub has no such field',
    },
  },
  {
    name: 'anonymous community gift',
    irc: ['usernotice.irc', 15],
    type: 'channel.chat.notification',
    sentAt: 1585447099603,
    event: notification(
      'anonymous', '8db97752-3dee-460b-9001-e925d0e2ba5b', 'community_sub_gift', { id: '12111455614691086753', total: 10, cumulative_total: null, sub_tier: '1000' },
      "An anonymous user is gifting 10 Tier 1 Subs to xQcOW's community!", undefined, { broadcaster_user_id: '71092938', broadcaster_user_login: 'xqcow', broadcaster_user_name: 'xQcOW' },
    ),
    differs: {
      'notice.data.originId': IRC_ONLY.originId,
      'notice.data.communityGiftId': 'EventSub community_sub_gift.id; IRC carries msg-param-community-gift-id only on newer lines',
    },
  },
  {
    name: 'gift paid upgrade',
    irc: ['usernotice.irc', 16],
    type: 'channel.chat.notification',
    sentAt: 1594518849459,
    event: notification(
      { broadcaster: xqcow, chatter: ['86082877', 'crazycrackanimal', 'CrazyCrackAnimal'], color: '#00FFF5', badges: [badge('subscriber', '2', '2')] },
      '7006f242-a45c-4e07-83b3-11f9c6d1ee28', 'gift_paid_upgrade', { gifter_is_anonymous: false, gifter_user_id: '1', gifter_user_name: 'Stridezgum', gifter_user_login: 'stridezgum' },
      'CrazyCrackAnimal is continuing the Gift Sub they got from Stridezgum!',
    ),
  },
  {
    name: 'anonymous gift paid upgrade',
    irc: ['usernotice.irc', 18],
    type: 'channel.chat.notification',
    sentAt: 1594327421732,
    event: notification(
      { broadcaster: xqcow, chatter: ['102707709', 'samura1jack_ttv', 'samura1jack_ttv'], color: '#8A2BE2', badges: [badge('subscriber', '0', '1'), badge('premium', '1')] },
      '144ee636-0c1d-404e-8b29-35449a045a7e', 'gift_paid_upgrade', { gifter_is_anonymous: true, gifter_user_id: null, gifter_user_name: null, gifter_user_login: null },
      'samura1jack_ttv is continuing the Gift Sub they got from an anonymous user!',
    ),
  },
  {
    name: 'prime paid upgrade',
    irc: ['usernotice.irc', 6],
    type: 'channel.chat.notification',
    sentAt: 1590000000000,
    event: notification(
      { broadcaster: ['123456789', 'channelname'], chatter: ['987654321', 'subscribername', 'SubscriberName'], color: '', badges: [badge('subscriber', '0', '2'), badge('premium', '1')] },
      '00000000-0000-0000-0000-000000000000', 'prime_paid_upgrade', { sub_tier: '1000' }, 'SubscriberName converted from a Twitch Prime sub to a Tier 1 sub!',
    ),
  },
  {
    name: 'raid',
    irc: ['usernotice.irc', 26],
    type: 'channel.chat.notification',
    sentAt: 1551490358542,
    event: notification(
      { broadcaster: ['408892348', 'clippyassistant'], chatter: ['269899575', 'fletchercodes', 'FletcherCodes'], color: '#00FF7F', badges: [badge('partner', '1')] },
      '7a61cd41-f049-466b-9654-43e5bfc554aa', 'raid',
      { user_id: '269899575', user_name: 'FletcherCodes', user_login: 'fletchercodes', viewer_count: 538, profile_image_url: 'https://static-cdn.jtvnw.net/jtv_user_pictures/herr_currywurst-profile_image-e6c037c9d321b955-70x70.jpeg' },
      '538 raiders from FletcherCodes have joined\n!',
    ),
  },
  {
    name: 'unraid',
    irc: ['usernotice.irc', 27],
    type: 'channel.chat.notification',
    sentAt: 1551518456143,
    event: notification(
      { broadcaster: ['269899575', 'fletchercodes'], chatter: ['269899575', 'fletchercodes', 'FletcherCodes'], color: '#8A2BE2', badges: [badge('broadcaster', '1')] },
      '06e33f48-c728-4332-b4bc-b7eae6f59f3c', 'unraid', {}, 'The raid has been cancelled.',
    ),
  },
  {
    name: 'announcement',
    irc: ['irc-extra.irc', 1],
    type: 'channel.chat.notification',
    sentAt: 1648762219962,
    event: notification(
      { broadcaster: ['31400525', 'supinic'], chatter: ['31400525', 'supinic', 'Supinic'], color: '#FF0000', badges: [badge('broadcaster', '1'), badge('subscriber', '3012', '47'), badge('twitchconAmsterdam2020', '1')] },
      '8c26e1ab-b50c-4d9d-bc11-3fd57a941d90', 'announcement', { color: 'primary' }, '', { text: 'mm test lol', fragments: [text('mm test lol')] },
    ),
  },
  {
    name: 'shared chat announcement (IRC msg-id sharedchatnotice)',
    irc: ['irc-extra.irc', 2],
    type: 'channel.chat.notification',
    sentAt: 1726118378465,
    event: notification(
      { broadcaster: pajlada, chatter: ['612865661', 'lahoooo', 'lahoooo'], color: '#DAA520', badges: [badge('staff', '1'), badge('raging-wolf-helm', '1')] },
      '01cd601f-bc3f-49d5-ab4b-136fa9d6ec22', 'shared_chat_announcement', { color: 'primary' }, '',
      { text: 'hi this is an announcement from 1', fragments: [text('hi this is an announcement from 1')] },
      {
        source_broadcaster_user_id: '1025594235', source_broadcaster_user_login: 'sharedchannel', source_broadcaster_user_name: 'SharedChannel',
        source_message_id: '4083dadc-9f20-40f9-ba92-949ebf6bc294', source_badges: [badge('staff', '1'), badge('moderator', '1'), badge('bits-leader', '1')],
      },
    ),
  },
  {
    name: 'message deleted',
    irc: ['moderation.irc', 6],
    type: 'channel.chat.message_delete',
    sentAt: 1594561955611,
    event: { broadcaster_user_id: '11148817', broadcaster_user_login: 'pajlada', broadcaster_user_name: 'pajlada', target_user_id: '1', target_user_name: 'alazymeme', target_user_login: 'alazymeme', message_id: '3c92014f-340a-4dc3-a9c9-e5cf182f4a84' },
    differs: { text: 'CLEARMSG carries the deleted text; channel.chat.message_delete does not' },
  },
  {
    name: 'timeout (channel.ban, not permanent)',
    irc: ['moderation.irc', 11],
    type: 'channel.ban',
    sentAt: 1551538496775,
    event: {
      user_id: '269899575', user_login: 'fletchercodes', user_name: 'FletcherCodes', broadcaster_user_id: '408892348', broadcaster_user_login: 'clippyassistant', broadcaster_user_name: 'ClippyAssistant',
      moderator_user_id: '1', moderator_user_login: 'mod_user', moderator_user_name: 'Mod_User', reason: '', banned_at: '2019-03-02T14:54:56.775Z', ends_at: '2019-03-02T14:55:01.775Z', is_permanent: false,
    },
    differs: { key: 'IRC key tells copies of one CLEARCHAT on several connections apart; EventSub dedupes on metadata.message_id' },
  },
  {
    name: 'ban (channel.ban, permanent)',
    irc: ['moderation.irc', 10],
    type: 'channel.ban',
    sentAt: 1551538522968,
    event: {
      user_id: '269899575', user_login: 'fletchercodes', user_name: 'FletcherCodes', broadcaster_user_id: '408892348', broadcaster_user_login: 'clippyassistant', broadcaster_user_name: 'ClippyAssistant',
      moderator_user_id: '1', moderator_user_login: 'mod_user', moderator_user_name: 'Mod_User', reason: '', banned_at: '2019-03-02T14:55:22.968Z', ends_at: null, is_permanent: true,
    },
    differs: { key: 'IRC key tells copies of one CLEARCHAT on several connections apart; EventSub dedupes on metadata.message_id' },
  },
  {
    name: 'chat cleared',
    irc: ['moderation.irc', 5],
    type: 'channel.chat.clear',
    sentAt: 1594561392337,
    event: { broadcaster_user_id: '40286300', broadcaster_user_login: 'randers', broadcaster_user_name: 'randers' },
    differs: { key: 'IRC key tells copies of one CLEARCHAT on several connections apart; EventSub dedupes on metadata.message_id' },
  },
  {
    name: 'room modes on (full ROOMSTATE)',
    irc: ['state.irc', 10],
    type: 'channel.chat_settings.update',
    sentAt: 0,
    event: {
      broadcaster_user_id: '40286300', broadcaster_user_login: 'randers', broadcaster_user_name: 'randers',
      emote_mode: true, follower_mode: true, follower_mode_duration_minutes: 10, slow_mode: true, slow_mode_wait_time_seconds: 5, subscriber_mode: true, unique_chat_mode: true,
    },
  },
  {
    name: 'room modes off (full ROOMSTATE)',
    irc: ['state.irc', 8],
    type: 'channel.chat_settings.update',
    sentAt: 0,
    event: {
      broadcaster_user_id: '40286300', broadcaster_user_login: 'randers', broadcaster_user_name: 'randers',
      emote_mode: false, follower_mode: false, follower_mode_duration_minutes: null, slow_mode: false, slow_mode_wait_time_seconds: null, subscriber_mode: false, unique_chat_mode: false,
    },
  },
];

function get(value: unknown, path: string): unknown {
  let v = value;
  for (const k of path.split('.')) v = typeof v === 'object' && v !== null ? (v as Obj)[k] : undefined;
  return v;
}
function without(value: unknown, paths: string[]): unknown {
  const copy = structuredClone(value) as Obj;
  for (const path of paths) {
    const keys = path.split('.');
    const parent = get(copy, keys.slice(0, -1).join('.') || '') ?? copy;
    const target = keys.length === 1 ? copy : parent;
    if (typeof target === 'object' && target !== null) delete (target as Obj)[keys[keys.length - 1]!];
  }
  return copy;
}
function eventsub(c: Case): NormalizedNotification {
  return chatNormalizers[c.type]!(c.event, '1', { creatorId: 'c1', receivedAt: RECEIVED, sentAt: c.sentAt, messageId: 'frame-1' });
}

describe('IRC line and EventSub event of the same chat situation give the same kernel payload', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const fromIrc = irc(...c.irc);
    const fromEventSub = eventsub(c);
    expect(fromIrc.kind).not.toBe('ignored');
    const differs = Object.keys(c.differs ?? {});
    for (const path of differs) expect(get(fromEventSub, path), `${path} is listed as differing`).not.toEqual(get(fromIrc, path));
    expect(without(fromEventSub, differs)).toEqual(without(fromIrc, differs));
  });

  it('covers every situation the brief lists', () => {
    const kinds = new Set(cases.map((c) => `${c.type} ${String(get(eventsub(c), 'kind'))}`));
    for (const k of ['channel.chat.message message', 'channel.chat.notification notice', 'channel.chat.message_delete deleted', 'channel.ban user-timeout', 'channel.chat.clear cleared', 'channel.chat_settings.update room-state']) {
      expect(kinds).toContain(k);
    }
  });

  it('clear_user_messages for the same timeout is ignored (channel.ban gives the user-timeout)', () => {
    const r = chatNormalizers['channel.chat.clear_user_messages']!(
      { broadcaster_user_id: '408892348', broadcaster_user_login: 'clippyassistant', broadcaster_user_name: 'ClippyAssistant', target_user_id: '269899575', target_user_login: 'fletchercodes', target_user_name: 'FletcherCodes' },
      '1', { creatorId: 'c1', receivedAt: RECEIVED, sentAt: 0, messageId: 'frame-2' },
    );
    expect(r).toMatchObject({ kind: 'ignored', reason: expect.stringContaining('ban from a timeout') });
  });
});
