import { readFile } from 'node:fs/promises';

/**
 * The ring buffer's HLS media playlist, as the capture's ffmpeg writes it
 * (`-f hls` with `program_date_time` and `temp_file`: the playlist is
 * replaced atomically and lists only finished segments).
 */

export interface PlaylistSegment {
  /** As written in the playlist (a file name beside it). */
  uri: string;
  durationSec: number;
  /** Media sequence number. */
  sequence: number;
  /** Seconds from the start of the playlist's first segment. */
  startSec: number;
  /** Wall-clock start (EXT-X-PROGRAM-DATE-TIME), epoch ms, when written. */
  programDateTime?: number;
  /** A discontinuity (e.g. another capture run) starts at this segment. */
  discontinuity: boolean;
}

export interface Playlist {
  targetDurationSec: number;
  mediaSequence: number;
  segments: PlaylistSegment[];
  /** EXT-X-ENDLIST seen (the capture finished). */
  ended: boolean;
}

export function parsePlaylist(text: string): Playlist {
  const lines = text.split(/\r?\n/);
  if (lines[0]?.trim() !== '#EXTM3U') throw new Error('not an HLS playlist (no #EXTM3U)');
  let targetDurationSec = 0;
  let mediaSequence = 0;
  let ended = false;
  const segments: PlaylistSegment[] = [];
  let pendingDuration: number | undefined;
  let pendingPdt: number | undefined;
  let pendingDiscontinuity = false;
  let startSec = 0;
  for (const raw of lines.slice(1)) {
    const line = raw.trim();
    if (line === '') continue;
    if (line.startsWith('#')) {
      const colon = line.indexOf(':');
      const tag = colon === -1 ? line : line.slice(0, colon);
      const value = colon === -1 ? '' : line.slice(colon + 1);
      switch (tag) {
        case '#EXT-X-TARGETDURATION':
          targetDurationSec = Number(value) || 0;
          break;
        case '#EXT-X-MEDIA-SEQUENCE':
          mediaSequence = Number.parseInt(value, 10) || 0;
          break;
        case '#EXTINF': {
          const d = Number.parseFloat(value.split(',')[0] ?? '');
          if (!Number.isFinite(d) || d < 0) throw new Error(`bad #EXTINF duration "${value}"`);
          pendingDuration = d;
          break;
        }
        case '#EXT-X-PROGRAM-DATE-TIME': {
          const t = Date.parse(normalizeIsoOffset(value));
          pendingPdt = Number.isFinite(t) ? t : undefined;
          break;
        }
        case '#EXT-X-DISCONTINUITY':
          pendingDiscontinuity = true;
          break;
        case '#EXT-X-ENDLIST':
          ended = true;
          break;
        default:
          break;
      }
      continue;
    }
    if (pendingDuration === undefined) throw new Error(`segment "${line}" has no #EXTINF`);
    const segment: PlaylistSegment = {
      uri: line,
      durationSec: pendingDuration,
      sequence: mediaSequence + segments.length,
      startSec,
      discontinuity: pendingDiscontinuity,
    };
    if (pendingPdt !== undefined) segment.programDateTime = pendingPdt;
    segments.push(segment);
    startSec = Math.round((startSec + pendingDuration) * 1e6) / 1e6;
    pendingDuration = undefined;
    pendingPdt = undefined;
    pendingDiscontinuity = false;
  }
  return { targetDurationSec, mediaSequence, segments, ended };
}

export async function readPlaylist(file: string): Promise<Playlist> {
  return parsePlaylist(await readFile(file, 'utf8'));
}

/** The segments after the last discontinuity: one continuous run of the capture. */
export function continuousTail(playlist: Playlist): PlaylistSegment[] {
  let from = 0;
  playlist.segments.forEach((s, i) => {
    if (s.discontinuity) from = i;
  });
  return playlist.segments.slice(from);
}

/** Seconds of continuous media the playlist holds (its latest run). */
export function playlistSeconds(playlist: Playlist): number {
  return continuousTail(playlist).reduce((sum, s) => sum + s.durationSec, 0);
}

// ffmpeg writes "+0000"; Date.parse wants "+00:00".
function normalizeIsoOffset(value: string): string {
  return value.trim().replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
}
