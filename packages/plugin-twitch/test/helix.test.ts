import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger, EventBus, type StreamStatus } from '@streamsuites/kernel';
import { afterEach, describe, expect, it } from 'vitest';
import { GoLivePoller, HelixClient } from '../src/helix.js';

/** A local Helix: the client-credentials token endpoint and Get Streams. */
async function fakeHelix() {
  const state = { live: false, title: 'Speedrun', tokens: 0, streamCalls: 0, expireNextToken: false, lastAuth: '' };
  const body = (req: IncomingMessage) => new Promise<string>((resolve) => { let b = ''; req.on('data', (c) => (b += c)); req.on('end', () => resolve(b)); });
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (req.method === 'POST' && url.pathname === '/oauth2/token') {
      const form = new URLSearchParams(await body(req));
      if (form.get('client_secret') !== 'secret-123' || form.get('grant_type') !== 'client_credentials') {
        res.writeHead(403).end('{"status":403,"message":"invalid client secret"}');
        return;
      }
      state.tokens += 1;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: `app-token-${state.tokens}`, expires_in: 5000000, token_type: 'bearer' }));
      return;
    }
    if (req.method === 'GET' && url.pathname === '/helix/streams') {
      state.streamCalls += 1;
      state.lastAuth = String(req.headers.authorization);
      if (state.expireNextToken) {
        state.expireNextToken = false;
        res.writeHead(401).end('{"error":"Unauthorized","status":401,"message":"Invalid OAuth token"}');
        return;
      }
      const data = state.live && url.searchParams.getAll('user_login').includes('alice')
        ? [{ id: '40952121085', user_id: '101051819', user_login: 'alice', user_name: 'Alice', game_id: '509658', game_name: 'Just Chatting', type: 'live', title: state.title, viewer_count: 78365, started_at: '2026-11-27T11:30:00Z', language: 'en', thumbnail_url: 'https://x/{width}x{height}.jpg', tags: [], is_mature: false }]
        : [];
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data, pagination: {} }));
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { state, base: `http://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

describe('go-live through Helix', () => {
  it('emits stream.online with title, category and start, then stream.offline; a 401 renews the app token once', async () => {
    const helix = await fakeHelix();
    closers.push(helix.close);
    const bus = new EventBus();
    const seen: [string, StreamStatus][] = [];
    bus.on('stream.online', (s) => void seen.push(['online', s]));
    bus.on('stream.offline', (s) => void seen.push(['offline', s]));
    const clock = { now: () => Date.UTC(2026, 10, 27, 12) };
    const client = new HelixClient({ helixUrl: `${helix.base}/helix`, oauthUrl: `${helix.base}/oauth2`, clientId: 'cid', clientSecret: 'secret-123', clock });
    const poller = new GoLivePoller({ client, bus, clock, logger: createLogger({ level: 'silent' }), creatorId: 'alice', channel: 'alice' });

    await poller.poll(); // offline at start: nothing to say
    expect(seen).toEqual([]);
    helix.state.live = true;
    await poller.poll();
    await poller.poll(); // still live: no repeat
    expect(seen).toEqual([
      ['online', { creatorId: 'alice', platform: 'twitch', channel: 'alice', at: clock.now(), title: 'Speedrun', category: 'Just Chatting', startedAt: Date.UTC(2026, 10, 27, 11, 30), streamId: '40952121085' }],
    ]);
    expect(helix.state.tokens).toBe(1);
    helix.state.expireNextToken = true;
    helix.state.live = false;
    await poller.poll();
    expect(helix.state.tokens).toBe(2);
    expect(helix.state.lastAuth).toBe('Bearer app-token-2');
    expect(seen.map(([kind]) => kind)).toEqual(['online', 'offline']);
  });

  it('a wrong client secret is a coded error without the secret in it; the poller logs and carries on', async () => {
    const helix = await fakeHelix();
    closers.push(helix.close);
    const clock = { now: () => 0 };
    const client = new HelixClient({ helixUrl: `${helix.base}/helix`, oauthUrl: `${helix.base}/oauth2`, clientId: 'cid', clientSecret: 'wrong-secret-456', clock });
    const error = await client.streams(['alice']).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SS_ERR_TWITCH_HELIX_FAILED', details: { status: 403 } });
    expect(JSON.stringify({ message: (error as Error).message, hint: (error as { hint: string }).hint })).not.toContain('wrong-secret-456');
    const poller = new GoLivePoller({ client, bus: new EventBus(), clock, logger: createLogger({ level: 'silent' }), creatorId: 'alice', channel: 'alice' });
    await expect(poller.poll()).resolves.toBeUndefined();
  });
});
