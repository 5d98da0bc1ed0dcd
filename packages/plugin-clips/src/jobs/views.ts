import type { ClipRecord } from '../db/clip-store.js';
import type { ClipState } from '../types.js';

/**
 * The public view of a clip (runtime/exports/clips.json, public galleries):
 * no viewer identifiers (requestedBy), no local paths, no errors or job internals.
 */
export interface PublicClip {
  id: string;
  creatorId: string;
  platform: string;
  title: string;
  state: ClipState;
  /** The destination's public http(s) URL once published; null when it has none (a local folder without `publicBaseUrl`). */
  url: string | null;
  durationSec: number | null;
  createdAt: number;
  publishedAt: number | null;
}

export function toPublicClip(clip: ClipRecord): PublicClip {
  return {
    id: clip.id,
    creatorId: clip.creatorId,
    platform: clip.platform,
    title: clip.title,
    state: clip.state,
    url: clip.state === 'published' ? (publicClipUrl(clip.url) ?? null) : null,
    durationSec: clip.durationSec,
    createdAt: clip.createdAt,
    publishedAt: clip.publishedAt,
  };
}

/**
 * The URL of a clip a public reader may see: an absolute http(s) URL without
 * user info, else undefined. A destination resolves with its URL for the
 * clip; a local folder without `publicBaseUrl` gives the file:// URL of its
 * copy, which is kept in the database (for the operator) but never leaves
 * the machine: not in public exports, not in chat.
 */
export function publicClipUrl(url: string | null | undefined): string | undefined {
  if (typeof url !== 'string' || url === '') return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined; // relative, or a bare path
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
  if (parsed.username !== '' || parsed.password !== '') return undefined;
  return url;
}

/** The kernel's: error texts of clip jobs quote the files they failed on, and clip_jobs.json is mirrored off the machine. */
export { maskLocalPaths } from '@streamsuites/kernel';
