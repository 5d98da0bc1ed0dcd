import { SS_ERR_X_OAUTH } from '../errors.js';

/** What X's token endpoint answers (`POST /2/oauth2/token`). */
export interface XTokenResponse {
  accessToken: string;
  /** Present when `offline.access` was granted; X rotates it on every refresh. */
  refreshToken: string | undefined;
  /** Seconds (X: 7200). */
  expiresIn: number;
  scopes: string[];
}

/** A refused token request (400/401): the OAuth `error` code, for the caller to decide. */
export class XTokenError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string,
  ) {
    super(`${error}${description === '' ? '' : `: ${description}`} (HTTP ${status})`);
    this.name = 'XTokenError';
  }
}

export interface TokenClient {
  /** The X API origin; the token endpoint is `<apiUrl>/2/oauth2/token`. */
  apiUrl: string;
  clientId: string;
  /** A confidential client authenticates with HTTP Basic; a public one sends client_id in the form. */
  clientSecret?: string | undefined;
  fetch?: typeof fetch;
}

/** The scopes a posting bot needs: post, read itself, and a refresh token (`offline.access`). */
export const X_SCOPES = ['tweet.read', 'tweet.write', 'users.read', 'offline.access'] as const;

/** The URL a person opens to authorize (X's authorize page, with PKCE S256). */
export function authorizeUrl(options: { authorizeUrl: string; clientId: string; redirectUri: string; scopes: readonly string[]; state: string; codeChallenge: string }): string {
  const url = new URL(options.authorizeUrl);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: options.clientId,
    redirect_uri: options.redirectUri,
    scope: options.scopes.join(' '),
    state: options.state,
    code_challenge: options.codeChallenge,
    code_challenge_method: 'S256',
  }).toString();
  return url.toString();
}

/** Exchanges an authorization code and its PKCE verifier for tokens. */
export function exchangeCode(client: TokenClient, grant: { code: string; codeVerifier: string; redirectUri: string }): Promise<XTokenResponse> {
  return tokenRequest(client, { grant_type: 'authorization_code', code: grant.code, redirect_uri: grant.redirectUri, code_verifier: grant.codeVerifier });
}

/** Trades a refresh token for new tokens; the old refresh token is dead afterwards (rotation). */
export function refreshTokens(client: TokenClient, refreshToken: string): Promise<XTokenResponse> {
  return tokenRequest(client, { grant_type: 'refresh_token', refresh_token: refreshToken });
}

async function tokenRequest(client: TokenClient, form: Record<string, string>): Promise<XTokenResponse> {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
  const body = new URLSearchParams(form);
  if (client.clientSecret === undefined) body.set('client_id', client.clientId);
  else headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.clientSecret)}`).toString('base64')}`;
  const response = await (client.fetch ?? fetch)(new URL('/2/oauth2/token', client.apiUrl), { method: 'POST', headers, body });
  const json = (await response.json().catch(() => undefined)) as Record<string, unknown> | undefined;
  if (!response.ok) {
    // X answers { error, error_description } for OAuth failures.
    if (response.status >= 400 && response.status < 500) throw new XTokenError(response.status, String(json?.error ?? 'invalid_request'), String(json?.error_description ?? ''));
    throw new SS_ERR_X_OAUTH(`the token endpoint answered HTTP ${response.status}`);
  }
  if (typeof json?.access_token !== 'string') throw new SS_ERR_X_OAUTH('the token endpoint answered without an access_token');
  return {
    accessToken: json.access_token,
    refreshToken: typeof json.refresh_token === 'string' ? json.refresh_token : undefined,
    expiresIn: typeof json.expires_in === 'number' ? json.expires_in : 7200,
    scopes: typeof json.scope === 'string' ? json.scope.split(' ').filter(Boolean) : [],
  };
}
