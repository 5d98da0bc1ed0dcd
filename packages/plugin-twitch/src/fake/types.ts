/** Public option and record types of the fake Twitch chat server. */
import type { ChatRole, FakeUser, RoomState } from './messages.js';
import type { TagSet } from './wire.js';

export type { ChatRole, FakeUser, RoomState, TagSet };

/**
 * How server lines map to WebSocket frames. The real server does both: one
 * line per text frame, or several `\r\n`-terminated lines in one frame.
 */
export type Framing = 'line' | 'batch';

export interface FakeChannelOptions {
  /** ROOMSTATE / PRIVMSG `room-id`; default: a stable number derived from the name. */
  roomId?: string;
  /** Role of every bot connection in this channel (USERSTATE badges/mod). Default 'viewer'. */
  botRole?: ChatRole;
  /** Reject a bot's PRIVMSG with `msg_ratelimit` once `max` were accepted within `windowMs`. Off by default. */
  rateLimit?: { max: number; windowMs: number } | null;
  /** Reject the same text from the same bot within `duplicateWindowMs` (30 s on Twitch) with `msg_duplicate`. Off by default. */
  rejectDuplicates?: boolean;
  duplicateWindowMs?: number;
  /** Room state sent on JOIN; `slow` > 0 also rejects non-moderator bots with `msg_slowmode`. */
  roomState?: Partial<Omit<RoomState, 'roomId'>>;
}

export interface StartFakeTwitchChatOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Loopback by default; the fake is for tests and the demo only. */
  host?: string;
  /** Tokens accepted by PASS (with or without `oauth:`); undefined/null = any token. */
  validTokens?: Iterable<string> | null;
  framing?: Framing;
  /** Interval of the server's own `PING :tmi.twitch.tv`; 0 = never (default 0; Twitch uses ~5 min). */
  pingIntervalMs?: number;
  /** Delay between `:tmi.twitch.tv RECONNECT` and the server closing the socket. Default 1000. */
  reconnectCloseDelayMs?: number;
  /** Per-channel behaviour, keyed by channel name (with or without `#`). */
  channels?: Record<string, FakeChannelOptions>;
  /** Clock for tmi-sent-ts, rate limits and records; default Date.now (follows vitest fake timers). */
  now?: () => number;
}

export interface FakeClientInfo {
  id: number;
  nick: string | null;
  /** Welcome sent (authentication passed). */
  registered: boolean;
  anonymous: boolean;
  capabilities: string[];
  channels: string[];
  connectedAt: number;
}

export interface ReceivedLine {
  clientId: number;
  line: string;
  at: number;
}

export interface SentChatMessage {
  clientId: number;
  nick: string;
  channel: string;
  text: string;
  /** Tags the client attached (e.g. `reply-parent-msg-id`). */
  tags: Record<string, string>;
  /** Id the server gave it (echoed in USERSTATE `id`); absent when rejected. */
  id?: string;
  /** Set when the server refused it: the NOTICE msg-id it answered with. */
  rejected?: 'msg_ratelimit' | 'msg_duplicate' | 'msg_slowmode';
  at: number;
}

export interface PongRecord {
  clientId: number;
  arg: string | null;
  at: number;
}

export interface UntilOptions {
  /** Default 5000 ms. */
  timeoutMs?: number;
  /** Included in the timeout error. */
  message?: string;
}

export interface FakeTwitchChat extends AsyncDisposable {
  readonly url: string;
  readonly port: number;
  readonly host: string;

  // --- chat from "other users" and raw traffic
  say(channel: string, user: string | FakeUser, text: string, tags?: TagSet): string;
  replay(lines: Iterable<string>, options?: { to?: 'joined' | 'all' }): number;
  /**
   * Sends `data` as one WebSocket frame, byte for byte (no CRLF added), to
   * every registered client; returns how many got it. For malformed-input
   * tests. A text frame must still be valid UTF-8 (the WebSocket protocol
   * closes the connection otherwise); `binary: true` sends a binary frame.
   */
  sendFrame(data: string | Uint8Array, options?: { binary?: boolean }): number;

  // --- connection faults
  disconnectAll(options?: { code?: number; reason?: string }): void;
  /** Drops one client (an id from `clients()`), the others stay; false when no such client is connected. */
  disconnect(clientId: number, options?: { code?: number; reason?: string }): boolean;
  /**
   * While true, new connections are refused (the WebSocket upgrade gets HTTP
   * 503); open ones stay. Nothing is queued or re-sent: chat said meanwhile
   * reaches only the clients still connected, as on Twitch.
   */
  refuseConnections(refuse: boolean): void;
  sendReconnect(options?: { closeAfterMs?: number }): void;
  stallPongs(stalled: boolean): void;
  /** Sends `PING :tmi.twitch.tv` to every registered client now. */
  ping(): void;

  // --- configuration at runtime
  setBotRole(channel: string, role: ChatRole): void;
  configureChannel(channel: string, options: FakeChannelOptions): void;
  setValidTokens(tokens: Iterable<string> | null): void;
  setFraming(framing: Framing): void;
  roomId(channel: string): string;

  // --- observation
  clients(): FakeClientInfo[];
  /** Connections accepted so far (refused ones are not counted). */
  connections(): number;
  /** Connection attempts refused while `refuseConnections(true)`. */
  refusedConnections(): number;
  received(): string[];
  receivedLines(): ReceivedLine[];
  sent(channel: string): string[];
  sentMessages(channel?: string): SentChatMessage[];
  pongs(): PongRecord[];
  /** Resolves once `predicate()` is true (checked now, after every server event, and every 10 ms). */
  until(predicate: () => boolean, options?: UntilOptions): Promise<void>;

  close(): Promise<void>;
}
