// The EventSub chat normalizers on the vendored reference payloads
// (fixtures/eventsub-chat, see SOURCES.md) and on bad input.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { chatNormalizers } from '../src/eventsub/normalize/chat.js';
import type { EventSubNormalizeContext, NormalizedNotification } from '../src/eventsub/types.js';

type Obj = Record<string, unknown>;
const dir = new URL('../fixtures/eventsub-chat/', import.meta.url);
const ctx: EventSubNormalizeContext = { creatorId: 'c1', receivedAt: 1_700_000_000_000, sentAt: 1_699_999_999_000, messageId: 'frame-1' };

function load(name: string): { subscription: { type: string; version: string }; event: Obj } {
  return JSON.parse(readFileSync(new URL(name, dir), 'utf8')) as { subscription: { type: string; version: string }; event: Obj };
}
function run(name: string, patch: (event: Obj) => void = () => {}): NormalizedNotification {
  const { subscription, event } = load(name);
  patch(event);
  return chatNormalizers[subscription.type]!(event, subscription.version, ctx);
}
function notice(name: string, patch?: (event: Obj) => void) {
  const r = run(name, patch);
  if (r.kind !== 'notice') throw new Error(`${name} gave ${r.kind}: ${JSON.stringify(r)}`);
  return r.notice;
}

describe('record', () => {
  it('has one normalizer per chat subscription type', () => {
    expect(Object.keys(chatNormalizers).sort()).toEqual([
      'channel.ban', 'channel.chat.clear', 'channel.chat.clear_user_messages', 'channel.chat.message', 'channel.chat.message_delete', 'channel.chat.notification', 'channel.chat_settings.update',
    ]);
  });

  it('every vendored fixture gives its kind (none fails)', () => {
    const expected: Record<string, string> = {
      'channel.chat.message': 'message', 'channel.chat.message_delete': 'deleted', 'channel.chat.clear': 'cleared',
      'channel.chat.clear_user_messages': 'ignored', 'channel.ban': 'user-timeout', 'channel.chat_settings.update': 'room-state',
    };
    const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThanOrEqual(19);
    for (const f of files) {
      const { subscription } = load(f);
      const r = run(f);
      const want = subscription.type === 'channel.chat.notification' ? (/unknown|modiversary/.test(f) ? 'ignored' : 'notice') : expected[subscription.type];
      expect(r.kind, f).toBe(want);
    }
  });
});

describe('channel.chat.message', () => {
  it('the reference message: id, channel, author from chatter_* and badges, sentAt from the frame', () => {
    const r = run('channel.chat.message.parse_payload.json');
    expect(r).toEqual({
      kind: 'message',
      message: {
        id: 'cc106a89-1814-919d-454c-f4f2f970aae7', platform: 'twitch', creatorId: 'c1', channel: 'streamer',
        receivedAt: ctx.receivedAt, sentAt: ctx.sentAt,
        author: { id: '4145994', login: 'viewer32', displayName: 'viewer32', roles: ['moderator', 'subscriber'], badges: { moderator: '1', subscriber: '12', 'sub-gifter': '1' }, color: '#00FF7F' },
        text: 'Hi chat', isAction: false,
      },
    });
  });

  it('a shared-chat message keeps this channel\'s id and badges, not the source\'s', () => {
    const r = run('channel.chat.message.parse_payload_shared.json');
    expect(r.kind === 'message' && r.message.id).toBe('cc106a89-1814-919d-454c-f4f2f970aae7');
    expect(r.kind === 'message' && r.message.author.badges).toEqual({ moderator: '1', subscriber: '12', 'sub-gifter': '1' });
  });

  it('/me: the wrapper in message.text is removed and isAction set (captured shape)', () => {
    const r = run('channel.chat.message.action.constructed.json');
    expect(r.kind === 'message' && [r.message.text, r.message.isAction, r.message.author.roles]).toEqual(['chat test', true, ['broadcaster']]);
  });

  it('mentions stay in the text; a vip badge is the vip role; power-ups and highlighted types are messages', () => {
    const r = run('channel.chat.message.parse_payload.json', (e) => {
      e.message = { text: '@viewer1 hi', fragments: [{ type: 'mention', text: '@viewer1', mention: { user_id: '1', user_login: 'viewer1', user_name: 'viewer1' } }, { type: 'text', text: ' hi' }] };
      e.badges = [{ set_id: 'vip', id: '1', info: '' }];
      e.message_type = 'power_ups_gigantified_emote';
      e.channel_points_custom_reward_id = 'r1';
    });
    expect(r.kind === 'message' && [r.message.text, r.message.author.roles, r.message.emotes]).toEqual(['@viewer1 hi', ['vip'], undefined]);
  });

  it('an emote fragment that is not in the text in order ends the emote scan, keeping the earlier ones', () => {
    const r = run('channel.chat.message.parse_payload.json', (e) => {
      e.message = { text: 'Kappa x Kappa', fragments: [{ type: 'emote', text: 'Kappa', emote: { id: '25' } }, { type: 'text', text: ' x ' }, { type: 'emote', text: 'Keepo', emote: { id: '1902' } }, { type: 'emote', text: 'Kappa', emote: { id: '25' } }] };
    });
    expect(r.kind === 'message' && r.message.emotes).toEqual([{ id: '25', name: 'Kappa', start: 0, end: 5 }]);
  });

  it('no cheer or zero bits: no monetary', () => {
    const r = run('channel.chat.message.parse_payload.json', (e) => {
      e.cheer = { bits: 0 };
    });
    expect(r.kind === 'message' && r.message.monetary).toBeUndefined();
  });

  it('a lone surrogate in the text is made well-formed, as on IRC', () => {
    const r = run('channel.chat.message.parse_payload.json', (e) => {
      e.message = { text: 'a\ud800b', fragments: [] };
    });
    expect(r.kind === 'message' && r.message.text).toBe('a\ufffdb');
  });
});

