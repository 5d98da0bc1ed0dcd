import { describe, expect, it } from 'vitest';
import { codeChallengeS256, createCodeVerifier, refreshTokens, XApi, XTokenError } from '../src/index.js';
import { authorize, fakeX } from './helpers.js';

/** What X's token endpoint answers to a form, raw. */
async function token(url: string, form: Record<string, string>) {
  const res = await fetch(`${url}/2/oauth2/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('the fake X API speaks the wire protocol', () => {
  it('authorize redirects with code and state; the token exchange checks the S256 verifier and spends the code once', async () => {
    const fake = await fakeX();
    const verifier = createCodeVerifier();
    const redirect = 'http://127.0.0.1:9/callback';
    const authorizeUrl = `${fake.authorizeUrl}?${new URLSearchParams({ response_type: 'code', client_id: fake.clientId, redirect_uri: redirect, scope: 'tweet.write offline.access', state: 's1', code_challenge: codeChallengeS256(verifier), code_challenge_method: 'S256' })}`;
    const res = await fetch(authorizeUrl, { redirect: 'manual' });
    expect(res.status).toBe(302);
    const back = new URL(res.headers.get('location')!);
    expect(back.origin + back.pathname).toBe(redirect);
    expect(back.searchParams.get('state')).toBe('s1');
    const code = back.searchParams.get('code')!;
    const wrong = await token(fake.url, { grant_type: 'authorization_code', code, redirect_uri: redirect, code_verifier: createCodeVerifier(), client_id: fake.clientId });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toBe('invalid_request');
    // The code was spent by the failed try, as a real authorization server does.
    const again = await token(fake.url, { grant_type: 'authorization_code', code, redirect_uri: redirect, code_verifier: verifier, client_id: fake.clientId });
    expect(again.status).toBe(400);
  });

  it('refresh tokens rotate: the new one works once, a reused one is invalid_grant', async () => {
    const fake = await fakeX();
    const first = await authorize(fake);
    const client = { apiUrl: fake.url, clientId: fake.clientId };
    const second = await refreshTokens(client, first.refreshToken);
    expect(second.refreshToken).not.toBe(first.refreshToken);
    const reused = await refreshTokens(client, first.refreshToken).catch((e: unknown) => e);
    expect(reused).toBeInstanceOf(XTokenError);
    expect((reused as XTokenError).error).toBe('invalid_grant');
    expect((await refreshTokens(client, second.refreshToken!)).accessToken).toBeTruthy();
  });

  it('POST /2/tweets: 201 with data, 403 duplicate content, 401 without a valid token; GET /2/users/me', async () => {
    const fake = await fakeX();
    const { accessToken } = await authorize(fake);
    const api = new XApi({ apiUrl: fake.url });
    const created = await api.createTweet(accessToken, { text: 'hello', reply_settings: 'following' });
    expect(created.status).toBe(201);
    expect(created.body?.data.text).toBe('hello');
    expect(created.rateLimit.remaining).toBeGreaterThan(0);
    const duplicate = await api.createTweet(accessToken, { text: 'hello' });
    expect(duplicate.status).toBe(403);
    expect(duplicate.body).toMatchObject({ detail: 'You are not allowed to create a Tweet with duplicate content.', status: 403 });
    expect((await api.createTweet('nope', { text: 'x' })).status).toBe(401);
    expect((await api.me(accessToken)).body?.data.username).toBe('StreamSuitesBot');
    expect(fake.tweets()).toEqual([expect.objectContaining({ text: 'hello', replySettings: 'following' })]);
  });

  it('scripted 429 carries x-rate-limit-* and retry-after; it never throttles unless told', async () => {
    const fake = await fakeX();
    const { accessToken } = await authorize(fake);
    const api = new XApi({ apiUrl: fake.url });
    for (let i = 0; i < 30; i++) expect((await api.createTweet(accessToken, { text: `post ${i}` })).status).toBe(201);
    fake.script({ status: 429, resetInMs: 5000, retryAfterSec: 7 });
    const limited = await api.createTweet(accessToken, { text: 'limited' });
    expect(limited.status).toBe(429);
    expect(limited.rateLimit.remaining).toBe(0);
    expect(limited.rateLimit.retryAfterMs).toBe(7000);
    expect(limited.rateLimit.resetAt).toBeGreaterThan(Date.now() + 3000);
  });
});
