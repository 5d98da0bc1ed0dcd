import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MemoryStateStore } from '@streamsuites/defaults';
import { createLogger, EventBus, rateLimitGovernorRef, stateStoreRef, systemClock, type ChatMessage, type EventPayload } from '@streamsuites/kernel';
import { startTestKernel } from '@streamsuites/testing';
import { afterEach, describe, expect, it } from 'vitest';
import twitchPlugin from '../src/index.js';
import { joined, twitchChat } from './chat-helpers.js';
import { startFakeTwitchChat, type FakeTwitchChat } from '../src/testing.js';

const TOKEN = 'abcdefghijklmnopqrstuvwxyz0123';
const fakes: FakeTwitchChat[] = [];
afterEach(async () => {
  for (const fake of fakes.splice(0)) await fake.close();
});

async function fakeChat() {
  const fake = await startFakeTwitchChat();
  fakes.push(fake);
  return fake;
}


describe('plugin-twitch end to end', () => {
  it('chat from the server reaches the bus normalized, and a trigger reply reaches the channel', async () => {
    const fake = await fakeChat();
    const t = await startTestKernel({
      plugins: [twitchPlugin],
      env: { TWITCH_TOKEN: TOKEN },
      manifest: {
        plugins: { twitch: { config: { chatUrl: fake.url } } },
        creators: {
          alice: {
            enable: ['twitch'],
            config: { twitch: { channel: 'alice', botLogin: 'ssbot', token: '${env:TWITCH_TOKEN}' } },
            triggers: [{ type: 'command', params: { command: '!hello' }, actions: [{ type: 'chat.reply', params: { text: 'hi {user}!' } }] }],
          },
        },
      },
    });
    await fake.until(() => fake.clients().filter((c) => c.registered && c.channels.includes('alice')).length === 2, { message: 'two connections (redundancy 2 by default)' });
    // Both logins and JOINs were taken from the kernel's governor under the bot account's keys (Twitch: 20 per 10 s).
    const limits = t.kernel.resolve(rateLimitGovernorRef).snapshot().filter((l) => l.key.startsWith('twitch.'));
    expect(limits.map((l) => [l.key, l.used, l.policy.capacity])).toEqual([['twitch.auth:ssbot', 2, 20], ['twitch.join:ssbot', 2, 20]]);
    const id = fake.say('alice', 'viewer', '!hello there');
    const message = await t.events.waitFor('chat.message', (m) => m.id === id);
    expect(message).toMatchObject({ platform: 'twitch', creatorId: 'alice', channel: 'alice', text: '!hello there', author: { login: 'viewer' } });
    await fake.until(() => fake.sent('alice').length > 0);
    expect(fake.sent('alice')).toEqual([`hi ${message.author.displayName}!`]);
    expect(t.logs.text()).not.toContain(TOKEN);
    await t.stop();
  });
});

const connection = twitchChat;

