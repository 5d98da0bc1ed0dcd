/**
 * EventSub channel events → kernel events (`twitch.*`, `stream.online`,
 * `stream.offline`). Each normalizer knows the versions it was written
 * against; another version is `ignored` (with the reason), a payload with a
 * missing or mistyped field is `failed` (naming the field). None throws.
 */
import type { EventName, StreamStatus, StreamSuitesEvents } from '@streamsuites/kernel';
import type {
  TwitchEventPhase,
  TwitchHypeTrainContribution,
  TwitchPollChoice,
  TwitchPredictionOutcome,
  TwitchRedemptionStatus,
} from '../channel-events.js';
import type { EventSubNormalizeContext, NormalizedNotification, NotificationNormalizer } from '../types.js';
import {
  BadEvent,
  base,
  bool,
  defined,
  list,
  num,
  obj,
  optNum,
  optStr,
  optTime,
  optUser,
  str,
  tier,
  time,
  user,
  type Raw,
} from './channel-read.js';

/** A typed kernel event as a notification (the payload type is checked against the event name). */
function channelEvent<E extends EventName>(event: E, payload: StreamSuitesEvents[E] & { creatorId: string; at: number }): NormalizedNotification {
  return { kind: 'channel-event', event, payload: payload as unknown as Record<string, unknown> & { creatorId: string; at: number } };
}

/** Wraps a normalizer: version gate, and every failure as a `failed` result with its reason. */
function normalizer(type: string, versions: readonly string[], build: (event: Raw, ctx: EventSubNormalizeContext) => NormalizedNotification): NotificationNormalizer {
  return (event, version, ctx) => {
    if (!versions.includes(version)) {
      return { kind: 'ignored', reason: `${type} version ${version} is not supported (known: ${versions.join(', ')})`, command: type };
    }
    try {
      if (typeof event !== 'object' || event === null || Array.isArray(event)) throw new BadEvent('the event is not an object');
      return build(event, ctx);
    } catch (error) {
      const reason = error instanceof BadEvent ? error.message : `normalizer error: ${error instanceof Error ? error.message : String(error)}`;
      return { kind: 'failed', reason: `${type}: ${reason}`, command: type };
    }
  };
}

function contribution(raw: Raw): TwitchHypeTrainContribution {
  return { user: user(raw, ''), type: str(raw, 'type'), total: num(raw, 'total') };
}

function hypeTrain(phase: TwitchEventPhase) {
  return (event: Raw, ctx: EventSubNormalizeContext): NormalizedNotification => {
    const last = event['last_contribution'];
    return channelEvent(
      'twitch.hype-train',
      defined({
        ...base(event, ctx),
        phase,
        trainId: str(event, 'id'),
        level: num(event, 'level'),
        total: num(event, 'total'),
        progress: phase === 'end' ? undefined : num(event, 'progress'),
        goal: phase === 'end' ? undefined : num(event, 'goal'),
        topContributions: list(event, 'top_contributions').map(contribution),
        lastContribution: last === undefined || last === null ? undefined : contribution(obj(event, 'last_contribution')),
        trainType: optStr(event, 'type'),
        shared: bool(event, 'is_shared_train', false),
        startedAt: time(event, 'started_at'),
        expiresAt: phase === 'end' ? undefined : time(event, 'expires_at'),
        endedAt: phase === 'end' ? time(event, 'ended_at') : undefined,
        cooldownEndsAt: phase === 'end' ? optTime(event, 'cooldown_ends_at') : undefined,
      }),
    );
  };
}

/** The single greatest by `score`; undefined on a tie or when every score is 0. */
function uniqueTop<T>(items: readonly T[], score: (item: T) => number): T | undefined {
  let best: T | undefined;
  let tie = false;
  for (const item of items) {
    if (best === undefined || score(item) > score(best)) {
      best = item;
      tie = false;
    } else if (score(item) === score(best)) {
      tie = true;
    }
  }
  return best === undefined || tie || score(best) === 0 ? undefined : best;
}

