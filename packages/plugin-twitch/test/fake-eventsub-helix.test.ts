/** The fake's Helix and OAuth endpoints: Send Chat Message, redemptions, users, validate, device code flow. */
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type FakeTwitchEventSub, startFakeTwitchEventSub } from '../src/testing.js';

// biome-ignore lint/suspicious/noExplicitAny: wire frames are checked field by field
type Frame = any;

let fake: FakeTwitchEventSub;
const sockets: WebSocket[] = [];

beforeEach(async () => {
  fake = await startFakeTwitchEventSub({
    users: [
      { login: 'streamer', id: '1971641', displayName: 'Streamer' },
      { login: 'bot', id: '2914196', displayName: 'Bot' },
      { login: 'viewer32', id: '4145994' },
    ],
    tokens: [
      { token: 'tok-bot', userLogin: 'bot', scopes: ['user:read:chat', 'user:write:chat'] },
      { token: 'tok-readonly', userLogin: 'bot', scopes: ['user:read:chat'] },
      { token: 'tok-streamer', userLogin: 'streamer', scopes: ['channel:manage:redemptions', 'channel:read:redemptions'] },
      { token: 'tok-streamer-read', userLogin: 'streamer', scopes: ['channel:read:redemptions'] },
    ],
    deviceInterval: 1,
  });
});
afterEach(async () => {
  for (const ws of sockets.splice(0)) ws.terminate();
  await fake.close();
});

async function helix(method: string, path: string, token: string, body?: unknown) {
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, 'client-id': fake.clientId };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${fake.helixUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text === '' ? null : JSON.parse(text) };
}

async function oauth(method: string, path: string, form?: Record<string, string>, headers: Record<string, string> = {}) {
  const res = await fetch(`${fake.oauthUrl}${path}`, {
    method,
    headers: form ? { 'content-type': 'application/x-www-form-urlencoded', ...headers } : headers,
    body: form ? new URLSearchParams(form).toString() : undefined,
  });
  return { status: res.status, body: (await res.json()) as Frame };
}

/** A session subscribed to channel.chat.message of the streamer as the bot; returns the frames it receives. */
async function chatListener(): Promise<Frame[]> {
  const frames: Frame[] = [];
  const ws = new WebSocket(fake.wsUrl);
  sockets.push(ws);
  ws.on('message', (d) => frames.push(JSON.parse(d.toString())));
  await fake.until(() => frames.length > 0);
  const res = await helix('POST', '/eventsub/subscriptions', 'tok-bot', {
    type: 'channel.chat.message',
    version: '1',
    condition: { broadcaster_user_id: '1971641', user_id: '2914196' },
    transport: { method: 'websocket', session_id: frames[0].payload.session.id },
  });
  expect(res.status).toBe(202);
  return frames;
}

const notifications = (frames: Frame[]) => frames.filter((f) => f.metadata.message_type === 'notification');