describe('channel.chat.notification', () => {
  it('resub without a message: no text; data in IRC\'s names and types', () => {
    const n = notice('channel.chat.notification.parse_payload_resub_without_message.json');
    expect(n).toMatchObject({ id: '5dfe4963-9db8-44a9-9f69-27452aaaaa30', channel: 'cool_user', kind: 'resub' });
    expect(n.text).toBeUndefined();
    expect(n.data).toEqual({
      cumulativeMonths: 65, subPlan: '1000', shouldShareStreak: false, multimonthDuration: 0, wasGifted: false,
      systemMsg: "justinfan subscribed at Tier 1. They've subscribed for 65 months!", sentAt: ctx.sentAt,
    });
  });

  it('resub with a message keeps its text', () => {
    expect(notice('channel.chat.notification.parse_payload_cheer_just_text.json').text).toBe('GIB MIR DEN POKAL');
  });

  it('gifted resub: the gifter in IRC\'s gifter-* params', () => {
    expect(notice('channel.chat.notification.parse_payload_resub_gifted.json').data).toMatchObject({ wasGifted: true, anonGift: false, gifterId: '1234', gifterLogin: 'justinfan1', gifterName: 'justinfan1' });
  });

  it('anonymous community gift: submysterygift from the anonymous gifter account', () => {
    const n = notice('channel.chat.notification.parse_payload_sub_gift_anon.json');
    expect([n.kind, n.author?.login, n.data]).toEqual([
      'submysterygift', 'ananonymousgifter',
      { massGiftCount: 1, subPlan: '1000', communityGiftId: '12111455614691086753', systemMsg: "An anonymous user is gifting 1 Tier 1 Subs to Cool_User's community!", sentAt: ctx.sentAt },
    ]);
  });

  it('pay it forward to a user → standardpayforward, to the community → communitypayforward', () => {
    const one = notice('channel.chat.notification.parse_payload_examples.1.json');
    expect([one.kind, one.data]).toEqual(['standardpayforward', expect.objectContaining({ priorGifterAnonymous: false, priorGifterId: '434322296', priorGifterUserName: 'sarius05', priorGifterDisplayName: 'sarius05', recipientId: '924524794', recipientUserName: 'melizhr', recipientDisplayName: 'melizhr' })]);
    const all = notice('channel.chat.notification.parse_payload_examples.2.json');
    expect([all.kind, all.data?.recipientId]).toEqual(['communitypayforward', undefined]);
  });

  it('shared_chat_resub → sharedchatnotice (IRC\'s msg-id) with the resub data', () => {
    const n = notice('channel.chat.notification.parse_shared_chat.json');
    expect([n.kind, n.data?.cumulativeMonths, n.data?.subPlan]).toEqual(['sharedchatnotice', 10, '1000']);
  });

  it('unknown notice types are ignored with the type in the reason', () => {
    for (const f of ['channel.chat.notification.parse_unknown.json', 'channel.chat.notification.parse_modiversary.json']) {
      expect(run(f)).toMatchObject({ kind: 'ignored', reason: expect.stringMatching(/notice_type "(unknown|modiversary)"/) });
    }
    expect(run('channel.chat.notification.parse_payload.json', (e) => (e.notice_type = 'shared_chat_bits_badge_tier'))).toMatchObject({ kind: 'ignored' });
    expect(run('channel.chat.notification.parse_payload.json', (e) => (e.notice_type = '__proto__'))).toMatchObject({ kind: 'ignored' });
  });

  const base = 'channel.chat.notification.parse_payload.json';
  const as = (type: string, body: Obj, more: Obj = {}) => notice(base, (e) => Object.assign(e, { notice_type: type, [type]: body, ...more }));

  it('sub: Prime plan and multi-month duration', () => {
    expect(as('sub', { sub_tier: '1000', is_prime: true, duration_months: 3 }).data).toMatchObject({ subPlan: 'Prime', multimonthDuration: 3 });
    expect(as('sub', { sub_tier: '2000', is_prime: false, duration_months: 1 }).data).toMatchObject({ subPlan: '2000' });
  });

  it('sub_gift: recipient, months, sender total and community gift id', () => {
    expect(as('sub_gift', { duration_months: 3, cumulative_total: 7, recipient_user_id: '9', recipient_user_name: 'Rec', recipient_user_login: 'rec', sub_tier: '3000', community_gift_id: '42' }).data).toMatchObject({
      recipientId: '9', recipientUserName: 'rec', recipientDisplayName: 'Rec', subPlan: '3000', giftMonths: 3, senderCount: 7, communityGiftId: '42',
    });
  });

  it('gift_paid_upgrade / prime_paid_upgrade / bits_badge_tier / charity_donation / announcement / raid', () => {
    expect(as('gift_paid_upgrade', { gifter_is_anonymous: false, gifter_user_id: '5', gifter_user_name: 'G', gifter_user_login: 'g' })).toMatchObject({ kind: 'giftpaidupgrade', data: { senderLogin: 'g', senderName: 'G' } });
    expect(as('gift_paid_upgrade', { gifter_is_anonymous: true, gifter_user_id: null, gifter_user_name: null, gifter_user_login: null }).kind).toBe('anongiftpaidupgrade');
    expect(as('prime_paid_upgrade', { sub_tier: '1000' })).toMatchObject({ kind: 'primepaidupgrade', data: { subPlan: '1000' } });
    expect(as('bits_badge_tier', { tier: 10000 })).toMatchObject({ kind: 'bitsbadgetier', data: { threshold: 10000 } });
    expect(as('charity_donation', { charity_name: 'Example', amount: { value: 1050, decimal_places: 2, currency: 'USD' } })).toMatchObject({
      kind: 'charitydonation', data: { charityName: 'Example', donationAmount: 1050, exponent: 2, donationCurrency: 'USD' },
    });
    expect(as('announcement', { color: 'blue' }, { message: { text: 'hello Kappa', fragments: [{ type: 'text', text: 'hello ' }, { type: 'emote', text: 'Kappa', emote: { id: '25' } }] } })).toMatchObject({
      kind: 'announcement', text: 'hello Kappa', emotes: [{ id: '25', name: 'Kappa', start: 6, end: 11 }], data: { color: 'BLUE' },
    });
    expect(as('raid', { user_id: '1', user_name: 'R', user_login: 'r', viewer_count: 3, profile_image_url: 'u' })).toMatchObject({ kind: 'raid', data: { login: 'r', displayName: 'R', viewerCount: 3, profileImageURL: 'u' } });
  });
});

