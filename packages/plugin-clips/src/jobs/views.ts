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
    url: clip.state === 'published' ? clip.url : null,
    durationSec: clip.durationSec,
    createdAt: clip.createdAt,
    publishedAt: clip.publishedAt,
  };
}
