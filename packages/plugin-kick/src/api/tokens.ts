import type { SecretRegistry } from '@streamsuites/kernel';
import { SS_ERR_KICK_AUTH } from '../errors.js';
import type { KickTokenResponse } from './types.js';

type Secrets = Pick<SecretRegistry, 'add'>;

export interface OAuthClient {
  idOrigin: string;
  clientId: string;
  clientSecret: string;
  secrets: Secrets;
  signal?: AbortSignal;
}

/** POST id.kick.com/oauth/token (form-encoded, as Kick's docs say); rejects with SS_ERR_KICK_AUTH on any refusal. */
export async function requestToken(client: OAuthClient, what: string, grant: Record<string, string>): Promise<KickTokenResponse> {
  const body = new URLSearchParams({ ...grant, client_id: client.clientId, client_secret: client.clientSecret });
  const response = await fetch(new URL('/oauth/token', client.idOrigin), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body,
    ...(client.signal === undefined ? {} : { signal: client.signal }),
  });
  const text = await response.text();
  if (!response.ok) throw new SS_ERR_KICK_AUTH(what, response.status);
  let parsed: KickTokenResponse;
  try {
    parsed = JSON.parse(text) as KickTokenResponse;
  } catch {
    throw new SS_ERR_KICK_AUTH(what, response.status);
  }
  if (typeof parsed.access_token !== 'string' || parsed.access_token === '') throw new SS_ERR_KICK_AUTH(what, response.status);
  // Registered before anyone can log them.
  client.secrets.add(parsed.access_token);
  if (typeof parsed.refresh_token === 'string' && parsed.refresh_token !== '') client.secrets.add(parsed.refresh_token);
  return parsed;
}

/**
 * One access token and how to get a new one. `current()` gives the cached
 * token (fetching one when there is none or it expired); `refresh()` forces
 * a new one — concurrent callers share one request.
 */
export class TokenSource {
  #token: string | undefined;
  #expiresAt = 0;
  #pending: Promise<string> | undefined;

  constructor(
    readonly what: string,
    private readonly fetchToken: () => Promise<KickTokenResponse>,
    private readonly now: () => number,
    initial?: string,
  ) {
    this.#token = initial;
    this.#expiresAt = initial === undefined ? 0 : Number.POSITIVE_INFINITY; // a configured token's expiry is unknown: Kick's 401 tells
  }

  async current(): Promise<string> {
    if (this.#token !== undefined && this.now() < this.#expiresAt) return this.#token;
    return this.refresh();
  }

  refresh(): Promise<string> {
    this.#pending ??= this.fetchToken()
      .then((answer) => {
        this.#token = answer.access_token;
        const seconds = Number(answer.expires_in);
        // A minute early, so a request never leaves with a token about to lapse.
        this.#expiresAt = Number.isFinite(seconds) && seconds > 0 ? this.now() + Math.max(seconds - 60, seconds / 2) * 1000 : Number.POSITIVE_INFINITY;
        return answer.access_token;
      })
      .finally(() => {
        this.#pending = undefined;
      });
    return this.#pending;
  }
}

/** The app access token (client credentials). */
export function appTokenSource(client: OAuthClient, now: () => number): TokenSource {
  return new TokenSource('app access token', () => requestToken(client, 'app access token', { grant_type: 'client_credentials' }), now);
}

/**
 * A user access token refreshed with its refresh token. Kick rotates it:
 * the newest is used next, and handed to `onRotated` (which persists it)
 * before the new access token is used.
 */
export function userTokenSource(
  client: OAuthClient,
  now: () => number,
  accessToken: string | undefined,
  refreshToken: string | undefined,
  onRotated?: (tokens: { accessToken: string; refreshToken: string }) => Promise<void>,
): TokenSource {
  let refresh = refreshToken;
  return new TokenSource(
    'user access token',
    async () => {
      if (refresh === undefined) throw new SS_ERR_KICK_AUTH('user access token (no refreshToken configured to renew it)', 401);
      const answer = await requestToken(client, 'user access token', { grant_type: 'refresh_token', refresh_token: refresh });
      if (typeof answer.refresh_token === 'string' && answer.refresh_token !== '') {
        refresh = answer.refresh_token;
        await onRotated?.({ accessToken: answer.access_token, refreshToken: answer.refresh_token });
      }
      return answer;
    },
    now,
    accessToken,
  );
}
