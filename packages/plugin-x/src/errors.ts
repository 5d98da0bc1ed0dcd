import { defineError } from '@streamsuites/kernel';

/**
 * Coded errors of @streamsuites/plugin-x; every code is in the README
 * "Errors" table. None of them ever carries a token, the client secret or
 * the encryption key.
 */

export const SS_ERR_X_SECRET_KEY = defineError(
  'SS_ERR_X_SECRET_KEY',
  (problem: string) => `the X token encryption key is not usable: ${problem}`,
  'Set STREAMSUITES_SECRET_KEY to 32 random bytes, base64 or hex (e.g. `openssl rand -base64 32`), the same key that was set when `streamsuites auth x` stored the tokens.',
);
export const SS_ERR_X_TOKEN_DECRYPT = defineError(
  'SS_ERR_X_TOKEN_DECRYPT',
  (account: string) => `the stored X tokens of account "${account}" cannot be decrypted with this key`,
  'STREAMSUITES_SECRET_KEY differs from the key set when the account was authorized (or the row was altered): set the original key, or run `streamsuites auth x` again.',
);
export const SS_ERR_X_ACCOUNT_MISSING = defineError(
  'SS_ERR_X_ACCOUNT_MISSING',
  (creatorId: string, account: string) => `creator "${creatorId}" posts to X as "${account}", but no tokens of that account are stored`,
  'Run `streamsuites auth x --manifest <file>` (as that X account) with the same manifest, then restart; or fix creators.<id>.config.x.account.',
);
export const SS_ERR_X_AUTH = defineError(
  'SS_ERR_X_AUTH',
  (account: string, reason: string) => `X refused the tokens of account "${account}": ${reason}`,
  'The refresh token was revoked, expired (X drops unused ones after about six months) or used elsewhere: run `streamsuites auth x` again for this account.',
);
export const SS_ERR_X_OAUTH = defineError(
  'SS_ERR_X_OAUTH',
  (problem: string) => `X authorization failed: ${problem}`,
  'Check that the app\'s Callback URI in the X developer portal is exactly the redirect URL printed (http://127.0.0.1:<port>/callback), that the app type is "Native App" or "Web App", and retry.',
);
export const SS_ERR_X_DUPLICATE = defineError(
  'SS_ERR_X_DUPLICATE',
  (creatorId: string, event: string) => `X refused the ${event} post of creator "${creatorId}" as duplicate content (an identical post exists)`,
  'Not retried. Put a changing placeholder in the template ({title}, {date}) if such posts should go out.',
);
export const SS_ERR_X_API = defineError(
  'SS_ERR_X_API',
  (operation: string, status: number, detail: string) => `X API ${operation} failed: HTTP ${status} ${detail}`,
  'Server errors, network errors and 429s are retried with backoff (the post job keeps its place); a 4xx other than 401/429 is not retried: check the template and the app\'s permissions (Read and write).',
);
export const SS_ERR_X_CONFIG = defineError(
  'SS_ERR_X_CONFIG',
  (problem: string) => `X plugin config: ${problem}`,
  'See the configuration reference in the @streamsuites/plugin-x README.',
);
