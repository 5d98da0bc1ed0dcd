import { createHash } from 'node:crypto';
import type { Logger, SecretRegistry, StateStore } from '@streamsuites/kernel';
import type { RefreshedToken } from './helix.js';

/** Where refreshed tokens live in the kernel state store (one key per creator). */
export const TOKEN_NAMESPACE = 'twitch.tokens';

interface StoredTokens {
  /** Which configured tokens these replaced: a change in the manifest/env wins over what was stored. */
  configured: string;
  accessToken: string;
  refreshToken: string;
  refreshedAt: number;
}

export interface TokenBookOptions {
  creatorId: string;
  /** The token and refresh token from the creator's config. */
  token: string;
  refreshToken: string | undefined;
  store: StateStore;
  secrets: SecretRegistry;
  logger: Logger;
  now(): number;
  /** Calls the token endpoint with the current refresh token. */
  refresh(refreshToken: string): Promise<RefreshedToken>;
}

/**
 * A creator's bot tokens across restarts. A refreshed access token (and a
 * rotated refresh token) is saved in the state store, so the next start logs
 * in with it instead of spending its one refresh on a token already known to
 * be stale. Stored tokens are used only while the configured ones are
 * unchanged; every token is registered as a secret for log redaction.
 */
export class TokenBook {
  readonly #options: TokenBookOptions;
  readonly #configured: string;
  #accessToken: string;
  #refreshToken: string | undefined;

  constructor(options: TokenBookOptions) {
    this.#options = options;
    this.#configured = fingerprint(options.token, options.refreshToken);
    this.#accessToken = options.token;
    this.#refreshToken = options.refreshToken;
  }

  /** The access token to log in with: the stored refreshed one when the config did not change since. */
  async load(): Promise<string> {
    const { store, creatorId, logger } = this.#options;
    let stored: unknown;
    try {
      stored = await store.get(TOKEN_NAMESPACE, creatorId);
    } catch (error) {
      logger.warn({ err: error }, 'could not read the stored Twitch token; using the configured one');
      return this.#accessToken;
    }
    if (isStoredTokens(stored) && stored.configured === this.#configured) {
      this.#accessToken = stored.accessToken;
      this.#refreshToken = stored.refreshToken;
      this.#options.secrets.add(stored.accessToken);
      this.#options.secrets.add(stored.refreshToken);
      logger.debug('logging in with the Twitch token refreshed earlier');
    }
    return this.#accessToken;
  }

  get canRefresh(): boolean {
    return this.#refreshToken !== undefined;
  }

  /** Refreshes, saves and returns the new access token. */
  async refresh(): Promise<string> {
    if (this.#refreshToken === undefined) throw new Error('no refresh token configured');
    const next = await this.#options.refresh(this.#refreshToken);
    this.#options.secrets.add(next.accessToken);
    this.#options.secrets.add(next.refreshToken);
    this.#accessToken = next.accessToken;
    this.#refreshToken = next.refreshToken;
    const record: StoredTokens = { configured: this.#configured, accessToken: next.accessToken, refreshToken: next.refreshToken, refreshedAt: this.#options.now() };
    try {
      await this.#options.store.set(TOKEN_NAMESPACE, this.#options.creatorId, record);
    } catch (error) {
      // The new token still works for this run; only the next start would refresh again.
      this.#options.logger.warn({ err: error }, 'could not save the refreshed Twitch token');
    }
    return next.accessToken;
  }
}

/** A one-way digest of the configured tokens (never the tokens themselves). */
function fingerprint(token: string, refreshToken: string | undefined): string {
  return createHash('sha256').update(`${token}\u0000${refreshToken ?? ''}`).digest('base64url').slice(0, 22);
}

function isStoredTokens(value: unknown): value is StoredTokens {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.configured === 'string' && typeof v.accessToken === 'string' && v.accessToken.length > 0 && typeof v.refreshToken === 'string';
}
