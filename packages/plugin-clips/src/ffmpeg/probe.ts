import path from 'node:path';
import type { ProbeResult } from '../types.js';
import { SS_ERR_CLIPS_FFMPEG_FAILED } from './errors.js';
import { runMedia, type RunMediaOptions } from './process.js';

/**
 * ffprobe as JSON (`-show_format -show_streams -of json`) mapped to
 * {@link ProbeResult}. `probeMedia` also reads the first few packets, which
 * the cut's verification uses to check that the clip starts on a video
 * keyframe (a stream-copy cut that does not is not playable from its start).
 */

export interface ProbeOptions extends Omit<RunMediaOptions, 'captureStdout' | 'allowFailure'> {
  /** Default `ffprobe` on PATH (see `locateFfmpeg`). */
  ffprobePath?: string | undefined;
}

export interface ProbeDetails extends ProbeResult {
  formatName?: string;
  /** Frames of the first video stream as the container counts them (mp4), when known. */
  videoFrames?: number;
  /** Whether the first video packet in the file is a keyframe (undefined: no video packet read). */
  startsWithKeyframe?: boolean;
}

interface FfprobeStream {
  index?: number;
  codec_type?: string;
  codec_name?: string;
  width?: number;
  height?: number;
  duration?: string;
  nb_frames?: string;
}
interface FfprobeJson {
  format?: { duration?: string; format_name?: string };
  streams?: FfprobeStream[];
  packets?: { stream_index?: number; flags?: string }[];
}

/** ffprobe's view of `file` (a local path). */
export async function probe(file: string, options: ProbeOptions = {}): Promise<ProbeResult> {
  const { formatName: _f, videoFrames: _v, startsWithKeyframe: _k, ...result } = await probeMedia(file, options);
  return result;
}

/** {@link probe} plus container details used for verification. */
export async function probeMedia(file: string, options: ProbeOptions = {}): Promise<ProbeDetails> {
  const args = [
    '-hide_banner', '-v', 'error',
    '-show_format', '-show_streams',
    // The first packets only (cheap): enough to see the first video packet's flags.
    '-show_packets', '-read_intervals', '%+#8',
    '-show_entries', 'format=duration,format_name:stream=index,codec_type,codec_name,width,height,duration,nb_frames:packet=stream_index,flags',
    '-of', 'json',
    fileUrl(file),
  ];
  const run = await runMedia(options.ffprobePath ?? 'ffprobe', args, { what: 'ffprobe', timeoutMs: 30_000, ...options, captureStdout: true });
  let json: FfprobeJson;
  try {
    json = JSON.parse(run.stdout) as FfprobeJson;
  } catch (error) {
    throw new SS_ERR_CLIPS_FFMPEG_FAILED('ffprobe', 'its output is not JSON', { cause: error, details: { file } });
  }
  return mapProbe(json);
}

/** Pure mapping of ffprobe's JSON (exported for tests). */
export function mapProbe(json: FfprobeJson): ProbeDetails {
  const streams = json.streams ?? [];
  const video = streams.find((s) => s.codec_type === 'video');
  const audio = streams.find((s) => s.codec_type === 'audio');
  const duration = num(json.format?.duration) ?? Math.max(num(video?.duration) ?? 0, num(audio?.duration) ?? 0);
  const out: ProbeDetails = { durationSec: duration, hasVideo: video !== undefined, hasAudio: audio !== undefined };
  if (video?.codec_name) out.videoCodec = video.codec_name;
  if (audio?.codec_name) out.audioCodec = audio.codec_name;
  if (video?.width) out.width = video.width;
  if (video?.height) out.height = video.height;
  if (json.format?.format_name) out.formatName = json.format.format_name;
  const frames = num(video?.nb_frames);
  if (frames !== undefined) out.videoFrames = frames;
  if (video?.index !== undefined) {
    const first = json.packets?.find((p) => p.stream_index === video.index);
    if (first) out.startsWithKeyframe = (first.flags ?? '').includes('K');
  }
  return out;
}

/**
 * A local path as ffmpeg's `file:` URL-ish input, so a name like
 * `http://x`, `pipe:1` or `-y` is a file, never a protocol or an option.
 */
export function fileUrl(file: string): string {
  return `file:${path.resolve(file)}`;
}

function num(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}
