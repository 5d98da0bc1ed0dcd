import { open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { isStreamSuitesError } from '@streamsuites/kernel';
import { SS_ERR_CLIPS_POSTER_FAILED } from '../ffmpeg/errors.js';
import { runMedia } from '../ffmpeg/process.js';
import { fileUrl } from '../ffmpeg/probe.js';
import type { PosterRequest, PosterResult } from '../types.js';

/**
 * The poster frame of a clip: one JPEG picture of its video, next to the mp4
 * (`<id>.jpg`), for galleries (the dashboard's clip list).
 *
 * One short ffmpeg run after the cut (never inside the cut's timing): input
 * seek to `atSec` (1 s in, or half the clip when it is shorter than 2 s),
 * decode from the keyframe before it, one frame, scaled down to at most
 * `maxWidth` pixels wide keeping the aspect ratio (never scaled up), JPEG at
 * `-q:v quality`. ~70 ms for a 1280×720 clip on a 2-core machine, most of it
 * ffmpeg's start-up. Written to `<output>.part`, checked (JPEG magic bytes),
 * then renamed: a reader never sees half a poster.
 */

/** Posters are at most this wide (pixels); narrower videos keep their size. */
export const POSTER_MAX_WIDTH = 640;

export interface PosterSettings {
  /** Default 640 (POSTER_MAX_WIDTH). */
  maxWidth?: number;
  /** Where the frame is taken, in seconds from the start of the clip, when the request does not say; default 1. */
  atSec?: number;
  /** ffmpeg's `-q:v` for JPEG, 2 (best) to 31; default 4. */
  quality?: number;
  /** Default 15 s. */
  timeoutMs?: number;
}

export interface MakePosterOptions {
  settings?: PosterSettings | undefined;
  signal?: AbortSignal | undefined;
  killGraceMs?: number | undefined;
  redact?: ((text: string) => string) | undefined;
}

/** The ffmpeg arguments of one poster (exported for tests). */
export function posterArgs(input: string, output: string, options: { atSec: number; maxWidth: number; quality: number }): string[] {
  return [
    '-hide_banner', '-nostdin', '-loglevel', 'error', '-y',
    '-ss', Math.max(0, options.atSec).toFixed(3),
    '-i', fileUrl(input),
    '-map', '0:v:0', '-an', '-sn', '-dn',
    '-frames:v', '1',
    // Never wider than maxWidth, never upscaled; -2 keeps the aspect ratio with an even height.
    '-vf', `scale='min(${Math.floor(options.maxWidth)},iw)':-2`,
    '-q:v', String(options.quality),
    '-f', 'mjpeg', fileUrl(output),
  ];
}

/** True when the bytes start like a JPEG file (SOI marker then another marker: FF D8 FF). */
export function isJpeg(head: Uint8Array): boolean {
  return head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff;
}

/**
 * Writes the poster of `request.input` to `request.output` with `ffmpeg`.
 * Rejects with SS_ERR_CLIPS_POSTER_FAILED (ffmpeg failed or timed out, or
 * wrote no JPEG: e.g. no picture at that time), or SS_ERR_ABORTED when
 * `signal` aborts; the partial file is removed either way.
 */
export async function makePoster(ffmpeg: string, request: PosterRequest, options: MakePosterOptions = {}): Promise<PosterResult> {
  const started = performance.now();
  const settings = options.settings ?? {};
  const output = path.resolve(request.output);
  const part = `${output}.part`;
  const atSec = request.atSec ?? settings.atSec ?? 1;
  try {
    await runMedia(ffmpeg, posterArgs(request.input, part, { atSec, maxWidth: settings.maxWidth ?? POSTER_MAX_WIDTH, quality: settings.quality ?? 4 }), {
      what: 'ffmpeg poster',
      signal: options.signal,
      timeoutMs: settings.timeoutMs ?? 15_000,
      killGraceMs: options.killGraceMs,
      redact: options.redact,
    });
    const { bytes, head } = await readHead(part);
    if (!isJpeg(head)) throw new SS_ERR_CLIPS_POSTER_FAILED(output, bytes === 0 ? 'ffmpeg wrote no picture (nothing to decode at that time?)' : 'ffmpeg wrote no JPEG');
    await rename(part, output);
    return { output, bytes, elapsedMs: Math.round(performance.now() - started) };
  } catch (error) {
    await rm(part, { force: true }).catch(() => {});
    if (options.signal?.aborted || SS_ERR_CLIPS_POSTER_FAILED.is(error)) throw error;
    const reason = isStreamSuitesError(error) || error instanceof Error ? error.message : String(error);
    throw new SS_ERR_CLIPS_POSTER_FAILED(output, reason, { cause: error });
  }
}

async function readHead(file: string): Promise<{ bytes: number; head: Uint8Array }> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { bytes: 0, head: new Uint8Array(0) };
    throw error;
  }
  try {
    const { size } = await handle.stat();
    const head = new Uint8Array(3);
    const { bytesRead } = await handle.read(head, 0, 3, 0);
    return { bytes: size, head: head.subarray(0, bytesRead) };
  } finally {
    await handle.close();
  }
}
