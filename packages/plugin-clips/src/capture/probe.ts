/** Whether a capture input can be stream-copied: ffprobe's view of its codecs, with the input options ffprobe understands. */
import { runMedia } from '../ffmpeg/process.js';
import type { CaptureInput } from './args.js';

// ffmpeg-only input options ffprobe refuses: flags, and options with a value.
const FFMPEG_ONLY_FLAGS = new Set(['-re', '-stdin', '-nostdin']);
const FFMPEG_ONLY_WITH_VALUE = new Set(['-readrate', '-readrate_initial_burst', '-stream_loop', '-ss', '-sseof', '-t', '-to', '-itsoffset', '-itsscale', '-thread_queue_size', '-r', '-hwaccel', '-c', '-codec', '-c:v', '-c:a', '-vcodec', '-acodec']);

/** The capture's input options that ffprobe also understands (protocol/demuxer options, -f). */
export function probeInputArgs(inputArgs: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < inputArgs.length; i++) {
    const arg = inputArgs[i]!;
    if (FFMPEG_ONLY_FLAGS.has(arg) || arg === '-copyts') continue;
    if (FFMPEG_ONLY_WITH_VALUE.has(arg)) {
      i++;
      continue;
    }
    out.push(arg);
  }
  return out;
}

/** `copy` when a url input carries H.264 video and AAC audio, else `encode`; throws when ffprobe fails. */
export async function probeCodecs(
  ffprobe: string,
  input: Extract<CaptureInput, { url: string }>,
  options: { redact?: ((text: string) => string) | undefined; signal: AbortSignal },
): Promise<'copy' | 'encode'> {
  const run = await runMedia(ffprobe, [
    '-hide_banner', '-v', 'error', ...probeInputArgs(input.inputArgs ?? []),
    '-show_entries', 'stream=codec_type,codec_name', '-of', 'json', input.url,
  ], { what: 'ffprobe (capture input)', captureStdout: true, timeoutMs: 15_000, redact: options.redact, signal: options.signal });
  const streams = (JSON.parse(run.stdout) as { streams?: { codec_type?: string; codec_name?: string }[] }).streams ?? [];
  const video = streams.find((s) => s.codec_type === 'video');
  const audio = streams.find((s) => s.codec_type === 'audio');
  return video?.codec_name === 'h264' && audio?.codec_name === 'aac' ? 'copy' : 'encode';
}
