import { realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';

/** A request path that was refused, with the HTTP status to answer. */
export interface PathRefusal {
  ok: false;
  status: 400 | 404;
  reason: string;
}

export type DecodedPath = { ok: true; segments: string[] } | PathRefusal;

// Encoded separators and NUL would change what the decoded path means; refuse
// them before decoding rather than reason about them afterwards.
const ENCODED_SPECIALS = /%(2f|5c|00)/i;

/**
 * Splits the path part of a request target (still percent-encoded) into
 * decoded segments. Decodes exactly once; refuses `.`/`..` segments (also
 * `%2e%2e`), encoded `/` and `\`, backslashes, NUL, `:` (drive letters and
 * Windows streams), empty segments and anything that is not an origin-form path.
 * A trailing `/` yields a final empty segment.
 */
export function decodeRequestPath(rawPath: string): DecodedPath {
  if (!rawPath.startsWith('/')) return refuse(400, 'request target must be a path');
  if (rawPath.includes('\\') || ENCODED_SPECIALS.test(rawPath)) return refuse(400, 'backslashes and encoded separators are not allowed');
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return refuse(400, 'malformed percent-encoding');
  }
  if (/[\0\\:]/.test(decoded)) return refuse(400, 'forbidden character in path');
  const segments = decoded.slice(1).split('/');
  for (const [index, segment] of segments.entries()) {
    if (segment === '.' || segment === '..') return refuse(400, 'dot segments are not allowed');
    if (segment === '' && index !== segments.length - 1) return refuse(400, 'empty path segment');
  }
  return { ok: true, segments };
}

export type ResolvedFile = { ok: true; file: string; relativePath: string } | PathRefusal;

/**
 * Resolves segments to a regular file inside `rootReal` (an already
 * real-pathed directory). The real path is checked too, so a symlink that
 * points out of the root is refused even when its name looks harmless.
 */
export async function resolveInside(rootReal: string, segments: readonly string[]): Promise<ResolvedFile> {
  if (segments.length === 0 || segments.at(-1) === '') return refuse(404, 'not a file');
  const target = join(rootReal, ...segments);
  if (!isWithin(rootReal, target)) return refuse(404, 'outside the root');
  let real: string;
  try {
    real = await realpath(target);
  } catch {
    return refuse(404, 'no such file');
  }
  if (!isWithin(rootReal, real)) return refuse(404, 'outside the root');
  try {
    if (!(await stat(real)).isFile()) return refuse(404, 'not a file');
  } catch {
    return refuse(404, 'no such file');
  }
  return { ok: true, file: real, relativePath: relative(rootReal, real).split(sep).join('/') };
}

export function isWithin(root: string, target: string): boolean {
  const rel = relative(root, target);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
}

function refuse(status: 400 | 404, reason: string): PathRefusal {
  return { ok: false, status, reason };
}
