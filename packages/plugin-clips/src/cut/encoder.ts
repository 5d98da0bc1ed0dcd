import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SS_ERR_ABORTED } from '@streamsuites/kernel';
import type { CutMode, CutRequest, CutResult, Encoder, PosterRequest, PosterResult, ProbeResult } from '../types.js';
import {
  SS_ERR_CLIPS_BUFFER_EMPTY,
  SS_ERR_CLIPS_CUT_INVALID,
  SS_ERR_CLIPS_PLAYLIST_INVALID,
  SS_ERR_CLIPS_VERIFY_FAILED,
} from '../ffmpeg/errors.js';
import { locateFfmpeg, type FfmpegBinaries, type FfmpegPathOptions } from '../ffmpeg/locate.js';
import { ffmpegVersion, runMedia, superviseMedia } from '../ffmpeg/process.js';
import { fileUrl, probe, type ProbeDetails } from '../ffmpeg/probe.js';
import { continuousTail, parsePlaylist } from '../capture/playlist.js';
import { inspectMp4 } from './mp4.js';
import { mpegTsStartSec } from './mpegts.js';
import { planCut, type CutPlan } from './plan.js';
import { FfmpegPrestart, prestartScript, type PrestartedCut } from './prestart.js';
import { makePoster, type PosterSettings } from './poster.js';

/**
 * The {@link Encoder} on ffmpeg/ffprobe (through the typed spawn wrapper in
 * `src/ffmpeg/`; fluent-ffmpeg is archived upstream).
 *
 * `cut()`:
 * 1. validates the request (seconds 1..maxClipSec, offset >= 0, paths
 *    without NUL, a known mode);
 * 2. reads the ring buffer's playlist and plans the cut (`planCut`: the last
 *    `seconds` before the newest segment's end minus `offsetSec`, clamped to
 *    what the buffer holds);
 * 3. joins the segments with ffmpeg's `concat:` protocol — the capture's
 *    MPEG-TS segments are one continuous stream, so their bytes concatenate
 *    into a valid TS with continuous timestamps (the concat *demuxer* re-bases
 *    each file and leaves A/V gaps at every boundary) — and writes an mp4:
 *    `-c copy` (stream copy, ~0.1 s) or libx264 veryfast + AAC;
 *    `-movflags +faststart` so players can start before the download ends.
 *    With `prestart`, a copy cut runs on an ffmpeg started ahead for the
 *    output folder (see `prestart.ts`: ~65 ms of start-up saved), else on a
 *    new one;
 * 4. verifies what ffmpeg wrote in-process (`inspectMp4`: the box structure
 *    and sample tables fit the file, duration within `toleranceSec` of the
 *    plan, video and audio present, frames present, the first picture a
 *    keyframe) and renames it to `output`; on any failure, abort or timeout
 *    the partial files are removed. No ffprobe: its start-up and probing
 *    cost more than the copy itself.
 *
 * The result carries the time of each step (`steps`: plan, ffmpeg, verify).
 *
 * A spawned cut runs with cwd = the buffer folder and plain segment names
 * (checked); a pre-started one gets `file:` URLs of the same checked names,
 * and may open only `file` and `concat` URLs. The output is a `file:` URL
 * and every value one argv element: no shell, no option or protocol
 * injection through paths.
 */

export interface ReencodeSettings {
  /** Default `veryfast`. */
  preset?: string;
  /** Default 23. */
  crf?: number;
  /** Default `128k`. */
  audioBitrate?: string;
}

export interface FfmpegEncoderOptions extends FfmpegPathOptions {
  /** Resolved binaries (else located from ffmpegPath/ffprobePath). */
  binaries?: FfmpegBinaries;
  /** The longest clip accepted; default 300 s. */
  maxClipSec?: number;
  /** The largest latency offset accepted; default 60 s. */
  maxOffsetSec?: number;
  /** Allowed difference between the probed and the planned duration; default 1 s. */
  toleranceSec?: number;
  /** Fail verification without an audio stream; default true. */
  requireAudio?: boolean;
  reencode?: ReencodeSettings;
  /** Per run; defaults: copy 30 s, reencode 10 min, ffprobe (`probe()`) 30 s. */
  timeouts?: { copyMs?: number; reencodeMs?: number; probeMs?: number };
  /** Between SIGTERM and SIGKILL on abort/timeout; default 1 s. */
  killGraceMs?: number;
  /** Extra masking for error text (e.g. the kernel SecretRegistry's redactString). */
  redact?: (text: string) => string;
  /**
   * Keep one ffmpeg started ahead for the next stream-copy cut (into the
   * folder of the last one, or the one given to `prepare`), saving its
   * start-up (~65 ms) on that cut. It waits on stdin and writes nothing
   * until used; `close()` stops it. Default false.
   */
  prestart?: boolean;
  /** The poster frame `poster()` makes: width at most 640 px, 1 s in, `-q:v 4`, 15 s timeout by default. */
  poster?: PosterSettings;
}

