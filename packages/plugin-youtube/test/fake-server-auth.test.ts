/**
 * Who may call the fake: API keys, Bearer tokens and the OAuth token
 * endpoint, through the real @googleapis/youtube client and its OAuth2 client.
 */
import { youtube } from '@googleapis/youtube';
import { describe, expect, it } from 'vitest';
import { advanceClock, CHANNEL, failure, fake, keys, oauthClient, start } from './fake-server-harness.js';

describe('API keys and auth', () => {
  it('an unknown key is 400 keyInvalid; no key and no token is 403', async () => {
    const b = fake.goLive({ channelId: CHANNEL });
    const bad = youtube({ version: 'v3', rootUrl: fake.url, auth: 'AIzaSy-not-a-key', retry: false });
    const f = await failure(bad.videos.list({ part: ['id'], id: [b.videoId] }));
    expect(f).toMatchObject({ status: 400, reason: 'keyInvalid' });
    expect((f.body as { error: { message: string } }).error.message).toBe('API key not valid. Please pass a valid API key.');
    const none = youtube({ version: 'v3', rootUrl: fake.url, retry: false });
    expect(await failure(none.videos.list({ part: ['id'], id: [b.videoId] }))).toMatchObject({ status: 403, reason: 'forbidden' });
    expect(fake.unitsUsed()).toBe(0);
    expect(fake.calls()['videos.list']).toBe(2);
  });

  it('apiKeys: null accepts any key; a Bearer token alone is enough for public endpoints', async () => {
    await start({ apiKeys: null });
    const b = fake.goLive({ channelId: CHANNEL });
    const any = youtube({ version: 'v3', rootUrl: fake.url, auth: 'whatever', retry: false });
    expect((await any.videos.list({ part: ['id'], id: [b.videoId] })).data.items).toHaveLength(1);
    const token = fake.issueAccessToken();
    const res = await fetch(`${fake.url}youtube/v3/videos?part=id&id=${b.videoId}`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
  });
});

describe('OAuth token endpoint', () => {
  it('refreshes: access_token, expires_in, token_type', async () => {
    const { client } = oauthClient();
    const { credentials } = await client.refreshAccessToken();
    expect(credentials.access_token).toMatch(/^ya29\./);
    expect(credentials.token_type).toBe('Bearer');
    expect(credentials.expiry_date).toBeGreaterThan(Date.now());
    const raw = await fetch(fake.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', client_id: fake.credentials.clientId, client_secret: fake.credentials.clientSecret, refresh_token: fake.credentials.refreshToken }),
    });
    expect(raw.status).toBe(200);
    expect(keys((await raw.json()) as object)).toEqual(['access_token', 'expires_in', 'scope', 'token_type']);
    expect(fake.unitsUsed()).toBe(0);
  });

  it('wrong secret → 401 invalid_client; unknown or revoked refresh token → 400 invalid_grant', async () => {
    expect(await failure(oauthClient({ clientSecret: 'wrong' }).client.refreshAccessToken())).toMatchObject({ status: 401, reason: 'invalid_client' });
    expect(await failure(oauthClient({ refreshToken: 'nope' }).client.refreshAccessToken())).toMatchObject({ status: 400, reason: 'invalid_grant' });
    fake.revokeRefreshToken(fake.credentials.refreshToken);
    const revoked = await failure(oauthClient().client.refreshAccessToken());
    expect(revoked).toMatchObject({ status: 400, reason: 'invalid_grant' });
    expect(revoked.body).toEqual({ error: 'invalid_grant', error_description: 'Token has been expired or revoked.' });
  });

  it('an expired access token gets 401 authError; the client refreshes and retries', async () => {
    const b = fake.goLive({ channelId: fake.credentials.channelId });
    const { api } = oauthClient({ forceRefreshOnFailure: true });
    await api.liveBroadcasts.list({ part: ['id'], broadcastStatus: 'active' });
    fake.expireAccessTokens();
    const res = await api.liveBroadcasts.list({ part: ['id'], broadcastStatus: 'active' });
    expect(res.data.items!.map((i) => i.id)).toEqual([b.videoId]);
    expect(fake.calls()['oauth.token']).toBe(2);
    expect(fake.requests().filter((r) => r.endpoint === 'liveBroadcasts.list').map((r) => [r.status, r.reason ?? null])).toEqual([
      [200, null],
      [401, 'authError'],
      [200, null],
    ]);
    // The 401 cost nothing.
    expect(fake.unitsUsed()).toBe(2);
  });

  it('access tokens expire with the fake clock', async () => {
    await start({ accessTokenTtlSec: 60 });
    const token = fake.issueAccessToken();
    const call = () => fetch(`${fake.url}youtube/v3/liveBroadcasts?part=id&mine=true`, { headers: { authorization: `Bearer ${token}` } });
    expect((await call()).status).toBe(200);
    advanceClock(60_000);
    expect((await call()).status).toBe(401);
  });
});
