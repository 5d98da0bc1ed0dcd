import type { StateStore } from '@streamsuites/kernel';

/**
 * Where `streamsuites auth twitch` keeps tokens: one record per account
 * login. A namespace of its own — TokenBook keeps refreshed tokens in
 * `twitch.tokens` keyed by creator id, and a creator id may equal a login.
 */
export const DEVICE_TOKEN_NAMESPACE = 'twitch.accounts';

/** A user's tokens from `streamsuites auth twitch`, under the account's login. */
export interface StoredUserTokens {
  kind: 'device';
  login: string;
  userId: string;
  clientId: string;
  accessToken: string;
  refreshToken: string;
  scopes: string[];
  /** Epoch ms. */
  obtainedAt: number;
  /** Epoch ms the access token expires (refresh before). */
  expiresAt: number;
}


export async function saveUserTokens(store: StateStore, record: StoredUserTokens): Promise<void> {
  await store.set(DEVICE_TOKEN_NAMESPACE, record.login.toLowerCase(), record);
}

/** The stored tokens of `login`, or undefined (also when the key holds another kind of record). */
export async function readUserTokens(store: StateStore, login: string): Promise<StoredUserTokens | undefined> {
  const value = await store.get<Record<string, unknown>>(DEVICE_TOKEN_NAMESPACE, login.toLowerCase());
  if (value === undefined || value === null || value.kind !== 'device') return undefined;
  if (typeof value.accessToken !== 'string' || typeof value.refreshToken !== 'string') return undefined;
  return value as unknown as StoredUserTokens;
}