describe('moderation and room modes', () => {
  it('message_delete → deleted with the target login', () => {
    expect(run('channel.chat.message_delete.parse_payload.json')).toEqual({
      kind: 'deleted', login: 'uncool_viewer',
      event: { creatorId: 'c1', platform: 'twitch', channel: 'cool_user', messageId: 'ab24e0b0-2260-4bac-94e4-05eedd4ecd0e', at: ctx.receivedAt },
    });
  });

  it('clear → cleared', () => {
    expect(run('channel.chat.clear.parse_payload.json')).toEqual({ kind: 'cleared', event: { creatorId: 'c1', platform: 'twitch', channel: 'cool_user', at: ctx.receivedAt } });
  });

  it('clear_user_messages → ignored: it does not tell a ban from a timeout', () => {
    expect(run('channel.chat.clear_user_messages.parse_payload.json')).toMatchObject({ kind: 'ignored', command: 'channel.chat.clear_user_messages' });
  });

  it('channel.ban: a timeout with its length and reason, a permanent ban without one', () => {
    expect(run('channel.ban.parse_payload.json')).toEqual({
      kind: 'user-timeout',
      event: { creatorId: 'c1', platform: 'twitch', channel: 'cooler_user', userId: '1234', login: 'cool_user', action: 'timeout', durationSec: 60, reason: 'Offensive language', at: ctx.receivedAt },
    });
    const ban = run('channel.ban.parse_payload.json', (e) => Object.assign(e, { is_permanent: true, ends_at: null }));
    expect(ban.kind === 'user-timeout' && [ban.event.action, ban.event.durationSec]).toEqual(['ban', undefined]);
  });

  it('chat_settings.update → every mode, as a full ROOMSTATE gives them', () => {
    expect(run('channel.chat_settings.update.parse_payload.json')).toEqual({
      kind: 'room-state',
      event: { creatorId: 'c1', platform: 'twitch', channel: 'cool_user', channelId: '1337', state: { emoteOnly: true, followersOnly: false, uniqueChat: false, slowSec: 10, subsOnly: false }, at: ctx.receivedAt },
    });
    const on = run('channel.chat_settings.update.parse_payload.json', (e) => Object.assign(e, { follower_mode: true, follower_mode_duration_minutes: 0 }));
    expect(on.kind === 'room-state' && [on.event.state.followersOnly, on.event.state.followersOnlyMinutes]).toEqual([true, 0]);
  });
});

