import { createHash, randomBytes } from 'node:crypto';

/** A PKCE code verifier: 43-128 unreserved characters (RFC 7636 §4.1); 64 base64url characters of 48 random bytes. */
export function createCodeVerifier(): string {
  return randomBytes(48).toString('base64url');
}

/** The S256 code challenge of a verifier: base64url(sha256(verifier)). */
export function codeChallengeS256(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/** An unguessable `state` value, checked on the redirect (CSRF). */
export function createState(): string {
  return randomBytes(24).toString('base64url');
}
