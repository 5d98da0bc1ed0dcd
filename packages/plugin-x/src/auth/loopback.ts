import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SS_ERR_X_OAUTH } from '../errors.js';
import { authorizeUrl, exchangeCode, X_SCOPES, type TokenClient, type XTokenResponse } from './oauth.js';
import { codeChallengeS256, createCodeVerifier, createState } from './pkce.js';

export interface LoopbackAuthorizationOptions extends TokenClient {
  /** X's authorize page (`https://x.com/i/oauth2/authorize`). */
  authorizeUrl: string;
  /** Port of the redirect listener on 127.0.0.1; must match the app's Callback URI. 0: any free port (tests). */
  port: number;
  scopes?: readonly string[];
  /** Called with the URL the person opens, and the redirect URI it sends them back to. */
  onAuthorizeUrl(url: string, redirectUri: string): void;
  /** Give up after this long (default 5 minutes). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** The path X redirects back to. */
export const CALLBACK_PATH = '/callback';

/**
 * OAuth 2.0 authorization code flow with PKCE (S256) for a person at this
 * machine: listens on 127.0.0.1 for the redirect, hands out the authorize
 * URL, checks `state`, exchanges the code with its verifier. Loopback only:
 * the code never crosses the network, and nothing else can answer.
 */
export async function authorizeWithLoopback(options: LoopbackAuthorizationOptions): Promise<XTokenResponse & { redirectUri: string }> {
  const verifier = createCodeVerifier();
  const state = createState();
  let settle!: { resolve: (code: string) => void; reject: (error: Error) => void };
  const received = new Promise<string>((resolve, reject) => (settle = { resolve, reject }));
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method !== 'GET' || url.pathname !== CALLBACK_PATH) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    const page = (status: number, text: string) => res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }).end(text);
    // A stray or forged request (wrong state) is refused without ending the wait: the real redirect may still come.
    if (url.searchParams.get('state') !== state) return page(400, 'StreamSuites: this authorization does not match the one in progress (state mismatch). Start again from the URL the CLI printed.');
    const error = url.searchParams.get('error');
    if (error !== null) {
      page(400, `StreamSuites: X did not authorize the app (${error}). You can close this tab.`);
      return settle.reject(new SS_ERR_X_OAUTH(`X answered ${error}${url.searchParams.has('error_description') ? `: ${url.searchParams.get('error_description')}` : ''}`));
    }
    const code = url.searchParams.get('code');
    if (code === null || code === '') return page(400, 'StreamSuites: the redirect carries no authorization code.');
    page(200, 'StreamSuites: authorized. You can close this tab and return to the terminal.');
    settle.resolve(code);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(new SS_ERR_X_OAUTH(`cannot listen on 127.0.0.1:${options.port} for the redirect (${error.code ?? error.message}); pass another --port and register its Callback URI`)),
    );
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const redirectUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}${CALLBACK_PATH}`;
  const timer = setTimeout(() => settle.reject(new SS_ERR_X_OAUTH(`no redirect within ${Math.round((options.timeoutMs ?? 300_000) / 1000)} s`)), options.timeoutMs ?? 300_000);
  const aborted = () => settle.reject(new SS_ERR_X_OAUTH('cancelled'));
  options.signal?.addEventListener('abort', aborted, { once: true });
  try {
    options.onAuthorizeUrl(
      authorizeUrl({ authorizeUrl: options.authorizeUrl, clientId: options.clientId, redirectUri, scopes: options.scopes ?? X_SCOPES, state, codeChallenge: codeChallengeS256(verifier) }),
      redirectUri,
    );
    const code = await received;
    const tokens = await exchangeCode(options, { code, codeVerifier: verifier, redirectUri });
    return { ...tokens, redirectUri };
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', aborted);
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
