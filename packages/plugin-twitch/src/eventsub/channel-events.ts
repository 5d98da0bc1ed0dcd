/**
 * Twitch channel events (EventSub) as they go on the bus: camelCase, plain
 * JSON, one payload object per event. Raw EventSub shapes stay in the
 * normalizers (src/eventsub/normalize/channel*.ts); `stream.online` and
 * `stream.offline` use the kernel's own StreamStatus instead of a type here.
 *
 * Every payload carries `creatorId`, `platform: 'twitch'`, `channel` (the
 * broadcaster's login), `channelId`, `eventId` (the EventSub message id: a
 * redelivery carries the same one, so consumers can dedupe) and `at` (kernel
 * clock time it was received, ms). `user` is the person who did it, where
 * there is one (absent for anonymous cheers and gifts), so `event` triggers
 * can apply per-user cooldowns and fill `{user}`.
 */

/** A Twitch account as events name it. */
export interface TwitchUserRef {
  id: string;
  /** Lowercase login. */
  login: string;
  displayName: string;
}

/** What every Twitch channel event carries. */
export interface TwitchChannelEventBase {
  creatorId: string;
  platform: 'twitch';
  /** The broadcaster's login (lowercase). */
  channel: string;
  /** The broadcaster's user id. */
  channelId: string;
  /** EventSub `message_id`: the same on a redelivery. */
  eventId: string;
  /** Kernel clock time the notification was received (ms since epoch). */
  at: number;
}

/** Subscription tier: 1 (also Prime), 2 or 3 (Twitch's `1000`, `2000`, `3000`). */
export type TwitchSubTier = 1 | 2 | 3;

/** `twitch.follow` (channel.follow v2). */
export interface TwitchFollowEvent extends TwitchChannelEventBase {
  user: TwitchUserRef;
  /** When the follow happened (ms since epoch). */
  followedAt: number;
}

/** `twitch.subscribe` (channel.subscribe): a new subscription, bought or gifted (not resubs: see `twitch.subscription-message`). */
export interface TwitchSubscribeEvent extends TwitchChannelEventBase {
  user: TwitchUserRef;
  tier: TwitchSubTier;
  isGift: boolean;
}

/** `twitch.subscription-message` (channel.subscription.message): a resub shared in chat. */
export interface TwitchSubscriptionMessageEvent extends TwitchChannelEventBase {
  user: TwitchUserRef;
  tier: TwitchSubTier;
  /** Cumulative months subscribed. */
  months: number;
  /** Consecutive months, when the user chose to share it; null otherwise. */
  streakMonths: number | null;
  /** Months bought at once (a 6-month sub: 6). */
  durationMonths: number;
  /** The message the user wrote (may be empty). */
  text: string;
}

/** `twitch.gift` (channel.subscription.gift): one or more subs gifted to the community or a user. */
export interface TwitchGiftEvent extends TwitchChannelEventBase {
  /** The gifter; absent when anonymous. */
  user?: TwitchUserRef;
  anonymous: boolean;
  tier: TwitchSubTier;
  /** Subs gifted in this event. */
  total: number;
  /** All subs this user ever gifted in the channel; null when anonymous or not shared. */
  cumulativeTotal: number | null;
}

/** `twitch.cheer` (channel.cheer). */
export interface TwitchCheerEvent extends TwitchChannelEventBase {
  /** The cheerer; absent when anonymous. */
  user?: TwitchUserRef;
  anonymous: boolean;
  bits: number;
  /** The cheer's chat message, cheermotes included. */
  text: string;
}

/** `twitch.raid` (channel.raid, to the creator's channel). */
export interface TwitchRaidEvent extends TwitchChannelEventBase {
  /** The raiding broadcaster (same as `from`). */
  user: TwitchUserRef;
  from: TwitchUserRef;
  to: TwitchUserRef;
  viewers: number;
}

export type TwitchRedemptionStatus = 'unfulfilled' | 'fulfilled' | 'canceled' | 'unknown';

/** `twitch.redemption` (channel.channel_points_custom_reward_redemption.add). */
export interface TwitchRedemptionEvent extends TwitchChannelEventBase {
  user: TwitchUserRef;
  /** Twitch's redemption id: what `twitch.redemption.fulfill` / `cancel` take. */
  redemptionId: string;
  reward: { id: string; title: string; cost: number; prompt: string };
  /** What the viewer typed, for rewards that ask for text; `''` otherwise. */
  userInput: string;
  /** `unfulfilled` while in the request queue; `fulfilled` when the reward skips it. */
  status: TwitchRedemptionStatus;
  redeemedAt: number;
}

export type TwitchEventPhase = 'begin' | 'progress' | 'end';

export interface TwitchHypeTrainContribution {
  user: TwitchUserRef;
  type: 'bits' | 'subscription' | 'other' | (string & {});
  /** Bits, or sub points (500 / 1000 / 2500 per tier-1/2/3 sub). */
  total: number;
}

