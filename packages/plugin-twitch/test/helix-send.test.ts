import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StreamSuitesError, type RateLimitGovernor } from '@streamsuites/kernel';
import { afterEach, describe, expect, it } from 'vitest';
import { SS_ERR_TWITCH_AUTH, SS_ERR_TWITCH_HELIX_FAILED, SS_ERR_TWITCH_SEND_DROPPED } from '../src/errors.js';
import { HelixChatSender, type HelixChatSenderOptions } from '../src/helix/chat-send.js';
import { SS_ERR_TWITCH_RATE_LIMITED } from '../src/helix/errors.js';

/**
 * A local Helix answering "Send Chat Message" as Twitch documents it:
 * 200 `{ data: [{ message_id, is_sent, drop_reason }] }`, 401
 * `{ error, status, message }`, 429 with `Ratelimit-Reset` (epoch seconds).
 */
interface Scripted { status: number; body: unknown; headers?: Record<string, string> }
async function fakeHelix() {
  const requests: { method: string; path: string; headers: IncomingMessage['headers']; body: any }[] = [];
  const script: Scripted[] = [];
  const validTokens = new Set(['user-token-1']);
  let ids = 0;
  const server = createServer((req, res: ServerResponse) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const body = raw === '' ? undefined : JSON.parse(raw);
      requests.push({ method: req.method!, path: req.url!, headers: req.headers, body });
      const send = (s: number, b: unknown, h: Record<string, string> = {}) =>
        res.writeHead(s, { 'content-type': 'application/json', ...h }).end(JSON.stringify(b));
      const token = String(req.headers.authorization ?? '').replace(/^Bearer /, '');
      if (req.headers['client-id'] !== 'client-abc' || !validTokens.has(token)) {
        send(401, { error: 'Unauthorized', status: 401, message: 'Invalid OAuth token' });
        return;
      }
      const next = script.shift();
      if (next !== undefined) {
        send(next.status, next.body, next.headers);
        return;
      }
      if (req.method === 'POST' && req.url === '/helix/chat/messages') {
        ids += 1;
        send(200, { data: [{ message_id: `msg-${ids}`, is_sent: true, drop_reason: null }] });
        return;
      }
      send(404, { error: 'Not Found', status: 404, message: 'no such route' });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/helix`;
  return { url, requests, script, validTokens, close: () => new Promise<void>((r) => server.close(() => r())) };
}

let helix: Awaited<ReturnType<typeof fakeHelix>>;
afterEach(async () => helix?.close());

function sender(overrides: Partial<HelixChatSenderOptions> = {}) {
  return new HelixChatSender({
    helixUrl: helix.url,
    clientId: 'client-abc',
    tokenKind: 'user',
    tokens: { token: () => 'user-token-1' },
    creatorId: 'daniel',
    ...overrides,
  });
}

async function rejection(promise: Promise<unknown>): Promise<StreamSuitesError> {
  try {
    await promise;
  } catch (error) {
    return error as StreamSuitesError;
  }
  throw new Error('expected a rejection');
}

describe('HelixChatSender', () => {
  it('posts Send Chat Message with Client-Id and the bearer token, and returns the message id', async () => {
    helix = await fakeHelix();
    const result = await sender().send({ broadcasterId: '1001', senderId: '2002', text: 'hello chat', replyParentMessageId: 'parent-9' });
    expect(result).toEqual({ messageId: 'msg-1', messageIds: ['msg-1'] });
    expect(helix.requests).toHaveLength(1);
    const [request] = helix.requests;
    expect(request!.headers.authorization).toBe('Bearer user-token-1');
    expect(request!.headers['client-id']).toBe('client-abc');
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.body).toEqual({ broadcaster_id: '1001', sender_id: '2002', message: 'hello chat', reply_parent_message_id: 'parent-9' });
  });

  it('splits text over 500 characters like IRC replies and sends the chunks in order', async () => {
    helix = await fakeHelix();
    const words = Array.from({ length: 250 }, (_, i) => `w${String(i).padStart(3, '0')}`).join(' '); // 1249 chars
    const result = await sender().send({ broadcasterId: '1001', senderId: '2002', text: words });
    expect(result.messageIds).toEqual(['msg-1', 'msg-2', 'msg-3']);
    const sent = helix.requests.map((r) => r.body.message as string);
    expect(sent.every((m) => [...m].length <= 500)).toBe(true);
    expect(sent.join(' ')).toBe(words);
    expect(helix.requests.every((r) => r.body.reply_parent_message_id === undefined)).toBe(true);
  });

  it.each([
    ['msg_duplicate', 'This message is identical to the previous one you sent, less than 30 seconds ago.', false],
    ['msg_rejected_automod', 'Your message is being checked by mods and has not been sent.', false],
    ['msg_channel_settings', 'Your message was not sent because of the channel settings.', false],
    ['msg_followersonly', 'This room is in followers-only mode.', false],
    ['msg_ratelimit', 'Your message was not sent because you are sending messages too quickly.', true],
    ['msg_slowmode', 'This room is in slow mode and you are sending messages too quickly.', true],
  ])('is_sent false with %s → SS_ERR_TWITCH_SEND_DROPPED, retryable %s', async (code, message, retryable) => {
    helix = await fakeHelix();
    helix.script.push({ status: 200, body: { data: [{ message_id: '', is_sent: false, drop_reason: { code, message } }] } });
    const error = await rejection(sender().send({ broadcasterId: '1001', senderId: '2002', text: 'hi' }));
    expect(SS_ERR_TWITCH_SEND_DROPPED.is(error)).toBe(true);
    expect(error.details).toMatchObject({ transport: 'helix', reason: code, serverText: message, retryable, broadcasterId: '1001' });
    expect(error.message).toContain(code);
  });

  it('a drop after the first chunk names the chunks already sent', async () => {
    helix = await fakeHelix();
    helix.script.push({ status: 200, body: { data: [{ message_id: 'first', is_sent: true }] } });
    helix.script.push({ status: 200, body: { data: [{ message_id: '', is_sent: false, drop_reason: { code: 'msg_duplicate', message: 'dup' } }] } });
    const error = await rejection(sender().send({ broadcasterId: '1001', senderId: '2002', text: `${'a '.repeat(300)}` }));
    expect(error.details).toMatchObject({ reason: 'msg_duplicate', sentMessageIds: ['first'] });
  });

  it('a 401 refreshes the token once and retries with the new one', async () => {
    helix = await fakeHelix();
    helix.validTokens.clear();
    helix.validTokens.add('user-token-2');
    let current = 'user-token-1';
    let refreshes = 0;
    const s = sender({ tokens: { token: () => current, refresh: async () => { refreshes += 1; current = 'user-token-2'; return current; } } });
    await expect(s.send({ broadcasterId: '1001', senderId: '2002', text: 'hi' })).resolves.toMatchObject({ messageId: 'msg-1' });
    expect(refreshes).toBe(1);
    expect(helix.requests.map((r) => r.headers.authorization)).toEqual(['Bearer user-token-1', 'Bearer user-token-2']);
  });

  it('a 401 after the refresh, or without a refresh, is SS_ERR_TWITCH_AUTH and never shows the token', async () => {
    helix = await fakeHelix();
    helix.validTokens.clear();
    let refreshes = 0;
    const withRefresh = sender({ tokens: { token: () => 'user-token-1', refresh: async () => { refreshes += 1; return 'user-token-still-bad'; } } });
    const first = await rejection(withRefresh.send({ broadcasterId: '1001', senderId: '2002', text: 'hi' }));
    expect(SS_ERR_TWITCH_AUTH.is(first)).toBe(true);
    expect(refreshes).toBe(1);
    expect(first.details).toMatchObject({ status: 401, refreshed: true });
    const second = await rejection(sender().send({ broadcasterId: '1001', senderId: '2002', text: 'hi' }));
    expect(SS_ERR_TWITCH_AUTH.is(second)).toBe(true);
    expect(second.message).toContain('daniel');
    for (const error of [first, second]) {
      expect(JSON.stringify({ m: error.message, d: error.details, h: error.hint })).not.toMatch(/user-token/);
    }
  });

  it('a failing refresh is SS_ERR_TWITCH_AUTH caused by the refresh error', async () => {
    helix = await fakeHelix();
    helix.validTokens.clear();
    const boom = new Error('invalid refresh token');
    const error = await rejection(sender({ tokens: { token: () => 'x', refresh: async () => { throw boom; } } }).send({ broadcasterId: '1', senderId: '2', text: 'hi' }));
    expect(SS_ERR_TWITCH_AUTH.is(error)).toBe(true);
    expect(error.cause).toBe(boom);
  });

  it('a 429 waits until Ratelimit-Reset and retries once', async () => {
    helix = await fakeHelix();
    const now = 1_700_000_000_000;
    helix.script.push({ status: 429, body: { error: 'Too Many Requests', status: 429, message: '' }, headers: { 'Ratelimit-Reset': String(now / 1000 + 7), 'Ratelimit-Remaining': '0' } });
    const waits: number[] = [];
    const s = sender({ clock: { now: () => now }, sleep: async (ms) => void waits.push(ms) });
    await expect(s.send({ broadcasterId: '1001', senderId: '2002', text: 'hi' })).resolves.toMatchObject({ messageId: 'msg-1' });
    expect(waits).toEqual([7000]);
    expect(helix.requests).toHaveLength(2);
  });

  it('a 429 whose reset is beyond the wait budget, or a second 429, is SS_ERR_TWITCH_RATE_LIMITED', async () => {
    helix = await fakeHelix();
    const now = 1_700_000_000_000;
    const reset = { 'Ratelimit-Reset': String(now / 1000 + 120) };
    helix.script.push({ status: 429, body: {}, headers: reset });
    const waits: number[] = [];
    const s = sender({ clock: { now: () => now }, sleep: async (ms) => void waits.push(ms), maxRateLimitWaitMs: 60_000 });
    const far = await rejection(s.send({ broadcasterId: '1001', senderId: '2002', text: 'hi' }));
    expect(SS_ERR_TWITCH_RATE_LIMITED.is(far)).toBe(true);
    expect(far.details).toMatchObject({ status: 429, retryAt: now + 120_000, retryable: true });
    expect(waits).toEqual([]);
    helix.script.push({ status: 429, body: {}, headers: { 'Ratelimit-Reset': String(now / 1000 + 1) } });
    helix.script.push({ status: 429, body: {}, headers: { 'Ratelimit-Reset': String(now / 1000 + 1) } });
    const twice = await rejection(s.send({ broadcasterId: '1001', senderId: '2002', text: 'hi' }));
    expect(SS_ERR_TWITCH_RATE_LIMITED.is(twice)).toBe(true);
    expect(waits).toEqual([1000]);
  });

  it('a 5xx is SS_ERR_TWITCH_HELIX_FAILED marked retryable; a 403 for an app token says which scopes', async () => {
    helix = await fakeHelix();
    helix.script.push({ status: 503, body: { error: 'Service Unavailable', status: 503, message: '' } });
    const server = await rejection(sender().send({ broadcasterId: '1001', senderId: '2002', text: 'hi' }));
    expect(SS_ERR_TWITCH_HELIX_FAILED.is(server)).toBe(true);
    expect(server.details).toMatchObject({ status: 503, retryable: true });
    helix.script.push({ status: 403, body: { error: 'Forbidden', status: 403, message: 'The sender must have authorized the app with the user:bot scope' } });
    const forbidden = await rejection(sender({ tokenKind: 'app' }).send({ broadcasterId: '1001', senderId: '2002', text: 'hi' }));
    expect(SS_ERR_TWITCH_HELIX_FAILED.is(forbidden)).toBe(true);
    expect(forbidden.details).toMatchObject({ status: 403, retryable: false });
    expect(forbidden.hint).toContain('channel:bot');
  });

  it('takes each chunk from the shared send key of the rate-limit governor', async () => {
    helix = await fakeHelix();
    const calls: string[] = [];
    const governor = {
      configure: (key: string, policy: { capacity: number }) => void calls.push(`configure ${key} ${policy.capacity}`),
      acquire: async (key: string) => void calls.push(`acquire ${key}`),
    } as unknown as RateLimitGovernor;
    await sender({ rateLimit: { governor, botLogin: 'botty' } }).send({ broadcasterId: '1', senderId: '2', text: `${'b '.repeat(300)}` });
    expect(calls).toEqual(['configure twitch:send:botty 20', 'acquire twitch:send:botty', 'acquire twitch:send:botty']);
  });
});
