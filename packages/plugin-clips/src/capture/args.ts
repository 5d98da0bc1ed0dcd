import { SS_ERR_CLIPS_CAPTURE_INVALID } from '../ffmpeg/errors.js';

/**
 * The capture's ffmpeg command line: any ffmpeg input → an HLS ring buffer
 * (`index.m3u8` + MPEG-TS segments) in the working directory.
 *
 * - Segments: `-hls_time <segmentSec>` (default 1 s). When we encode, a
 *   keyframe is forced every `segmentSec`, so every segment is exactly that
 *   long and starts on a keyframe: a stream-copy cut can start at any
 *   segment boundary, so its length is within half a segment of the request,
 *   and the live edge is at most one segment behind. When the input is
 *   copied, boundaries are the source's keyframes (usually 2 s for Twitch /
 *   YouTube), still playable, just coarser.
 * - Ring: `-hls_list_size N` (N segments = the window) with
 *   `delete_segments` and a delete threshold, so a segment leaves the disk
 *   only a few segments after it left the playlist (a cut that just read the
 *   playlist still finds its files); `temp_file` so the playlist and the
 *   segments it lists are always complete; `program_date_time` to map
 *   segments to wall-clock time.
 * - File names are relative (the process runs with cwd = the buffer folder),
 *   so the folder's path never meets ffmpeg's `%d` patterns or protocols.
 */

export const PLAYLIST_NAME = 'index.m3u8';

/** A URL (with optional ffmpeg input options placed before `-i`), or complete input arguments. */
export type CaptureInput =
  | { url: string; inputArgs?: readonly string[] }
  | { args: readonly string[] };

/** `auto`: copy when the input is H.264 + AAC (probed; only for `url` inputs), else encode. */
export type CaptureCodecs = 'auto' | 'copy' | 'encode';

export interface EncodeSettings {
  /** libx264 preset; default `veryfast`. */
  preset?: string;
  /** libx264 CRF; default 23. Ignored when `videoBitrate` is set. */
  crf?: number;
  /** e.g. `4500k` (constrained: maxrate = this, bufsize = 2x). */
  videoBitrate?: string;
  /** Scale to this height (width keeps the aspect, even). */
  height?: number;
  /** Output frame rate. */
  fps?: number;
  /** AAC bitrate; default `128k`. */
  audioBitrate?: string;
}

export interface CaptureArgsOptions {
  input: CaptureInput;
  codecs: 'copy' | 'encode';
  encode?: EncodeSettings | undefined;
  segmentSec: number;
  /** Segments kept in the playlist. */
  listSize: number;
  /** Segments kept on disk after leaving the playlist. Default 5. */
  deleteThreshold?: number | undefined;
  /** Segment file name prefix (unique per capture run). Default `seg`. */
  segmentPrefix?: string | undefined;
  /** Stop after this many seconds of input (pre-generated buffers in tests and benches). */
  durationSec?: number | undefined;
  /** ffmpeg log level; default `warning`. */
  logLevel?: string | undefined;
}

const ALLOWED_PROTOCOLS = new Set(['http:', 'https:', 'rtmp:', 'rtmps:', 'rtsp:', 'rtsps:', 'srt:', 'tcp:', 'udp:', 'file:']);

