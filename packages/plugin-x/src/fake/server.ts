import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { listenLocal } from '@streamsuites/kernel/testing';

/** One request the fake received (tokens are not recorded). */
export interface FakeXRequest {
  method: string;
  path: string;
  status: number;
  at: number;
  /** The grant type of a token request; the text of a tweet. */
  grantType?: string;
  text?: string;
}

export interface FakeXTweet {
  id: string;
  text: string;
  authorId: string;
  replySettings?: string;
  at: number;
}

/** A scripted answer of the next `POST /2/tweets` (before any other check but auth). */
export type FakeXScript =
  | { status: 429; /** x-rate-limit-reset this many ms from now (rounded up to the second, as X's epoch seconds are). */ resetInMs?: number; retryAfterSec?: number }
  | { status: 500 | 502 | 503 }
  | { status: 'drop' };

export interface FakeXUser {
  id: string;
  username: string;
  name: string;
}

export interface StartFakeXApiOptions {
  clientId?: string;
  /** Set: the client is confidential and must authenticate with HTTP Basic. */
  clientSecret?: string;
  user?: Partial<FakeXUser>;
  /** Access token lifetime (X: 7200 s); an expired one gets 401. */
  accessTokenTtlSec?: number;
  /** The POST /2/tweets window: requests per window and its length (X's free tier: 17 per 24 h). Default: no limit reported as exhausted. */
  tweetWindow?: { limit: number; windowMs: number };
  port?: number;
}

