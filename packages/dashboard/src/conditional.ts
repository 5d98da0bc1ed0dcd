import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** A strong ETag from the bytes: `"` + 27 base64url characters of their SHA-256 (162 bits) + `"`. */
export function bytesETag(bytes: Buffer): string {
  return `"${createHash('sha256').update(bytes).digest('base64url').slice(0, 27)}"`;
}

/** A strong ETag for a media file from its size and modification time (media is never read whole). */
export function fileETag(size: number, mtimeMs: number): string {
  return `"m${size.toString(36)}-${Math.trunc(mtimeMs * 1000).toString(36)}"`;
}

const opaque = (tag: string) => (tag.startsWith('W/') ? tag.slice(2) : tag);

/**
 * `If-None-Match` of a GET/HEAD against the current ETag: `*` or any listed
 * tag equal under the weak comparison (RFC 9110 §13.1.2), so the answer is 304.
 */
export function notModified(req: IncomingMessage, etag: string): boolean {
  const header = req.headers['if-none-match'];
  if (typeof header !== 'string') return false;
  const current = opaque(etag);
  for (const raw of header.split(',')) {
    const tag = raw.trim();
    if (tag === '*' || (tag !== '' && opaque(tag) === current)) return true;
  }
  return false;
}

/** What a `Range` header asks of a file of `size` bytes. */
export type RangeRequest =
  /** Send the whole file (no Range, a malformed or multi-range one, a non-matching If-Range). */
  | { kind: 'full' }
  /** 206 with bytes `start`..`end` (inclusive). */
  | { kind: 'partial'; start: number; end: number }
  /** 416 with `Content-Range: bytes *\/size`. */
  | { kind: 'unsatisfiable' };

const SINGLE_RANGE = /^bytes=(\d{0,15})-(\d{0,15})$/i;

/**
 * One byte range, RFC 9110 §14: `bytes=a-b`, `a-` or `-n`. Anything else
 * (other units, several ranges, garbage, `a-b` with b < a) is ignored and the
 * whole file is sent, which the RFC allows. `If-Range` with anything but the
 * current strong ETag also sends the whole file (the client's part is stale;
 * a date cannot be checked: no Last-Modified is sent).
 */
export function rangeRequest(req: IncomingMessage, size: number, etag: string): RangeRequest {
  const header = req.headers.range;
  if (typeof header !== 'string') return { kind: 'full' };
  const ifRange = req.headers['if-range'];
  if (typeof ifRange === 'string' && ifRange.trim() !== etag) return { kind: 'full' };
  const match = SINGLE_RANGE.exec(header.trim());
  if (match === null) return { kind: 'full' };
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return { kind: 'full' };
  if (first === '') {
    // Suffix: the last n bytes; n = 0 selects nothing.
    const length = Number(last);
    if (length === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'partial', start: Math.max(0, size - length), end: size - 1 };
  }
  const start = Number(first);
  if (last !== '' && Number(last) < start) return { kind: 'full' };
  if (start >= size) return { kind: 'unsatisfiable' };
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  return { kind: 'partial', start, end };
}