describe('a server that re-sends after a reconnect (one connection)', () => {
  it('5,000 messages, 10 dropped connections, the last 50 re-sent after each: every message once, each drop a chat.gap', async () => {
    const fake = await fakeChat();
    const bus = new EventBus();
    const counts = new Map<string, number>();
    bus.on('chat.message', (m: ChatMessage) => void counts.set(m.id, (counts.get(m.id) ?? 0) + 1));
    const gaps: EventPayload<'chat.gap'>[] = [];
    bus.on('chat.gap', (g) => void gaps.push(g));
    // One connection: a drop is a real gap (the zero-loss case, two connections and no re-send, is in redundancy.test.ts).
    const chat = connection(fake, bus, { redundancy: 1 });
    await chat.start();
    await fake.until(joined(fake, 'alice'));
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const drops = new Set<number>();
    while (drops.size < 10) drops.add(100 + Math.floor(random() * 4800));
    const sent: { id: string; user: string; text: string }[] = [];
    for (let i = 0; i < 5000; i++) {
      const user = `user${i % 97}`;
      const text = `message ${i}`;
      sent.push({ id: fake.say('alice', user, text), user, text });
      if (drops.has(i)) {
        const before = fake.connections();
        fake.disconnectAll();
        // The client's next connection, registered and joined again.
        await fake.until(() => fake.connections() > before && joined(fake, 'alice')(), { timeoutMs: 10_000, message: 'rejoin after drop' });
        // As some servers do: the last 50 messages again, same ids. Each one the client already has must be dropped.
        for (const { id, user: u, text: x } of sent.slice(-50)) fake.say('alice', u, x, { id });
      }
      // Let the socket drain every 20 messages, as real traffic would: at a drop, fewer
      // than the 50 re-sent messages can be in flight and lost with the socket.
      if (i % 20 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    await fake.until(() => sent.every(({ id }) => counts.has(id)), { timeoutMs: 15_000, message: 'every message delivered' }).catch((error: Error) => {
      const missing = sent.map((s, i) => [i, s.id] as const).filter(([, id]) => !counts.has(id));
      throw new Error(`${error.message}: ${missing.length} missing, first at ${missing.slice(0, 5).map(([i]) => i).join(',')}; drops at ${[...drops].sort((a, b) => a - b).join(',')}; delivered ${counts.size}`);
    });
    expect(counts.size).toBe(5000);
    // Checked by letting every id through (seen.add always true): duplicates reach the bus.
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(chat.stats.duplicates).toBeGreaterThan(0);
    expect(fake.connections()).toBe(11);
    // Nothing silent: with one connection every drop is a window without chat, reported with its bounds.
    expect(gaps).toHaveLength(10);
    for (const gap of gaps) expect(gap).toMatchObject({ creatorId: 'alice', platform: 'twitch', channel: 'alice', resumed: true });
    expect(gaps.every((g) => g.from <= g.to)).toBe(true);
    await chat.stop();
  }, 60_000);
});

describe('auth circuit breaker', () => {
  it('a rejected token without refresh credentials: one attempt, then platform.auth-failed with SS_ERR_TWITCH_AUTH', async () => {
    const fake = await fakeChat();
    fake.setValidTokens(['someothertoken0000000000000']);
    const bus = new EventBus();
    const failed = bus.waitFor('platform.auth-failed', undefined, { timeout: 5000 });
    const states: string[] = [];
    bus.on('platform.connection', (e) => void states.push(e.state));
    const chat = connection(fake, bus);
    await chat.start();
    expect(await failed).toMatchObject({ creatorId: 'alice', platform: 'twitch', error: { code: 'SS_ERR_TWITCH_AUTH' } });
    // Straight from connecting to auth-failed: a refused login is not a connection being retried (checked by
    // letting TwitchChat report a link's auth-failed state as any other: 'reconnecting' in between).
    expect(states).toEqual(['connecting', 'auth-failed']);
    // Stopped for good: no connection left and none scheduled (checked by re-arming a retry in #onAuthRejected: fails).
    expect(chat.state).toBe('auth-failed');
    expect({ links: chat.links.length, retryPending: chat.retryPending, connections: fake.connections() }).toEqual({ links: 0, retryPending: false, connections: 1 });
  });

  it('with refresh credentials: one refresh and one more attempt (2 in all), then the coded error', async () => {
    const fake = await fakeChat();
    fake.setValidTokens(['someothertoken0000000000000']);
    const bus = new EventBus();
    let refreshes = 0;
    const failed = bus.waitFor('platform.auth-failed', undefined, { timeout: 5000 });
    const chat = connection(fake, bus, { refreshToken: async () => (refreshes++, 'stillwrongtoken000000000000') });
    await chat.start();
    await failed;
    expect({ refreshes, connections: fake.connections(), links: chat.links.length, retryPending: chat.retryPending }).toEqual({ refreshes: 1, connections: 2, links: 0, retryPending: false });
  });

  it('a refreshed token that works logs in', async () => {
    const fake = await fakeChat();
    fake.setValidTokens(['goodtoken00000000000000000']);
    const bus = new EventBus();
    const chat = connection(fake, bus, { refreshToken: async () => 'goodtoken00000000000000000' });
    await chat.start();
    await fake.until(joined(fake, 'alice'));
    expect(chat.state).toBe('connected');
    await chat.stop();
  });
});

describe('server RECONNECT', () => {
  it('reconnects at once (no backoff) and rejoins', async () => {
    const fake = await fakeChat();
    const bus = new EventBus();
    // A backoff far longer than the test's deadline: only an immediate reconnect can pass.
    const chat = connection(fake, bus, { backoff: { initialMs: 60_000, maxMs: 60_000, factor: 2, jitter: 0 } });
    await chat.start();
    await fake.until(joined(fake, 'alice'));
    const before = fake.connections();
    fake.sendReconnect({ closeAfterMs: 1000 });
    await fake.until(() => fake.connections() > before && joined(fake, 'alice')(), { timeoutMs: 3000 });
    const id = fake.say('alice', 'viewer', 'still here');
    await bus.waitFor('chat.message', (m) => m.id === id, { timeout: 3000 });
    await chat.stop();
  });
});

describe('PING watchdog', () => {
  it('a server that stops answering PING is dropped and the connection comes back', async () => {
    const fake = await fakeChat();
    const bus = new EventBus();
    const chat = connection(fake, bus, { pingIntervalMs: 300, pingTimeoutMs: 300 });
    await chat.start();
    await fake.until(joined(fake, 'alice'));
    const before = fake.connections();
    fake.stallPongs(true);
    await fake.until(() => fake.connections() > before && joined(fake, 'alice')(), { timeoutMs: 5000, message: 'reconnect after a dead socket' });
    expect(fake.receivedLines().some((l) => l.line === 'PING :streamsuites-watchdog')).toBe(true);
    fake.stallPongs(false);
    const id = fake.say('alice', 'viewer', 'alive again');
    await bus.waitFor('chat.message', (m) => m.id === id, { timeout: 3000 });
    await chat.stop();
  });
});

describe('sending across a reconnect', () => {
  it('a line said while the connection is down waits for the next connection and arrives once', async () => {
    const fake = await fakeChat();
    const bus = new EventBus();
    const states: string[] = [];
    bus.on('platform.connection', (e) => void states.push(`${e.platform}:${e.creatorId}:${e.state}:${e.attempt}`));
    const chat = connection(fake, bus, { backoff: { initialMs: 200, maxMs: 200, factor: 1, jitter: 0 } });
    await chat.start();
    await fake.until(joined(fake, 'alice'));
    fake.disconnectAll();
    await fake.until(() => chat.state === 'reconnecting', { message: 'the client noticed the drop' });
    const said = chat.say('back soon');
    await said;
    expect(chat.state).toBe('connected');
    await fake.until(() => fake.sent('alice').length > 0);
    expect(fake.sent('alice')).toEqual(['back soon']);
    await chat.stop();
    expect(states).toEqual([
      'twitch:alice:connecting:1',
      'twitch:alice:connected:1',
      'twitch:alice:reconnecting:1',
      'twitch:alice:connecting:2',
      'twitch:alice:connected:2',
      'twitch:alice:stopped:2',
    ]);
  });

  it('a waiting line fails with SS_ERR_TWITCH_NOT_CONNECTED when the connection stops, and aborts with its signal', async () => {
    const fake = await fakeChat();
    const bus = new EventBus();
    const chat = connection(fake, bus, { backoff: { initialMs: 60_000, maxMs: 60_000, factor: 1, jitter: 0 } });
    await chat.start();
    await fake.until(joined(fake, 'alice'));
    fake.disconnectAll();
    await fake.until(() => chat.state === 'reconnecting');
    const controller = new AbortController();
    const aborted = chat.say('never', controller.signal);
    const stopped = chat.say('never either');
    controller.abort(new Error('gave up'));
    await expect(aborted).rejects.toThrow('gave up');
    await chat.stop();
    await expect(stopped).rejects.toMatchObject({ code: 'SS_ERR_TWITCH_NOT_CONNECTED' });
    expect(fake.sent('alice')).toEqual([]);
  });
});

describe('refreshed tokens survive a restart', () => {
  /** A local OAuth token endpoint that hands out `good` and rotates the refresh token. */
  async function fakeOAuth(good: string) {
    const calls: URLSearchParams[] = [];
    const server = createServer((req, res) => {
      // transport "auto" with a clientId asks /validate for the token's scopes: unknown here, so IRC.
      if (req.url?.endsWith('/validate')) return void res.writeHead(401, { 'content-type': 'application/json' }).end('{"status":401,"message":"invalid access token"}');
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        const form = new URLSearchParams(body);
        calls.push(form);
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: good, refresh_token: `rotated-refresh-${calls.length}`, expires_in: 14400, scope: ['chat:read', 'chat:edit'], token_type: 'bearer' }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/oauth2`;
    return { url, calls, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
  }

  it('the token refreshed after a rejected login is stored and used at the next start; a new configured token wins', async () => {
    const GOOD = 'refreshedgoodtoken00000000';
    const fake = await fakeChat();
    fake.setValidTokens([GOOD]);
    const oauth = await fakeOAuth(GOOD);
    const store = new MemoryStateStore();
    const start = (token: string) => startTestKernel({
      plugins: [twitchPlugin],
      services: [{ ref: stateStoreRef, factory: () => store }],
      env: { TWITCH_TOKEN: token, TWITCH_REFRESH: 'initial-refresh-token', TWITCH_SECRET: 'client-secret-value' },
      manifest: {
        plugins: { twitch: { config: { chatUrl: fake.url, oauthUrl: oauth.url } } },
        creators: {
          alice: {
            enable: ['twitch'],
            config: { twitch: { channel: 'alice', botLogin: 'ssbot', token: '${env:TWITCH_TOKEN}', clientId: 'cid', clientSecret: '${env:TWITCH_SECRET}', refreshToken: '${env:TWITCH_REFRESH}' } },
          },
        },
      },
    });
    try {
      const first = await start(TOKEN);
      await fake.until(joined(fake, 'alice'), { message: 'joined after the refresh' });
      // Two connections (redundancy 2), both refused: one refresh shared by both (checked by calling the
      // token endpoint per connection: 2 refreshes), then each logs in again with the new token.
      await fake.until(() => fake.clients().filter((c) => c.registered && c.channels.includes('alice')).length === 2, { message: 'both connections joined' });
      expect({ connections: fake.connections(), refreshes: oauth.calls.length }).toEqual({ connections: 4, refreshes: 1 });
      expect(oauth.calls[0]!.get('refresh_token')).toBe('initial-refresh-token');
      expect(first.logs.text()).not.toContain(GOOD);
      expect(first.logs.text()).not.toContain('rotated-refresh-1');
      await first.stop();

      const second = await start(TOKEN);
      await fake.until(() => fake.connections() === 6 && joined(fake, 'alice')(), { message: 'second start joined' });
      expect(oauth.calls.length).toBe(1); // logged in with the stored token, no second refresh
      await second.stop();

      // The operator put a new token in the config: it is used, the stored one is not.
      const NEW = 'operatorsnewtoken000000000';
      fake.setValidTokens([NEW]);
      const third = await start(NEW);
      await fake.until(() => fake.connections() === 8 && joined(fake, 'alice')(), { message: 'third start joined with the new token' });
      expect(oauth.calls.length).toBe(1);
      await third.stop();
    } finally {
      await oauth.close();
    }
  });
});
