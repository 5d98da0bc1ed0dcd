import type { StateStore } from '@streamsuites/kernel';
import { TOKEN_NAMESPACE } from '../tokens.js';

/**
 * A user's tokens from `streamsuites auth twitch`, in the state store
 * namespace `twitch.tokens` under the account's login. (TokenBook's records
 * in the same namespace are keyed by creator id and carry `configured`;
 * `kind: 'device'` tells these apart.)
 */
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

export { TOKEN_NAMESPACE };

export async function saveUserTokens(store: StateStore, record: StoredUserTokens): Promise<void> {
  await store.set(TOKEN_NAMESPACE, record.login.toLowerCase(), record);
}

/** The stored tokens of `login`, or undefined (also when the key holds another kind of record). */
export async function readUserTokens(store: StateStore, login: string): Promise<StoredUserTokens | undefined> {
  const value = await store.get<Record<string, unknown>>(TOKEN_NAMESPACE, login.toLowerCase());
  if (value === undefined || value === null || value.kind !== 'device') return undefined;
  if (typeof value.accessToken !== 'string' || typeof value.refreshToken !== 'string') return undefined;
  return value as unknown as StoredUserTokens;
}
