import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SS_ERR_TWITCH_AUTH, SS_ERR_TWITCH_HELIX_FAILED } from '../src/errors.js';
import { SS_ERR_TWITCH_REDEMPTION_FORBIDDEN } from '../src/helix/errors.js';
import { HelixRedemptions } from '../src/helix/redemptions.js';
import { validateToken } from '../src/helix/scopes.js';

/**
 * A local Twitch: "Update Redemption Status" (only rewards created by our
 * client id, only UNFULFILLED redemptions) and "Validating requests".
 */
async function fakeTwitch() {
  const requests: { method: string; url: URL; headers: IncomingMessage['headers']; body: any }[] = [];
  const rewards = new Map([['reward-ours', 'client-abc'], ['reward-theirs', 'other-client']]);
  const redemptions = new Map([['red-1', { reward: 'reward-ours', status: 'UNFULFILLED' }], ['red-2', { reward: 'reward-theirs', status: 'UNFULFILLED' }]]);
  const tokens = new Map<string, Record<string, unknown>>([
    ['tok-user', { client_id: 'client-abc', login: 'daniel', scopes: ['channel:manage:redemptions', 'user:read:chat'], user_id: '1001', expires_in: 14000 }],
    ['tok-app', { client_id: 'client-abc', scopes: [], expires_in: 5000000 }],
  ]);
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const url = new URL(req.url!, 'http://x');
      const body = raw === '' ? undefined : JSON.parse(raw);
      requests.push({ method: req.method!, url, headers: req.headers, body });
      const send = (s: number, b: unknown) => res.writeHead(s, { 'content-type': 'application/json' }).end(JSON.stringify(b));
      if (url.pathname === '/oauth2/validate') {
        const info = tokens.get(String(req.headers.authorization).replace(/^OAuth /, ''));
        if (info === undefined) return send(401, { status: 401, message: 'invalid access token' });
        return send(200, info);
      }
      if (req.method === 'PATCH' && url.pathname === '/helix/channel_points/custom_rewards/redemptions') {
        const info = tokens.get(String(req.headers.authorization).replace(/^Bearer /, ''));
        if (info === undefined) return send(401, { error: 'Unauthorized', status: 401, message: 'Invalid OAuth token' });
        const reward = url.searchParams.get('reward_id')!;
        if (rewards.get(reward) !== req.headers['client-id']) {
          return send(403, { error: 'Forbidden', status: 403, message: 'The ID in the Client-Id header must match the client ID used to create the custom reward.' });
        }
        const redemption = redemptions.get(url.searchParams.get('id')!);
        if (redemption === undefined || redemption.status !== 'UNFULFILLED') return send(404, { error: 'Not Found', status: 404, message: 'redemption not found' });
        redemption.status = body.status;
        return send(200, { data: [{ broadcaster_id: url.searchParams.get('broadcaster_id'), id: url.searchParams.get('id'), user_id: '3003', user_login: 'viewer', user_name: 'Viewer', user_input: 'hydrate!', status: body.status, redeemed_at: '2026-12-05T08:00:00Z', reward: { id: reward, title: 'Hydrate', prompt: '', cost: 100 } }] });
      }
      send(404, { status: 404, message: 'no route' });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { base, requests, redemptions, close: () => new Promise<void>((r) => server.close(() => r())) };
}

let twitch: Awaited<ReturnType<typeof fakeTwitch>>;
afterEach(async () => twitch?.close());

const client = (token = 'tok-user') => new HelixRedemptions({ helixUrl: `${twitch.base}/helix`, clientId: 'client-abc', tokens: { token: () => token }, creatorId: 'daniel' });

