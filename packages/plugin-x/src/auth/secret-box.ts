import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { SS_ERR_X_SECRET_KEY } from '../errors.js';

/** The environment variable the token encryption key is read from. */
export const SECRET_KEY_ENV = 'STREAMSUITES_SECRET_KEY';

/** A value sealed with AES-256-GCM: all base64. */
export interface Sealed {
  v: 1;
  alg: 'A256GCM';
  iv: string;
  tag: string;
  data: string;
}

/**
 * The 32-byte key from its text form: 64 hex digits or base64 (standard or
 * url-safe) of 32 bytes. Anything else is SS_ERR_X_SECRET_KEY, never echoing
 * the value.
 */
export function parseSecretKey(raw: string | undefined): Buffer {
  if (raw === undefined || raw.trim() === '') throw new SS_ERR_X_SECRET_KEY(`${SECRET_KEY_ENV} is not set`);
  const text = raw.trim();
  if (/^[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text, 'hex');
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) {
    const bytes = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (bytes.length === 32) return bytes;
    throw new SS_ERR_X_SECRET_KEY(`it decodes to ${bytes.length} bytes, not 32`);
  }
  throw new SS_ERR_X_SECRET_KEY(`it is neither 64 hex digits nor base64 (${text.length} characters)`);
}

/**
 * Encrypts `plaintext`; `aad` binds the result to where it is stored (the
 * account key), so a sealed value copied to another row does not open.
 */
export function seal(key: Buffer, plaintext: string, aad: string): Sealed {
  const iv = randomBytes(12); // a fresh nonce per value: GCM must never reuse one under a key
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return { v: 1, alg: 'A256GCM', iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
}

/** Decrypts a sealed value; undefined when the key, the aad or the value is wrong (the GCM tag does not verify). */
export function open(key: Buffer, sealed: Sealed, aad: string): string | undefined {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}
