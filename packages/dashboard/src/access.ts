import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { hostHeaderName, isLoopbackHost } from './hosts.js';

/**
 * What a request may read:
 * - `local` (from this machine, addressed to a loopback name) and `token`
 *   (remote with the configured bearer token): the page, public and
 *   dashboard-only files, clip media;
 * - `public` (remote without a valid token): the page and public files only.
 * Internal-only files are refused at every level.
 */
export type AccessLevel = 'local' | 'token' | 'public';

/** Why a `public` request did not get more: no token is configured, or it did not send the right one. */
export type AccessRefusal = { status: 401; code: 'unauthorized' } | { status: 403; code: 'remote-not-allowed' };

/** The realm a 401 names in `WWW-Authenticate`. */
export const WWW_AUTHENTICATE = 'Bearer realm="streamsuites-dashboard"';

/** SHA-256 of a token: what the handler keeps instead of the token itself. */
export function tokenDigest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/**
 * True when the peer is this machine and the Host header is a loopback name:
 * a request from here addressed to localhost. A page elsewhere re-pointed at
 * this machine (DNS rebinding) carries its own name in Host, so it is remote.
 */
export function isLocalRequest(req: IncomingMessage): boolean {
  const peer = req.socket.remoteAddress;
  if (peer === undefined || !isLoopbackHost(peer)) return false;
  const name = hostHeaderName(req.headers.host);
  return name !== undefined && isLoopbackHost(name);
}

const BEARER = /^Bearer +([^\s]+) *$/i;

/**
 * Whether the request's `Authorization: Bearer <token>` carries the configured
 * token. Compares SHA-256 digests in constant time, so neither the token's
 * characters nor its length leak through timing.
 */
export function hasToken(req: IncomingMessage, expected: Buffer | undefined): boolean {
  if (expected === undefined) return false;
  const header = req.headers.authorization;
  if (typeof header !== 'string') return false;
  const match = BEARER.exec(header);
  if (match === null) return false;
  return timingSafeEqual(tokenDigest(match[1]!), expected);
}

export function accessLevel(req: IncomingMessage, remote: boolean, expected: Buffer | undefined): AccessLevel {
  // Bound to loopback: every request that passed the Host check is local.
  if (!remote || isLocalRequest(req)) return 'local';
  return hasToken(req, expected) ? 'token' : 'public';
}

/** The refusal a `public` request gets for dashboard-only data. */
export function refusalFor(expected: Buffer | undefined): AccessRefusal {
  return expected === undefined ? { status: 403, code: 'remote-not-allowed' } : { status: 401, code: 'unauthorized' };
}
