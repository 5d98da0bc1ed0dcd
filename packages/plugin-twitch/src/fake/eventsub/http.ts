/**
 * Helix (`/helix/...`) and OAuth (`/oauth2/...`) answers of the fake EventSub
 * server: EventSub subscriptions, Send Chat Message, Update Redemption
 * Status, Get Users, token validation and the Device Code Grant flow. Error
 * bodies are shaped like Twitch's: `{ error, status, message }` on Helix,
 * `{ status, message }` on id.twitch.tv.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { conditionProblem, EVENTSUB_TYPE_RULES, HELIX_REQUIRED_SCOPES } from './catalog.js';
import type { ChatRecord, DeviceRecord, RedemptionRecord, RefreshRecord, SessionRecord, SubscriptionRecord, TokenRecord, UserDirectory } from './state.js';
import type { FakeDropReason, FakeEventSubUser, FakeHttpRequest, FakeRedemptionUpdate, FakeSentChatMessage, StartFakeTwitchEventSubOptions } from './types.js';
import { nanoTimestamp } from './wire.js';
import type { FakeModeration } from './moderation.js';

/** What the HTTP side needs from the server (implemented by the server class). */
export interface HttpContext {
  readonly clientId: string;
  readonly users: UserDirectory;
  readonly tokens: Map<string, TokenRecord>;
  readonly refreshTokens: Map<string, RefreshRecord>;
  readonly devicesByCode: Map<string, DeviceRecord>;
  readonly liveSessions: Map<string, SessionRecord>;
  readonly subs: Map<string, SubscriptionRecord>;
  readonly redemptions: Map<string, RedemptionRecord>;
  readonly chats: Map<string, ChatRecord>;
  readonly sent: FakeSentChatMessage[];
  readonly redemptionLog: FakeRedemptionUpdate[];
  readonly moderation: FakeModeration;
  readonly requestLog: FakeHttpRequest[];
  readonly options: Required<Omit<StartFakeTwitchEventSubOptions, 'port' | 'host' | 'users' | 'tokens'>>;
  pendingDrop: FakeDropReason | null;
  emit(type: string, event: Record<string, unknown>, options?: { version?: string }): string;
  chatEvent(broadcaster: FakeEventSubUser, chatter: FakeEventSubUser, text: string, chatMessageId: string, extra?: { replyTo?: string }): Record<string, unknown>;
  notify(): void;
}

interface Reply {
  status: number;
  body?: unknown;
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  429: 'Too Many Requests',
};

const helixError = (status: number, message: string): Reply => ({ status, body: { error: STATUS_TEXT[status] ?? 'Error', status, message } });
const oauthError = (status: number, message: string): Reply => ({ status, body: { status, message } });