/** Above this many characters, the segment list goes through a `concatf:` list file (Windows command lines stop at 32 K). */
const MAX_INLINE_CONCAT = 4000;

export class FfmpegEncoder implements Encoder {
  readonly binaries: FfmpegBinaries;
  readonly #options: FfmpegEncoderOptions;
  readonly #prestart: FfmpegPrestart | undefined;
  #version: Promise<string> | undefined;

  constructor(options: FfmpegEncoderOptions = {}) {
    this.#options = options;
    this.binaries = options.binaries ?? locateFfmpeg(options);
    this.#prestart = options.prestart
      ? new FfmpegPrestart({ ffmpeg: this.binaries.ffmpeg, redact: options.redact, killGraceMs: options.killGraceMs })
      : undefined;
  }

  /**
   * With `prestart`: starts the ffmpeg for the next copy cut into
   * `outputDir` now (else the first cut there spawns its own and starts
   * one for the next). Resolves true once it is ready; false without
   * `prestart`, after `close()`, or when it could not start (cuts then
   * spawn ffmpeg as usual).
   */
  prepare(outputDir: string): Promise<boolean> {
    return this.#prestart?.prepare(outputDir) ?? Promise.resolve(false);
  }

  /** Stops the pre-started ffmpeg, if any; cuts still work (each spawns its ffmpeg). Idempotent. */
  async close(): Promise<void> {
    await this.#prestart?.close();
  }

