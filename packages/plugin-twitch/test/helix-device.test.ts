import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { pollDeviceToken, requestDeviceCode, type DeviceCode } from '../src/helix/device-auth.js';
import { SS_ERR_TWITCH_DEVICE_AUTH } from '../src/helix/errors.js';

/**
 * Twitch's Device Code Grant Flow endpoints: `POST /oauth2/device` and
 * `POST /oauth2/token` (grant_type device_code), answering
 * `{ status: 400, message: 'authorization_pending' }` until `outcome` says
 * otherwise, as Twitch documents.
 */
async function fakeOAuth(answers: ({ status: number; body: unknown })[]) {
  const forms: URLSearchParams[] = [];
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const form = new URLSearchParams(raw);
      forms.push(form);
      const send = (s: number, b: unknown) => res.writeHead(s, { 'content-type': 'application/json' }).end(JSON.stringify(b));
      if (req.url === '/oauth2/device') {
        if (form.get('client_id') !== 'client-abc') return send(400, { status: 400, message: 'invalid client' });
        return send(200, { device_code: 'dev-secret-1', expires_in: 1800, interval: 5, user_code: 'ABCDEFGH', verification_uri: 'https://www.twitch.tv/activate?public=true&device-code=ABCDEFGH' });
      }
      if (req.url === '/oauth2/token') {
        if (form.get('device_code') !== 'dev-secret-1' || form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:device_code') {
          return send(400, { status: 400, message: 'invalid device code' });
        }
        const next = answers.shift() ?? { status: 400, body: { status: 400, message: 'authorization_pending' } };
        return send(next.status, next.body);
      }
      send(404, {});
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const oauthUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/oauth2`;
  return { oauthUrl, forms, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const pending = { status: 400, body: { status: 400, message: 'authorization_pending' } };
const approved = { status: 200, body: { access_token: 'acc-1', expires_in: 14124, refresh_token: 'ref-1', scope: ['user:read:chat', 'user:write:chat'], token_type: 'bearer' } };
let oauth: Awaited<ReturnType<typeof fakeOAuth>>;
afterEach(async () => oauth?.close());

async function flow(answers: { status: number; body: unknown }[], clockStart = 0) {
  oauth = await fakeOAuth(answers);
  const options = { oauthUrl: oauth.oauthUrl, clientId: 'client-abc', scopes: ['user:read:chat', 'user:write:chat'] };
  const code = await requestDeviceCode(options);
  let now = clockStart;
  const waits: number[] = [];
  const pendings: string[] = [];
  const poll = pollDeviceToken({
    ...options,
    code,
    clock: { now: () => now },
    sleep: async (ms) => { waits.push(ms); now += ms; },
    onPending: (reason) => pendings.push(reason),
  });
  return { code, poll, waits, pendings };
}

describe('device code flow', () => {
  it('asks for a code with the client id and the scopes space-separated', async () => {
    const { code, poll } = await flow([approved]);
    await poll;
    expect(code).toEqual<DeviceCode>({ deviceCode: 'dev-secret-1', userCode: 'ABCDEFGH', verificationUri: 'https://www.twitch.tv/activate?public=true&device-code=ABCDEFGH', expiresIn: 1800, interval: 5 });
    expect(oauth.forms[0]!.get('scopes')).toBe('user:read:chat user:write:chat');
    expect(oauth.forms[1]!.get('client_id')).toBe('client-abc');
  });

  it('polls at the interval while authorization is pending, then returns the tokens', async () => {
    const { poll, waits, pendings } = await flow([pending, pending, approved]);
    await expect(poll).resolves.toEqual({ accessToken: 'acc-1', refreshToken: 'ref-1', scopes: ['user:read:chat', 'user:write:chat'], expiresIn: 14124 });
    expect(waits).toEqual([5000, 5000, 5000]);
    expect(pendings).toEqual(['authorization_pending', 'authorization_pending']);
  });

  it('slow_down adds 5 s to the interval', async () => {
    const { poll, waits } = await flow([{ status: 400, body: { status: 400, message: 'slow_down' } }, approved]);
    await poll;
    expect(waits).toEqual([5000, 10000]);
  });

  it('an expired code ("invalid device code") is SS_ERR_TWITCH_DEVICE_AUTH expired_token', async () => {
    const { poll } = await flow([pending, { status: 400, body: { status: 400, message: 'invalid device code' } }]);
    const error = await poll.catch((e) => e);
    expect(SS_ERR_TWITCH_DEVICE_AUTH.is(error)).toBe(true);
    expect(error.message).toContain('expired_token');
    expect(error.hint).toMatch(/run the command again/);
  });

  it('stops by itself when expires_in has passed without an answer', async () => {
    const { poll, waits } = await flow(Array.from({ length: 400 }, () => pending));
    const error = await poll.catch((e) => e);
    expect(SS_ERR_TWITCH_DEVICE_AUTH.is(error)).toBe(true);
    expect(error.message).toContain('expired_token');
    expect(waits).toHaveLength(360); // 1800 s / 5 s
  });

  it('a declined authorization is SS_ERR_TWITCH_DEVICE_AUTH access_denied (RFC 8628 error shape too)', async () => {
    const { poll } = await flow([pending, { status: 400, body: { error: 'access_denied', error_description: 'The user denied' } }]);
    const error = await poll.catch((e) => e);
    expect(SS_ERR_TWITCH_DEVICE_AUTH.is(error)).toBe(true);
    expect(error.message).toContain('access_denied');
    expect(error.message).not.toContain('dev-secret-1');
  });

  it('a refused client id is a coded error at the device request', async () => {
    oauth = await fakeOAuth([]);
    const error = await requestDeviceCode({ oauthUrl: oauth.oauthUrl, clientId: 'nope', scopes: [] }).catch((e) => e);
    expect(SS_ERR_TWITCH_DEVICE_AUTH.is(error)).toBe(true);
    expect(error.message).toContain('invalid client');
  });
});
