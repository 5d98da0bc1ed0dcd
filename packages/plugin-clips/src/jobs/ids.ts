import { randomBytes } from 'node:crypto';

/** A source of random bytes (crypto by default; tests inject one that repeats). */
export type RandomSource = (size: number) => Uint8Array;

export const CLIP_ID_LENGTH = 6;
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
/** 252 = 7 × 36: bytes at or above it are dropped, so every character is equally likely. */
const UNBIASED_LIMIT = 252;
const CLIP_ID = /^[a-z0-9]{6}$/;

export const cryptoRandom: RandomSource = (size) => randomBytes(size);

/**
 * True for a well-formed clip id: exactly 6 of `[a-z0-9]`. Lowercase only, so
 * it names one file on case-insensitive file systems too, and can never be a
 * path separator, `..`, or a Windows device name.
 */
export function isClipId(value: unknown): value is string {
  return typeof value === 'string' && CLIP_ID.test(value);
}

/**
 * Draws one 6-character id from `random` by rejection sampling. Returns
 * undefined when the source gives too few usable bytes (a broken source must
 * not loop forever).
 */
export function drawClipId(random: RandomSource): string | undefined {
  let id = '';
  for (let round = 0; round < 4 && id.length < CLIP_ID_LENGTH; round++) {
    for (const byte of random(CLIP_ID_LENGTH * 2)) {
      if (byte >= UNBIASED_LIMIT) continue;
      id += ALPHABET[byte % ALPHABET.length];
      if (id.length === CLIP_ID_LENGTH) break;
    }
  }
  return isClipId(id) ? id : undefined;
}