export async function handleHttp(ctx: HttpContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://fake');
  const method = req.method ?? 'GET';
  const raw = await readBody(req);
  let reply: Reply;
  if (url.pathname.startsWith('/helix/')) reply = helix(ctx, method, url.pathname.slice('/helix'.length), url.searchParams, req, raw);
  else if (url.pathname.startsWith('/oauth2/')) reply = oauth(ctx, method, url.pathname.slice('/oauth2'.length), url.searchParams, req, raw);
  else reply = helixError(404, 'Not Found');
  ctx.requestLog.push({ method, path: url.pathname, status: reply.status, at: Date.now() });
  if (reply.body === undefined) res.writeHead(reply.status).end();
  else res.writeHead(reply.status, { 'content-type': 'application/json' }).end(JSON.stringify(reply.body));
  ctx.notify();
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

// ------------------------------------------------------------------ Helix

function helix(ctx: HttpContext, method: string, path: string, query: URLSearchParams, req: IncomingMessage, raw: string): Reply {
  const auth = header(req, 'authorization');
  const m = auth === undefined ? null : /^Bearer\s+(\S+)$/i.exec(auth);
  if (m === null) return helixError(401, 'OAuth token is missing');
  const clientId = header(req, 'client-id');
  if (clientId === undefined || clientId === '') return helixError(401, 'Client ID is missing');
  const token = ctx.tokens.get(m[1]!);
  if (token === undefined || token.expiresAt <= Date.now()) return helixError(401, 'Invalid OAuth token');
  if (token.clientId !== clientId) return helixError(401, 'Client ID and OAuth token do not match');

  const route = `${method} ${path}`;
  switch (route) {
    case 'POST /eventsub/subscriptions':
      return createSubscription(ctx, token, parseJson(raw));
    case 'GET /eventsub/subscriptions':
      return listSubscriptions(ctx, token, query);
    case 'DELETE /eventsub/subscriptions':
      return deleteSubscription(ctx, token, query);
    case 'POST /chat/messages':
      return sendChatMessage(ctx, token, parseJson(raw));
    case 'PATCH /channel_points/custom_rewards/redemptions':
      return updateRedemptions(ctx, token, query, parseJson(raw));
    case 'GET /users':
      return getUsers(ctx, token, query);
    case 'DELETE /moderation/chat':
      return ctx.moderation.deleteMessage(ctx.users, token, query);
    case 'POST /moderation/bans':
      return ctx.moderation.ban(ctx.users, token, query, parseJson(raw));
    default:
      return helixError(404, 'Not Found');
  }
}

function parseJson(raw: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(raw);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

const owned = (ctx: HttpContext, token: TokenRecord): SubscriptionRecord[] =>
  [...ctx.subs.values()].filter((r) => r.clientId === token.clientId && r.userId === token.userId);

function totals(ctx: HttpContext, token: TokenRecord): { total: number; total_cost: number; max_total_cost: number } {
  const mine = owned(ctx, token);
  return {
    total: mine.length,
    total_cost: mine.filter((r) => r.sub.status === 'enabled').reduce((n, r) => n + r.sub.cost, 0),
    max_total_cost: ctx.options.maxTotalCost,
  };
}

const sameCondition = (a: Record<string, string>, b: Record<string, unknown>): boolean => {
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && a[k] === b[k]);
};

function createSubscription(ctx: HttpContext, token: TokenRecord, body: Record<string, unknown> | null): Reply {
  if (body === null) return helixError(400, 'malformed request body');
  const { type, version, condition, transport } = body as { type?: unknown; version?: unknown; condition?: unknown; transport?: unknown };
  if (typeof type !== 'string' || typeof version !== 'string') return helixError(400, 'type and version are required');
  const rule = EVENTSUB_TYPE_RULES[type]?.[version];
  if (rule === undefined) return helixError(400, `unsupported subscription type and version: ${type} v${version}`);
  if (condition === null || typeof condition !== 'object' || Array.isArray(condition)) return helixError(400, 'condition is required');
  const cond = condition as Record<string, unknown>;
  const problem = conditionProblem(rule, cond);
  if (problem !== null) return helixError(400, problem);
  const t = transport as { method?: unknown; session_id?: unknown } | null | undefined;
  if (t === null || typeof t !== 'object' || t.method !== 'websocket') return helixError(400, 'transport method must be websocket (the only one this fake serves)');
  if (typeof t.session_id !== 'string' || t.session_id === '') return helixError(400, 'transport session_id is required');
  const session = ctx.liveSessions.get(t.session_id);
  const gone = 'websocket transport session does not exist or has already disconnected';
  if (session === undefined) return helixError(400, gone);
  // Twitch: a session's first subscription must come within the welcome's window (it closes unused sessions).
  if (!session.everSubscribed && Date.now() - session.welcomedAt > ctx.options.subscribeWindowMs) return helixError(400, gone);

  if (rule.anyOf.length > 0 && !rule.anyOf.some((s) => token.scopes.includes(s))) return helixError(403, 'subscription missing proper authorization');
  if (rule.tokenUser !== null && cond[rule.tokenUser] !== token.userId) return helixError(403, 'subscription missing proper authorization');

  const enabled = [...ctx.subs.values()].filter((r) => r.sub.status === 'enabled');
  if (enabled.some((r) => r.sub.type === type && r.sub.version === version && r.sub.transport.session_id === session.id && sameCondition(r.sub.condition, cond))) {
    return helixError(409, 'subscription already exists');
  }
  if (enabled.filter((r) => r.sub.transport.session_id === session.id).length >= ctx.options.maxSubscriptionsPerSession) {
    return helixError(429, 'subscription limit exceeded: too many subscriptions on this websocket session');
  }
  // Cost 0 when the token's user is in the condition (authorized by that user), otherwise 1.
  const cost = rule.tokenUser === null ? 1 : 0;
  const before = totals(ctx, token);
  if (before.total_cost + cost > ctx.options.maxTotalCost) return helixError(429, 'subscription limit exceeded: total cost would exceed max_total_cost');

  const sub: SubscriptionRecord['sub'] = {
    id: randomUUID(),
    status: 'enabled',
    type,
    version,
    condition: Object.fromEntries(Object.entries(cond).map(([k, v]) => [k, String(v)])),
    created_at: nanoTimestamp(),
    transport: { method: 'websocket', session_id: session.id, connected_at: session.connectedAt },
    cost,
  };
  ctx.subs.set(sub.id, { sub, clientId: token.clientId, userId: token.userId });
  session.everSubscribed = true;
  if (session.unusedTimer !== null) clearTimeout(session.unusedTimer);
  session.unusedTimer = null;
  return { status: 202, body: { data: [structuredClone(sub)], ...totals(ctx, token) } };
}

function listSubscriptions(ctx: HttpContext, token: TokenRecord, query: URLSearchParams): Reply {
  let list = owned(ctx, token).map((r) => r.sub);
  const status = query.get('status');
  const type = query.get('type');
  const userId = query.get('user_id');
  const id = query.get('subscription_id');
  if (status !== null) list = list.filter((s) => s.status === status);
  if (type !== null) list = list.filter((s) => s.type === type);
  if (userId !== null) list = list.filter((s) => Object.values(s.condition).includes(userId));
  if (id !== null) list = list.filter((s) => s.id === id);
  return { status: 200, body: { data: list.map((s) => structuredClone(s)), ...totals(ctx, token), pagination: {} } };
}

function deleteSubscription(ctx: HttpContext, token: TokenRecord, query: URLSearchParams): Reply {
  const id = query.get('id');
  if (id === null || id === '') return helixError(400, 'Missing required parameter "id"');
  const rec = ctx.subs.get(id);
  if (rec === undefined || rec.clientId !== token.clientId || rec.userId !== token.userId) return helixError(404, 'subscription not found');
  ctx.subs.delete(id);
  return { status: 204 };
}

function sendChatMessage(ctx: HttpContext, token: TokenRecord, body: Record<string, unknown> | null): Reply {
  const appToken = token.userId === '';
  if (!appToken && !token.scopes.includes(HELIX_REQUIRED_SCOPES.sendChatMessage)) return helixError(401, `Missing scope: ${HELIX_REQUIRED_SCOPES.sendChatMessage}`);
  if (body === null) return helixError(400, 'malformed request body');
  for (const key of ['broadcaster_id', 'sender_id', 'message'] as const) {
    if (typeof body[key] !== 'string' || body[key] === '') return helixError(400, `Missing required parameter "${key}"`);
  }
  const broadcasterId = body.broadcaster_id as string;
  const senderId = body.sender_id as string;
  const text = body.message as string;
  const replyParent = typeof body.reply_parent_message_id === 'string' && body.reply_parent_message_id !== '' ? body.reply_parent_message_id : null;
  if (appToken) {
    // An app token sends as a bot that granted the app user:bot, in a channel that granted channel:bot.
    const granted = (userId: string, scope: string) => [...ctx.tokens.values()].some((t) => t.userId === userId && t.clientId === token.clientId && t.scopes.includes(scope));
    if (!granted(senderId, 'user:bot')) return helixError(403, 'The sender has not authorized the app with user:bot');
    if (!granted(broadcasterIdOf(body), 'channel:bot')) return helixError(403, 'The broadcaster has not authorized the app with channel:bot');
  } else if (senderId !== token.userId) return helixError(403, 'The sender must be the user in the OAuth token');
  const broadcaster = ctx.users.byId(broadcasterId);
  if (broadcaster === undefined) return helixError(400, 'The ID in broadcaster_id is not valid');
  if ([...text].length > 500) return helixError(400, 'The message is too long');
  const sender = ctx.users.byId(senderId)!;

  const drop = ctx.pendingDrop;
  ctx.pendingDrop = null;
  const record: FakeSentChatMessage = {
    broadcasterId,
    senderId,
    text,
    replyParentMessageId: replyParent,
    messageId: drop === null ? randomUUID() : '',
    isSent: drop === null,
    dropReason: drop,
    at: Date.now(),
  };
  ctx.sent.push(record);
  if (drop !== null) return { status: 200, body: { data: [{ message_id: '', is_sent: false, drop_reason: { ...drop } }] } };
  // As on Twitch, a sent message is also a channel.chat.message notification to those subscribed.
  const event = ctx.chatEvent(broadcaster, sender, text, record.messageId, replyParent === null ? {} : { replyTo: replyParent });
  ctx.emit('channel.chat.message', event, { version: '1' });
  return { status: 200, body: { data: [{ message_id: record.messageId, is_sent: true }] } };
}

function updateRedemptions(ctx: HttpContext, token: TokenRecord, query: URLSearchParams, body: Record<string, unknown> | null): Reply {
  const scope = HELIX_REQUIRED_SCOPES.updateRedemptionStatus;
  if (!token.scopes.includes(scope)) return helixError(401, `Missing scope: ${scope}`);
  const broadcasterId = query.get('broadcaster_id');
  const rewardId = query.get('reward_id');
  const ids = query.getAll('id');
  if (broadcasterId === null || broadcasterId === '') return helixError(400, 'Missing required parameter "broadcaster_id"');
  if (rewardId === null || rewardId === '') return helixError(400, 'Missing required parameter "reward_id"');
  if (ids.length === 0) return helixError(400, 'Missing required parameter "id"');
  if (ids.length > 50) return helixError(400, 'The request may specify up to 50 IDs');
  if (broadcasterId !== token.userId) return helixError(403, 'The ID in broadcaster_id must match the user ID found in the request\'s OAuth token.');
  const status = body?.status;
  if (status !== 'FULFILLED' && status !== 'CANCELED') return helixError(400, 'The status must be FULFILLED or CANCELED');
  const found = ids
    .map((id) => ctx.redemptions.get(id))
    .filter((r): r is RedemptionRecord => r !== undefined && r.broadcasterId === broadcasterId && r.rewardId === rewardId && r.status === 'UNFULFILLED');
  if (found.length === 0) return helixError(404, 'No redemptions with the given IDs were found in UNFULFILLED status');
  const data = found.map((r) => {
    r.status = status;
    ctx.redemptionLog.push({ broadcasterId, rewardId, redemptionId: r.id, status, at: Date.now() });
    const e = r.event as Record<string, unknown> & { reward?: Record<string, unknown> };
    return {
      broadcaster_id: broadcasterId,
      broadcaster_login: e.broadcaster_user_login,
      broadcaster_name: e.broadcaster_user_name,
      id: r.id,
      user_id: e.user_id,
      user_login: e.user_login,
      user_name: e.user_name,
      user_input: e.user_input ?? '',
      status,
      redeemed_at: e.redeemed_at,
      reward: { id: rewardId, title: e.reward?.title, prompt: e.reward?.prompt, cost: e.reward?.cost },
    };
  });
  return { status: 200, body: { data } };
}

function getUsers(ctx: HttpContext, token: TokenRecord, query: URLSearchParams): Reply {
  const logins = query.getAll('login');
  const ids = query.getAll('id');
  if (logins.length + ids.length > 100) return helixError(400, 'The request may specify up to 100 IDs and logins');
  const found = new Map<string, FakeEventSubUser>();
  if (logins.length + ids.length === 0) {
    const me = ctx.users.byId(token.userId);
    if (me) found.set(me.id, me);
  }
  for (const id of ids) {
    const u = ctx.users.byId(id);
    if (u) found.set(u.id, u);
  }
  for (const login of logins) {
    const u = ctx.users.byLogin(login);
    if (u) found.set(u.id, u);
  }
  const data = [...found.values()].map((u) => ({
    id: u.id,
    login: u.login,
    display_name: u.displayName,
    type: '',
    broadcaster_type: '',
    description: '',
    profile_image_url: `https://static-cdn.jtvnw.net/jtv_user_pictures/${u.login}-profile_image-300x300.png`,
    offline_image_url: '',
    view_count: 0,
    created_at: '2016-12-14T20:32:28Z',
  }));
  return { status: 200, body: { data } };
}

// ------------------------------------------------------------------ OAuth (id.twitch.tv/oauth2)

function params(query: URLSearchParams, req: IncomingMessage, raw: string): URLSearchParams {
  const out = new URLSearchParams(query);
  const type = header(req, 'content-type') ?? '';
  if (raw !== '') {
    if (type.includes('application/json')) {
      const json = parseJson(raw) ?? {};
      for (const [k, v] of Object.entries(json)) out.set(k, Array.isArray(v) ? v.join(' ') : String(v));
    } else {
      for (const [k, v] of new URLSearchParams(raw)) out.set(k, v);
    }
  }
  return out;
}

function oauth(ctx: HttpContext, method: string, path: string, query: URLSearchParams, req: IncomingMessage, raw: string): Reply {
  if (method === 'GET' && path === '/validate') return validate(ctx, req);
  if (method === 'POST' && path === '/device') return device(ctx, params(query, req, raw));
  if (method === 'POST' && path === '/token') return token(ctx, params(query, req, raw));
  return oauthError(404, 'Not Found');
}

function validate(ctx: HttpContext, req: IncomingMessage): Reply {
  const auth = header(req, 'authorization');
  const m = auth === undefined ? null : /^(?:OAuth|Bearer)\s+(\S+)$/i.exec(auth);
  const rec = m === null ? undefined : ctx.tokens.get(m[1]!);
  if (rec === undefined || rec.expiresAt <= Date.now()) return oauthError(401, 'invalid access token');
  // An app token validates without a user, as on Twitch.
  if (rec.userId === '') return { status: 200, body: { client_id: rec.clientId, scopes: [], expires_in: Math.max(0, Math.floor((rec.expiresAt - Date.now()) / 1000)) } };
  const user = ctx.users.byId(rec.userId)!;
  return {
    status: 200,
    body: { client_id: rec.clientId, login: user.login, scopes: [...rec.scopes], user_id: user.id, expires_in: Math.max(0, Math.floor((rec.expiresAt - Date.now()) / 1000)) },
  };
}

const USER_CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ';

function device(ctx: HttpContext, p: URLSearchParams): Reply {
  const clientId = p.get('client_id');
  if (clientId === null || clientId === '') return oauthError(400, 'missing client_id');
  if (clientId !== ctx.clientId) return oauthError(400, 'invalid client');
  const scopes = (p.get('scopes') ?? p.get('scope') ?? '').split(/\s+/).filter((s) => s !== '');
  const bytes = randomBytes(8);
  const userCode = [...bytes].map((b) => USER_CODE_ALPHABET[b % USER_CODE_ALPHABET.length]).join('');
  const rec: DeviceRecord = {
    deviceCode: randomBytes(30).toString('base64url'),
    userCode,
    clientId,
    scopes,
    state: 'pending',
    expiresAt: Date.now() + ctx.options.deviceExpiresIn * 1000,
    userId: null,
  };
  ctx.devicesByCode.set(rec.deviceCode, rec);
  return {
    status: 200,
    body: {
      device_code: rec.deviceCode,
      expires_in: ctx.options.deviceExpiresIn,
      interval: ctx.options.deviceInterval,
      user_code: userCode,
      verification_uri: `https://www.twitch.tv/activate?public=true&device-code=${userCode}`,
    },
  };
}

function issue(ctx: HttpContext, userId: string, scopes: string[], clientId: string): Reply {
  const accessToken = randomBytes(22).toString('base64url').toLowerCase().slice(0, 30);
  const refreshToken = randomBytes(37).toString('base64url').toLowerCase().slice(0, 50);
  ctx.tokens.set(accessToken, { token: accessToken, userId, scopes: [...scopes], clientId, expiresAt: Date.now() + ctx.options.tokenExpiresIn * 1000 });
  ctx.refreshTokens.set(refreshToken, { userId, scopes: [...scopes], clientId });
  return {
    status: 200,
    body: { access_token: accessToken, expires_in: ctx.options.tokenExpiresIn, refresh_token: refreshToken, scope: [...scopes], token_type: 'bearer' },
  };
}

function token(ctx: HttpContext, p: URLSearchParams): Reply {
  const grant = p.get('grant_type');
  const clientId = p.get('client_id');
  if (grant === 'urn:ietf:params:oauth:grant-type:device_code') {
    const rec = ctx.devicesByCode.get(p.get('device_code') ?? '');
    if (rec === undefined || rec.clientId !== clientId || rec.state === 'used') return oauthError(400, 'invalid device code');
    if (rec.expiresAt <= Date.now()) return oauthError(400, 'expired_token');
    if (rec.state === 'pending') return oauthError(400, 'authorization_pending');
    if (rec.state === 'denied') return oauthError(400, 'access_denied');
    rec.state = 'used';
    return issue(ctx, rec.userId!, rec.scopes, rec.clientId);
  }
  if (grant === 'client_credentials') {
    if (clientId !== ctx.options.clientId || p.get('client_secret') !== ctx.options.clientSecret) return { status: 403, body: { status: 403, message: 'invalid client secret' } };
    const accessToken = randomBytes(22).toString('base64url').toLowerCase().slice(0, 30);
    ctx.tokens.set(accessToken, { token: accessToken, userId: '', scopes: [], clientId, expiresAt: Date.now() + ctx.options.tokenExpiresIn * 1000 });
    return { status: 200, body: { access_token: accessToken, expires_in: ctx.options.tokenExpiresIn, token_type: 'bearer' } };
  }
  if (grant === 'refresh_token') {
    const refresh = p.get('refresh_token') ?? '';
    const rec = ctx.refreshTokens.get(refresh);
    if (rec === undefined || rec.clientId !== clientId) return { status: 400, body: { error: 'Bad Request', status: 400, message: 'Invalid refresh token' } };
    ctx.refreshTokens.delete(refresh); // public clients: a refresh token is good for one use
    return issue(ctx, rec.userId, rec.scopes, rec.clientId);
  }
  return oauthError(400, 'unsupported grant type');
}

function broadcasterIdOf(body: Record<string, unknown>): string {
  return typeof body.broadcaster_id === 'string' ? body.broadcaster_id : '';
}
