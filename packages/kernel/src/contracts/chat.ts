/**
 * The normalized chat model. Every platform plugin turns its wire payloads
 * into these shapes at the edge; only these go on the bus, so every event is
 * plain JSON that can be logged and replayed as it is.
 */

/** Platforms we know of; third-party plugins may use any other lowercase id. */
export type Platform = 'twitch' | 'youtube' | 'rumble' | 'discord' | 'kick' | 'x' | (string & {});

/** Author roles, ordered from most to least privileged. */
export type ChatRole = 'broadcaster' | 'moderator' | 'vip' | 'subscriber' | 'member';

export interface ChatAuthor {
  /** Platform user id (stable across renames). */
  id: string;
  /** Lowercase login / handle. */
  login: string;
  /** Name as shown in chat. */
  displayName: string;
  /**
   * Roles as a sorted array, not a Set: bus payloads must be JSON-serializable
   * (a Set serializes to `{}`), and arrays of at most five entries are as fast
   * to test with `includes`.
   */
  roles: readonly ChatRole[];
  /** Platform badges as name → version (Twitch `subscriber/12`, YouTube `verified`...). */
  badges?: Readonly<Record<string, string>>;
  color?: string;
}

export interface ChatEmote {
  id: string;
  name?: string;
  /** Code-point offsets into `text`, start inclusive, end exclusive. */
  start: number;
  end: number;
}

export interface ChatMonetary {
  kind: 'bits' | 'superchat' | 'supersticker' | 'rant' | 'tip' | (string & {});
  /** Amount in millionths of the currency unit (bits: 1 bit = 1_000_000). */
  amountMicros: number;
  /** ISO 4217 code, or `BITS` for Twitch bits. */
  currency: string;
  /** The platform's own formatted amount, for display only. */
  display?: string;
}

export interface ChatReplyRef {
  messageId: string;
  authorLogin: string;
  text?: string;
}

export interface ChatMessage {
  /** Platform message id, unique within the platform. */
  id: string;
  platform: Platform;
  creatorId: string;
  /** Channel / live chat id the message was seen in. */
  channel: string;
  /** Kernel clock time when we received it (ms since epoch). */
  receivedAt: number;
  /** Platform timestamp of the message (ms since epoch); `receivedAt` when unknown. */
  sentAt: number;
  author: ChatAuthor;
  text: string;
  /** Twitch `/me` style action. */
  isAction: boolean;
  /** True on the author's first message in this channel, where the platform says so. */
  firstMessage?: boolean;
  reply?: ChatReplyRef;
  emotes?: readonly ChatEmote[];
  monetary?: ChatMonetary;
}

/** Non-message chat events: subscriptions, raids, memberships, announcements... */
export interface ChatNotice {
  id: string;
  platform: Platform;
  creatorId: string;
  channel: string;
  receivedAt: number;
  /** Normalized kind, e.g. `sub`, `resub`, `subgift`, `raid`, `membership`, `announcement`. */
  kind: string;
  author?: ChatAuthor;
  text?: string;
  /** Emotes in `text` (code-point ranges, exclusive end), as on ChatMessage; absent when it has none. */
  emotes?: ChatEmote[];
  monetary?: ChatMonetary;
  /** Kind-specific extra fields (months, viewer count, gift count...). */
  data?: Readonly<Record<string, string | number | boolean | null>>;
}

export interface StreamStatus {
  creatorId: string;
  platform: Platform;
  channel: string;
  at: number;
  title?: string;
  category?: string;
  startedAt?: number;
  /** Platform stream / broadcast id. */
  streamId?: string;
}
