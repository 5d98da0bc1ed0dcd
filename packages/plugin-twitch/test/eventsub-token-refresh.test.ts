import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTestKernel } from '@streamsuites/testing';
import { describe, expect, it, onTestFinished } from 'vitest';
import twitchPlugin from '../src/index.js';
import { createSubscription, CHAT_SUBSCRIPTIONS } from '../src/eventsub/subscriptions.js';
import { startFakeTwitchChat, startFakeTwitchEventSub } from '../src/testing.js';

const OLD = 'oldtokenwithoutwritescope0123';
const GOOD = 'refreshedtokenwithwrite012345';

/** A token endpoint that answers every refresh with GOOD. */
async function refreshEndpoint() {
  const refreshes: URLSearchParams[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      if (req.url?.endsWith('/validate')) return void res.writeHead(401, { 'content-type': 'application/json' }).end('{"status":401}');
      refreshes.push(new URLSearchParams(body));
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: GOOD, refresh_token: 'rotated-refresh', expires_in: 14400, token_type: 'bearer' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/oauth2`, refreshes };
}

describe('a refreshed token reaches every Twitch client of the creator', () => {
  it('the API sender refused (401) refreshes once and sends with the new token', async () => {
    const es = await startFakeTwitchEventSub({ minKeepaliveTimeoutSeconds: 1 });
    onTestFinished(() => es.close());
    es.addUser({ login: 'alice', id: '1001' });
    es.addUser({ login: 'ssbot', id: '2002' });
    es.addToken({ token: OLD, userLogin: 'ssbot', scopes: ['user:read:chat'] }); // reads, but may not send
    es.addToken({ token: GOOD, userLogin: 'ssbot', scopes: ['user:read:chat', 'user:write:chat'] });
    const irc = await startFakeTwitchChat();
    onTestFinished(() => irc.close());
    const oauth = await refreshEndpoint();
    const t = await startTestKernel({
      plugins: [twitchPlugin],
      env: { OLD_TOKEN: OLD },
      manifest: {
        plugins: { twitch: { config: { chatUrl: irc.url, eventsubUrl: es.wsUrl, helixUrl: es.helixUrl, oauthUrl: oauth.url, eventsubKeepaliveSec: 1 } } },
        creators: {
          alice: {
            enable: ['twitch'],
            config: { twitch: { channel: 'alice', botLogin: 'ssbot', token: '${env:OLD_TOKEN}', clientId: es.clientId, clientSecret: 'secret-value-1', refreshToken: 'refresh-value-1', transport: 'eventsub' } },
            triggers: [{ type: 'command', params: { command: '!hello' }, actions: [{ type: 'chat.reply', params: { text: 'hi {user}!' } }] }],
          },
        },
      },
    });
    await es.until(() => es.subscriptions().filter((s) => s.status === 'enabled').length === 6, { message: 'subscribed with the old token' });
    es.emitChat({ broadcaster: 'alice', chatter: 'anna', text: '!hello' });
    await es.until(() => es.sentMessages().length === 1, { message: 'sent after the refresh' });
    expect(es.sentMessages()[0]).toMatchObject({ senderId: '2002', text: 'hi anna!', isSent: true });
    expect(oauth.refreshes.map((r) => r.get('refresh_token'))).toEqual(['refresh-value-1']);
    expect(t.events.of('action.failed')).toEqual([]);
    expect(t.logs.text()).not.toContain(GOOD);
    await t.stop();
  });

  it('subscriptions use the token as it is at the time of the request', async () => {
    const es = await startFakeTwitchEventSub({ minKeepaliveTimeoutSeconds: 1 });
    onTestFinished(() => es.close());
    es.addUser({ login: 'alice', id: '1001' });
    es.addUser({ login: 'ssbot', id: '2002' });
    es.addToken({ token: GOOD, userLogin: 'ssbot', scopes: ['user:read:chat'] });
    let current = 'unknowntoken00000000000000000';
    const access = { helixUrl: es.helixUrl, clientId: es.clientId, token: () => current };
    const spec = CHAT_SUBSCRIPTIONS[0]!;
    await expect(createSubscription(access, spec, { broadcasterId: '1001', userId: '2002' }, 'no-session')).rejects.toMatchObject({ code: 'SS_ERR_TWITCH_EVENTSUB_SUBSCRIBE', message: expect.stringContaining('HTTP 401') });
    current = GOOD;
    // Now the token is accepted: the next refusal is about the session, not the token.
    await expect(createSubscription(access, spec, { broadcasterId: '1001', userId: '2002' }, 'no-session')).rejects.toMatchObject({ message: expect.not.stringContaining('HTTP 401') });
  });
});