/** `twitch.hype-train` (channel.hype_train.begin / progress / end, v1 and v2). */
export interface TwitchHypeTrainEvent extends TwitchChannelEventBase {
  phase: TwitchEventPhase;
  trainId: string;
  level: number;
  /** Points contributed over the whole train. */
  total: number;
  /** Points toward the current level (begin / progress). */
  progress?: number;
  /** Points the current level needs (begin / progress). */
  goal?: number;
  topContributions: TwitchHypeTrainContribution[];
  /** The latest contribution (v1 begin / progress only). */
  lastContribution?: TwitchHypeTrainContribution;
  /** Train kind (v2): `regular`, `golden_kappa`, `treasure`. */
  trainType?: string;
  /** Shared across channels (v2). */
  shared: boolean;
  startedAt: number;
  /** begin / progress: when the train ends without another contribution. */
  expiresAt?: number;
  /** end only. */
  endedAt?: number;
  /** end only: when a new train may start. */
  cooldownEndsAt?: number;
}

export interface TwitchPollChoice {
  id: string;
  title: string;
  /** All votes (0 at begin). */
  votes: number;
  /** Votes bought with channel points. */
  channelPointsVotes: number;
  /** Bits votes (Twitch no longer offers them: 0). */
  bitsVotes: number;
}

/** `twitch.poll` (channel.poll.begin / progress / end). */
export interface TwitchPollEvent extends TwitchChannelEventBase {
  phase: TwitchEventPhase;
  pollId: string;
  title: string;
  choices: TwitchPollChoice[];
  /** end only: `completed`, `terminated` or `archived`. */
  status?: string;
  /** end only: the choice with the most votes; absent on a tie or without votes. */
  winner?: TwitchPollChoice;
  startedAt: number;
  /** begin / progress: when voting closes. */
  endsAt?: number;
  endedAt?: number;
}

export interface TwitchPredictionOutcome {
  id: string;
  title: string;
  /** `blue` or `pink`. */
  color: string;
  /** Users who predicted it (0 at begin). */
  users: number;
  /** Channel points spent on it (0 at begin). */
  points: number;
}

/** `twitch.prediction` (channel.prediction.begin / progress / end). */
export interface TwitchPredictionEvent extends TwitchChannelEventBase {
  phase: TwitchEventPhase;
  predictionId: string;
  title: string;
  outcomes: TwitchPredictionOutcome[];
  /** end only: `resolved` or `canceled`. */
  status?: string;
  /** end only, when resolved. */
  winner?: TwitchPredictionOutcome;
  startedAt: number;
  /** begin / progress: when predictions lock. */
  locksAt?: number;
  endedAt?: number;
}

/** `twitch.ad-break` (channel.ad_break.begin). */
export interface TwitchAdBreakEvent extends TwitchChannelEventBase {
  durationSec: number;
  /** Scheduled by Twitch's ad manager rather than started by someone. */
  automatic: boolean;
  /** Who started it (the broadcaster or an editor); absent for automatic ads. */
  user?: TwitchUserRef;
  startedAt: number;
}

/**
 * `twitch.shoutout`: `out` (channel.shoutout.create) when the creator's
 * channel gave a shoutout, `in` (channel.shoutout.receive) when it got one.
 */
export type TwitchShoutoutEvent = TwitchChannelEventBase & {
  /** Viewers of the channel giving the shoutout. */
  viewers: number;
  startedAt: number;
} & (
    | {
        direction: 'out';
        /** The channel shouted out. */
        target: TwitchUserRef;
        /** The moderator (or the broadcaster) who gave it. */
        user: TwitchUserRef;
        cooldownEndsAt?: number;
        targetCooldownEndsAt?: number;
      }
    | {
        direction: 'in';
        /** The channel that gave the shoutout (same as `user`). */
        from: TwitchUserRef;
        user: TwitchUserRef;
      }
  );

/** The Twitch channel events, by kernel event name. */
export interface TwitchChannelEvents {
  'twitch.follow': TwitchFollowEvent;
  'twitch.subscribe': TwitchSubscribeEvent;
  'twitch.subscription-message': TwitchSubscriptionMessageEvent;
  'twitch.gift': TwitchGiftEvent;
  'twitch.cheer': TwitchCheerEvent;
  'twitch.raid': TwitchRaidEvent;
  'twitch.redemption': TwitchRedemptionEvent;
  'twitch.hype-train': TwitchHypeTrainEvent;
  'twitch.poll': TwitchPollEvent;
  'twitch.prediction': TwitchPredictionEvent;
  'twitch.ad-break': TwitchAdBreakEvent;
  'twitch.shoutout': TwitchShoutoutEvent;
}

declare module '@streamsuites/kernel' {
  // The same map, added to the bus's typed events (declaration merging may add an `extends`).
  interface StreamSuitesEvents extends TwitchChannelEvents {}
}
