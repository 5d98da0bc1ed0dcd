import { createHash } from 'node:crypto';
import type { StateStore } from '@streamsuites/kernel';

/** Where a creator's rotated user tokens are kept (key: creator id). Never exported. */
export const KICK_TOKENS_NAMESPACE = 'kick.tokens';

interface StoredTokens {
  /** Which configured grant these descend from (a hash of the configured refresh token, never the token). */
  grant: string;
  accessToken: string;
  refreshToken: string;
  savedAt: number;
}

/** A one-way tag of the configured refresh token: a new authorization in the manifest starts a new line of tokens. */
export function grantTag(refreshToken: string): string {
  return createHash('sha256').update(refreshToken).digest('base64url').slice(0, 22);
}

/**
 * Kick rotates refresh tokens: each refresh answers a new one and retires
 * the old. The newest is kept here, so a restart renews with it rather than
 * with the manifest's (already retired) one. Stored tokens are used only
 * while the manifest still names the same authorization.
 */
export class KickTokenStore {
  constructor(private readonly store: StateStore) {}

  /** The newest tokens of this creator's configured grant, if any. */
  async load(creatorId: string, configuredRefresh: string): Promise<{ accessToken: string; refreshToken: string } | undefined> {
    const stored = await this.store.get<StoredTokens>(KICK_TOKENS_NAMESPACE, creatorId);
    if (stored === undefined || stored === null || typeof stored !== 'object') return undefined;
    if (stored.grant !== grantTag(configuredRefresh) || typeof stored.accessToken !== 'string' || typeof stored.refreshToken !== 'string') return undefined;
    return { accessToken: stored.accessToken, refreshToken: stored.refreshToken };
  }

  async save(creatorId: string, configuredRefresh: string, tokens: { accessToken: string; refreshToken: string }, now: number): Promise<void> {
    const record: StoredTokens = { grant: grantTag(configuredRefresh), ...tokens, savedAt: now };
    await this.store.set(KICK_TOKENS_NAMESPACE, creatorId, { ...record });
  }
}
