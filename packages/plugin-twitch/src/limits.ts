import type { RateLimitPolicy } from '@streamsuites/kernel';

/*
 * Twitch's published chat limits, as RateLimitPolicy values for
 * `governor.configure(key, preset)`. Keys are the caller's: one send key per
 * bot account (Twitch counts per user, across channels), one JOIN key per bot
 * account. (They lived in the kernel; platform knowledge belongs to its plugin.)
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