export function validateCaptureInput(input: CaptureInput): void {
  if ('url' in input) {
    const { url } = input;
    if (typeof url !== 'string' || url.length === 0 || url.includes('\0')) throw new SS_ERR_CLIPS_CAPTURE_INVALID('the input url must be a non-empty string without NUL');
    let protocol: string;
    try {
      protocol = new URL(url).protocol;
    } catch {
      throw new SS_ERR_CLIPS_CAPTURE_INVALID('the input url is not a URL (use { args } for other ffmpeg inputs)');
    }
    if (!ALLOWED_PROTOCOLS.has(protocol)) throw new SS_ERR_CLIPS_CAPTURE_INVALID(`input protocol "${protocol}" is not allowed (${[...ALLOWED_PROTOCOLS].join(' ')})`);
    checkArgs(input.inputArgs ?? [], 'inputArgs');
    return;
  }
  if (!Array.isArray(input.args)) throw new SS_ERR_CLIPS_CAPTURE_INVALID('input needs { url } or { args }');
  checkArgs(input.args, 'args');
  if (!input.args.includes('-i')) throw new SS_ERR_CLIPS_CAPTURE_INVALID('input args must contain -i');
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/;

/**
 * ffmpeg input options sending `headers` with every HTTP request of the
 * input (the playlist and each segment): `-headers "Name: value\r\n..."`,
 * except User-Agent, which goes to `-user_agent` (ffmpeg sends its own
 * otherwise, and a second one would be a duplicate header). Names must be
 * HTTP tokens and values hold no line break: nothing can add a header or a
 * request line of its own.
 */
export function headerInputArgs(headers: Readonly<Record<string, string>> = {}): string[] {
  const args: string[] = [];
  let block = '';
  for (const [name, value] of Object.entries(headers)) {
    if (!HEADER_NAME.test(name)) throw new SS_ERR_CLIPS_CAPTURE_INVALID(`the input header name ${JSON.stringify(name.slice(0, 100))} is not an HTTP token`);
    if (typeof value !== 'string' || /[\r\n\0]/.test(value)) throw new SS_ERR_CLIPS_CAPTURE_INVALID(`the input header "${name}" must be a string without line breaks or NUL`);
    if (name.toLowerCase() === 'user-agent') args.push('-user_agent', value);
    else block += `${name}: ${value}\r\n`;
  }
  if (block !== '') args.push('-headers', block);
  return args;
}

function checkArgs(args: readonly unknown[], name: string): void {
  if (!args.every((a) => typeof a === 'string' && !a.includes('\0'))) throw new SS_ERR_CLIPS_CAPTURE_INVALID(`${name} must be strings without NUL`);
}

/** ffmpeg arguments (without the binary) of one capture run. */
export function buildCaptureArgs(options: CaptureArgsOptions): string[] {
  const { input, segmentSec, listSize } = options;
  validateCaptureInput(input);
  if (!(segmentSec > 0 && segmentSec <= 10)) throw new SS_ERR_CLIPS_CAPTURE_INVALID('segmentSec must be in (0, 10]');
  if (!Number.isInteger(listSize) || listSize < 2) throw new SS_ERR_CLIPS_CAPTURE_INVALID('the window must hold at least 2 segments');
  const prefix = options.segmentPrefix ?? 'seg';
  if (!/^[A-Za-z0-9_-]{1,40}$/.test(prefix)) throw new SS_ERR_CLIPS_CAPTURE_INVALID('segmentPrefix must be [A-Za-z0-9_-]{1,40}');
  const args = ['-hide_banner', '-nostats', '-loglevel', options.logLevel ?? 'warning', '-y'];
  if ('url' in input) args.push(...(input.inputArgs ?? []), '-i', input.url);
  else args.push(...input.args);
  if (options.durationSec !== undefined) args.push('-t', String(options.durationSec));
  if (options.codecs === 'copy') {
    args.push('-c', 'copy');
  } else {
    const e = options.encode ?? {};
    const filters: string[] = [];
    if (e.height !== undefined) filters.push(`scale=-2:${Math.round(e.height)}`);
    if (filters.length > 0) args.push('-vf', filters.join(','));
    if (e.fps !== undefined) args.push('-r', String(e.fps));
    args.push('-c:v', 'libx264', '-preset', e.preset ?? 'veryfast', '-pix_fmt', 'yuv420p');
    if (e.videoBitrate !== undefined) args.push('-b:v', e.videoBitrate, '-maxrate', e.videoBitrate, '-bufsize', doubleRate(e.videoBitrate));
    else args.push('-crf', String(e.crf ?? 23));
    // A keyframe at every segment boundary: exact segments, each a valid cut start.
    args.push('-force_key_frames', `expr:gte(t,n_forced*${segmentSec})`);
    args.push('-c:a', 'aac', '-b:a', e.audioBitrate ?? '128k');
  }
  args.push(
    '-f', 'hls',
    '-hls_time', String(segmentSec),
    '-hls_list_size', String(listSize),
    '-hls_delete_threshold', String(options.deleteThreshold ?? 5),
    '-hls_flags', 'delete_segments+program_date_time+temp_file',
    '-hls_segment_type', 'mpegts',
    '-hls_segment_filename', `${prefix}%06d.ts`,
    PLAYLIST_NAME,
  );
  return args;
}

function doubleRate(rate: string): string {
  const m = /^(\d+(?:\.\d+)?)([kKmM]?)$/.exec(rate.trim());
  if (!m) throw new SS_ERR_CLIPS_CAPTURE_INVALID(`videoBitrate "${rate}" is not like 4500k`);
  return `${Number(m[1]) * 2}${m[2]}`;
}