describe('Send Chat Message', () => {
  it('needs user:write:chat and the sender to be the token user', async () => {
    const body = { broadcaster_id: '1971641', sender_id: '2914196', message: 'hi' };
    expect(await helix('POST', '/chat/messages', 'tok-readonly', body)).toEqual({
      status: 401,
      body: { error: 'Unauthorized', status: 401, message: 'Missing scope: user:write:chat' },
    });
    expect((await helix('POST', '/chat/messages', 'tok-bot', { ...body, sender_id: '1971641' })).status).toBe(403);
    expect((await helix('POST', '/chat/messages', 'tok-bot', { ...body, message: undefined })).status).toBe(400);
    expect((await helix('POST', '/chat/messages', 'tok-bot', { ...body, message: 'x'.repeat(501) })).status).toBe(400);
    expect(fake.sentMessages()).toEqual([]);
  });

  it('answers is_sent with a message_id and echoes it as a channel.chat.message notification', async () => {
    const frames = await chatListener();
    const res = await helix('POST', '/chat/messages', 'tok-bot', { broadcaster_id: '1971641', sender_id: '2914196', message: 'hello chat' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: [{ message_id: expect.any(String), is_sent: true }] });
    const id = res.body.data[0].message_id;
    await fake.until(() => notifications(frames).length === 1, { message: 'echo' });
    const echo = notifications(frames)[0];
    expect(echo.metadata.subscription_type).toBe('channel.chat.message');
    expect(echo.payload.event).toMatchObject({
      broadcaster_user_id: '1971641',
      broadcaster_user_login: 'streamer',
      chatter_user_id: '2914196',
      chatter_user_login: 'bot',
      chatter_user_name: 'Bot',
      message_id: id,
      message: { text: 'hello chat', fragments: [{ type: 'text', text: 'hello chat', cheermote: null, emote: null, mention: null }] },
      message_type: 'text',
      reply: null,
    });
    expect(fake.sentMessages()).toEqual([
      { broadcasterId: '1971641', senderId: '2914196', text: 'hello chat', replyParentMessageId: null, messageId: id, isSent: true, dropReason: null, at: expect.any(Number) },
    ]);
  });

  it('dropNext: the next answer is is_sent false with the drop reason, nothing is echoed, the one after is sent', async () => {
    const frames = await chatListener();
    fake.dropNext({ code: 'msg_duplicate', message: 'Your message is identical to the one you sent within the last 30 seconds.' });
    const body = { broadcaster_id: '1971641', sender_id: '2914196', message: 'again' };
    const dropped = await helix('POST', '/chat/messages', 'tok-bot', body);
    expect(dropped.body).toEqual({
      data: [{ message_id: '', is_sent: false, drop_reason: { code: 'msg_duplicate', message: 'Your message is identical to the one you sent within the last 30 seconds.' } }],
    });
    fake.dropNext({ code: 'msg_rejected_automod', message: 'Your message is being checked by mods and has not been sent.' });
    expect((await helix('POST', '/chat/messages', 'tok-bot', body)).body.data[0].drop_reason.code).toBe('msg_rejected_automod');
    const ok = await helix('POST', '/chat/messages', 'tok-bot', { ...body, message: 'third' });
    expect(ok.body.data[0].is_sent).toBe(true);
    await fake.until(() => notifications(frames).length >= 1);
    expect(notifications(frames).map((f) => f.payload.event.message.text)).toEqual(['third']);
    expect(fake.sentMessages().map((m) => [m.isSent, m.dropReason?.code ?? null])).toEqual([
      [false, 'msg_duplicate'],
      [false, 'msg_rejected_automod'],
      [true, null],
    ]);
  });

  it('fills reply from the parent message the fake delivered', async () => {
    const frames = await chatListener();
    const parent = fake.emitChat({ broadcaster: 'streamer', chatter: 'viewer32', text: 'question?' });
    const res = await helix('POST', '/chat/messages', 'tok-bot', { broadcaster_id: '1971641', sender_id: '2914196', message: 'answer', reply_parent_message_id: parent.chatMessageId });
    await fake.until(() => notifications(frames).length === 2);
    const echo = notifications(frames)[1].payload.event;
    expect(echo.message_id).toBe(res.body.data[0].message_id);
    expect(echo.reply).toEqual({
      parent_message_id: parent.chatMessageId,
      parent_message_body: 'question?',
      parent_user_id: '4145994',
      parent_user_name: 'viewer32',
      parent_user_login: 'viewer32',
      thread_message_id: parent.chatMessageId,
      thread_user_id: '4145994',
      thread_user_name: 'viewer32',
      thread_user_login: 'viewer32',
    });
    expect(fake.sentMessages()[0]!.replyParentMessageId).toBe(parent.chatMessageId);
  });
});

