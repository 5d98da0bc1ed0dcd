import type { Logger, SecretRegistry, StateStore } from '@streamsuites/kernel';
import type { XResponse } from '../api/client.js';
import { SS_ERR_X_ACCOUNT_MISSING, SS_ERR_X_AUTH } from '../errors.js';
import { refreshTokens, XTokenError, type TokenClient } from './oauth.js';
import { loadAccount, saveAccount, type XAccountTokens } from './token-store.js';

export interface AccountSessionOptions {
  account: string;
  store: StateStore;
  key: Buffer;
  /** The token endpoint's origin and the client (clientId: the plugin config's, else the one stored with the account). */
  apiUrl: string;
  clientId?: string | undefined;
  clientSecret?: string | undefined;
  secrets: SecretRegistry;
  logger: Logger;
  now(): number;
  fetch?: typeof fetch;
}

/** Refresh this long before the access token expires (X's live 2 h). */
const EARLY_REFRESH_MS = 60_000;

/**
 * One X account's tokens at run time: loads them from the state store
 * (decrypting), refreshes the access token when it is about to expire or
 * X answers 401, and stores the rotated refresh token each time (X hands
 * out a new one per refresh and kills the old). Refreshes are serialised:
 * two posts racing on a 401 must not both spend the same refresh token.
 */
export class AccountSession {
  readonly #o: AccountSessionOptions;
  #tokens: XAccountTokens | undefined;
  #refreshing: Promise<XAccountTokens> | undefined;

  constructor(options: AccountSessionOptions) {
    this.#o = options;
  }

  get account(): string {
    return this.#o.account;
  }

  /** The stored tokens (loaded once); SS_ERR_X_ACCOUNT_MISSING when there are none, SS_ERR_X_TOKEN_DECRYPT with a wrong key. */
  async tokens(creatorId = '(any)'): Promise<XAccountTokens> {
    if (this.#tokens === undefined) {
      const loaded = await loadAccount(this.#o.store, this.#o.key, this.#o.account);
      if (loaded === undefined) throw new SS_ERR_X_ACCOUNT_MISSING(creatorId, this.#o.account);
      this.#o.secrets.add(loaded.accessToken);
      this.#o.secrets.add(loaded.refreshToken);
      this.#tokens = loaded;
    }
    return this.#tokens;
  }

  /**
   * Runs `request` with a fresh access token; on a 401, refreshes once and
   * runs it again; a second 401 (or a refused refresh) is SS_ERR_X_AUTH,
   * marked not retryable.
   */
  async call<T>(request: (accessToken: string) => Promise<XResponse<T>>): Promise<XResponse<T>> {
    let tokens = await this.tokens();
    if (tokens.expiresAt - EARLY_REFRESH_MS <= this.#o.now()) tokens = await this.#refresh(tokens.accessToken);
    const first = await request(tokens.accessToken);
    if (first.status !== 401) return first;
    this.#o.logger.info({ account: this.#o.account }, 'X answered 401: refreshing the access token once');
    const renewed = await this.#refresh(tokens.accessToken);
    const second = await request(renewed.accessToken);
    if (second.status === 401) throw notRetryable(new SS_ERR_X_AUTH(this.#o.account, 'HTTP 401 with a just refreshed access token'));
    return second;
  }

  /** Refreshes unless another call already replaced `staleAccessToken`. */
  #refresh(staleAccessToken: string): Promise<XAccountTokens> {
    if (this.#tokens !== undefined && this.#tokens.accessToken !== staleAccessToken) return Promise.resolve(this.#tokens);
    this.#refreshing ??= this.#doRefresh().finally(() => (this.#refreshing = undefined));
    return this.#refreshing;
  }

  async #doRefresh(): Promise<XAccountTokens> {
    const current = await this.tokens();
    const client: TokenClient = {
      apiUrl: this.#o.apiUrl,
      clientId: this.#o.clientId ?? current.clientId,
      clientSecret: this.#o.clientSecret,
      ...(this.#o.fetch === undefined ? {} : { fetch: this.#o.fetch }),
    };
    let answer;
    try {
      answer = await refreshTokens(client, current.refreshToken);
    } catch (error) {
      if (error instanceof XTokenError) throw notRetryable(new SS_ERR_X_AUTH(this.#o.account, `the refresh was refused (${error.message})`));
      throw error;
    }
    const now = this.#o.now();
    const next: XAccountTokens = {
      ...current,
      accessToken: answer.accessToken,
      // Rotation: X sends a new refresh token with each refresh; the old one no longer works.
      refreshToken: answer.refreshToken ?? current.refreshToken,
      scopes: answer.scopes.length > 0 ? answer.scopes : current.scopes,
      obtainedAt: now,
      expiresAt: now + answer.expiresIn * 1000,
    };
    this.#o.secrets.add(next.accessToken);
    this.#o.secrets.add(next.refreshToken);
    // Stored before use: a crash right after must not leave only the dead refresh token on disk.
    await saveAccount(this.#o.store, this.#o.key, next);
    this.#tokens = next;
    this.#o.logger.info({ account: this.#o.account, expiresInSec: answer.expiresIn }, 'X access token refreshed (refresh token rotated and stored)');
    return next;
  }
}

/** Marks an error so the job queue fails the job at once instead of retrying. */
export function notRetryable<E extends Error>(error: E): E {
  return Object.assign(error, { retryable: false });
}