function poll(phase: TwitchEventPhase) {
  return (event: Raw, ctx: EventSubNormalizeContext): NormalizedNotification => {
    const choices = list(event, 'choices').map(
      (c): TwitchPollChoice => ({
        id: str(c, 'id'),
        title: str(c, 'title'),
        votes: optNum(c, 'votes') ?? 0,
        channelPointsVotes: optNum(c, 'channel_points_votes') ?? 0,
        bitsVotes: optNum(c, 'bits_votes') ?? 0,
      }),
    );
    return channelEvent(
      'twitch.poll',
      defined({
        ...base(event, ctx),
        phase,
        pollId: str(event, 'id'),
        title: str(event, 'title'),
        choices,
        status: phase === 'end' ? str(event, 'status') : undefined,
        winner: phase === 'end' ? uniqueTop(choices, (c) => c.votes) : undefined,
        startedAt: time(event, 'started_at'),
        endsAt: phase === 'end' ? undefined : time(event, 'ends_at'),
        endedAt: phase === 'end' ? optTime(event, 'ended_at') : undefined,
      }),
    );
  };
}

function prediction(phase: TwitchEventPhase) {
  return (event: Raw, ctx: EventSubNormalizeContext): NormalizedNotification => {
    const outcomes = list(event, 'outcomes').map(
      (o): TwitchPredictionOutcome => ({
        id: str(o, 'id'),
        title: str(o, 'title'),
        color: optStr(o, 'color') ?? '',
        users: optNum(o, 'users') ?? 0,
        points: optNum(o, 'channel_points') ?? 0,
      }),
    );
    const winningId = phase === 'end' ? optStr(event, 'winning_outcome_id') : undefined;
    return channelEvent(
      'twitch.prediction',
      defined({
        ...base(event, ctx),
        phase,
        predictionId: str(event, 'id'),
        title: str(event, 'title'),
        outcomes,
        status: phase === 'end' ? str(event, 'status') : undefined,
        winner: winningId === undefined ? undefined : outcomes.find((o) => o.id === winningId),
        startedAt: time(event, 'started_at'),
        locksAt: phase === 'end' ? undefined : time(event, 'locks_at'),
        endedAt: phase === 'end' ? optTime(event, 'ended_at') : undefined,
      }),
    );
  };
}

const REDEMPTION_STATUSES: readonly TwitchRedemptionStatus[] = ['unfulfilled', 'fulfilled', 'canceled', 'unknown'];

function streamStatus(event: Raw, ctx: EventSubNormalizeContext, online: boolean): StreamStatus {
  return defined({
    creatorId: ctx.creatorId,
    platform: 'twitch',
    channel: str(event, 'broadcaster_user_login').toLowerCase(),
    at: ctx.receivedAt,
    startedAt: online ? time(event, 'started_at') : undefined,
    streamId: online ? str(event, 'id') : undefined,
  });
}