  version(): Promise<string> {
    this.#version ??= ffmpegVersion({ ffmpegPath: this.binaries.ffmpeg, redact: this.#options.redact });
    // A failed look-up is not cached: ffmpeg may be installed while we run.
    this.#version.catch(() => {
      this.#version = undefined;
    });
    return this.#version;
  }

  probe(file: string, signal?: AbortSignal): Promise<ProbeResult> {
    checkPath(file, 'file');
    return probe(file, this.#probeOptions(signal));
  }

  /**
   * A JPEG poster frame of a cut clip (see `poster.ts`): its own short ffmpeg
   * run, after and apart from `cut()` (whose timing it never adds to).
   * Rejects with SS_ERR_CLIPS_POSTER_FAILED (or SS_ERR_ABORTED).
   */
  poster(request: PosterRequest, signal?: AbortSignal): Promise<PosterResult> {
    checkPath(request.input, 'input');
    checkPath(request.output, 'output');
    return makePoster(this.binaries.ffmpeg, request, {
      settings: this.#options.poster,
      signal,
      killGraceMs: this.#options.killGraceMs,
      redact: this.#options.redact,
    });
  }

  async cut(request: CutRequest, signal?: AbortSignal): Promise<CutResult> {
    const started = performance.now();
    const { seconds, offsetSec, mode } = this.#validate(request);
    const output = path.resolve(request.output);
    const outputDir = path.dirname(output);
    const playlistFile = path.resolve(request.playlist);
    const bufferDir = path.dirname(playlistFile);
    if (signal?.aborted) throw new SS_ERR_ABORTED('clip cut', { cause: signal.reason });

    let text: string;
    try {
      text = await readFile(playlistFile, 'utf8');
    } catch (error) {
      throw new SS_ERR_CLIPS_BUFFER_EMPTY(playlistFile, (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no playlist (no capture running?)' : String(error), { cause: error });
    }
    let segments;
    try {
      segments = continuousTail(parsePlaylist(text));
    } catch (error) {
      throw new SS_ERR_CLIPS_PLAYLIST_INVALID(playlistFile, (error as Error).message, { cause: error });
    }
    // A clip asked for at `endAt` but cut later (queued, retried) ends where it was asked for, not at the live edge.
    const plan = planCut(playlistFile, segments, { seconds, offsetSec: offsetSec + lagSec(segments, request.endAt), mode });
    await mkdir(outputDir, { recursive: true });
    const prestarted = mode === 'copy' ? await this.#takePrestarted(bufferDir, outputDir, plan) : undefined;
    const planned = performance.now();

    const part = prestarted?.cut.part ?? `${output}.part`;
    const list = `${output}.part.list`;
    let ran = planned;
    try {
      const what = `ffmpeg ${mode} cut`;
      const timeoutMs = mode === 'copy' ? (this.#options.timeouts?.copyMs ?? 30_000) : (this.#options.timeouts?.reencodeMs ?? 600_000);
      const killGraceMs = this.#options.killGraceMs;
      if (prestarted) {
        if (!signal?.aborted) prestarted.cut.child.feed(prestarted.script);
        await superviseMedia(prestarted.cut.child, { what, signal, timeoutMs, killGraceMs });
      } else {
        const joined = `concat:${plan.segments.join('|')}`;
        let input = joined;
        if (joined.length > MAX_INLINE_CONCAT) {
          await writeFile(list, `${plan.segments.join('\n')}\n`);
          input = `concatf:${list}`;
        }
        await runMedia(this.binaries.ffmpeg, cutArgs(input, plan, mode, part, this.#options.reencode), {
          what, cwd: bufferDir, signal, timeoutMs, killGraceMs, redact: this.#options.redact,
        });
      }
      ran = performance.now();
      const inspected = await inspectMp4(part);
      this.#verify(output, plan, inspected.probe, inspected.problems);
      await rename(part, output);
      const verified = performance.now();
      const { formatName: _f, videoFrames: _v, startsWithKeyframe: _k, ...probed } = inspected.probe;
      return {
        output,
        probe: probed,
        seconds: plan.durationSec,
        clamped: plan.clamped,
        elapsedMs: Math.round(verified - started),
        steps: { planMs: ms(planned - started), ffmpegMs: ms(ran - planned), verifyMs: ms(verified - ran), prestarted: prestarted !== undefined },
      };
    } catch (error) {
      await rm(part, { force: true }).catch(() => {});
      throw error;
    } finally {
      await rm(list, { force: true }).catch(() => {});
      // The next copy cut into this folder finds an ffmpeg ready.
      if (mode === 'copy' && this.#prestart) void this.#prestart.prepare(outputDir);
    }
  }

  /**
   * A pre-started ffmpeg for this copy cut and its script, when one waits
   * for `outputDir` and the cut can be written as a script (the first
   * segment's start time is readable, no path holds a `|`).
   */
  async #takePrestarted(bufferDir: string, outputDir: string, plan: CutPlan): Promise<{ cut: PrestartedCut; script: string } | undefined> {
    if (!this.#prestart?.waitsFor(outputDir)) return undefined;
    let startSec: number | undefined;
    try {
      startSec = mpegTsStartSec(await readFile(path.join(bufferDir, plan.segments[0]!)));
    } catch {
      return undefined; // e.g. the segment just left the ring: the spawned cut reports it properly
    }
    if (startSec === undefined) return undefined;
    const script = prestartScript(plan.segments.map((s) => path.join(bufferDir, s)), startSec + plan.durationSec);
    if (script === undefined) return undefined;
    const cut = this.#prestart.take(outputDir); // gone meanwhile (another cut took it, it died): this cut spawns its own
    return cut === undefined ? undefined : { cut, script };
  }

  #validate(request: CutRequest): { seconds: number; offsetSec: number; mode: CutMode } {
    if (typeof request !== 'object' || request === null) throw new SS_ERR_CLIPS_CUT_INVALID('the request must be an object');
    const maxClip = this.#options.maxClipSec ?? 300;
    const maxOffset = this.#options.maxOffsetSec ?? 60;
    const { seconds, mode } = request;
    const offsetSec = request.offsetSec ?? 0;
    if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 1 || seconds > maxClip) {
      throw new SS_ERR_CLIPS_CUT_INVALID(`seconds must be a number from 1 to ${maxClip} (got ${String(seconds)})`);
    }
    if (typeof offsetSec !== 'number' || !Number.isFinite(offsetSec) || offsetSec < 0 || offsetSec > maxOffset) {
      throw new SS_ERR_CLIPS_CUT_INVALID(`offsetSec must be a number from 0 to ${maxOffset} (got ${String(offsetSec)})`);
    }
    if (mode !== 'copy' && mode !== 'reencode') throw new SS_ERR_CLIPS_CUT_INVALID(`mode must be "copy" or "reencode" (got ${String(mode)})`);
    checkPath(request.playlist, 'playlist');
    checkPath(request.output, 'output');
    if (path.resolve(request.output) === path.resolve(request.playlist)) throw new SS_ERR_CLIPS_CUT_INVALID('output must not be the playlist');
    return { seconds, offsetSec, mode };
  }

  #verify(output: string, plan: CutPlan, p: ProbeDetails, structural: readonly string[]): void {
    const tolerance = this.#options.toleranceSec ?? 1;
    const problems: string[] = [...structural];
    if (!p.hasVideo) problems.push('no video stream');
    if (!p.hasAudio && (this.#options.requireAudio ?? true)) problems.push('no audio stream');
    if (!(Math.abs(p.durationSec - plan.durationSec) <= tolerance)) problems.push(`duration ${p.durationSec} s, expected ${plan.durationSec} s ± ${tolerance} s`);
    if (p.hasVideo && p.videoFrames !== undefined && p.videoFrames < 1) problems.push('no video frames');
    if (p.hasVideo && p.startsWithKeyframe === false) problems.push('does not start on a keyframe');
    if (problems.length > 0) throw new SS_ERR_CLIPS_VERIFY_FAILED(output, problems.join('; '), { details: { probe: p, plan, problems } });
  }

  #probeOptions(signal: AbortSignal | undefined) {
    return {
      ffprobePath: this.binaries.ffprobe,
      signal,
      timeoutMs: this.#options.timeouts?.probeMs ?? 30_000,
      killGraceMs: this.#options.killGraceMs,
      redact: this.#options.redact,
    };
  }
}

/** The ffmpeg arguments of one cut (exported for tests). */
export function cutArgs(input: string, plan: CutPlan, mode: CutMode, output: string, reencode: ReencodeSettings = {}): string[] {
  const args = ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y', '-i', input];
  // The first video and (when present) audio stream; subtitles/data in the TS are not wanted.
  args.push('-map', '0:v:0', '-map', '0:a:0?');
  if (mode === 'copy') {
    args.push('-t', plan.durationSec.toFixed(3), '-c', 'copy');
  } else {
    if (plan.skipSec > 0) args.push('-ss', plan.skipSec.toFixed(3));
    args.push(
      '-t', plan.durationSec.toFixed(3),
      '-c:v', 'libx264', '-preset', reencode.preset ?? 'veryfast', '-crf', String(reencode.crf ?? 23), '-pix_fmt', 'yuv420p',
      '-c:a', 'aac', '-b:a', reencode.audioBitrate ?? '128k',
    );
  }
  args.push('-movflags', '+faststart', '-f', 'mp4', fileUrl(output));
  return args;
}

function ms(value: number): number {
  return Math.round(value * 10) / 10;
}

function checkPath(value: unknown, name: string): asserts value is string {
  if (typeof value !== 'string' || value.trim().length === 0) throw new SS_ERR_CLIPS_CUT_INVALID(`${name} must be a non-empty path`);
  // eslint-disable-next-line no-control-regex
  if (/[\0\r\n]/.test(value)) throw new SS_ERR_CLIPS_CUT_INVALID(`${name} must not contain NUL or line breaks`);
  if (value.length > 4096) throw new SS_ERR_CLIPS_CUT_INVALID(`${name} is longer than 4096 characters`);
}

/** Seconds between `endAt` (epoch ms) and the buffer's newest wall-clock time (EXT-X-PROGRAM-DATE-TIME); 0 when unknown. */
export function lagSec(segments: readonly { programDateTime?: number; durationSec: number }[], endAt: number | undefined): number {
  const last = segments.at(-1);
  if (endAt === undefined || last?.programDateTime === undefined) return 0;
  const bufferEnd = last.programDateTime + last.durationSec * 1000;
  return Math.max(0, (bufferEnd - endAt) / 1000);
}
