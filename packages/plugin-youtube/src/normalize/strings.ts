import { stableHash, wellFormed } from '@streamsuites/kernel';

export { stableHash, wellFormed };
/** Field guards for untrusted API JSON: every reader returns `undefined` instead of throwing. */

/** Longest text we accept (YouTube caps chat messages at 200 characters; display strings add a prefix). */
export const MAX_TEXT_LENGTH = 4096;
/** Longest id (message, channel, live chat ids are well under 200 characters). */
export const MAX_ID_LENGTH = 512;
/** Longest display name / level name / currency / display string. */
export const MAX_NAME_LENGTH = 1024;

export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}


/** What a field reader found: absent (`undefined`/`null`), a usable value, or something wrong. */
export type Field<T> = { ok: true; value: T | undefined } | { ok: false; problem: string };

const absent = { ok: true, value: undefined } as const;

/** An optional string field: absent is fine, a non-string or an over-long string is a problem. */
export function stringField(obj: Json, key: string, max: number, path: string): Field<string> {
  const v = obj[key];
  if (v === undefined || v === null) return absent;
  if (typeof v !== 'string') return { ok: false, problem: `${path}.${key} is not a string` };
  if (v.length > max) return { ok: false, problem: `${path}.${key} is longer than ${max}` };
  return { ok: true, value: wellFormed(v) };
}

/** An optional boolean field (absent → undefined). */
export function booleanField(obj: Json, key: string, path: string): Field<boolean> {
  const v = obj[key];
  if (v === undefined || v === null) return absent;
  if (typeof v !== 'boolean') return { ok: false, problem: `${path}.${key} is not a boolean` };
  return { ok: true, value: v };
}

/**
 * An optional non-negative integer, sent either as a JSON number (`tier`,
 * `memberMonth`) or as a decimal string (`amountMicros`, `banDurationSeconds`
 * are int64/uint64 and therefore strings in the API's JSON).
 */
export function integerField(obj: Json, key: string, path: string): Field<number> {
  const v = obj[key];
  if (v === undefined || v === null) return absent;
  let n: number;
  if (typeof v === 'number') n = v;
  else if (typeof v === 'string' && /^\d{1,16}$/.test(v)) n = Number(v);
  else return { ok: false, problem: `${path}.${key} is not a non-negative integer` };
  if (!Number.isSafeInteger(n) || n < 0) return { ok: false, problem: `${path}.${key} is not a non-negative integer` };
  return { ok: true, value: n };
}

