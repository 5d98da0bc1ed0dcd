import type { ChatDeletedEvent, ChatMessage, ChatNotice, ChatRole } from '@streamsuites/kernel';
import type { ChatClearedEvent, ChatRoomStateEvent, ChatUserTimeoutEvent } from '../events.js';

/** What normalization needs besides the line: who we read it for, and when. */
export interface NormalizeContext {
  creatorId: string;
  /** Kernel clock time the line was received (ms since epoch). */
  receivedAt: number;
}

/** The bot's own state in a channel (USERSTATE), sent on join and after each message it sends. */
export interface TwitchUserState {
  channel: string;
  displayName: string;
  roles: readonly ChatRole[];
  badges: Readonly<Record<string, string>>;
  /** Moderator or broadcaster: Twitch then allows 100 messages per 30 s instead of 20. */
  elevated: boolean;
  color?: string;
  emoteSets: readonly string[];
  /** Id of the message the bot just sent, when the USERSTATE answers a PRIVMSG. */
  sentMessageId?: string;
}

/** The bot's global state (GLOBALUSERSTATE), sent once after login. */
export interface TwitchGlobalUserState {
  userId: string;
  displayName: string;
  badges: Readonly<Record<string, string>>;
  color?: string;
  emoteSets: readonly string[];
}

/** A NOTICE from the server: command replies, send failures, login failures. */
export interface TwitchServerNotice {
  /** Channel without `#`; `undefined` for `NOTICE *` (before any join). */
  channel: string | undefined;
  /** Twitch `msg-id` (`msg_ratelimit`, `msg_duplicate`, `msg_banned` ...); absent on login failures. */
  msgId?: string;
  text: string;
  /** True when the server rejected our login (the connection is closed after it). */
  authFailed: boolean;
}

/** What one IRC line means; the transport switches on `kind`. */
export type NormalizedLine =
  | { kind: 'message'; message: ChatMessage }
  | { kind: 'notice'; notice: ChatNotice }
  /** `text` is the deleted message without a `/me` wrapper; `isAction` is set (true) when it had one. */
  | { kind: 'deleted'; event: ChatDeletedEvent; login?: string; text?: string; isAction?: boolean }
  /** `key` names this CLEARCHAT across connections (room, target, `tmi-sent-ts`), when the line has a timestamp. */
  | { kind: 'cleared'; event: ChatClearedEvent; key?: string }
  | { kind: 'user-timeout'; event: ChatUserTimeoutEvent; key?: string }
  | { kind: 'room-state'; event: ChatRoomStateEvent }
  | { kind: 'server-notice'; notice: TwitchServerNotice }
  | { kind: 'user-state'; state: TwitchUserState }
  | { kind: 'global-user-state'; state: TwitchGlobalUserState }
  /** Answer with `PONG :<token>`. */
  | { kind: 'ping'; token: string }
  | { kind: 'pong'; token: string }
  /** The server will close the connection soon: reconnect now. */
  | { kind: 'reconnect' }
  /** `001`: login accepted. */
  | { kind: 'welcome'; login: string }
  | { kind: 'join'; channel: string; login: string }
  | { kind: 'part'; channel: string; login: string }
  | { kind: 'ignored'; reason: string; command?: string }
  /**
   * The normalizer threw on this line (a bug, never expected): the line is
   * skipped, and the connection counts it and emits `platform.normalize-failed`.
   */
  | { kind: 'failed'; reason: string; command?: string };


