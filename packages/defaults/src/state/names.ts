import { SS_ERR_STATE_ARGUMENT } from './errors.js';

/** `kernel.quotas`, `chat.log`, `youtube.pageTokens`: dot-separated segments, lowercase start. */
const NAME = /^[a-z][a-zA-Z0-9_-]*(?:\.[a-zA-Z0-9_-]+)*$/;
const MAX_NAME = 128;
const MAX_KEY = 1024;
/** A lone surrogate: SQLite would not store such a key as given (it becomes U+FFFD). NUL is fine (separators). */
const BAD_KEY_CHAR = /\p{Cs}/u;

/** Checks a namespace or table name. */
export function checkName(kind: 'namespace' | 'table', name: unknown): asserts name is string {
  if (typeof name !== 'string' || name.length > MAX_NAME || !NAME.test(name)) {
    throw new SS_ERR_STATE_ARGUMENT(
      `${kind} ${describe(name)}`,
      `must be 1-${MAX_NAME} characters of dot-separated segments (a-z A-Z 0-9 _ -), starting with a lowercase letter`,
    );
  }
}

export function checkKey(key: unknown): asserts key is string {
  if (typeof key !== 'string' || key.length === 0 || key.length > MAX_KEY || BAD_KEY_CHAR.test(key)) {
    throw new SS_ERR_STATE_ARGUMENT(`key ${describe(key)}`, `must be a string of 1-${MAX_KEY} characters without lone surrogates`);
  }
}

/** Checks an optional count or sequence number option (a safe integer ≥ `min`). */
export function checkInteger(what: string, value: unknown, min: number): asserts value is number | undefined {
  if (value !== undefined && !(Number.isSafeInteger(value) && (value as number) >= min)) {
    throw new SS_ERR_STATE_ARGUMENT(`${what} ${describe(value)}`, `must be an integer ≥ ${min}`);
  }
}

function describe(value: unknown): string {
  if (typeof value !== 'string') return `(${typeof value})`;
  return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
}
