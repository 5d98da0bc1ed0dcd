import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { EventBus } from '@streamsuites/kernel';
import type { TwitchChannelEvents, TwitchRedemptionEvent } from '../src/eventsub/channel-events.js';
import { channelNormalizers } from '../src/eventsub/normalize/channel.js';
import type { NormalizedNotification } from '../src/eventsub/types.js';

// Twitch's reference payloads (fixtures/eventsub-channel, see SOURCES.md) through the normalizers.
const dir = new URL('../fixtures/eventsub-channel/', import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
interface Fixture {
  subscription: { type: string; version: string };
  event: Record<string, unknown>;
}
const fixture = (name: string): Fixture => JSON.parse(readFileSync(new URL(name, dir), 'utf8')) as Fixture;
const ctx = { creatorId: 'c1', receivedAt: 1_700_000_000_000, sentAt: 1_699_999_999_900, messageId: 'msg-1' };

function run(name: string, patch: (event: Record<string, unknown>) => unknown = () => {}): NormalizedNotification {
  const { subscription, event } = fixture(name);
  patch(event);
  return channelNormalizers[subscription.type]!(event, subscription.version, ctx);
}
function payload(name: string, patch?: (event: Record<string, unknown>) => unknown): { event: string; payload: Record<string, unknown> } {
  const result = run(name, patch);
  if (result.kind !== 'channel-event') throw new Error(`${name} gave ${result.kind}: ${'reason' in result ? result.reason : ''}`);
  return { event: result.event, payload: result.payload };
}

const common = { creatorId: 'c1', platform: 'twitch', eventId: 'msg-1', at: 1_700_000_000_000 };

describe('EventSub channel normalizers', () => {
  it('cover every subscription type of the brief', () => {
    expect(Object.keys(channelNormalizers).sort()).toEqual(
      [
        'channel.follow', 'channel.subscribe', 'channel.subscription.message', 'channel.subscription.gift', 'channel.cheer', 'channel.raid',
        'channel.channel_points_custom_reward_redemption.add', 'channel.hype_train.begin', 'channel.hype_train.progress', 'channel.hype_train.end',
        'channel.poll.begin', 'channel.poll.progress', 'channel.poll.end', 'channel.prediction.begin', 'channel.prediction.progress',
        'channel.prediction.end', 'channel.ad_break.begin', 'channel.shoutout.create', 'channel.shoutout.receive', 'stream.online', 'stream.offline',
      ].sort(),
    );
  });

  it.each(files.filter((f) => f !== 'channel.follow.v1.json'))('%s gives a plain-JSON kernel event', (name) => {
    const result = run(name);
    expect(result.kind).toBe('channel-event');
    if (result.kind !== 'channel-event') return;
    expect(result.event).toMatch(/^(twitch\.[a-z-]+|stream\.(online|offline))$/);
    expect(result.payload).toMatchObject({ creatorId: 'c1', platform: 'twitch', at: ctx.receivedAt });
    expect(typeof result.payload['channel']).toBe('string');
    expect(JSON.parse(JSON.stringify(result.payload))).toEqual(result.payload);
    // No undefined left behind: what goes on the bus is what a replay reads back.
    expect(Object.values(result.payload)).not.toContain(undefined);
  });

  it('channel.follow v2 → twitch.follow; v1 is ignored with a reason', () => {
    expect(payload('channel.follow.v2.json')).toEqual({
      event: 'twitch.follow',
      payload: {
        ...common,
        channel: 'cooler_user',
        channelId: '1337',
        user: { id: '1234', login: 'cool_user', displayName: 'Cool_User' },
        followedAt: Date.parse('2020-07-15T18:16:11.171Z'),
      },
    });
    expect(run('channel.follow.v1.json')).toEqual({ kind: 'ignored', reason: 'channel.follow version 1 is not supported (known: 2)', command: 'channel.follow' });
  });

  it('channel.subscribe → twitch.subscribe with a numeric tier', () => {
    expect(payload('channel.subscribe.v1.json').payload).toMatchObject({ user: { login: 'cool_user' }, tier: 1, isGift: false });
    expect(payload('channel.subscribe.v1.json', (e) => (e['tier'] = '3000')).payload).toMatchObject({ tier: 3 });
  });

  it('channel.subscription.message → twitch.subscription-message', () => {
    expect(payload('channel.subscription.message.v1.json')).toEqual({
      event: 'twitch.subscription-message',
      payload: {
        ...common,
        channel: 'cooler_user',
        channelId: '1337',
        user: { id: '1234', login: 'cool_user', displayName: 'Cool_User' },
        tier: 1,
        months: 15,
        streakMonths: 1,
        durationMonths: 6,
        text: 'Love the stream! FevziGG',
      },
    });
    expect(payload('channel.subscription.message.v1.json', (e) => (e['streak_months'] = null)).payload['streakMonths']).toBeNull();
  });

  it('channel.subscription.gift → twitch.gift; anonymous has no user', () => {
    expect(payload('channel.subscription.gift.v1.json').payload).toMatchObject({
      user: { id: '1234', login: 'cool_user', displayName: 'Cool_User' },
      anonymous: false,
      tier: 1,
      total: 2,
      cumulativeTotal: 284,
    });
    const anonymous = payload('channel.subscription.gift.v1.json', (e) => {
      Object.assign(e, { is_anonymous: true, user_id: null, user_login: null, user_name: null, cumulative_total: null });
    }).payload;
    expect(anonymous).not.toHaveProperty('user');
    expect(anonymous).toMatchObject({ anonymous: true, total: 2, cumulativeTotal: null });
  });

  it('channel.cheer → twitch.cheer with bits; anonymous has no user', () => {
    expect(payload('channel.cheer.v1.json')).toEqual({
      event: 'twitch.cheer',
      payload: { ...common, channel: 'cooler_user', channelId: '1337', user: { id: '1234', login: 'cool_user', displayName: 'Cool_User' }, anonymous: false, bits: 1000, text: 'pogchamp' },
    });
    const anonymous = payload('channel.cheer.v1.json', (e) => Object.assign(e, { is_anonymous: true, user_id: null, user_login: null, user_name: null })).payload;
    expect(anonymous).not.toHaveProperty('user');
    expect(anonymous).toMatchObject({ anonymous: true, bits: 1000 });
  });

  it('channel.raid → twitch.raid: the channel is the raided one, the user the raider', () => {
    expect(payload('channel.raid.v1.json')).toEqual({
      event: 'twitch.raid',
      payload: {
        ...common,
        channel: 'cooler_user',
        channelId: '1337',
        user: { id: '1234', login: 'cool_user', displayName: 'Cool_User' },
        from: { id: '1234', login: 'cool_user', displayName: 'Cool_User' },
        to: { id: '1337', login: 'cooler_user', displayName: 'Cooler_User' },
        viewers: 9001,
      },
    });
  });

  it('channel points redemption → twitch.redemption with reward, input, id and status', () => {
    expect(payload('channel.channel_points_custom_reward_redemption.add.v1.json')).toEqual({
      event: 'twitch.redemption',
      payload: {
        ...common,
        channel: 'cool_user',
        channelId: '1337',
        user: { id: '9001', login: 'cooler_user', displayName: 'Cooler_User' },
        redemptionId: '1234',
        reward: { id: '9001', title: 'title', cost: 100, prompt: 'reward prompt' },
        userInput: 'pogchamp',
        status: 'unfulfilled',
        redeemedAt: Date.parse('2020-07-15T17:16:03.171Z'),
      },
    });
    expect(payload('channel.channel_points_custom_reward_redemption.add.v1.json', (e) => (e['user_input'] = '')).payload['userInput']).toBe('');
  });

  it('hype train begin / progress / end → twitch.hype-train with phase, level, progress and goal (v1 and v2)', () => {
    expect(payload('channel.hype_train.begin.v2.json')).toEqual({
      event: 'twitch.hype-train',
      payload: {
        ...common,
        channel: 'cool_user',
        channelId: '1337',
        phase: 'begin',
        trainId: '1b0AsbInCHZW2SQFQkCzqN07Ib2',
        level: 1,
        total: 137,
        progress: 137,
        goal: 500,
        topContributions: [{ user: { id: '123', login: 'pogchamp', displayName: 'PogChamp' }, type: 'bits', total: 50 }],
        trainType: 'regular',
        shared: false,
        startedAt: Date.parse('2020-07-15T17:16:03.171Z'),
        expiresAt: Date.parse('2020-07-15T17:16:11.171Z'),
      },
    });
    expect(payload('channel.hype_train.progress.v1.json').payload).toMatchObject({
      phase: 'progress',
      level: 2,
      total: 700,
      progress: 200,
      goal: 1000,
      lastContribution: { user: { login: 'pogchamp' }, type: 'bits', total: 50 },
      shared: false,
    });
    const end = payload('channel.hype_train.end.v2.json').payload;
    expect(end).toMatchObject({ phase: 'end', level: 1, total: 137, endedAt: Date.parse('2020-07-15T17:16:11.171Z'), cooldownEndsAt: Date.parse('2020-07-16T17:16:11.171Z') });
    expect(end).not.toHaveProperty('progress');
    expect(end).not.toHaveProperty('goal');
    expect(payload('channel.hype_train.end.v1.json').payload).toMatchObject({ phase: 'end', level: 2, topContributions: [{ type: 'bits' }, { type: 'subscription', total: 45 }] });
  });

  it('poll begin / progress / end → twitch.poll with choices and votes; end names a unique winner', () => {
    expect(payload('channel.poll.begin.v1.json').payload).toMatchObject({
      phase: 'begin',
      pollId: '1243456',
      title: 'Aren’t shoes just really hard socks?',
      choices: [
        { id: '123', title: 'Yeah!', votes: 0, channelPointsVotes: 0, bitsVotes: 0 },
        { id: '124', title: 'No!', votes: 0 },
        { id: '125', title: 'Maybe!', votes: 0 },
      ],
      endsAt: Date.parse('2020-07-15T17:16:08.171Z'),
    });
    expect(payload('channel.poll.progress.v1.json').payload).toMatchObject({ phase: 'progress', choices: [{ votes: 12 }, { votes: 14, channelPointsVotes: 4, bitsVotes: 10 }, { votes: 7 }] });
    const end = payload('channel.poll.end.v1.json').payload;
    expect(end).toMatchObject({ phase: 'end', status: 'completed', winner: { id: '124', title: 'Yellow', votes: 140 } });
    const tied = payload('channel.poll.end.v1.json', (e) => ((e['choices'] as Record<string, unknown>[])[0]!['votes'] = 140)).payload;
    expect(tied).not.toHaveProperty('winner');
  });

  it('prediction begin / progress / end → twitch.prediction with outcomes, users and points; end names the winner', () => {
    expect(payload('channel.prediction.begin.v1.json').payload).toMatchObject({
      phase: 'begin',
      predictionId: '1243456',
      outcomes: [
        { id: '1243456', title: 'Yeah!', color: 'blue', users: 0, points: 0 },
        { id: '2243456', title: 'No!', color: 'pink', users: 0, points: 0 },
      ],
      locksAt: Date.parse('2020-07-15T17:21:03.171Z'),
    });
    expect(payload('channel.prediction.progress.v1.json').payload).toMatchObject({ phase: 'progress', outcomes: [{ users: 10, points: 15000 }, { users: 0, points: 0 }] });
    expect(payload('channel.prediction.end.v1.json').payload).toMatchObject({
      phase: 'end',
      status: 'resolved',
      winner: { id: '12345', title: 'Yeah!', users: 2, points: 15000 },
    });
    const canceled = payload('channel.prediction.end.v1.json', (e) => Object.assign(e, { status: 'canceled', winning_outcome_id: null })).payload;
    expect(canceled).toMatchObject({ status: 'canceled' });
    expect(canceled).not.toHaveProperty('winner');
  });

  it('ad break → twitch.ad-break with its duration and requester', () => {
    expect(payload('channel.ad_break.begin.v1.json')).toEqual({
      event: 'twitch.ad-break',
      payload: {
        ...common,
        channel: 'cool_user',
        channelId: '1337',
        durationSec: 60,
        automatic: false,
        user: { id: '1337', login: 'cool_user', displayName: 'Cool_User' },
        startedAt: Date.parse('2019-11-16T10:11:12.634Z'),
      },
    });
    expect(payload('channel.ad_break.begin.v1.json', (e) => (e['is_automatic'] = true)).payload).not.toHaveProperty('user');
  });

  it('shoutouts → twitch.shoutout, out (create) with the target and in (receive) with the giver', () => {
    expect(payload('channel.shoutout.create.v1.json').payload).toMatchObject({
      channel: 'simplysimple',
      direction: 'out',
      target: { id: '626262', login: 'sandysanderman', displayName: 'SandySanderman' },
      user: { login: 'particularlyparticular123' },
      viewers: 860,
      cooldownEndsAt: Date.parse('2022-07-26T17:02:03.171Z'),
    });
    expect(payload('channel.shoutout.receive.v1.json')).toEqual({
      event: 'twitch.shoutout',
      payload: {
        ...common,
        channel: 'sandysanderman',
        channelId: '626262',
        direction: 'in',
        from: { id: '12345', login: 'simplysimple', displayName: 'SimplySimple' },
        user: { id: '12345', login: 'simplysimple', displayName: 'SimplySimple' },
        viewers: 860,
        startedAt: Date.parse('2022-07-26T17:00:03.171Z'),
      },
    });
  });

  it('stream.online / stream.offline → the kernel events with the StreamStatus shape', () => {
    expect(payload('stream.online.v1.json')).toEqual({
      event: 'stream.online',
      payload: { creatorId: 'c1', platform: 'twitch', channel: 'cool_user', at: ctx.receivedAt, startedAt: Date.parse('2020-10-11T10:11:12.123Z'), streamId: '9001' },
    });
    expect(payload('stream.offline.v1.json')).toEqual({ event: 'stream.offline', payload: { creatorId: 'c1', platform: 'twitch', channel: 'cool_user', at: ctx.receivedAt } });
    expect(run('stream.online.v1.json', (e) => (e['type'] = 'rerun'))).toMatchObject({ kind: 'ignored', reason: expect.stringContaining('rerun') });
  });
});

describe('the kernel event map', () => {
  it('has the twitch.* payload types (typed listeners, typed emits)', () => {
    const bus = new EventBus();
    const seen: string[] = [];
    bus.on('twitch.redemption', (e) => {
      expectTypeOf(e).toEqualTypeOf<TwitchRedemptionEvent>();
      seen.push(`${e.user.displayName}:${e.reward.title}:${e.reward.cost}:${e.redemptionId}`);
    });
    bus.on('twitch.hype-train', (e) => void seen.push(`${e.phase}:${e.level}`));
    bus.emit('twitch.redemption', payload('channel.channel_points_custom_reward_redemption.add.v1.json').payload as unknown as TwitchRedemptionEvent);
    bus.emit('twitch.hype-train', payload('channel.hype_train.end.v2.json').payload as unknown as TwitchChannelEvents['twitch.hype-train']);
    expect(seen).toEqual(['Cooler_User:title:100:1234', 'end:1']);
  });
});

describe('bad input never throws', () => {
  type Patch = (e: Record<string, unknown>) => unknown;
  const broken: [string, Patch, string][] = [
    ['channel.cheer.v1.json', (e: Record<string, unknown>) => (e['bits'] = 'lots'), 'channel.cheer: bits is not a number'],
    ['channel.cheer.v1.json', (e: Record<string, unknown>) => delete e['broadcaster_user_login'], 'channel.cheer: broadcaster_user_login is not a string'],
    ['channel.subscribe.v1.json', (e: Record<string, unknown>) => (e['tier'] = 'prime'), 'channel.subscribe: tier "prime" is not 1000, 2000 or 3000'],
    ['channel.channel_points_custom_reward_redemption.add.v1.json', (e: Record<string, unknown>) => (e['reward'] = null), 'reward is not an object'],
    ['channel.channel_points_custom_reward_redemption.add.v1.json', (e: Record<string, unknown>) => (e['status'] = 'done'), 'status "done"'],
    ['channel.follow.v2.json', (e: Record<string, unknown>) => (e['followed_at'] = 'yesterday'), 'followed_at is not an RFC 3339 time'],
    ['channel.poll.progress.v1.json', (e: Record<string, unknown>) => (e['choices'] = [1, 2]), 'choices is not a list of objects'],
    ['channel.hype_train.progress.v2.json', (e: Record<string, unknown>) => delete e['goal'], 'goal is not a number'],
  ];
  it.each(broken)('%s with a broken field is failed with the field named', (name, patch, reason) => {
    const result = run(name, patch);
    expect(result.kind).toBe('failed');
    expect(result).toMatchObject({ reason: expect.stringContaining(reason) });
  });

  it('a non-object event, an unknown version, getters that throw: failed / ignored, never a throw', () => {
    for (const [type, normalize] of Object.entries(channelNormalizers)) {
      const version = type.startsWith('channel.follow') ? '2' : '1';
      for (const bad of [null, [], 'text', 42] as unknown[]) {
        expect(normalize(bad as Record<string, unknown>, version, ctx)).toMatchObject({ kind: 'failed', command: type });
      }
      expect(normalize({}, version, ctx)).toMatchObject({ kind: 'failed' });
      expect(normalize({}, '99', ctx)).toMatchObject({ kind: 'ignored', reason: expect.stringContaining('version 99') });
      const hostile = new Proxy({}, { get: () => { throw new Error('boom'); } });
      expect(normalize(hostile, version, ctx)).toMatchObject({ kind: 'failed', reason: expect.stringContaining('boom') });
    }
  });
});