describe('Update Redemption Status', () => {
  const fixture = JSON.parse(readFileSync(new URL('../fixtures/eventsub/channel.channel_points_custom_reward_redemption.add.v1.json', import.meta.url), 'utf8'));

  it('needs channel:manage:redemptions and the broadcaster\'s token; records FULFILLED / CANCELED once', async () => {
    const event = { ...fixture.event, broadcaster_user_id: '1971641', broadcaster_user_login: 'streamer', broadcaster_user_name: 'Streamer' };
    fake.emit('channel.channel_points_custom_reward_redemption.add', event);
    fake.emit('channel.channel_points_custom_reward_redemption.add', { ...event, id: '5678' });
    const path = '/channel_points/custom_rewards/redemptions?broadcaster_id=1971641&reward_id=9001&id=1234';
    expect((await helix('PATCH', path, 'tok-streamer-read', { status: 'FULFILLED' })).body).toEqual({
      error: 'Unauthorized',
      status: 401,
      message: 'Missing scope: channel:manage:redemptions',
    });
    expect((await helix('PATCH', path.replace('1971641', '2914196'), 'tok-streamer', { status: 'FULFILLED' })).status).toBe(403);
    expect((await helix('PATCH', path, 'tok-streamer', { status: 'DONE' })).status).toBe(400);

    const ok = await helix('PATCH', path, 'tok-streamer', { status: 'FULFILLED' });
    expect(ok.status).toBe(200);
    expect(ok.body.data).toEqual([
      expect.objectContaining({ broadcaster_id: '1971641', id: '1234', user_id: '9001', user_input: 'pogchamp', status: 'FULFILLED', reward: { id: '9001', title: 'title', prompt: 'reward prompt', cost: 100 } }),
    ]);
    // Only UNFULFILLED ones can change.
    expect((await helix('PATCH', path, 'tok-streamer', { status: 'CANCELED' })).status).toBe(404);
    expect((await helix('PATCH', path.replace('id=1234', 'id=5678'), 'tok-streamer', { status: 'CANCELED' })).status).toBe(200);
    expect(fake.redemptionUpdates().map((u) => [u.redemptionId, u.status, u.rewardId, u.broadcasterId])).toEqual([
      ['1234', 'FULFILLED', '9001', '1971641'],
      ['5678', 'CANCELED', '9001', '1971641'],
    ]);
  });
});

describe('Get Users', () => {
  it('finds known users by login and id, leaves unknown ones out, and gives the token user without a query', async () => {
    const res = await helix('GET', '/users?login=streamer&login=nobody&id=4145994', 'tok-bot');
    expect(res.status).toBe(200);
    expect(res.body.data.map((u: Frame) => [u.id, u.login, u.display_name])).toEqual([
      ['4145994', 'viewer32', 'viewer32'],
      ['1971641', 'streamer', 'Streamer'],
    ]);
    expect(Object.keys(res.body.data[0]).sort()).toEqual(
      ['broadcaster_type', 'created_at', 'description', 'display_name', 'id', 'login', 'offline_image_url', 'profile_image_url', 'type', 'view_count'].sort(),
    );
    expect((await helix('GET', '/users', 'tok-bot')).body.data.map((u: Frame) => u.login)).toEqual(['bot']);
  });
});

