/**
 * Kick's public API wire shapes, as documented at docs.kick.com (the
 * KickEngineering/KickDevDocs repository; payload examples vendored in
 * fixtures/kick-dev-docs, see fixtures/SOURCES.md). Only the fields we read.
 */

/** A user as webhook payloads carry it (`broadcaster`, `sender`, `follower`...). */
export interface KickUser {
  is_anonymous?: boolean;
  /** null when is_anonymous (gifter). */
  user_id: number | null;
  username: string | null;
  is_verified?: boolean | null;
  profile_picture?: string | null;
  channel_slug: string | null;
  identity?: KickIdentity | null;
}

export interface KickIdentity {
  username_color?: string;
  badges?: { text: string; type: string; count?: number }[];
}

/** `chat.message.sent` v1. */
export interface KickChatMessageSent {
  message_id: string;
  replies_to?: { message_id: string; content?: string; sender?: KickUser } | null;
  broadcaster: KickUser;
  sender: KickUser;
  content: string;
  /** Positions are inclusive `s`..`e` offsets of `[emote:<id>:<name>]` in content. */
  emotes?: { emote_id: string; positions: { s: number; e: number }[] }[] | null;
  created_at?: string;
}

export interface KickFollowed {
  broadcaster: KickUser;
  follower: KickUser;
}

/** `channel.subscription.new` and `.renewal`. */
export interface KickSubscription {
  broadcaster: KickUser;
  subscriber: KickUser;
  /** Months. */
  duration: number;
  created_at?: string;
  expires_at?: string;
}

export interface KickSubscriptionGifts {
  broadcaster: KickUser;
  gifter: KickUser;
  giftees: KickUser[];
  created_at?: string;
  expires_at?: string;
}

export interface KickLivestreamStatus {
  broadcaster: KickUser;
  is_live: boolean;
  title?: string;
  started_at?: string | null;
  ended_at?: string | null;
}

/** The OAuth token endpoint's answer (expires_in is a number or a numeric string). */
export interface KickTokenResponse {
  access_token: string;
  token_type?: string;
  refresh_token?: string;
  expires_in?: number | string;
  scope?: string;
}

/** `GET /public/v1/channels?slug=` → `{ data: [...] }`. */
export interface KickChannel {
  broadcaster_user_id: number;
  slug: string;
  stream_title?: string;
  stream?: { is_live?: boolean; start_time?: string } | null;
  category?: { id: number; name: string } | null;
}
