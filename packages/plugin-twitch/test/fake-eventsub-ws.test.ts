/** The fake EventSub server at the wire level: a bare `ws` client and fetch. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type FakeTwitchEventSub, type StartFakeTwitchEventSubOptions, startFakeTwitchEventSub } from '../src/testing.js';

const NANO_TS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

// biome-ignore lint/suspicious/noExplicitAny: wire frames are checked field by field
type Frame = any;

class Client {
  readonly frames: { at: number; frame: Frame }[] = [];
  closed: { code: number; reason: string } | null = null;
  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => this.frames.push({ at: Date.now(), frame: JSON.parse(data.toString()) }));
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
    });
  }

  static async open(url: string): Promise<Client> {
    const ws = new WebSocket(url);
    const c = new Client(ws);
    clients.push(c);
    await fake.until(() => c.frames.length > 0 || c.closed !== null, { message: `welcome from ${url}` });
    return c;
  }

  get welcome(): Frame {
    return this.frames[0]!.frame;
  }

  get sessionId(): string {
    return this.welcome.payload.session.id;
  }

  of(type: string): Frame[] {
    return this.frames.filter((f) => f.frame.metadata.message_type === type).map((f) => f.frame);
  }

  until(pred: (c: Client) => boolean, message: string, timeoutMs = 3000): Promise<void> {
    return fake.until(() => pred(this), { message, timeoutMs });
  }
}

let fake: FakeTwitchEventSub;
const clients: Client[] = [];

async function start(options: StartFakeTwitchEventSubOptions = {}): Promise<FakeTwitchEventSub> {
  await fake?.close();
  fake = await startFakeTwitchEventSub({
    users: [
      { login: 'streamer', id: '1971641' },
      { login: 'bot', id: '2914196', displayName: 'Bot' },
      { login: 'other', id: '777' },
    ],
    tokens: [
      { token: 'tok-bot', userLogin: 'bot', scopes: ['user:read:chat', 'user:write:chat'] },
      { token: 'tok-bare', userLogin: 'bot', scopes: [] },
      { token: 'tok-streamer', userLogin: 'streamer', scopes: ['channel:read:subscriptions', 'bits:read', 'moderator:read:followers', 'user:read:chat', 'channel:read:hype_train'] },
    ],
    ...options,
  });
  return fake;
}

async function helix(method: string, path: string, token: string | null, body?: unknown, clientId: string | null = fake.clientId) {
  const headers: Record<string, string> = {};
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (clientId !== null) headers['client-id'] = clientId;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${fake.helixUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text === '' ? null : JSON.parse(text) };
}

const subscribe = (token: string, sessionId: string, type: string, version: string, condition: Record<string, string>) =>
  helix('POST', '/eventsub/subscriptions', token, { type, version, condition, transport: { method: 'websocket', session_id: sessionId } });

const chatSub = (c: Client, broadcaster = '1971641') => subscribe('tok-bot', c.sessionId, 'channel.chat.message', '1', { broadcaster_user_id: broadcaster, user_id: '2914196' });

beforeEach(async () => {
  await start();
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.ws.terminate();
  await fake.close();
});

describe('welcome and keepalive', () => {
  it('welcomes each connection first, with Twitch metadata and a fresh session', async () => {
    const a = await Client.open(fake.wsUrl);
    const b = await Client.open(fake.wsUrl);
    const w = a.welcome;
    expect(Object.keys(w.metadata).sort()).toEqual(['message_id', 'message_timestamp', 'message_type']);
    expect(w.metadata.message_type).toBe('session_welcome');
    expect(w.metadata.message_id).toMatch(UUID);
    expect(w.metadata.message_timestamp).toMatch(NANO_TS);
    expect(w.payload.session).toEqual({
      id: expect.any(String),
      status: 'connected',
      connected_at: expect.stringMatching(NANO_TS),
      keepalive_timeout_seconds: 10,
      reconnect_url: null,
      recovery_url: null,
    });
    expect(b.sessionId).not.toBe(a.sessionId);
    expect(fake.sessions().map((s) => s.id)).toEqual([a.sessionId, b.sessionId]);
    expect(fake.wsUrl).toBe(`ws://127.0.0.1:${fake.port}/ws`);
  });

  it('takes keepalive_timeout_seconds from the query, clamped to 10..600 like Twitch', async () => {
    const seen: unknown[] = [];
    for (const q of ['5', '30', '1000', 'abc']) seen.push((await Client.open(`${fake.wsUrl}?keepalive_timeout_seconds=${q}`)).welcome.payload.session.keepalive_timeout_seconds);
    expect(seen).toEqual([10, 30, 600, 10]);
  });

  it('refuses WebSocket upgrades on other paths', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${fake.port}/nope`);
    const err = await new Promise<Error>((resolve) => ws.on('error', resolve));
    expect(err.message).toMatch(/404/);
  });

  it('sends session_keepalive after each quiet interval, and a notification restarts the interval', async () => {
    await start({ minKeepaliveTimeoutSeconds: 0.1, subscribeWindowMs: 5000 });
    const c = await Client.open(`${fake.wsUrl}?keepalive_timeout_seconds=0.2`);
    expect(c.welcome.payload.session.keepalive_timeout_seconds).toBe(0.2);
    await c.until((x) => x.of('session_keepalive').length >= 2, 'two keepalives');
    const [welcome, k1, k2] = c.frames;
    expect(k1!.frame.metadata.message_type).toBe('session_keepalive');
    expect(k1!.frame.payload).toEqual({});
    expect(k1!.frame.metadata.message_timestamp).toMatch(NANO_TS);
    expect(k1!.at - welcome!.at).toBeGreaterThanOrEqual(180);
    expect(k2!.at - k1!.at).toBeGreaterThanOrEqual(180);
    expect(k2!.at - welcome!.at).toBeLessThan(2000);

    expect((await chatSub(c)).status).toBe(202);
    const before = c.frames.length;
    fake.emitChat({ broadcaster: 'streamer', chatter: 'other', text: 'hi' });
    await c.until((x) => x.frames.slice(before).some((f) => f.frame.metadata.message_type === 'session_keepalive' && x.frames.slice(before).some((g) => g.frame.metadata.message_type === 'notification')), 'notification then keepalive');
    const after = c.frames.slice(before);
    const n = after.find((f) => f.frame.metadata.message_type === 'notification')!;
    const k = after.find((f) => f.frame.metadata.message_type === 'session_keepalive' && f.at >= n.at)!;
    expect(k.at - n.at).toBeGreaterThanOrEqual(180);
  });
});

describe('Create / Get / Delete EventSub Subscription', () => {
  it('creates a subscription (202) with totals and costs: 0 when the token user is in the condition, else 1', async () => {
    const c = await Client.open(fake.wsUrl);
    const res = await chatSub(c);
    expect(res.status).toBe(202);
    expect(res.body).toEqual({
      data: [
        {
          id: expect.stringMatching(UUID),
          status: 'enabled',
          type: 'channel.chat.message',
          version: '1',
          condition: { broadcaster_user_id: '1971641', user_id: '2914196' },
          created_at: expect.stringMatching(NANO_TS),
          transport: { method: 'websocket', session_id: c.sessionId, connected_at: c.welcome.payload.session.connected_at },
          cost: 0,
        },
      ],
      total: 1,
      total_cost: 0,
      max_total_cost: 10,
    });
    const online = await subscribe('tok-bot', c.sessionId, 'stream.online', '1', { broadcaster_user_id: '1971641' });
    expect(online.status).toBe(202);
    expect(online.body.data[0].cost).toBe(1);
    expect([online.body.total, online.body.total_cost]).toEqual([2, 1]);

    const list = await helix('GET', '/eventsub/subscriptions', 'tok-bot');
    expect(list.status).toBe(200);
    expect(list.body.data.map((s: Frame) => s.type)).toEqual(['channel.chat.message', 'stream.online']);
    expect(list.body).toMatchObject({ total: 2, total_cost: 1, max_total_cost: 10, pagination: {} });
    expect((await helix('GET', '/eventsub/subscriptions?type=stream.online', 'tok-bot')).body.data).toHaveLength(1);
    // Another user's list does not show them.
    expect((await helix('GET', '/eventsub/subscriptions', 'tok-streamer')).body.data).toEqual([]);

    const id = online.body.data[0].id;
    expect((await helix('DELETE', `/eventsub/subscriptions?id=${id}`, 'tok-bot')).status).toBe(204);
    expect((await helix('DELETE', `/eventsub/subscriptions?id=${id}`, 'tok-bot')).status).toBe(404);
    expect(fake.subscriptions().map((s) => s.type)).toEqual(['channel.chat.message']);
  });

  it('answers 403 with Twitch\'s body when the token lacks the scope or is not the condition\'s user', async () => {
    const c = await Client.open(fake.wsUrl);
    const noScope = await subscribe('tok-bare', c.sessionId, 'channel.chat.message', '1', { broadcaster_user_id: '1971641', user_id: '2914196' });
    expect(noScope).toEqual({ status: 403, body: { error: 'Forbidden', status: 403, message: 'subscription missing proper authorization' } });
    const otherUser = await subscribe('tok-bot', c.sessionId, 'channel.chat.message', '1', { broadcaster_user_id: '1971641', user_id: '777' });
    expect(otherUser.status).toBe(403);
    // Broadcaster-only types need the broadcaster's own token and scope.
    expect((await subscribe('tok-bot', c.sessionId, 'channel.subscribe', '1', { broadcaster_user_id: '1971641' })).status).toBe(403);
    expect((await subscribe('tok-streamer', c.sessionId, 'channel.subscribe', '1', { broadcaster_user_id: '1971641' })).status).toBe(202);
    // channel.follow v2 needs moderator:read:followers and the moderator to be the token's user.
    expect((await subscribe('tok-streamer', c.sessionId, 'channel.follow', '2', { broadcaster_user_id: '1971641', moderator_user_id: '1971641' })).status).toBe(202);
    expect(fake.subscriptions()).toHaveLength(2);
  });

  it('checks the condition keys and the type/version', async () => {
    const c = await Client.open(fake.wsUrl);
    const missing = await subscribe('tok-bot', c.sessionId, 'channel.chat.message', '1', { broadcaster_user_id: '1971641' } as Record<string, string>);
    expect(missing.status).toBe(400);
    expect(missing.body.message).toMatch(/user_id/);
    expect((await subscribe('tok-bot', c.sessionId, 'channel.chat.message', '1', { broadcaster_user_id: '1971641', user_id: '2914196', extra: 'x' })).status).toBe(400);
    expect((await subscribe('tok-bot', c.sessionId, 'channel.follow', '1', { broadcaster_user_id: '1971641' })).status).toBe(400);
    expect((await subscribe('tok-bot', c.sessionId, 'no.such.type', '1', { broadcaster_user_id: '1971641' })).status).toBe(400);
    expect((await subscribe('tok-bot', c.sessionId, 'channel.raid', '1', { from_broadcaster_user_id: '1', to_broadcaster_user_id: '2' })).status).toBe(400);
    expect((await subscribe('tok-bot', c.sessionId, 'channel.raid', '1', { to_broadcaster_user_id: '1971641' })).status).toBe(202);
  });

  it('answers 409 on an exact duplicate on the same session, and accepts it on another session', async () => {
    const a = await Client.open(fake.wsUrl);
    const b = await Client.open(fake.wsUrl);
    expect((await chatSub(a)).status).toBe(202);
    const dup = await chatSub(a);
    expect(dup).toEqual({ status: 409, body: { error: 'Conflict', status: 409, message: 'subscription already exists' } });
    expect((await chatSub(a, '777')).status).toBe(202);
    expect((await chatSub(b)).status).toBe(202);
  });

  it('answers 429 once the total cost would pass max_total_cost, and counts only enabled subscriptions', async () => {
    await start({ maxTotalCost: 2 });
    const c = await Client.open(fake.wsUrl);
    for (const id of ['1', '2']) expect((await subscribe('tok-bot', c.sessionId, 'stream.online', '1', { broadcaster_user_id: id })).status).toBe(202);
    const over = await subscribe('tok-bot', c.sessionId, 'stream.online', '1', { broadcaster_user_id: '3' });
    expect(over.status).toBe(429);
    expect(over.body).toMatchObject({ error: 'Too Many Requests', status: 429, message: expect.stringMatching(/subscription limit exceeded/) });
    // Cost 0 types still fit.
    expect((await chatSub(c)).status).toBe(202);
    const first = fake.subscriptions()[0]!;
    fake.revoke(first.id, 'authorization_revoked');
    const after = await subscribe('tok-bot', c.sessionId, 'stream.online', '1', { broadcaster_user_id: '3' });
    expect(after.status).toBe(202);
    expect(after.body.total_cost).toBe(2);
  });

  it('limits subscriptions per session', async () => {
    await start({ maxSubscriptionsPerSession: 1 });
    const c = await Client.open(fake.wsUrl);
    expect((await chatSub(c)).status).toBe(202);
    expect((await chatSub(c, '777')).status).toBe(429);
  });

  it('rejects an unknown or closed session (400)', async () => {
    const unknown = await subscribe('tok-bot', 'AgoQnope', 'channel.chat.message', '1', { broadcaster_user_id: '1971641', user_id: '2914196' });
    expect(unknown).toEqual({ status: 400, body: { error: 'Bad Request', status: 400, message: 'websocket transport session does not exist or has already disconnected' } });
    const c = await Client.open(fake.wsUrl);
    c.ws.close();
    await fake.until(() => fake.sessions()[0]!.state === 'closed');
    expect((await chatSub(c)).status).toBe(400);
  });

  it('rejects a first subscription later than the window after the welcome (the socket kept open)', async () => {
    await start({ subscribeWindowMs: 100, closeUnusedSessions: false });
    const c = await Client.open(fake.wsUrl);
    const welcomedAt = fake.sessions()[0]!.welcomedAt;
    await fake.until(() => Date.now() - welcomedAt > 150, { message: 'window over' });
    const late = await chatSub(c);
    expect(late.status).toBe(400);
    expect(c.closed).toBeNull();
  });

  it('closes a session without a subscription after the window with 4003, but not one that subscribed in time', async () => {
    await start({ subscribeWindowMs: 150 });
    const idle = await Client.open(fake.wsUrl);
    const used = await Client.open(fake.wsUrl);
    expect((await chatSub(used)).status).toBe(202);
    await idle.until((x) => x.closed !== null, 'idle closed');
    expect(idle.closed).toEqual({ code: 4003, reason: 'connection unused' });
    expect((await chatSub(idle)).status).toBe(400);
    // A second subscription after the window is fine for the used session.
    expect((await chatSub(used, '777')).status).toBe(202);
    expect(used.closed).toBeNull();
  });

  it('needs a known Bearer token and a matching Client-Id (401)', async () => {
    expect((await helix('GET', '/eventsub/subscriptions', null)).body).toEqual({ error: 'Unauthorized', status: 401, message: 'OAuth token is missing' });
    expect((await helix('GET', '/eventsub/subscriptions', 'nope')).body.message).toBe('Invalid OAuth token');
    expect((await helix('GET', '/eventsub/subscriptions', 'tok-bot', undefined, 'other-client')).body.message).toBe('Client ID and OAuth token do not match');
    expect((await helix('GET', '/eventsub/subscriptions', 'tok-bot', undefined, null)).status).toBe(401);
    expect(fake.requests().map((r) => r.status)).toEqual([401, 401, 401, 401]);
  });
});

describe('notifications', () => {
  it('routes by condition: only the sessions subscribed to that broadcaster get it, with Twitch metadata', async () => {
    const a = await Client.open(fake.wsUrl);
    const b = await Client.open(fake.wsUrl);
    const subA = (await chatSub(a)).body.data[0];
    await chatSub(b, '777');
    const sent = fake.emitChat({ broadcaster: 'streamer', chatter: 'other', text: 'hello A' });
    await a.until((x) => x.of('notification').length === 1, 'A notified');
    const n = a.of('notification')[0];
    expect(n.metadata).toEqual({
      message_id: sent.messageId,
      message_type: 'notification',
      message_timestamp: expect.stringMatching(NANO_TS),
      subscription_type: 'channel.chat.message',
      subscription_version: '1',
    });
    expect(n.payload.subscription).toEqual(subA);
    expect(n.payload.event).toMatchObject({ broadcaster_user_id: '1971641', chatter_user_login: 'other', message: { text: 'hello A' }, message_id: sent.chatMessageId });
    // B gets the one for its channel, never A's.
    const second = fake.emitChat({ broadcaster: 'other', chatter: 'streamer', text: 'hello B' });
    await b.until((x) => x.of('notification').length === 1, 'B notified');
    expect(b.of('notification')[0].metadata.message_id).toBe(second.messageId);
    expect(b.of('notification')[0].payload.event.message.text).toBe('hello B');
    expect(a.of('notification')).toHaveLength(1);
    expect(second.messageId).not.toBe(sent.messageId);
    expect(fake.deliveries().map((d) => [d.sessionId, d.messageId])).toEqual([
      [a.sessionId, sent.messageId],
      [b.sessionId, second.messageId],
    ]);
  });

  it('matches other condition keys: raid direction, reward_id; unsubscribed types are lost', async () => {
    const c = await Client.open(fake.wsUrl);
    await subscribe('tok-bot', c.sessionId, 'channel.raid', '1', { to_broadcaster_user_id: '2914196' });
    fake.emit('channel.raid', { from_broadcaster_user_id: '2914196', to_broadcaster_user_id: '1', viewers: 5 });
    const id = fake.emit('channel.raid', { from_broadcaster_user_id: '1', to_broadcaster_user_id: '2914196', viewers: 9 });
    const lost = fake.emit('stream.online', { broadcaster_user_id: '2914196' });
    await c.until((x) => x.of('notification').length === 1, 'raid in');
    expect(c.of('notification')[0].metadata.message_id).toBe(id);
    expect(c.of('notification')[0].payload.event.viewers).toBe(9);
    expect(fake.deliveries().map((d) => d.messageId)).not.toContain(lost);
  });

  it('duplicateNext delivers the next notification twice with the same message_id, then single again', async () => {
    const c = await Client.open(fake.wsUrl);
    await chatSub(c);
    fake.duplicateNext();
    const one = fake.emitChat({ broadcaster: 'streamer', chatter: 'other', text: 'twice' }).messageId;
    const two = fake.emitChat({ broadcaster: 'streamer', chatter: 'other', text: 'once' }).messageId;
    await c.until((x) => x.of('notification').length === 3, 'three frames');
    expect(c.of('notification').map((f: Frame) => f.metadata.message_id)).toEqual([one, one, two]);
  });

  it('revoke sends revocation with the status and stops notifications for it', async () => {
    const c = await Client.open(fake.wsUrl);
    const sub = (await chatSub(c)).body.data[0];
    fake.revoke(sub.id, 'authorization_revoked');
    await c.until((x) => x.of('revocation').length === 1, 'revocation');
    const r = c.of('revocation')[0];
    expect(r.metadata).toMatchObject({ message_type: 'revocation', subscription_type: 'channel.chat.message', subscription_version: '1' });
    expect(r.payload).toEqual({ subscription: { ...sub, status: 'authorization_revoked' } });
    fake.emitChat({ broadcaster: 'streamer', chatter: 'other', text: 'after' });
    expect(fake.deliveries().filter((d) => d.messageType === 'notification')).toHaveLength(0);
    expect(fake.subscriptions()[0]!.status).toBe('authorization_revoked');
  });

  it('emit with a version reaches only subscriptions of that version', async () => {
    const c = await Client.open(fake.wsUrl);
    expect((await subscribe('tok-streamer', c.sessionId, 'channel.hype_train.begin', '2', { broadcaster_user_id: '1971641' })).status).toBe(202);
    const v1 = fake.emit('channel.hype_train.begin', { broadcaster_user_id: '1971641', level: 1 }, { version: '1' });
    const v2 = fake.emit('channel.hype_train.begin', { broadcaster_user_id: '1971641', level: 2 }, { version: '2' });
    await c.until((x) => x.of('notification').length === 1, 'v2 in');
    expect(c.of('notification')[0].metadata).toMatchObject({ message_id: v2, subscription_version: '2' });
    expect(fake.deliveries().map((d) => d.messageId)).toEqual([v2]);
    expect(v1).not.toBe(v2);
  });

  it('closes with 4001 when the client sends a message', async () => {
    const c = await Client.open(fake.wsUrl);
    await chatSub(c);
    c.ws.send('hello');
    await c.until((x) => x.closed !== null, 'closed');
    expect(c.closed).toEqual({ code: 4001, reason: 'sent inbound traffic' });
    expect(fake.subscriptions()[0]!.status).toBe('websocket_received_inbound_traffic');
  });
});

describe('faults', () => {
  it('stopKeepalives: the session goes silent (no keepalive, notifications lost) while others go on', async () => {
    await start({ minKeepaliveTimeoutSeconds: 0.05 });
    const silent = await Client.open(`${fake.wsUrl}?keepalive_timeout_seconds=0.1`);
    const clock = await Client.open(`${fake.wsUrl}?keepalive_timeout_seconds=0.1`);
    await chatSub(silent);
    fake.stopKeepalives(silent.sessionId);
    const before = silent.frames.length;
    const lost = fake.emitChat({ broadcaster: 'streamer', chatter: 'other', text: 'lost' }).messageId;
    const base = clock.of('session_keepalive').length;
    await clock.until((x) => x.of('session_keepalive').length >= base + 3, 'the other session keeps its keepalives');
    expect(silent.frames.length).toBe(before);
    expect(silent.closed).toBeNull();
    expect(fake.deliveries().map((d) => d.messageId)).not.toContain(lost);
    expect(fake.sessions().find((s) => s.id === silent.sessionId)!.state).toBe('silent');
  });

  it('dropSocket closes abruptly (1006), disables the subscriptions, and later notifications are lost', async () => {
    const c = await Client.open(fake.wsUrl);
    await chatSub(c);
    fake.dropSocket(c.sessionId);
    await c.until((x) => x.closed !== null, 'dropped');
    expect(c.closed!.code).toBe(1006);
    await fake.until(() => fake.subscriptions()[0]!.status === 'websocket_disconnected');
    fake.emitChat({ broadcaster: 'streamer', chatter: 'other', text: 'into the void' });
    expect(fake.deliveries()).toEqual([]);
  });
});

describe('reconnect', () => {
  it('hands over: the old connection delivers until the new one is welcomed, then subscriptions move and the old closes', async () => {
    const old = await Client.open(fake.wsUrl);
    const sub = (await chatSub(old)).body.data[0];
    const [url] = fake.sendReconnect(old.sessionId);
    await old.until((x) => x.of('session_reconnect').length === 1, 'reconnect frame');
    const r = old.of('session_reconnect')[0];
    expect(r.metadata).toEqual({ message_id: expect.stringMatching(UUID), message_type: 'session_reconnect', message_timestamp: expect.stringMatching(NANO_TS) });
    expect(r.payload.session).toEqual({
      id: old.sessionId,
      status: 'reconnecting',
      keepalive_timeout_seconds: null,
      reconnect_url: url,
      connected_at: old.welcome.payload.session.connected_at,
      recovery_url: null,
    });
    expect(url).toMatch(new RegExp(`^ws://127\\.0\\.0\\.1:${fake.port}/ws\\?`));

    const during = fake.emitChat({ broadcaster: 'streamer', chatter: 'other', text: 'still old' }).messageId;
    await old.until((x) => x.of('notification').some((f: Frame) => f.metadata.message_id === during), 'old still delivers');

    const next = await Client.open(url!);
    expect(next.welcome.metadata.message_type).toBe('session_welcome');
    expect(next.sessionId).not.toBe(old.sessionId);
    await old.until((x) => x.closed !== null, 'old closed after the handover');
    expect(old.closed!.code).toBe(1000);
    expect(fake.subscriptions()).toEqual([{ ...sub, transport: { ...sub.transport, session_id: next.sessionId, connected_at: next.welcome.payload.session.connected_at } }]);
    expect(fake.sessions().find((s) => s.id === next.sessionId)!.reconnectedFrom).toBe(old.sessionId);

    const after = fake.emitChat({ broadcaster: 'streamer', chatter: 'other', text: 'new' }).messageId;
    await next.until((x) => x.of('notification').length === 1, 'new delivers');
    expect(next.of('notification')[0].metadata.message_id).toBe(after);
    expect(old.of('notification').map((f: Frame) => f.metadata.message_id)).toEqual([during]);
  });

  it('closes the old connection with 4004 when the client does not reconnect within the grace time', async () => {
    const c = await Client.open(fake.wsUrl);
    await chatSub(c);
    const [url] = fake.sendReconnect(undefined, { closeAfterMs: 100 });
    await c.until((x) => x.closed !== null, 'grace expired');
    expect(c.closed).toEqual({ code: 4004, reason: 'client reconnect grace time expired' });
    expect(fake.subscriptions()[0]!.status).toBe('websocket_disconnected');
    // The URL is no longer good.
    const late = await Client.open(url!);
    await late.until((x) => x.closed !== null, 'refused');
    expect(late.closed!.code).toBe(4007);
    expect(late.frames).toEqual([]);
  });

  it('does not re-send what was emitted while no connection was subscribed', async () => {
    const old = await Client.open(fake.wsUrl);
    await chatSub(old);
    const [url] = fake.sendReconnect();
    fake.dropSocket(old.sessionId);
    await old.until((x) => x.closed !== null, 'old gone');
    const lost = fake.emitChat({ broadcaster: 'streamer', chatter: 'other', text: 'gap' }).messageId;
    const next = await Client.open(url!);
    expect(next.closed?.code).toBe(4007);
    expect(fake.deliveries().map((d) => d.messageId)).not.toContain(lost);
  });
});