describe('OAuth', () => {
  it('validates known tokens (OAuth or Bearer prefix) and answers 401 for others', async () => {
    const ok = await oauth('GET', '/validate', undefined, { authorization: 'OAuth tok-bot' });
    expect(ok).toEqual({
      status: 200,
      body: { client_id: fake.clientId, login: 'bot', scopes: ['user:read:chat', 'user:write:chat'], user_id: '2914196', expires_in: expect.any(Number) },
    });
    expect(ok.body.expires_in).toBeGreaterThan(14_000);
    expect((await oauth('GET', '/validate', undefined, { authorization: 'Bearer tok-streamer' })).body.login).toBe('streamer');
    expect(await oauth('GET', '/validate', undefined, { authorization: 'OAuth nope' })).toEqual({ status: 401, body: { status: 401, message: 'invalid access token' } });
    expect((await oauth('GET', '/validate')).status).toBe(401);
  });

  it('device code grant: pending until approved, then tokens that validate; a code is good once', async () => {
    const dev = await oauth('POST', '/device', { client_id: fake.clientId, scopes: 'user:read:chat user:write:chat' });
    expect(dev.status).toBe(200);
    expect(dev.body).toEqual({
      device_code: expect.any(String),
      expires_in: 1800,
      interval: 1,
      user_code: expect.stringMatching(/^[A-Z]{8}$/),
      verification_uri: `https://www.twitch.tv/activate?public=true&device-code=${dev.body.user_code}`,
    });
    const poll = { client_id: fake.clientId, scopes: 'user:read:chat user:write:chat', device_code: dev.body.device_code, grant_type: 'urn:ietf:params:oauth:grant-type:device_code' };
    expect(await oauth('POST', '/token', poll)).toEqual({ status: 400, body: { status: 400, message: 'authorization_pending' } });
    expect(fake.devices()).toEqual([{ userCode: dev.body.user_code, clientId: fake.clientId, scopes: ['user:read:chat', 'user:write:chat'], state: 'pending' }]);

    fake.approveDevice(dev.body.user_code, { login: 'newbot' });
    const tok = await oauth('POST', '/token', poll);
    expect(tok).toEqual({
      status: 200,
      body: { access_token: expect.any(String), expires_in: 14_400, refresh_token: expect.any(String), scope: ['user:read:chat', 'user:write:chat'], token_type: 'bearer' },
    });
    const v = await oauth('GET', '/validate', undefined, { authorization: `OAuth ${tok.body.access_token}` });
    expect(v.body).toMatchObject({ login: 'newbot', user_id: fake.user('newbot')!.id, scopes: ['user:read:chat', 'user:write:chat'] });
    expect((await oauth('POST', '/token', poll)).body.message).toBe('invalid device code');

    // The new token works on Helix.
    expect((await helix('GET', '/users', tok.body.access_token)).body.data[0].login).toBe('newbot');

    // Refresh: a new pair; the used refresh token is rejected afterwards.
    const refresh = { grant_type: 'refresh_token', refresh_token: tok.body.refresh_token, client_id: fake.clientId };
    const refreshed = await oauth('POST', '/token', refresh);
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.access_token).not.toBe(tok.body.access_token);
    expect(refreshed.body.scope).toEqual(['user:read:chat', 'user:write:chat']);
    expect((await oauth('GET', '/validate', undefined, { authorization: `OAuth ${refreshed.body.access_token}` })).body.login).toBe('newbot');
    expect(await oauth('POST', '/token', refresh)).toEqual({ status: 400, body: { error: 'Bad Request', status: 400, message: 'Invalid refresh token' } });

    // No token or code is ever recorded.
    const log = JSON.stringify(fake.requests());
    for (const secret of [tok.body.access_token, tok.body.refresh_token, dev.body.device_code, 'tok-bot']) expect(log).not.toContain(secret);
    expect(fake.requests().map((r) => `${r.method} ${r.path} ${r.status}`)).toContain('POST /oauth2/token 400');
  });

  it('device code grant: denied, and unknown client', async () => {
    const dev = await oauth('POST', '/device', { client_id: fake.clientId, scopes: 'user:read:chat' });
    fake.denyDevice(dev.body.user_code);
    const poll = { client_id: fake.clientId, device_code: dev.body.device_code, grant_type: 'urn:ietf:params:oauth:grant-type:device_code' };
    expect((await oauth('POST', '/token', poll)).body.message).toBe('access_denied');
    expect((await oauth('POST', '/device', { client_id: 'someone-else', scopes: '' })).status).toBe(400);
    expect(() => fake.approveDevice('NOSUCHCD', { login: 'x' })).toThrow(/no pending device/);
  });
});