/** The channel-event normalizers, by EventSub subscription type. */
export const channelNormalizers: Record<string, NotificationNormalizer> = {
  'channel.follow': normalizer('channel.follow', ['2'], (event, ctx) =>
    channelEvent('twitch.follow', { ...base(event, ctx), user: user(event, ''), followedAt: time(event, 'followed_at') }),
  ),

  'channel.subscribe': normalizer('channel.subscribe', ['1'], (event, ctx) =>
    channelEvent('twitch.subscribe', { ...base(event, ctx), user: user(event, ''), tier: tier(event), isGift: bool(event, 'is_gift') }),
  ),

  'channel.subscription.message': normalizer('channel.subscription.message', ['1'], (event, ctx) => {
    const message = event['message'];
    return channelEvent('twitch.subscription-message', {
      ...base(event, ctx),
      user: user(event, ''),
      tier: tier(event),
      months: num(event, 'cumulative_months'),
      streakMonths: optNum(event, 'streak_months') ?? null,
      durationMonths: optNum(event, 'duration_months') ?? 1,
      text: message === undefined || message === null ? '' : str(obj(event, 'message'), 'text'),
    });
  }),

  'channel.subscription.gift': normalizer('channel.subscription.gift', ['1'], (event, ctx) => {
    const anonymous = bool(event, 'is_anonymous', false);
    return channelEvent(
      'twitch.gift',
      defined({
        ...base(event, ctx),
        user: anonymous ? undefined : optUser(event, ''),
        anonymous,
        tier: tier(event),
        total: num(event, 'total'),
        cumulativeTotal: optNum(event, 'cumulative_total') ?? null,
      }),
    );
  }),

  'channel.cheer': normalizer('channel.cheer', ['1'], (event, ctx) => {
    const anonymous = bool(event, 'is_anonymous', false);
    return channelEvent(
      'twitch.cheer',
      defined({
        ...base(event, ctx),
        user: anonymous ? undefined : optUser(event, ''),
        anonymous,
        bits: num(event, 'bits'),
        text: optStr(event, 'message') ?? '',
      }),
    );
  }),

  'channel.raid': normalizer('channel.raid', ['1'], (event, ctx) => {
    const from = user(event, 'from_broadcaster_');
    return channelEvent('twitch.raid', { ...base(event, ctx, 'to_broadcaster_'), user: from, from, to: user(event, 'to_broadcaster_'), viewers: num(event, 'viewers') });
  }),

  'channel.channel_points_custom_reward_redemption.add': normalizer('channel.channel_points_custom_reward_redemption.add', ['1'], (event, ctx) => {
    const reward = obj(event, 'reward');
    const status = str(event, 'status');
    if (!(REDEMPTION_STATUSES as readonly string[]).includes(status)) throw new BadEvent(`status "${status}" is not one of ${REDEMPTION_STATUSES.join(', ')}`);
    return channelEvent('twitch.redemption', {
      ...base(event, ctx),
      user: user(event, ''),
      redemptionId: str(event, 'id'),
      reward: { id: str(reward, 'id'), title: str(reward, 'title'), cost: num(reward, 'cost'), prompt: optStr(reward, 'prompt') ?? '' },
      userInput: optStr(event, 'user_input') ?? '',
      status: status as TwitchRedemptionStatus,
      redeemedAt: time(event, 'redeemed_at'),
    });
  }),

  'channel.hype_train.begin': normalizer('channel.hype_train.begin', ['1', '2'], hypeTrain('begin')),
  'channel.hype_train.progress': normalizer('channel.hype_train.progress', ['1', '2'], hypeTrain('progress')),
  'channel.hype_train.end': normalizer('channel.hype_train.end', ['1', '2'], hypeTrain('end')),

  'channel.poll.begin': normalizer('channel.poll.begin', ['1'], poll('begin')),
  'channel.poll.progress': normalizer('channel.poll.progress', ['1'], poll('progress')),
  'channel.poll.end': normalizer('channel.poll.end', ['1'], poll('end')),

  'channel.prediction.begin': normalizer('channel.prediction.begin', ['1'], prediction('begin')),
  'channel.prediction.progress': normalizer('channel.prediction.progress', ['1'], prediction('progress')),
  'channel.prediction.end': normalizer('channel.prediction.end', ['1'], prediction('end')),

  'channel.ad_break.begin': normalizer('channel.ad_break.begin', ['1'], (event, ctx) => {
    const automatic = bool(event, 'is_automatic', false);
    return channelEvent(
      'twitch.ad-break',
      defined({
        ...base(event, ctx),
        durationSec: num(event, 'duration_seconds'),
        automatic,
        user: automatic ? undefined : optUser(event, 'requester_'),
        startedAt: time(event, 'started_at'),
      }),
    );
  }),

  'channel.shoutout.create': normalizer('channel.shoutout.create', ['1'], (event, ctx) =>
    channelEvent(
      'twitch.shoutout',
      defined({
        ...base(event, ctx),
        direction: 'out' as const,
        target: user(event, 'to_broadcaster_'),
        user: user(event, 'moderator_'),
        viewers: num(event, 'viewer_count'),
        startedAt: time(event, 'started_at'),
        cooldownEndsAt: optTime(event, 'cooldown_ends_at'),
        targetCooldownEndsAt: optTime(event, 'target_cooldown_ends_at'),
      }),
    ),
  ),

  'channel.shoutout.receive': normalizer('channel.shoutout.receive', ['1'], (event, ctx) => {
    const from = user(event, 'from_broadcaster_');
    return channelEvent('twitch.shoutout', {
      ...base(event, ctx),
      direction: 'in' as const,
      from,
      user: from,
      viewers: num(event, 'viewer_count'),
      startedAt: time(event, 'started_at'),
    });
  }),

  'stream.online': normalizer('stream.online', ['1'], (event, ctx) => {
    // Only `live` is a stream going up; `playlist`, `watch_party`, `premiere`, `rerun` are not the creator live.
    const type = optStr(event, 'type') ?? 'live';
    if (type !== 'live') return { kind: 'ignored', reason: `stream.online of type "${type}" (not live)`, command: 'stream.online' };
    return channelEvent('stream.online', streamStatus(event, ctx, true));
  }),

  'stream.offline': normalizer('stream.offline', ['1'], (event, ctx) => channelEvent('stream.offline', streamStatus(event, ctx, false))),
};