describe('bad input never throws', () => {
  const types = Object.keys(chatNormalizers);

  it('an unknown version is ignored with the version in the reason', () => {
    for (const t of types) expect(chatNormalizers[t]!({}, '2', ctx)).toMatchObject({ kind: 'ignored', reason: expect.stringContaining('"2"'), command: t });
  });

  it('a non-object event fails', () => {
    for (const t of types) for (const e of [null, [], 'x', 3]) expect(chatNormalizers[t]!(e as unknown as Obj, '1', ctx)).toEqual({ kind: 'failed', reason: `${t}: the event is not an object`, command: t });
  });

  it('missing or mistyped fields fail with the field in the reason', () => {
    const cases: [string, (e: Obj) => void, RegExp][] = [
      ['channel.chat.message.parse_payload.json', (e) => delete e.message_id, /message_id is missing/],
      ['channel.chat.message.parse_payload.json', (e) => (e.broadcaster_user_login = 5), /broadcaster_user_login is a number/],
      ['channel.chat.message.parse_payload.json', (e) => (e.chatter_user_id = null), /chatter_user_id is null/],
      ['channel.chat.message.parse_payload.json', (e) => (e.message = 'hi'), /message is a string/],
      ['channel.chat.message.parse_payload.json', (e) => (e.badges = {}), /badges is an object, not an array/],
      ['channel.chat.message.parse_payload.json', (e) => (e.badges = [{ id: '1' }]), /set_id is missing/],
      ['channel.chat.message.parse_payload.json', (e) => (e.message = { text: 'x', fragments: 'x' }), /fragments is a string/],
      ['channel.chat.message.parse_payload.json', (e) => (e.message = { text: 'Kappa', fragments: [{ type: 'emote', text: 'Kappa' }] }), /emote is missing/],
      ['channel.chat.message.parse_payload.json', (e) => (e.cheer = { bits: '100' }), /bits is a string/],
      ['channel.chat.message.parse_payload.json', (e) => (e.reply = { parent_message_id: 'p', parent_message_body: 3 }), /parent_message_body is not a string/],
      ['channel.chat.notification.parse_payload.json', (e) => (e.resub = null), /resub is missing/],
      ['channel.chat.notification.parse_payload.json', (e) => (e.resub = { cumulative_months: 'ten', sub_tier: '1000' }), /cumulative_months is a string/],
      ['channel.chat.notification.parse_payload.json', (e) => delete e.notice_type, /notice_type is missing/],
      ['channel.chat.notification.parse_payload.json', (e) => (e.system_message = 1), /system_message is not a string/],
      ['channel.chat.message_delete.parse_payload.json', (e) => delete e.message_id, /message_id is missing/],
      ['channel.chat.clear.parse_payload.json', (e) => delete e.broadcaster_user_login, /broadcaster_user_login is missing/],
      ['channel.chat.clear_user_messages.parse_payload.json', (e) => delete e.target_user_login, /target_user_login is missing/],
      ['channel.ban.parse_payload.json', (e) => (e.ends_at = 'soon'), /timeout without a valid/],
      ['channel.ban.parse_payload.json', (e) => (e.is_permanent = 'no'), /is_permanent is a string/],
      ['channel.chat_settings.update.parse_payload.json', (e) => (e.slow_mode = 1), /slow_mode is a number/],
    ];
    for (const [file, patch, reason] of cases) {
      const r = run(file, patch);
      expect(r, `${file} ${reason}`).toMatchObject({ kind: 'failed', reason: expect.stringMatching(reason) });
    }
  });

  it('a getter that throws inside the event becomes failed, not a throw', () => {
    const { event } = load('channel.chat.message.parse_payload.json');
    Object.defineProperty(event, 'message', { get: () => { throw new Error('boom'); } });
    expect(chatNormalizers['channel.chat.message']!(event, '1', ctx)).toEqual({ kind: 'failed', reason: 'channel.chat.message: boom', command: 'channel.chat.message' });
  });
});
