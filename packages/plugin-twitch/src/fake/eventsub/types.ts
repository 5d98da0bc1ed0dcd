/** Public option and record types of the fake Twitch EventSub / Helix / OAuth server. */
import type { EventSubSubscription } from '../../eventsub/types.js';
import type { UntilOptions } from '../types.js';

export type { EventSubSubscription, UntilOptions };

export interface FakeEventSubUserInput {
  login: string;
  /** Default: the next free numeric id. */
  id?: string;
  /** Default: the login. */
  displayName?: string;
}

export interface FakeEventSubUser {
  id: string;
  login: string;
  displayName: string;
}

export interface FakeEventSubTokenInput {
  token: string;
  /** Login of a user known to the fake (added if unknown). */
  userLogin: string;
  scopes: readonly string[];
  /** Default: the fake's `clientId`. */
  clientId?: string;
  /** Seconds left, as `/oauth2/validate` reports it. Default `tokenExpiresIn`. */
  expiresIn?: number;
}

export interface StartFakeTwitchEventSubOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Loopback by default. */
  host?: string;
  /** `keepalive_timeout_seconds` in the welcome when the URL has no query. Default 10. */
  keepaliveTimeoutSeconds?: number;
  /**
   * Lower bound when clamping `?keepalive_timeout_seconds=N` (Twitch: 10..600,
   * an out-of-range number becomes the nearest bound). Default 10; tests lower it.
   */
  minKeepaliveTimeoutSeconds?: number;
  /**
   * The first subscription of a session must be created within this many ms
   * of its welcome (Twitch: 10 s, the welcome's keepalive_timeout_seconds).
   * Default 10000.
   */
  subscribeWindowMs?: number;
  /** Close a session with no subscription when the window ends (4003 "connection unused"), as Twitch. Default true. */
  closeUnusedSessions?: boolean;
  /** After `session_reconnect`, the old socket closes this long later (4004) unless the client reconnected first. Default 30000. */
  reconnectGraceMs?: number;
  /** `max_total_cost` per client id and user. Default 10. */
  maxTotalCost?: number;
  /** Enabled subscriptions per WebSocket session (Twitch: 300). */
  maxSubscriptionsPerSession?: number;
  /** Client id of tokens added without one, and the only one `/oauth2/device` knows. Default `fakeclientid0000000000000000000`. */
  clientId?: string;
  /** Secret of that client: `POST /oauth2/token` with `grant_type=client_credentials` issues app tokens for it. Default `fakeclientsecret000000000000000`. */
  clientSecret?: string;
  /** Device flow: `interval` (seconds) in the `/oauth2/device` answer. Default 5. */
  deviceInterval?: number;
  /** Device flow: `expires_in` (seconds) of a device code. Default 1800. */
  deviceExpiresIn?: number;
  /** `expires_in` of issued / added tokens. Default 14400. */
  tokenExpiresIn?: number;
  users?: readonly FakeEventSubUserInput[];
  tokens?: readonly FakeEventSubTokenInput[];
}

export type FakeEventSubSessionState = 'connected' | 'reconnecting' | 'silent' | 'closed';

export interface FakeEventSubSessionInfo {
  id: string;
  state: FakeEventSubSessionState;
  keepaliveTimeoutSeconds: number;
  /** ms (Date.now) of the welcome. */
  welcomedAt: number;
  /** Session this one took over by reconnect_url, if any. */
  reconnectedFrom: string | null;
  /** Close code the server used or saw, once closed. */
  closeCode: number | null;
  /** Frames sent to it so far, by message_type. */
  sent: { session_welcome: number; session_keepalive: number; notification: number; session_reconnect: number; revocation: number };
}

export interface FakeEventSubDelivery {
  sessionId: string;
  subscriptionId: string;
  messageId: string;
  messageType: 'notification' | 'revocation';
  subscriptionType: string;
  at: number;
}

export interface FakeDropReason {
  /** e.g. `msg_duplicate`, `msg_rejected_automod`, `msg_rejected`, `msg_ratelimit`, `followers_only_mode`. */
  code: string;
  message: string;
}

export interface FakeSentChatMessage {
  broadcasterId: string;
  senderId: string;
  text: string;
  replyParentMessageId: string | null;
  messageId: string;
  isSent: boolean;
  dropReason: FakeDropReason | null;
  at: number;
}

export type RedemptionStatus = 'FULFILLED' | 'CANCELED';

export interface FakeRedemptionUpdate {
  broadcasterId: string;
  rewardId: string;
  redemptionId: string;
  status: RedemptionStatus;
  at: number;
}

