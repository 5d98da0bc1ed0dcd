// Helpers for the media tests and the cut bench: temp folders, lavfi test
// sources as the "live stream", and ring buffers generated faster than real
// time with the capture's own ffmpeg arguments.
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildCaptureArgs, PLAYLIST_NAME, type CaptureInput } from '../src/capture/args.js';
import { runMedia } from '../src/ffmpeg/process.js';

export async function makeTempDir(prefix = 'ss-clips-'): Promise<string> {
  return mkdtemp(path.join(tmpdir(), prefix));
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

export async function listDir(dir: string): Promise<string[]> {
  return (await readdir(dir).catch(() => [] as string[])).sort();
}

export interface TestSourceOptions {
  /** Default 320x180. */
  size?: string;
  /** Default 30. */
  rate?: number;
  /** `-re`: read at real time, like a live stream. Default false. */
  realtime?: boolean;
  /** Default true. */
  audio?: boolean;
}

/** testsrc2 video + a 440 Hz sine as an ffmpeg input (a "live stream" when realtime). */
export function testSource(options: TestSourceOptions = {}): CaptureInput {
  const re = options.realtime ? ['-re'] : [];
  const args = [...re, '-f', 'lavfi', '-i', `testsrc2=size=${options.size ?? '320x180'}:rate=${options.rate ?? 30}`];
  if (options.audio ?? true) args.push(...re, '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000');
  return { args };
}

export interface GenerateBufferOptions extends TestSourceOptions {
  seconds: number;
  segmentSec?: number;
  /** x264 preset of the capture encode; default ultrafast (setup speed). */
  preset?: string;
}

/**
 * A ring buffer (playlist + segments) in `dir`, as the capture writes it,
 * generated as fast as ffmpeg can (no `-re`). Returns the playlist path.
 */
export async function generateBuffer(dir: string, options: GenerateBufferOptions): Promise<string> {
  const segmentSec = options.segmentSec ?? 1;
  const args = buildCaptureArgs({
    input: testSource(options),
    codecs: 'encode',
    encode: { preset: options.preset ?? 'ultrafast' },
    segmentSec,
    listSize: Math.ceil(options.seconds / segmentSec) + 2,
    segmentPrefix: 'r1-',
    durationSec: options.seconds,
    logLevel: 'error',
  });
  await runMedia('ffmpeg', args, { cwd: dir, timeoutMs: 120_000, what: 'generate test buffer' });
  return path.join(dir, PLAYLIST_NAME);
}

/** Resolves when `predicate` holds, re-checking on every `subscribe` notification; rejects at the deadline. */
export function until<T>(what: string, timeoutMs: number, subscribe: (check: () => void) => () => void, predicate: () => T | undefined): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let unsubscribe = () => {};
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    const check = () => {
      const value = predicate();
      if (value !== undefined) {
        clearTimeout(timer);
        unsubscribe();
        resolve(value);
      }
    };
    unsubscribe = subscribe(check);
    check();
  });
}

/** Pids of ffmpeg processes whose command line names `dir` (Linux /proc). */
export function ffmpegPidsIn(dir: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (/(^|\/)ffmpeg$/.test(argv[0]!) && argv.some((arg) => arg.includes(dir))) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}
