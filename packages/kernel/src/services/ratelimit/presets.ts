import type { RateLimitPolicy } from '../../contracts/ratelimit.js';

/*
 * Published platform limits, as RateLimitPolicy values for
 * `governor.configure(key, preset)`. Keys are the caller's: one Twitch send
 * key per bot account (Twitch counts per user, across channels), one JOIN key
 * per bot account, one Discord key per bot token or gateway connection.
 */

/**
 * Twitch chat, a user that is neither broadcaster nor moderator in the
 * channel: 20 messages per 30 seconds. Exceeding it makes Twitch drop the
 * bot's messages for 30 minutes.
 * Source: https://dev.twitch.tv/docs/chat/#rate-limits (formerly
 * https://dev.twitch.tv/docs/irc/guide#rate-limits).
 */
export const TWITCH_CHAT_USER: Readonly<RateLimitPolicy> = Object.freeze({ capacity: 20, windowMs: 30_000 });

/**
 * Twitch chat, the broadcaster or a moderator of the channel: 100 messages
 * per 30 seconds. Same source as {@link TWITCH_CHAT_USER}. Twitch checks each
 * message against the limit of the channel it goes to, but counts the
 * messages to all channels together (a Twitch chat engineer on
 * https://discuss.dev.twitch.com/t/twitch-chat-from-a-twitch-dev/1108): a bot
 * that moderates one channel but not another should share one key and use
 * the user preset while it may send to the other channel.
 */
export const TWITCH_CHAT_MODERATOR: Readonly<RateLimitPolicy> = Object.freeze({ capacity: 100, windowMs: 30_000 });

/**
 * Twitch IRC JOIN: 20 join attempts per 10 seconds per user (verified bots
 * 2,000). Same source as {@link TWITCH_CHAT_USER}.
 */
export const TWITCH_JOIN: Readonly<RateLimitPolicy> = Object.freeze({ capacity: 20, windowMs: 10_000 });

/**
 * Twitch IRC authentication (PASS + NICK): 20 attempts per 10 seconds per
 * user. Same source as {@link TWITCH_CHAT_USER}.
 */
export const TWITCH_AUTH: Readonly<RateLimitPolicy> = Object.freeze({ capacity: 20, windowMs: 10_000 });

/**
 * Discord REST, the global limit of one bot token: "All bots can make up to
 * 50 requests per second to our API"
 * (https://discord.com/developers/docs/topics/rate-limits#global-rate-limit).
 * Discord asks apps not to hard-code per-route limits but to follow the
 * `X-RateLimit-*` headers (discord.js does that for its own requests); this
 * preset caps the sum. Large bots may be granted more: pass `perSecond`.
 */
export function discordRestGlobal(options: { perSecond?: number } = {}): RateLimitPolicy {
  return { capacity: options.perSecond ?? 50, windowMs: 1_000 };
}

/**
 * Discord gateway, events an app sends on one connection: "Apps can send 120
 * gateway events per connection every 60 seconds ... Apps that surpass the
 * limit are immediately disconnected"
 * (https://discord.com/developers/docs/events/gateway#rate-limiting).
 * `reserve` units are left out of the preset for heartbeats, which must
 * never wait behind commands (send heartbeats outside the governor).
 */
export function discordGatewaySend(options: { reserve?: number } = {}): RateLimitPolicy {
  return { capacity: 120 - (options.reserve ?? 0), windowMs: 60_000 };
}

/**
 * YouTube live chat polling: one `liveChatMessages.list` per
 * `pollingIntervalMillis`, the interval the previous response asked for
 * (https://developers.google.com/youtube/v3/live/docs/liveChatMessages/list).
 * Each call costs 5 quota units; YouTube publishes no per-second send limit
 * for `liveChatMessages.insert` (20 units), so its budget is the daily quota
 * (QuotaTracker), not a preset here. Re-configure the key with each
 * response's interval; `minIntervalMs` (default 2000) keeps a low server hint
 * from burning the day's units.
 */
export function youtubeChatPoll(pollingIntervalMillis: number, options: { minIntervalMs?: number } = {}): RateLimitPolicy {
  const min = options.minIntervalMs ?? 2_000;
  const interval = Number.isFinite(pollingIntervalMillis) ? Math.ceil(pollingIntervalMillis) : min;
  return { capacity: 1, windowMs: Math.max(min, interval) };
}

/** Every preset by name (the YouTube and Discord ones with their defaults). */
export const RATE_LIMIT_PRESETS: Readonly<Record<string, Readonly<RateLimitPolicy>>> = Object.freeze({
  twitchChatUser: TWITCH_CHAT_USER,
  twitchChatModerator: TWITCH_CHAT_MODERATOR,
  twitchJoin: TWITCH_JOIN,
  twitchAuth: TWITCH_AUTH,
  discordRestGlobal: Object.freeze(discordRestGlobal()),
  discordGatewaySend: Object.freeze(discordGatewaySend()),
  youtubeChatPoll: Object.freeze(youtubeChatPoll(2_000)),
});