describe('HelixRedemptions.updateRedemption', () => {
  it('PATCHes the redemption with its ids in the query and the status in the body', async () => {
    twitch = await fakeTwitch();
    const updated = await client().updateRedemption({ broadcasterId: '1001', rewardId: 'reward-ours', redemptionId: 'red-1', status: 'FULFILLED' });
    expect(updated).toEqual({ id: 'red-1', rewardId: 'reward-ours', status: 'FULFILLED', userId: '3003', userLogin: 'viewer', userInput: 'hydrate!', redeemedAt: '2026-12-05T08:00:00Z' });
    const [request] = twitch.requests;
    expect(request!.method).toBe('PATCH');
    expect(Object.fromEntries(request!.url.searchParams)).toEqual({ id: 'red-1', broadcaster_id: '1001', reward_id: 'reward-ours' });
    expect(request!.body).toEqual({ status: 'FULFILLED' });
    expect(request!.headers['client-id']).toBe('client-abc');
    expect(twitch.redemptions.get('red-1')!.status).toBe('FULFILLED');
  });

  it('a reward created by another client id answers 403: SS_ERR_TWITCH_REDEMPTION_FORBIDDEN saying so', async () => {
    twitch = await fakeTwitch();
    const error = await client().updateRedemption({ broadcasterId: '1001', rewardId: 'reward-theirs', redemptionId: 'red-2', status: 'CANCELED' }).catch((e) => e);
    expect(SS_ERR_TWITCH_REDEMPTION_FORBIDDEN.is(error)).toBe(true);
    expect(error.message).toContain('reward-theirs');
    expect(error.hint).toMatch(/created/);
    expect(error.details).toMatchObject({ status: 403, rewardId: 'reward-theirs', redemptionId: 'red-2' });
    expect(twitch.redemptions.get('red-2')!.status).toBe('UNFULFILLED');
  });

  it('a redemption already fulfilled answers 404: SS_ERR_TWITCH_HELIX_FAILED with the hint', async () => {
    twitch = await fakeTwitch();
    await client().updateRedemption({ broadcasterId: '1001', rewardId: 'reward-ours', redemptionId: 'red-1', status: 'FULFILLED' });
    const error = await client().updateRedemption({ broadcasterId: '1001', rewardId: 'reward-ours', redemptionId: 'red-1', status: 'CANCELED' }).catch((e) => e);
    expect(SS_ERR_TWITCH_HELIX_FAILED.is(error)).toBe(true);
    expect(error.details).toMatchObject({ status: 404 });
    expect(error.hint).toContain('UNFULFILLED');
  });

  it('an invalid token without refresh is SS_ERR_TWITCH_AUTH', async () => {
    twitch = await fakeTwitch();
    const error = await client('tok-gone').updateRedemption({ broadcasterId: '1001', rewardId: 'reward-ours', redemptionId: 'red-1', status: 'FULFILLED' }).catch((e) => e);
    expect(SS_ERR_TWITCH_AUTH.is(error)).toBe(true);
    expect(error.message).not.toContain('tok-gone');
  });

  it('refuses a status other than FULFILLED / CANCELED before calling Twitch', async () => {
    twitch = await fakeTwitch();
    const error = await client().updateRedemption({ broadcasterId: '1001', rewardId: 'reward-ours', redemptionId: 'red-1', status: 'UNFULFILLED' as never }).catch((e) => e);
    expect(SS_ERR_TWITCH_HELIX_FAILED.is(error)).toBe(true);
    expect(twitch.requests).toHaveLength(0);
  });
});

describe('validateToken', () => {
  it('returns login, user id, client id, scopes and expiry of a user token (oauth: prefix dropped)', async () => {
    twitch = await fakeTwitch();
    await expect(validateToken(`${twitch.base}/oauth2`, 'oauth:tok-user')).resolves.toEqual({
      login: 'daniel', userId: '1001', clientId: 'client-abc', scopes: ['channel:manage:redemptions', 'user:read:chat'], expiresIn: 14000,
    });
    expect(twitch.requests[0]!.headers.authorization).toBe('OAuth tok-user');
  });

  it('an app token has no login or user id', async () => {
    twitch = await fakeTwitch();
    const info = await validateToken(`${twitch.base}/oauth2`, 'tok-app');
    expect(info).toEqual({ clientId: 'client-abc', scopes: [], expiresIn: 5000000 });
  });

  it('401 is SS_ERR_TWITCH_AUTH naming the subject, never the token', async () => {
    twitch = await fakeTwitch();
    const error = await validateToken(`${twitch.base}/oauth2`, 'tok-revoked', { subject: 'daniel' }).catch((e) => e);
    expect(SS_ERR_TWITCH_AUTH.is(error)).toBe(true);
    expect(error.message).toContain('daniel');
    expect(error.message).toContain('invalid access token');
    expect(JSON.stringify({ m: error.message, d: error.details })).not.toContain('tok-revoked');
  });
});
