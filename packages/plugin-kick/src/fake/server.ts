/**
 * A local Kick on 127.0.0.1 for tests and the demo (node:http only): the
 * OAuth token endpoint (id.kick.com), the public API endpoints the plugin
 * calls (api.kick.com: public-key, channels, events/subscriptions, chat), and
 * a webhook deliverer that signs documented payloads with the fake's own RSA
 * key, the way Kick signs. It models Kick, not the plugin: it delivers only
 * when told to, redelivers when told to, and never dedupes for the receiver.
 */
import { constants, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { listenLocal, Waiters } from '@streamsuites/kernel/testing';
import { channelEventPayload, chatMessagePayload, livestreamPayload, type ChatPayloadOptions, type FakeKickBroadcaster } from './payloads.js';

export interface FakeKickChannel extends FakeKickBroadcaster {
  username: string;
  live: boolean;
  title: string;
}

/** One POST /public/v1/chat the fake accepted. */
export interface FakeKickChatPost {
  token: string;
  type: string;
  content: string;
  broadcasterUserId?: number;
  replyTo?: string;
  messageId: string;
}

export interface FakeKickSubscription {
  id: string;
  broadcasterUserId: number;
  event: string;
  version: number;
  method: string;
}

export interface DeliverOptions {
  /** Kick-Event-Message-Id (default: a fresh ULID-like id); pass an earlier one to redeliver. */
  messageId?: string;
  /** Kick-Event-Message-Timestamp (default: now, RFC3339). */
  timestamp?: string;
  /** Change one byte of the body after signing (a forged or corrupted delivery). */
  tamperBody?: boolean;
  /** Sign with a key that is not the fake's published one. */
  wrongKey?: boolean;
}

export interface Delivery {
  status: number;
  messageId: string;
  timestamp: string;
  body: string;
}

export interface FakeKick {
  /** Origin of both the OAuth server and the API (plugins.kick.config.idOrigin and apiOrigin). */
  origin: string;
  clientId: string;
  clientSecret: string;
  /** The PEM GET /public/v1/public-key serves; its private half signs deliveries. */
  publicKeyPem: string;
  addChannel(options: { slug: string; broadcasterUserId: number; username?: string; live?: boolean; title?: string }): FakeKickChannel;
  /** A user access token + refresh token the API accepts (as after the authorization-code flow). */
  issueUserToken(): { accessToken: string; refreshToken: string };
  /** Every access token issued so far stops working (expiry); refresh tokens still work. */
  expireAccessTokens(): void;
  /** While on, the API answers 401 to every token, fresh ones included (a revoked app or user). */
  rejectAllTokens(on: boolean): void;
  /** The grant_type of every token request, in order. */
  tokenRequests(): string[];
  chatPosts(): FakeKickChatPost[];
  chatDeletes(): string[];
  subscriptions(): FakeKickSubscription[];
  /** `METHOD /path` of every request, in order (query strings left off). */
  requests(): string[];
  /** Number of API requests answered 401. */
  unauthorized(): number;
  /** Resolves once `predicate` holds (checked on every request the fake answers). */
  until(predicate: () => boolean, message?: string): Promise<void>;
  /** Signs and POSTs one webhook to `url`, as Kick delivers. */
  deliver(url: string, eventType: string, payload: unknown, options?: DeliverOptions): Promise<Delivery>;
  /** Builders of documented payloads for a channel (see payloads.ts). */
  chatMessage(channel: FakeKickBroadcaster, options: Partial<ChatPayloadOptions> & { text?: string }): Record<string, unknown> & { message_id: string };
  livestream(channel: FakeKickBroadcaster, live: boolean, title?: string): Record<string, unknown>;
  channelEvent(channel: FakeKickBroadcaster, event: Parameters<typeof channelEventPayload>[1]): Record<string, unknown>;
  close(): Promise<void>;
}

const ULID_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** A ULID-shaped id (Kick's message and subscription ids are ULIDs). */
export function fakeUlid(): string {
  const bytes = randomBytes(26);
  return [...bytes].map((b) => ULID_ALPHABET[b % 32]).join('').replace(/^./, '0');
}

export interface StartFakeKickOptions {
  /** Port on 127.0.0.1 (default 0: any free port). */
  port?: number;
  /** The app's credentials (default: `fake-client-id` and a random secret). */
  clientId?: string;
  clientSecret?: string;
  /** User tokens the API accepts from the start (a host whose manifest names fixed tokens, like the demo's). */
  userTokens?: readonly { accessToken: string; refreshToken: string }[];
}

export async function startFakeKick(options: StartFakeKickOptions = {}): Promise<FakeKick> {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const clientId = options.clientId ?? 'fake-client-id';
  const clientSecret = options.clientSecret ?? `fake-client-secret-${randomBytes(8).toString('hex')}`;
  const channels = new Map<string, FakeKickChannel>();
  const validAccess = new Set<string>();
  const validRefresh = new Set<string>();
  const grants: string[] = [];
  const posts: FakeKickChatPost[] = [];
  const deletes: string[] = [];
  const subs: FakeKickSubscription[] = [];
  const waiters = new Waiters('fake kick');
  const requestLog: string[] = [];
  for (const token of options.userTokens ?? []) {
    validAccess.add(token.accessToken);
    validRefresh.add(token.refreshToken);
  }
  let rejectAll = false;
  let unauthorized = 0;
  let counter = 0;

  const newToken = (kind: string) => `${kind}-${++counter}-${randomBytes(6).toString('hex')}`;
  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    waiters.notify();
  };
  const bearer = (req: IncomingMessage): string | undefined => /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];

  async function readBody(req: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    requestLog.push(`${req.method ?? 'GET'} ${url.pathname}`);
    const body = await readBody(req);
    if (req.method === 'POST' && url.pathname === '/oauth/token') {
      // Kick's token endpoint takes a form body.
      const form = new URLSearchParams(body);
      const grant = form.get('grant_type') ?? '';
      grants.push(grant);
      if (form.get('client_id') !== clientId || form.get('client_secret') !== clientSecret) return json(res, 401, { error: 'invalid client' });
      if (grant === 'client_credentials') {
        const token = newToken('app');
        validAccess.add(token);
        return json(res, 200, { access_token: token, token_type: 'Bearer', expires_in: 3600 });
      }
      if (grant === 'refresh_token') {
        const refresh = form.get('refresh_token') ?? '';
        if (!validRefresh.has(refresh)) return json(res, 400, { error: 'Invalid request' });
        validRefresh.delete(refresh); // rotated, as OAuth 2.1 refresh tokens are
        const token = newToken('user');
        const next = newToken('refresh');
        validAccess.add(token);
        validRefresh.add(next);
        return json(res, 200, { access_token: token, token_type: 'Bearer', refresh_token: next, expires_in: 3600, scope: 'chat:write events:subscribe' });
      }
      return json(res, 400, { error: 'Invalid request' });
    }
    if (req.method === 'GET' && url.pathname === '/public/v1/public-key') return json(res, 200, { data: { public_key: publicKeyPem }, message: 'OK' });

    const token = bearer(req);
    if (token === undefined || rejectAll || !validAccess.has(token)) {
      unauthorized += 1;
      return json(res, 401, { data: {}, message: 'Unauthorized' });
    }
    if (req.method === 'GET' && url.pathname === '/public/v1/channels') {
      const slugs = url.searchParams.getAll('slug');
      const data = slugs.flatMap((slug) => {
        const c = channels.get(slug);
        return c === undefined ? [] : [{ broadcaster_user_id: c.broadcasterUserId, slug: c.slug, stream_title: c.title, stream: { is_live: c.live } }];
      });
      return json(res, 200, { data, message: 'OK' });
    }
    if (url.pathname === '/public/v1/events/subscriptions') {
      if (req.method === 'GET') {
        const id = Number(url.searchParams.get('broadcaster_user_id'));
        const data = subs
          .filter((s) => !url.searchParams.has('broadcaster_user_id') || s.broadcasterUserId === id)
          .map((s) => ({ id: s.id, app_id: clientId, broadcaster_user_id: s.broadcasterUserId, event: s.event, version: s.version, method: s.method }));
        return json(res, 200, { data, message: 'OK' });
      }
      if (req.method === 'POST') {
        const request = JSON.parse(body) as { broadcaster_user_id: number; events: { name: string; version: number }[]; method?: string };
        const data = request.events.map((e) => {
          const sub = { id: fakeUlid(), broadcasterUserId: request.broadcaster_user_id, event: e.name, version: e.version, method: request.method ?? 'webhook' };
          subs.push(sub);
          return { name: e.name, version: e.version, subscription_id: sub.id, error: '' };
        });
        return json(res, 200, { data, message: 'OK' });
      }
    }
    if (req.method === 'POST' && url.pathname === '/public/v1/chat') {
      const request = JSON.parse(body) as { type?: string; content?: string; broadcaster_user_id?: number; reply_to_message_id?: string };
      if (request.type !== 'bot' && request.type !== 'user') return json(res, 400, { data: {}, message: 'type must be bot or user' });
      if (typeof request.content !== 'string' || request.content === '' || [...request.content].length > 500) return json(res, 400, { data: {}, message: 'content' });
      if (request.type === 'user' && typeof request.broadcaster_user_id !== 'number') return json(res, 400, { data: {}, message: 'broadcaster_user_id is required' });
      const messageId = randomBytes(16).toString('hex');
      posts.push({
        token,
        type: request.type,
        content: request.content,
        ...(request.broadcaster_user_id === undefined ? {} : { broadcasterUserId: request.broadcaster_user_id }),
        ...(request.reply_to_message_id === undefined ? {} : { replyTo: request.reply_to_message_id }),
        messageId,
      });
      return json(res, 200, { data: { is_sent: true, message_id: messageId }, message: 'OK' });
    }
    const deleted = /^\/public\/v1\/chat\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'DELETE' && deleted !== null) {
      deletes.push(decodeURIComponent(deleted[1]!));
      res.writeHead(204).end();
      waiters.notify();
      return;
    }
    return json(res, 404, { data: {}, message: 'Not Found' });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => json(res, 500, { message: 'fake error' }));
  });
  await listenLocal(server, { port: options.port ?? 0 });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  async function deliver(url: string, eventType: string, payload: unknown, options: DeliverOptions = {}): Promise<Delivery> {
    const messageId = options.messageId ?? fakeUlid();
    const timestamp = options.timestamp ?? new Date().toISOString();
    const body = JSON.stringify(payload);
    const key: KeyObject = options.wrongKey === true ? otherKey : privateKey;
    const signature = sign('sha256', Buffer.from(`${messageId}.${timestamp}.${body}`, 'utf8'), { key, padding: constants.RSA_PKCS1_PADDING }).toString('base64');
    // Tampering after signing: one digit of the body changes (a user id, an amount), the signature stays.
    const sent = options.tamperBody === true ? body.replace(/\d/, (d) => String((Number(d) + 1) % 10)) : body;
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'Kick-Event-Message-Id': messageId,
        'Kick-Event-Subscription-Id': fakeUlid(),
        'Kick-Event-Signature': signature,
        'Kick-Event-Message-Timestamp': timestamp,
        'Kick-Event-Type': eventType,
        'Kick-Event-Version': '1',
      },
      body: sent,
    });
    return { status: response.status, messageId, timestamp, body: await response.text() };
  }

  return {
    origin,
    clientId,
    clientSecret,
    publicKeyPem,
    addChannel(options) {
      const channel: FakeKickChannel = { username: options.slug, live: false, title: 'Stream Title', ...options };
      channels.set(channel.slug, channel);
      return channel;
    },
    issueUserToken() {
      const accessToken = newToken('user');
      const refreshToken = newToken('refresh');
      validAccess.add(accessToken);
      validRefresh.add(refreshToken);
      return { accessToken, refreshToken };
    },
    expireAccessTokens: () => validAccess.clear(),
    rejectAllTokens(on) {
      rejectAll = on;
    },
    tokenRequests: () => [...grants],
    chatPosts: () => [...posts],
    chatDeletes: () => [...deletes],
    subscriptions: () => [...subs],
    unauthorized: () => unauthorized,
    requests: () => [...requestLog],
    until: (predicate, message) => waiters.until(predicate, { ...(message === undefined ? {} : { message }) }),
    deliver,
    chatMessage: (channel, options) => chatMessagePayload(channel, { messageId: options.messageId ?? fakeUlid(), ...options }) as Record<string, unknown> & { message_id: string },
    livestream: livestreamPayload,
    channelEvent: channelEventPayload,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