/** A moderation call the fake accepted (Delete Chat Messages, Ban User with or without duration). */
export interface FakeModerationCall {
  action: 'delete' | 'timeout' | 'ban';
  broadcasterId: string;
  moderatorId: string;
  messageId?: string;
  userId?: string;
  /** Seconds, for a timeout. */
  duration?: number;
  reason?: string;
  at: number;
}

/** One HTTP request (tokens, codes and bodies are never recorded). */
export interface FakeHttpRequest {
  method: string;
  /** Path without the query, e.g. `/helix/eventsub/subscriptions`. */
  path: string;
  status: number;
  at: number;
}

export interface EmitOptions {
  /** Only subscriptions of this version; default any version of the type. */
  version?: string;
}

export interface EmitChatInput {
  /** Login of the channel (added as a user if unknown). */
  broadcaster: string;
  /** Login of the chatter (added if unknown). */
  chatter: string;
  text: string;
  /** `message_id` of the chat message; default a fresh UUID. */
  chatMessageId?: string;
  color?: string;
  badges?: readonly { set_id: string; id: string; info: string }[];
  /** Sets `cheer: { bits }` and `message_type: 'text'`. */
  bits?: number;
  /** Reply to a message the fake delivered before (its chat message id). */
  replyTo?: string;
  /** `channel_points_custom_reward_id` (message_type `channel_points_highlighted` is not set by this). */
  channelPointsCustomRewardId?: string;
  messageType?: string;
}

export interface EmitChatResult {
  /** `metadata.message_id` of the notification. */
  messageId: string;
  /** `event.message_id` (the chat message). */
  chatMessageId: string;
  event: Record<string, unknown>;
}

export interface FakeTwitchEventSub extends AsyncDisposable {
  readonly port: number;
  readonly host: string;
  /** `ws://127.0.0.1:PORT/ws` */
  readonly wsUrl: string;
  /** `http://127.0.0.1:PORT/helix` */
  readonly helixUrl: string;
  /** `http://127.0.0.1:PORT/oauth2` */
  readonly oauthUrl: string;
  readonly clientId: string;

  addUser(user: FakeEventSubUserInput): FakeEventSubUser;
  user(loginOrId: string): FakeEventSubUser | undefined;
  addToken(token: FakeEventSubTokenInput): void;

  /** Delivers a notification to every open, non-silent session with a matching enabled subscription; returns its message_id. */
  emit(type: string, event: Record<string, unknown>, options?: EmitOptions): string;
  /** A realistic `channel.chat.message` v1 event (built from Twitch's example) emitted like `emit`. */
  emitChat(input: EmitChatInput): EmitChatResult;
  /**
   * `session_reconnect` to one session (or every connected one); returns the
   * reconnect URLs. The old connection keeps delivering until the client's
   * new one is welcomed (then it closes with 1000 and the subscriptions move),
   * or closes with 4004 after `closeAfterMs` (default `reconnectGraceMs`).
   */
  sendReconnect(sessionId?: string, options?: { closeAfterMs?: number }): string[];
  /** The session(s) go silent: no keepalive and no notification any more (lost, not queued). */
  stopKeepalives(sessionId?: string): void;
  /** Abrupt close without a close frame (the client sees 1006). */
  dropSocket(sessionId?: string): void;
  /** Sends `revocation` with `status` to the owning session and disables the subscription. */
  revoke(subscriptionId: string, status?: string): void;
  /** The next notification (the next `emit`) reaches each recipient twice, with the same message_id. */
  duplicateNext(): void;
  /** The next Send Chat Message answer is `is_sent: false` with this drop reason. */
  dropNext(reason: FakeDropReason): void;
  /** Device flow: the user with `login` approves `userCode`; the next token poll gets tokens. */
  approveDevice(userCode: string, options: { login: string }): void;
  /** Device flow: the user denies `userCode` (the poll then gets `access_denied`). */
  denyDevice(userCode: string): void;

  subscriptions(): EventSubSubscription[];
  sessions(): FakeEventSubSessionInfo[];
  deliveries(): FakeEventSubDelivery[];
  sentMessages(): FakeSentChatMessage[];
  redemptionUpdates(): FakeRedemptionUpdate[];
  /** Deletes, timeouts and bans accepted, in order. */
  moderationCalls(): FakeModerationCall[];
  /** Makes `userLogin` a moderator of `channelLogin` (both created if unknown), so it may delete messages and time users out there. */
  addModerator(channelLogin: string, userLogin: string): void;
  requests(): FakeHttpRequest[];
  /** Pending device authorizations (for a test to read the user_code). */
  devices(): { userCode: string; clientId: string; scopes: string[]; state: 'pending' | 'approved' | 'denied' | 'used' }[];
  until(predicate: () => boolean, options?: UntilOptions): Promise<void>;
  close(): Promise<void>;
}
