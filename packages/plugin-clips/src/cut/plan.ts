import type { CutMode } from '../types.js';
import { SS_ERR_CLIPS_BUFFER_EMPTY, SS_ERR_CLIPS_PLAYLIST_INVALID } from '../ffmpeg/errors.js';
import type { PlaylistSegment } from '../capture/playlist.js';

/**
 * Which segments a cut reads, where it starts and how long it is. Pure.
 *
 * The clip ends at the newest segment's end minus `offsetSec` (the
 * platform's latency) and should start `seconds` earlier; when the buffer
 * holds less, it starts at the oldest segment (`clamped`).
 *
 * - copy: a stream copy must start on a keyframe, i.e. a segment boundary.
 *   The boundary nearest the wanted start is used (ties: the earlier one), so
 *   the clip is within half a segment of the request (±0.5 s with the
 *   capture's 1 s segments). The end is cut exactly (`-t`).
 * - reencode: starts at the segment holding the wanted start and skips into
 *   it (`-ss` after decoding), so the length is exact.
 */

export interface CutPlan {
  /** Segment file names, in order (relative to the playlist's folder). */
  segments: string[];
  /** Seconds to skip into the first segment (reencode only; 0 for copy). */
  skipSec: number;
  /** Seconds written. */
  durationSec: number;
  /** The buffer held less than requested. */
  clamped: boolean;
  /** Seconds the buffer held (its continuous run). */
  bufferedSec: number;
}

const EPS = 1e-3;
const SAFE_SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

export function planCut(
  playlistName: string,
  segments: readonly PlaylistSegment[],
  request: { seconds: number; offsetSec: number; mode: CutMode },
): CutPlan {
  for (const s of segments) {
    if (!SAFE_SEGMENT.test(s.uri) || s.uri.includes('..')) {
      throw new SS_ERR_CLIPS_PLAYLIST_INVALID(playlistName, `segment "${s.uri.slice(0, 80)}" is not a plain file name`);
    }
  }
  // Times relative to the first segment of the run.
  const base = segments[0]?.startSec ?? 0;
  const starts = segments.map((s) => s.startSec - base);
  const total = segments.reduce((sum, s) => sum + s.durationSec, 0);
  if (segments.length === 0 || total <= EPS) throw new SS_ERR_CLIPS_BUFFER_EMPTY(playlistName, 'the buffer holds no segments yet');
  const end = total - request.offsetSec;
  if (end < 1 - EPS) {
    throw new SS_ERR_CLIPS_BUFFER_EMPTY(playlistName, `the buffer holds ${round(total)} s; moving the end back ${round(request.offsetSec)} s leaves less than 1 s`);
  }
  const wantedStart = end - request.seconds;
  const clamped = wantedStart < -EPS;

  // The segment holding the wanted start (or the first one).
  let first = 0;
  if (!clamped) {
    for (let i = 0; i < segments.length; i++) {
      if (starts[i]! <= wantedStart + EPS) first = i;
      else break;
    }
  }
  let startAt = starts[first]!;
  let skipSec = 0;
  if (!clamped) {
    if (request.mode === 'copy') {
      const next = first + 1 < segments.length ? starts[first + 1]! : Number.POSITIVE_INFINITY;
      // The nearer boundary; never one that would leave less than 1 s.
      if (next - wantedStart < wantedStart - startAt - EPS && end - next >= 1 - EPS) {
        first += 1;
        startAt = next;
      }
    } else {
      skipSec = Math.max(0, wantedStart - startAt);
    }
  }
  // The last segment that starts before the end.
  let last = first;
  for (let i = first; i < segments.length; i++) {
    if (starts[i]! < end - EPS) last = i;
  }
  const durationSec = end - startAt - skipSec;
  return {
    segments: segments.slice(first, last + 1).map((s) => s.uri),
    skipSec: round(skipSec),
    durationSec: round(durationSec),
    clamped,
    bufferedSec: round(total),
  };
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