export interface FakeXApi {
  /** The origin to put in `plugins.x.config.apiUrl`. */
  readonly url: string;
  /** The authorize endpoint (`authorizeUrl`); it approves at once as `user`, like a person clicking "Authorize app". */
  readonly authorizeUrl: string;
  readonly clientId: string;
  readonly user: FakeXUser;
  requests(): FakeXRequest[];
  tweets(): FakeXTweet[];
  /** Answers the next POST /2/tweets requests with these, in order. */
  script(...answers: FakeXScript[]): void;
  /** The next authorizations are declined (`error=access_denied`). */
  denyAuthorization(deny?: boolean): void;
  /** Every access token issued so far stops working (401), as after expiry; refresh tokens still work. */
  expireAccessTokens(): void;
  /** Every token stops working, refresh tokens too (the user revoked the app). */
  revokeAll(): void;
  /** Issued refresh tokens that are still valid (one per live grant). */
  liveRefreshTokens(): string[];
  /** Resolves once `predicate` holds (polled), rejects after `timeoutMs`. */
  until(predicate: () => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

interface PendingCode {
  challenge: string;
  method: string;
  redirectUri: string;
  clientId: string;
  scope: string;
  used: boolean;
}

/**
 * A local X API v2 for tests and the demo: OAuth 2.0 authorize (auto
 * approve) and token endpoints with PKCE S256 and rotating refresh tokens,
 * `POST /2/tweets`, `GET /2/users/me`, with X's error bodies and rate limit
 * headers. It enforces only what X enforces (identical text is duplicate
 * content); it never dedupes go-lives and never throttles unless told to.
 */
export async function startFakeXApi(options: StartFakeXApiOptions = {}): Promise<FakeXApi> {
  const clientId = options.clientId ?? 'fake-x-client-id';
  const user: FakeXUser = { id: '1500000000000000001', username: 'StreamSuitesBot', name: 'StreamSuites Bot', ...options.user };
  const ttl = options.accessTokenTtlSec ?? 7200;
  const log: FakeXRequest[] = [];
  const tweets: FakeXTweet[] = [];
  const scripts: FakeXScript[] = [];
  const codes = new Map<string, PendingCode>();
  /** Access token → when it expires (ms). */
  const access = new Map<string, number>();
  const refresh = new Set<string>();
  const spentRefresh = new Set<string>();
  let deny = false;
  let nextId = 1_800_000_000_000_000_000n;
  let window = { start: Date.now(), used: 0 };

  const token = (prefix: string) => `${prefix}${randomBytes(24).toString('base64url')}`;
  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) =>
    void res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers }).end(JSON.stringify(body));
  const problem = (status: number, title: string, detail: string) => ({ title, detail, type: 'about:blank', status });
  const oauthError = (res: ServerResponse, error: string, description: string, status = 400) => send(res, status, { error, error_description: description });

  const issue = (scope: string) => {
    const a = token('fxa_');
    const r = token('fxr_');
    access.set(a, Date.now() + ttl * 1000);
    refresh.add(r);
    return { token_type: 'bearer', expires_in: ttl, access_token: a, scope, refresh_token: r };
  };

  const clientOf = (req: IncomingMessage, form: URLSearchParams): string | undefined => {
    const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '');
    if (basic !== null) {
      const [id, secret] = Buffer.from(basic[1]!, 'base64').toString('utf8').split(':').map(decodeURIComponent);
      return id === clientId && secret === options.clientSecret ? id : undefined;
    }
    if (options.clientSecret !== undefined) return undefined; // a confidential client must authenticate
    return form.get('client_id') === clientId ? clientId : undefined;
  };

  const rateHeaders = (): Record<string, string> => {
    const w = options.tweetWindow;
    if (w === undefined) return { 'x-rate-limit-limit': '10000', 'x-rate-limit-remaining': '9999', 'x-rate-limit-reset': String(Math.ceil((Date.now() + 900_000) / 1000)) };
    if (Date.now() >= window.start + w.windowMs) window = { start: Date.now(), used: 0 };
    return { 'x-rate-limit-limit': String(w.limit), 'x-rate-limit-remaining': String(Math.max(0, w.limit - window.used)), 'x-rate-limit-reset': String(Math.ceil((window.start + w.windowMs) / 1000)) };
  };

  const handle = (req: IncomingMessage, res: ServerResponse, raw: string, entry: FakeXRequest) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method === 'GET' && url.pathname === '/2/oauth2/authorize') {
      const q = url.searchParams;
      const redirect = q.get('redirect_uri');
      if (q.get('client_id') !== clientId || redirect === null || !/^https?:\/\//.test(redirect)) return send(res, 400, { error: 'invalid_request', error_description: 'Invalid client_id or redirect_uri' });
      const back = new URL(redirect);
      if (q.get('state') !== null) back.searchParams.set('state', q.get('state')!);
      if (q.get('response_type') !== 'code' || q.get('code_challenge') === null || q.get('code_challenge_method') !== 'S256') {
        back.searchParams.set('error', 'invalid_request');
      } else if (deny) {
        back.searchParams.set('error', 'access_denied');
      } else {
        const code = token('fxc_');
        codes.set(code, { challenge: q.get('code_challenge')!, method: 'S256', redirectUri: redirect, clientId, scope: q.get('scope') ?? '', used: false });
        back.searchParams.set('code', code);
      }
      return void res.writeHead(302, { location: back.toString() }).end();
    }
    if (req.method === 'POST' && url.pathname === '/2/oauth2/token') {
      const form = new URLSearchParams(raw);
      entry.grantType = form.get('grant_type') ?? '';
      if (clientOf(req, form) === undefined) return oauthError(res, 'unauthorized_client', 'Missing valid authorization header', 401);
      if (form.get('grant_type') === 'authorization_code') {
        const pending = codes.get(form.get('code') ?? '');
        if (pending === undefined || pending.used) return oauthError(res, 'invalid_request', 'Value passed for the authorization code was invalid.');
        pending.used = true; // single use, even when the verifier is wrong
        if (form.get('redirect_uri') !== pending.redirectUri) return oauthError(res, 'invalid_request', 'Value passed for the redirect uri did not match the uri of the authorization code.');
        const verifier = form.get('code_verifier') ?? '';
        if (createHash('sha256').update(verifier, 'ascii').digest('base64url') !== pending.challenge) return oauthError(res, 'invalid_request', 'Value passed for the code verifier did not match the code challenge.');
        return send(res, 200, issue(pending.scope));
      }
      if (form.get('grant_type') === 'refresh_token') {
        const old = form.get('refresh_token') ?? '';
        if (!refresh.has(old)) return oauthError(res, spentRefresh.has(old) ? 'invalid_grant' : 'invalid_request', 'Value passed for the token was invalid.');
        refresh.delete(old); // rotation: a refresh token works once
        spentRefresh.add(old);
        return send(res, 200, issue('tweet.read tweet.write users.read offline.access'));
      }
      return oauthError(res, 'unsupported_grant_type', `grant_type ${form.get('grant_type') ?? '(none)'} is not supported`);
    }
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (bearer === undefined || !((access.get(bearer) ?? 0) > Date.now())) return send(res, 401, problem(401, 'Unauthorized', 'Unauthorized'));
    if (req.method === 'GET' && url.pathname === '/2/users/me') return send(res, 200, { data: { ...user } });
    if (req.method === 'POST' && url.pathname === '/2/tweets') {
      let body: { text?: unknown; reply_settings?: unknown };
      try {
        body = JSON.parse(raw) as typeof body;
      } catch {
        return send(res, 400, { errors: [{ message: 'Request body is not valid JSON' }], title: 'Invalid Request', detail: 'One or more parameters to your request was invalid.', type: 'https://api.twitter.com/2/problems/invalid-request' });
      }
      entry.text = typeof body.text === 'string' ? body.text : undefined;
      const scripted = scripts.shift();
      if (scripted !== undefined) {
        if (scripted.status === 'drop') return void res.socket?.destroy();
        if (scripted.status === 429) {
          const reset = Math.ceil((Date.now() + (scripted.resetInMs ?? 1000)) / 1000);
          return send(res, 429, problem(429, 'Too Many Requests', 'Too Many Requests'), {
            'x-rate-limit-limit': String(options.tweetWindow?.limit ?? 10000),
            'x-rate-limit-remaining': '0',
            'x-rate-limit-reset': String(reset),
            ...(scripted.retryAfterSec === undefined ? {} : { 'retry-after': String(scripted.retryAfterSec) }),
          });
        }
        return send(res, scripted.status, problem(scripted.status, 'Service Unavailable', 'Service Unavailable'));
      }
      const w = options.tweetWindow;
      if (w !== undefined) {
        const headers = rateHeaders();
        if (headers['x-rate-limit-remaining'] === '0') return send(res, 429, problem(429, 'Too Many Requests', 'Too Many Requests'), headers);
        window.used += 1;
      }
      if (typeof body.text !== 'string' || body.text.length === 0) {
        return send(res, 400, { errors: [{ message: '$.text: must be a non-empty string' }], title: 'Invalid Request', detail: 'One or more parameters to your request was invalid.', type: 'https://api.twitter.com/2/problems/invalid-request' }, rateHeaders());
      }
      // X's real rule: the same text again by the same account is refused.
      if (tweets.some((t) => t.authorId === user.id && t.text === body.text)) {
        return send(res, 403, problem(403, 'Forbidden', 'You are not allowed to create a Tweet with duplicate content.'), rateHeaders());
      }
      nextId += 1n;
      const tweet: FakeXTweet = { id: String(nextId), text: body.text, authorId: user.id, at: Date.now(), ...(typeof body.reply_settings === 'string' ? { replySettings: body.reply_settings } : {}) };
      tweets.push(tweet);
      return send(res, 201, { data: { id: tweet.id, text: tweet.text, edit_history_tweet_ids: [tweet.id] } }, rateHeaders());
    }
    send(res, 404, problem(404, 'Not Found Error', `${req.method} ${url.pathname} is not an endpoint of this fake`));
  };

  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
    req.on('end', () => {
      const entry: FakeXRequest = { method: req.method ?? 'GET', path: new URL(req.url ?? '/', 'http://127.0.0.1').pathname, status: 0, at: Date.now() };
      res.on('finish', () => (entry.status = res.statusCode));
      log.push(entry);
      handle(req, res, raw, entry);
    });
  });
  await listenLocal(server, options.port === undefined ? {} : { port: options.port });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: origin,
    authorizeUrl: `${origin}/2/oauth2/authorize`,
    clientId,
    user,
    requests: () => log.map((r) => ({ ...r })),
    tweets: () => tweets.map((t) => ({ ...t })),
    script: (...answers) => void scripts.push(...answers),
    denyAuthorization: (value = true) => void (deny = value),
    expireAccessTokens: () => access.clear(),
    revokeAll: () => {
      access.clear();
      for (const r of refresh) spentRefresh.add(r);
      refresh.clear();
    },
    liveRefreshTokens: () => [...refresh],
    async until(predicate, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate()) {
        if (Date.now() > deadline) throw new Error('fake X: timed out waiting');
        await new Promise((r) => setTimeout(r, 5));
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
