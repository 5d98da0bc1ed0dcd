/**
 * A local Twitch EventSub WebSocket server with the Helix and OAuth
 * endpoints around it, on one loopback port, for tests and the demo.
 *
 * It behaves like Twitch where a client can tell: welcome then keepalives,
 * the 10 s window for a session's first subscription, scopes and costs,
 * reconnect handover, revocation. It never does a client's job: nothing is
 * queued, re-sent or deduplicated; a notification emitted while a session is
 * silent or gone is lost to that session, as on Twitch.
 *
 * This module is the WebSocket side and the controls; http.ts answers Helix
 * and OAuth requests.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import { listenLocal, Waiters } from '@streamsuites/kernel/testing';
import type { EventSubFrame, EventSubSession, EventSubSubscription } from '../../eventsub/types.js';
import { conditionMatches } from './catalog.js';
import { handleHttp, type HttpContext } from './http.js';
import { FakeModeration } from './moderation.js';
import {
  type ChatRecord,
  type DeviceRecord,
  type RedemptionRecord,
  type RefreshRecord,
  type SessionRecord,
  type SubscriptionRecord,
  type TokenRecord,
  UserDirectory,
} from './state.js';
import { CHAT_MESSAGE_EVENT_TEMPLATE } from './templates.js';
import type {
  EmitChatInput,
  EmitChatResult,
  EmitOptions,
  FakeDropReason,
  FakeEventSubDelivery,
  FakeEventSubSessionInfo,
  FakeEventSubTokenInput,
  FakeEventSubUser,
  FakeEventSubUserInput,
  FakeHttpRequest,
  FakeRedemptionUpdate,
  FakeModerationCall,
  FakeSentChatMessage,
  FakeTwitchEventSub,
  StartFakeTwitchEventSubOptions,
  UntilOptions,
} from './types.js';
import { CLOSE, keepaliveFrame, nanoTimestamp, newMessageId, newSessionId, notificationFrame, revocationFrame, welcomeFrame } from './wire.js';

export const DEFAULT_FAKE_CLIENT_ID = 'fakeclientid0000000000000000000';

export async function startFakeTwitchEventSub(options: StartFakeTwitchEventSubOptions = {}): Promise<FakeTwitchEventSub> {
  const host = options.host ?? '127.0.0.1';
  const server = createServer();
  await listenLocal(server, { port: options.port ?? 0, host });
  return new FakeEventSubServer(server, host, options);
}

class FakeEventSubServer implements FakeTwitchEventSub, HttpContext {
  readonly port: number;
  readonly host: string;
  readonly wsUrl: string;
  readonly helixUrl: string;
  readonly oauthUrl: string;
  readonly clientId: string;

  // ---- shared with http.ts (HttpContext)
  readonly users = new UserDirectory();
  readonly tokens = new Map<string, TokenRecord>();
  readonly refreshTokens = new Map<string, RefreshRecord>();
  readonly devicesByCode = new Map<string, DeviceRecord>();
  readonly liveSessions = new Map<string, SessionRecord>();
  readonly subs = new Map<string, SubscriptionRecord>();
  readonly redemptions = new Map<string, RedemptionRecord>();
  readonly chats = new Map<string, ChatRecord>();
  readonly sent: FakeSentChatMessage[] = [];
  readonly redemptionLog: FakeRedemptionUpdate[] = [];
  readonly moderation = new FakeModeration();
  readonly requestLog: FakeHttpRequest[] = [];
  readonly options: Required<Omit<StartFakeTwitchEventSubOptions, 'port' | 'host' | 'users' | 'tokens'>>;
  pendingDrop: FakeDropReason | null = null;

  readonly #server: Server;
  readonly #wss = new WebSocketServer({ noServer: true });
  readonly #waiters = new Waiters('fake twitch eventsub');
  /** Every session ever opened, in order (for `sessions()`). */
  readonly #allSessions: SessionRecord[] = [];
  /** reconnect_id → session that was told to reconnect. */
  readonly #reconnectIds = new Map<string, string>();
  readonly #deliveries: FakeEventSubDelivery[] = [];
  #duplicateNext = false;
  #closing: Promise<void> | null = null;

  constructor(server: Server, host: string, options: StartFakeTwitchEventSubOptions) {
    this.#server = server;
    this.host = host;
    this.port = (server.address() as AddressInfo).port;
    const h = host.includes(':') ? `[${host}]` : host;
    this.wsUrl = `ws://${h}:${this.port}/ws`;
    this.helixUrl = `http://${h}:${this.port}/helix`;
    this.oauthUrl = `http://${h}:${this.port}/oauth2`;
    this.options = {
      keepaliveTimeoutSeconds: options.keepaliveTimeoutSeconds ?? 10,
      minKeepaliveTimeoutSeconds: options.minKeepaliveTimeoutSeconds ?? 10,
      subscribeWindowMs: options.subscribeWindowMs ?? 10_000,
      closeUnusedSessions: options.closeUnusedSessions ?? true,
      reconnectGraceMs: options.reconnectGraceMs ?? 30_000,
      maxTotalCost: options.maxTotalCost ?? 10,
      maxSubscriptionsPerSession: options.maxSubscriptionsPerSession ?? 300,
      clientId: options.clientId ?? DEFAULT_FAKE_CLIENT_ID,
      clientSecret: options.clientSecret ?? 'fakeclientsecret000000000000000',
      deviceInterval: options.deviceInterval ?? 5,
      deviceExpiresIn: options.deviceExpiresIn ?? 1800,
      tokenExpiresIn: options.tokenExpiresIn ?? 14_400,
    };
    this.clientId = this.options.clientId;
    for (const u of options.users ?? []) this.addUser(u);
    for (const t of options.tokens ?? []) this.addToken(t);

    server.on('request', (req, res) => {
      handleHttp(this, req, res).catch(() => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: 'Internal Server Error', status: 500, message: 'fake server error' }));
      });
    });
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      const url = new URL(req.url ?? '/', 'http://fake');
      if (url.pathname !== '/ws') {
        socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      this.#wss.handleUpgrade(req, socket, head, (ws) => this.#accept(ws, url));
    });
  }

  notify(): void {
    this.#waiters.notify();
  }

  // ------------------------------------------------------------ WebSocket side

  #accept(ws: WebSocket, url: URL): void {
    const reconnectId = url.searchParams.get('reconnect_id');
    let from: SessionRecord | undefined;
    if (reconnectId !== null) {
      const oldId = this.#reconnectIds.get(reconnectId);
      this.#reconnectIds.delete(reconnectId);
      from = oldId === undefined ? undefined : this.liveSessions.get(oldId);
      if (from === undefined || from.state !== 'reconnecting') {
        ws.close(CLOSE.invalidReconnect.code, CLOSE.invalidReconnect.reason);
        this.notify();
        return;
      }
    }
    const session: SessionRecord = {
      id: newSessionId(),
      ws,
      state: 'connected',
      keepaliveTimeoutSeconds: this.#keepaliveFor(url, from),
      connectedAt: nanoTimestamp(),
      welcomedAt: 0,
      everSubscribed: from?.everSubscribed ?? false,
      reconnectedFrom: from?.id ?? null,
      closeCode: null,
      closeStatus: null,
      keepaliveTimer: null,
      unusedTimer: null,
      graceTimer: null,
      sent: { session_welcome: 0, session_keepalive: 0, notification: 0, session_reconnect: 0, revocation: 0 },
    };
    this.liveSessions.set(session.id, session);
    this.#allSessions.push(session);
    ws.on('message', () => {
      // Twitch closes a connection that sends anything (pings/pongs are control frames, not messages).
      this.#closeSession(session, CLOSE.inboundTraffic);
    });
    ws.on('close', (code) => this.#onClosed(session, code));
    ws.on('error', () => ws.terminate());

    const welcome: EventSubSession & { recovery_url: null } = {
      id: session.id,
      status: 'connected',
      connected_at: session.connectedAt,
      keepalive_timeout_seconds: session.keepaliveTimeoutSeconds,
      reconnect_url: null,
      recovery_url: null,
    };
    session.welcomedAt = Date.now();
    this.#send(session, welcomeFrame(welcome, 'session_welcome'));

    if (from !== undefined) {
      // Handover: the subscriptions move to the new session, then the old connection closes.
      for (const rec of this.subs.values()) {
        if (rec.sub.transport.session_id === from.id) rec.sub.transport = { ...rec.sub.transport, session_id: session.id, connected_at: session.connectedAt };
      }
      this.#closeSession(from, { code: 1000, reason: 'client reconnected', status: 'websocket_disconnected' });
    } else if (this.options.closeUnusedSessions && this.options.subscribeWindowMs > 0) {
      session.unusedTimer = setTimeout(() => {
        session.unusedTimer = null;
        if (!session.everSubscribed) this.#closeSession(session, CLOSE.unused);
      }, this.options.subscribeWindowMs);
    }
    this.notify();
  }

  #keepaliveFor(url: URL, from: SessionRecord | undefined): number {
    const raw = url.searchParams.get('keepalive_timeout_seconds');
    if (raw !== null && raw.trim() !== '' && Number.isFinite(Number(raw))) {
      const n = Number(raw);
      return Math.min(600, Math.max(this.options.minKeepaliveTimeoutSeconds, n));
    }
    return from?.keepaliveTimeoutSeconds ?? this.options.keepaliveTimeoutSeconds;
  }

  /** Sends one frame if the session is open and not silent; re-arms its keepalive. */
  #send(session: SessionRecord, frame: EventSubFrame): boolean {
    if (session.state === 'silent' || session.state === 'closed') return false;
    if (session.ws.readyState !== session.ws.OPEN) return false;
    session.ws.send(JSON.stringify(frame));
    session.sent[frame.metadata.message_type]++;
    this.#armKeepalive(session);
    return true;
  }

  #armKeepalive(session: SessionRecord): void {
    if (session.keepaliveTimer !== null) clearTimeout(session.keepaliveTimer);
    session.keepaliveTimer = setTimeout(() => {
      session.keepaliveTimer = null;
      if (this.#send(session, keepaliveFrame())) this.notify();
    }, session.keepaliveTimeoutSeconds * 1000);
  }

  #clearTimers(session: SessionRecord): void {
    for (const key of ['keepaliveTimer', 'unusedTimer', 'graceTimer'] as const) {
      const t = session[key];
      if (t !== null) clearTimeout(t);
      session[key] = null;
    }
  }

  /** Server-side close with a code; the session's subscriptions are disabled with `status`. */
  #closeSession(session: SessionRecord, how: { code: number; reason: string; status: string }): void {
    if (session.state === 'closed') return;
    session.closeStatus = how.status;
    session.closeCode = how.code;
    this.#markClosed(session);
    if (session.ws.readyState === session.ws.OPEN || session.ws.readyState === session.ws.CONNECTING) session.ws.close(how.code, how.reason);
  }

  #onClosed(session: SessionRecord, code: number): void {
    if (session.closeCode === null) session.closeCode = code;
    this.#markClosed(session);
  }

  #markClosed(session: SessionRecord): void {
    if (session.state !== 'closed') {
      session.state = 'closed';
      this.#clearTimers(session);
      this.liveSessions.delete(session.id);
      const status = session.closeStatus ?? 'websocket_disconnected';
      for (const rec of this.subs.values()) {
        if (rec.sub.transport.session_id === session.id && rec.sub.status === 'enabled') rec.sub.status = status;
      }
    }
    this.notify();
  }

  // ------------------------------------------------------------ controls

  addUser(user: FakeEventSubUserInput): FakeEventSubUser {
    const u = this.users.add(user);
    return { ...u };
  }

  user(loginOrId: string): FakeEventSubUser | undefined {
    const u = this.users.byLogin(loginOrId) ?? this.users.byId(loginOrId);
    return u === undefined ? undefined : { ...u };
  }

  addToken(input: FakeEventSubTokenInput): void {
    const user = this.users.ensure(input.userLogin);
    this.tokens.set(input.token, {
      token: input.token,
      userId: user.id,
      scopes: [...input.scopes],
      clientId: input.clientId ?? this.clientId,
      expiresAt: Date.now() + (input.expiresIn ?? this.options.tokenExpiresIn) * 1000,
    });
  }

  emit(type: string, event: Record<string, unknown>, options: EmitOptions = {}): string {
    const messageId = newMessageId();
    const twice = this.#duplicateNext;
    this.#duplicateNext = false;
    this.#remember(type, event);
    for (const rec of this.subs.values()) {
      const { sub } = rec;
      if (sub.status !== 'enabled' || sub.type !== type) continue;
      if (options.version !== undefined && sub.version !== options.version) continue;
      if (!conditionMatches(sub.condition, event)) continue;
      const session = this.liveSessions.get(sub.transport.session_id);
      if (session === undefined) continue;
      const frame = notificationFrame(messageId, sub as EventSubSubscription, event);
      for (let i = 0; i < (twice ? 2 : 1); i++) {
        if (!this.#send(session, frame)) break;
        this.#deliveries.push({ sessionId: session.id, subscriptionId: sub.id, messageId, messageType: 'notification', subscriptionType: type, at: Date.now() });
      }
    }
    this.notify();
    return messageId;
  }

  /** Keeps what later requests refer to: chat messages (replies) and redemptions (status updates). */
  #remember(type: string, event: Record<string, unknown>): void {
    if (type === 'channel.chat.message' && typeof event.message_id === 'string') {
      const broadcaster = this.users.byId(String(event.broadcaster_user_id)) ?? { id: String(event.broadcaster_user_id), login: String(event.broadcaster_user_login), displayName: String(event.broadcaster_user_name) };
      const chatter = this.users.byId(String(event.chatter_user_id)) ?? { id: String(event.chatter_user_id), login: String(event.chatter_user_login), displayName: String(event.chatter_user_name) };
      const text = String((event.message as { text?: unknown } | undefined)?.text ?? '');
      this.chats.set(event.message_id, { broadcaster, chatter, text });
    }
    if (type === 'channel.channel_points_custom_reward_redemption.add' && typeof event.id === 'string') {
      const reward = event.reward as { id?: unknown } | undefined;
      const status = String(event.status ?? 'unfulfilled').toUpperCase();
      this.redemptions.set(event.id, {
        id: event.id,
        broadcasterId: String(event.broadcaster_user_id),
        rewardId: String(reward?.id ?? ''),
        status: status === 'FULFILLED' || status === 'CANCELED' ? status : 'UNFULFILLED',
        event,
      });
    }
  }

  emitChat(input: EmitChatInput): EmitChatResult {
    const broadcaster = this.users.ensure(input.broadcaster);
    const chatter = this.users.ensure(input.chatter);
    const event = this.chatEvent(broadcaster, chatter, input.text, input.chatMessageId ?? randomUUID(), input);
    const messageId = this.emit('channel.chat.message', event, { version: '1' });
    return { messageId, chatMessageId: String(event.message_id), event };
  }

  /** A channel.chat.message v1 event from Twitch's example, with these people and text. */
  chatEvent(broadcaster: FakeEventSubUser, chatter: FakeEventSubUser, text: string, chatMessageId: string, extra: Partial<EmitChatInput> = {}): Record<string, unknown> {
    const event = structuredClone(CHAT_MESSAGE_EVENT_TEMPLATE) as Record<string, unknown>;
    Object.assign(event, {
      broadcaster_user_id: broadcaster.id,
      broadcaster_user_login: broadcaster.login,
      broadcaster_user_name: broadcaster.displayName,
      chatter_user_id: chatter.id,
      chatter_user_login: chatter.login,
      chatter_user_name: chatter.displayName,
      message_id: chatMessageId,
      message: { text, fragments: [{ type: 'text', text, cheermote: null, emote: null, mention: null }] },
      color: extra.color ?? '',
      badges: extra.badges ? extra.badges.map((b) => ({ ...b })) : broadcaster.id === chatter.id ? [{ set_id: 'broadcaster', id: '1', info: '' }] : [],
      message_type: extra.messageType ?? 'text',
      cheer: extra.bits !== undefined ? { bits: extra.bits } : null,
      reply: null,
      channel_points_custom_reward_id: extra.channelPointsCustomRewardId ?? null,
    });
    if (extra.replyTo !== undefined) {
      const parent = this.chats.get(extra.replyTo);
      event.reply = {
        parent_message_id: extra.replyTo,
        parent_message_body: parent?.text ?? '',
        parent_user_id: parent?.chatter.id ?? '',
        parent_user_name: parent?.chatter.displayName ?? '',
        parent_user_login: parent?.chatter.login ?? '',
        thread_message_id: extra.replyTo,
        thread_user_id: parent?.chatter.id ?? '',
        thread_user_name: parent?.chatter.displayName ?? '',
        thread_user_login: parent?.chatter.login ?? '',
      };
    }
    return event;
  }

  sendReconnect(sessionId?: string, options: { closeAfterMs?: number } = {}): string[] {
    const graceMs = options.closeAfterMs ?? this.options.reconnectGraceMs;
    const urls: string[] = [];
    for (const session of this.#targets(sessionId)) {
      if (session.state !== 'connected') continue;
      const reconnectId = randomUUID();
      this.#reconnectIds.set(reconnectId, session.id);
      const reconnectUrl = `${this.wsUrl}?reconnect_id=${reconnectId}`;
      const payload: EventSubSession & { recovery_url: null } = {
        id: session.id,
        status: 'reconnecting',
        keepalive_timeout_seconds: null,
        reconnect_url: reconnectUrl,
        connected_at: session.connectedAt,
        recovery_url: null,
      };
      this.#send(session, welcomeFrame(payload, 'session_reconnect'));
      session.state = 'reconnecting';
      session.graceTimer = setTimeout(() => {
        session.graceTimer = null;
        this.#reconnectIds.delete(reconnectId);
        this.#closeSession(session, CLOSE.reconnectGraceExpired);
      }, graceMs);
      urls.push(reconnectUrl);
    }
    this.notify();
    return urls;
  }

  stopKeepalives(sessionId?: string): void {
    for (const session of this.#targets(sessionId)) {
      session.state = 'silent';
      if (session.keepaliveTimer !== null) clearTimeout(session.keepaliveTimer);
      session.keepaliveTimer = null;
    }
    this.notify();
  }

  dropSocket(sessionId?: string): void {
    for (const session of this.#targets(sessionId)) session.ws.terminate();
  }

  revoke(subscriptionId: string, status = 'authorization_revoked'): void {
    const rec = this.subs.get(subscriptionId);
    if (rec === undefined) throw new Error(`fake twitch eventsub: no subscription ${subscriptionId}`);
    rec.sub.status = status;
    const session = this.liveSessions.get(rec.sub.transport.session_id);
    if (session !== undefined) {
      const frame = revocationFrame(rec.sub as EventSubSubscription);
      if (this.#send(session, frame)) {
        this.#deliveries.push({ sessionId: session.id, subscriptionId, messageId: frame.metadata.message_id, messageType: 'revocation', subscriptionType: rec.sub.type, at: Date.now() });
      }
    }
    this.notify();
  }

  duplicateNext(): void {
    this.#duplicateNext = true;
  }

  dropNext(reason: FakeDropReason): void {
    this.pendingDrop = { ...reason };
  }

  approveDevice(userCode: string, options: { login: string }): void {
    const device = this.#device(userCode);
    device.state = 'approved';
    device.userId = this.users.ensure(options.login).id;
    this.notify();
  }

  denyDevice(userCode: string): void {
    this.#device(userCode).state = 'denied';
    this.notify();
  }

  #device(userCode: string): DeviceRecord {
    for (const d of this.devicesByCode.values()) if (d.userCode === userCode && d.state === 'pending') return d;
    throw new Error(`fake twitch eventsub: no pending device authorization with user code ${userCode}`);
  }

  #targets(sessionId: string | undefined): SessionRecord[] {
    if (sessionId === undefined) return [...this.liveSessions.values()];
    const s = this.liveSessions.get(sessionId);
    if (s === undefined) throw new Error(`fake twitch eventsub: no open session ${sessionId}`);
    return [s];
  }

  // ------------------------------------------------------------ observation

  subscriptions(): EventSubSubscription[] {
    return [...this.subs.values()].map((r) => structuredClone(r.sub) as EventSubSubscription);
  }

  sessions(): FakeEventSubSessionInfo[] {
    return this.#allSessions.map((s) => ({
      id: s.id,
      state: s.state,
      keepaliveTimeoutSeconds: s.keepaliveTimeoutSeconds,
      welcomedAt: s.welcomedAt,
      reconnectedFrom: s.reconnectedFrom,
      closeCode: s.closeCode,
      sent: { ...s.sent },
    }));
  }

  deliveries(): FakeEventSubDelivery[] {
    return this.#deliveries.map((d) => ({ ...d }));
  }

  sentMessages(): FakeSentChatMessage[] {
    return this.sent.map((m) => ({ ...m, dropReason: m.dropReason && { ...m.dropReason } }));
  }

  redemptionUpdates(): FakeRedemptionUpdate[] {
    return this.redemptionLog.map((r) => ({ ...r }));
  }

  moderationCalls(): FakeModerationCall[] {
    return this.moderation.calls.map((c) => ({ ...c }));
  }

  addModerator(channelLogin: string, userLogin: string): void {
    this.moderation.addModerator(this.users.ensure(channelLogin).id, this.users.ensure(userLogin).id);
  }

  requests(): FakeHttpRequest[] {
    return this.requestLog.map((r) => ({ ...r }));
  }

  devices(): ReturnType<FakeTwitchEventSub['devices']> {
    return [...this.devicesByCode.values()].map((d) => ({ userCode: d.userCode, clientId: d.clientId, scopes: [...d.scopes], state: d.state }));
  }

  until(predicate: () => boolean, options: UntilOptions = {}): Promise<void> {
    return this.#waiters.until(predicate, options);
  }

  close(): Promise<void> {
    return (this.#closing ??= new Promise<void>((resolve) => {
      for (const s of this.#allSessions) {
        this.#clearTimers(s);
        s.ws.terminate();
      }
      this.#wss.close();
      this.#server.closeAllConnections();
      this.#server.close(() => resolve());
    }));
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
