/**
 * Who may call the fake: its API keys, its OAuth client, the accounts (by
 * refresh token) and the access tokens issued to them.
 */
import { createHash } from 'node:crypto';
import { type GoogleError, googleError, loginRequired, missingKey } from './errors.js';
import { OAUTH_ONLY } from './endpoints.js';
import type { Exchange } from './reply.js';
import type { FakeAccount, FakeCredentials, StartFakeYouTubeApiOptions } from './types.js';

/** The API key the fake accepts by default. */
export const FAKE_API_KEY = 'AIzaSyFAKE-streamsuites-0000000000000000';
export const FAKE_CLIENT_ID = '000000000000-streamsuitesfake.apps.googleusercontent.com';
export const FAKE_CLIENT_SECRET = 'GOCSPX-streamsuites-fake-secret';
/** The default OAuth identity: the bot channel that posts replies. */
export const FAKE_BOT_ACCOUNT: Readonly<FakeAccount> = Object.freeze({
  channelId: 'UCstreamsuitesFakeBot001',
  displayName: 'StreamSuites Bot',
  refreshToken: '1//streamsuites-fake-refresh-token',
});

export interface AccountState extends FakeAccount {
  revoked: boolean;
}

export type Auth = { ok: true; account: AccountState | undefined } | { ok: false; error: GoogleError };

export class FakeAuth {
  readonly credentials: FakeCredentials;
  readonly client: { clientId: string; clientSecret: string };
  /** `expires_in` of issued access tokens. */
  readonly ttlSec: number;
  readonly #apiKeys: Set<string> | null;
  readonly #accounts = new Map<string, AccountState>();
  readonly #accessTokens = new Map<string, { account: AccountState; expiresAt: number }>();

  /** `nextSerial` is shared with the world's ids, so a token and a video never take the same number. */
  constructor(
    options: StartFakeYouTubeApiOptions,
    private readonly now: () => number,
    private readonly nextSerial: () => number,
  ) {
    this.#apiKeys = options.apiKeys === null ? null : new Set(options.apiKeys ?? [FAKE_API_KEY]);
    this.client = options.oauthClient ?? { clientId: FAKE_CLIENT_ID, clientSecret: FAKE_CLIENT_SECRET };
    for (const a of options.accounts ?? [FAKE_BOT_ACCOUNT]) this.#accounts.set(a.refreshToken, { ...a, revoked: false });
    const first = [...this.#accounts.values()][0];
    if (first === undefined) throw new Error('startFakeYouTubeApi: accounts must not be empty');
    this.credentials = {
      apiKey: this.#apiKeys === null ? FAKE_API_KEY : ([...this.#apiKeys][0] ?? FAKE_API_KEY),
      clientId: this.client.clientId,
      clientSecret: this.client.clientSecret,
      refreshToken: first.refreshToken,
      channelId: first.channelId,
    };
    this.ttlSec = options.accessTokenTtlSec ?? 3599;
  }

  account(refreshToken: string): AccountState | undefined {
    return this.#accounts.get(refreshToken);
  }

  issue(account: AccountState): string {
    const token = `ya29.fake-${createHash('sha256').update(`${account.refreshToken}#${this.nextSerial()}`).digest('base64url').slice(0, 40)}`;
    this.#accessTokens.set(token, { account, expiresAt: this.now() + this.ttlSec * 1000 });
    return token;
  }

  /** An access token for the account of `channelId` (default: the first account). */
  issueFor(channelId?: string): string {
    const account = channelId === undefined ? [...this.#accounts.values()][0]! : [...this.#accounts.values()].find((a) => a.channelId === channelId);
    if (account === undefined) throw new Error(`issueAccessToken: no account for ${channelId}`);
    return this.issue(account);
  }

  expireAccessTokens(): void {
    const now = this.now();
    for (const t of this.#accessTokens.values()) t.expiresAt = Math.min(t.expiresAt, now);
  }

  revoke(refreshToken: string): void {
    const account = this.#accounts.get(refreshToken);
    if (account !== undefined) account.revoked = true;
    for (const [token, t] of this.#accessTokens) if (t.account === account) this.#accessTokens.delete(token);
  }

  /**
   * `key=` must be a known API key (else 400 keyInvalid); a Bearer token must
   * be a live access token (else 401 authError). Data API calls need one of
   * the two; liveBroadcasts.list and insert need the token (401 required).
   */
  authenticate(ex: Exchange): Auth {
    const key = ex.url.searchParams.get('key');
    if (key !== null && this.#apiKeys !== null && !this.#apiKeys.has(key)) return { ok: false, error: googleError('keyInvalid') };
    let account: AccountState | undefined;
    const header = ex.req.headers.authorization;
    if (header !== undefined) {
      const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
      const t = m === null ? undefined : this.#accessTokens.get(m[1]!);
      if (t === undefined || t.expiresAt <= this.now() || t.account.revoked) return { ok: false, error: googleError('authError') };
      account = t.account;
    }
    if (OAUTH_ONLY.has(ex.endpoint) && account === undefined) return { ok: false, error: loginRequired() };
    if (key === null && account === undefined) return { ok: false, error: missingKey() };
    return { ok: true, account };
  }
}
