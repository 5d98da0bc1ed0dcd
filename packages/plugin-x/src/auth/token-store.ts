import type { StateStore } from '@streamsuites/kernel';
import { SS_ERR_X_TOKEN_DECRYPT } from '../errors.js';
import { open, seal, type Sealed } from './secret-box.js';

/** Where authorized X accounts live in the state store; key: the account (lowercased username). */
export const X_ACCOUNTS_NAMESPACE = 'x.accounts';

/** An authorized account, as the plugin uses it. */
export interface XAccountTokens {
  /** The store key (lowercased username). */
  account: string;
  username: string;
  userId: string;
  clientId: string;
  scopes: string[];
  accessToken: string;
  refreshToken: string;
  /** ms since the epoch. */
  obtainedAt: number;
  expiresAt: number;
}

/** The stored row: everything but the tokens in clear, the tokens sealed (AES-256-GCM). */
interface StoredAccount {
  username: string;
  userId: string;
  clientId: string;
  scopes: string[];
  obtainedAt: number;
  expiresAt: number;
  tokens: Sealed;
}

const aadOf = (account: string) => `${X_ACCOUNTS_NAMESPACE}/${account}`;

/** The store key of a username. */
export const accountKey = (username: string): string => username.replace(/^@/, '').toLowerCase();

/** Stores (replaces) an account's tokens, encrypted with `key`. */
export async function saveAccount(store: StateStore, key: Buffer, tokens: Omit<XAccountTokens, 'account'> & { account?: string }): Promise<string> {
  const account = tokens.account ?? accountKey(tokens.username);
  const row: StoredAccount = {
    username: tokens.username,
    userId: tokens.userId,
    clientId: tokens.clientId,
    scopes: tokens.scopes,
    obtainedAt: tokens.obtainedAt,
    expiresAt: tokens.expiresAt,
    tokens: seal(key, JSON.stringify({ accessToken: tokens.accessToken, refreshToken: tokens.refreshToken }), aadOf(account)),
  };
  await store.set(X_ACCOUNTS_NAMESPACE, account, row);
  return account;
}

/** An account's tokens, or undefined when none are stored; SS_ERR_X_TOKEN_DECRYPT when `key` does not open them. */
export async function loadAccount(store: StateStore, key: Buffer, account: string): Promise<XAccountTokens | undefined> {
  const row = await store.get<StoredAccount>(X_ACCOUNTS_NAMESPACE, account);
  if (row === undefined || row === null || typeof row !== 'object' || typeof row.tokens !== 'object') return undefined;
  const plain = open(key, row.tokens, aadOf(account));
  if (plain === undefined) throw new SS_ERR_X_TOKEN_DECRYPT(account);
  const { accessToken, refreshToken } = JSON.parse(plain) as { accessToken: string; refreshToken: string };
  return { account, username: row.username, userId: row.userId, clientId: row.clientId, scopes: row.scopes, obtainedAt: row.obtainedAt, expiresAt: row.expiresAt, accessToken, refreshToken };
}

/** The stored accounts' keys. */
export async function listAccounts(store: StateStore): Promise<string[]> {
  return (await store.entries(X_ACCOUNTS_NAMESPACE)).map(([key]) => key);
}
