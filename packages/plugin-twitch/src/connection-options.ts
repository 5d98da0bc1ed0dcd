import type { BackoffPolicy, Clock, EventBus, Logger, SecretRegistry } from '@streamsuites/kernel';
import type { ChatConnection } from './connection.js';
import type { RoomStates } from './normalize/rooms.js';
import type { OwnEchoes } from './own-echoes.js';
import type { NormalizeContext, NormalizedLine, TwitchServerNotice } from './normalize/types.js';
import type { ReplySender } from './sender.js';
import type { TransportOptions, TwitchTransport } from './transport.js';

/** Remembers message ids across reconnects; `add` is false for an id already seen. */
export interface SeenIds {
  add(id: string): boolean;
}

/**
 * What a ChatConnection tells its owner (the creator's `TwitchChat`, which
 * turns the states of its connections into one `platform.connection` and
 * `chat.gap`): a connection reports, the owner decides.
 */
export interface ConnectionListener {
  /** The connection's state changed (`joined` is already false when it leaves `connected`). */
  state(connection: ChatConnection, state: ConnectionState, reason?: string): void;
  /** Twitch confirmed our JOIN: chat flows on this connection from now on. */
  joined(connection: ChatConnection): void;
  /** Twitch refused the login for good (after the one refresh): the connection stopped. */
  authFailed(connection: ChatConnection, notice: TwitchServerNotice): void;
  /**
   * Twitch sent RECONNECT (the server is going away). With this callback the
   * owner opens a replacement first and stops this connection once the
   * replacement joined (make-before-break); without it the connection drops
   * its socket and comes back at once.
   */
  reconnectRequested?(connection: ChatConnection): void;
}

export interface ChatConnectionOptions {
  creatorId: string;
  channel: string;
  login: string;
  /** The token to log in with now (read at every connection: another connection may have refreshed it). */
  token: () => string;
  url: string;
  bus: EventBus;
  clock: Clock;
  logger: Logger;
  normalize(line: string, ctx: NormalizeContext): NormalizedLine;
  transport(options: TransportOptions): TwitchTransport;
  /** Ids of the events delivered, shared by every connection of the creator. */
  seen: SeenIds;
  /** The room modes last delivered, shared by every connection of the creator. */
  rooms: RoomStates;
  /** Lines the creator's connections sent, so their echo on another connection is not read as chat. */
  echoes: OwnEchoes;
  listener: ConnectionListener;
  backoff: BackoffPolicy;
  pingIntervalMs: number;
  pingTimeoutMs: number;
  sender?: ReplySender;
  /** Exchanges the refresh token for a new access token (once per auth failure); undefined when not configured. */
  refreshToken?: () => Promise<string>;
  random?: () => number;
  /**
   * The kernel's secrets (`secretsRef`): the raw line in a
   * `platform.normalize-failed` event is redacted with it. The connection's
   * own token is added. Default: a registry holding only that token.
   */
  secrets?: SecretRegistry;
  /** Names this connection in logs (`link`), e.g. 1 and 2 with redundancy 2. */
  name?: string;
  /**
   * Awaited before every login (Twitch allows 20 logins and 20 JOINs per 10 s
   * per bot account; the plugin takes them from the kernel's rate-limit
   * governor). `signal` aborts when the connection stops.
   */
  beforeLogin?: (signal: AbortSignal) => Promise<void>;
}

/** What a ChatConnection did with the lines it received (since it was made, across reconnects). */
export interface ChatConnectionStats {
  /** Every line received. */
  lines: number;
  /** Lines the normalizer skipped on purpose (not IRC, commands we do not use, lines without what they need). */
  ignored: number;
  /** Lines the normalizer threw on: skipped, each one reported as `platform.normalize-failed`. */
  normalizeFailed: number;
  /** Messages, notices, deletions and clears another connection (or an earlier one) had already delivered. */
  duplicates: number;
  /** The bot's own lines, sent on another connection of the creator, that came back as chat and were dropped. */
  ownEchoes: number;
}


export type ConnectionState = 'idle' | 'connecting' | 'connected' | 'waiting' | 'auth-failed' | 'stopped';
