/**
 * Bus events added by the Twitch plugin (STYLE item 8: one plain,
 * JSON-serializable payload object per event). `chat.message`,
 * `chat.notice` and `chat.deleted` are the kernel's own.
 */

/** The whole chat of a channel was cleared (`/clear`). */
export interface ChatClearedEvent {
  creatorId: string;
  platform: string;
  channel: string;
  /** Kernel clock time the clear was received (ms since epoch). */
  at: number;
}

/** A user was timed out (`durationSec` set) or banned (`action: 'ban'`). */
export interface ChatUserTimeoutEvent {
  creatorId: string;
  platform: string;
  channel: string;
  /** Platform user id of the target; `''` when the platform did not say. */
  userId: string;
  login: string;
  action: 'timeout' | 'ban';
  /** Timeout length in seconds; absent for bans. */
  durationSec?: number;
  /** Reason given by the moderator, where the platform still sends one. */
  reason?: string;
  at: number;
}

/**
 * Room modes. In a `chat.room-state` event only the keys the platform sent
 * are present (Twitch sends a full state on join, then one key per change).
 */
export interface ChatRoomState {
  emoteOnly?: boolean;
  /** Followers-only mode on or off. */
  followersOnly?: boolean;
  /** Minimum follow age in minutes when followers-only is on (0 = any follower). */
  followersOnlyMinutes?: number;
  /** Unique-chat (r9k) mode. */
  uniqueChat?: boolean;
  /** Seconds a user must wait between messages; 0 = off. */
  slowSec?: number;
  subsOnly?: boolean;
}

export interface ChatRoomStateEvent {
  creatorId: string;
  platform: string;
  channel: string;
  /** Platform channel id, when sent. */
  channelId?: string;
  state: ChatRoomState;
  at: number;
}

/** A platform rejected the credentials of a creator; that platform is stopped for the creator. */
export interface PlatformAuthFailedEvent {
  creatorId: string;
  platform: string;
  error: { code: string; message: string };
  at: number;
}

declare module '@streamsuites/kernel' {
  interface StreamSuitesEvents {
    'chat.cleared': ChatClearedEvent;
    'chat.user-timeout': ChatUserTimeoutEvent;
    'chat.room-state': ChatRoomStateEvent;
    'platform.auth-failed': PlatformAuthFailedEvent;
  }
}
