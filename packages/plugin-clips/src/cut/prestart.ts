import path from 'node:path';
import { MediaProcess } from '../ffmpeg/process.js';
import { fileUrl } from '../ffmpeg/probe.js';

/**
 * A pre-started ffmpeg for the next stream-copy cut.
 *
 * Starting Debian's ffmpeg costs ~65 ms of CPU before it reads a byte: the
 * dynamic loader binds ~215 shared libraries (BIND_NOW), which is most of a
 * 30 s copy cut's budget. So after a cut (or when asked, `prepare`), one
 * ffmpeg is started ahead for the output folder and waits on stdin; the next
 * copy cut into that folder gives it its input and skips the start-up.
 *
 * A process's arguments are fixed when it starts, so the per-cut part of the
 * command comes in on stdin as an ffconcat script (the concat demuxer reading
 * `pipe:0`), with exactly one entry: the segments joined by the `concat:`
 * protocol (byte concatenation, so timestamps stay continuous, as in the
 * spawned cut), and the cut's end as its `outpoint` — in the input's own
 * timestamps, which is why the cut reads the first segment's start
 * (`mpegTsStartSec`). The protocols the script may name are limited to
 * `file` and `concat` (`-protocol_whitelist`), and each path is a `file:`
 * URL of a checked segment name.
 *
 * Safe when idle: ffmpeg opens its output only after its input, so an idle
 * one has written nothing; when Node exits (or is killed), its stdin closes,
 * ffmpeg reads an empty script and exits without creating a file. Once
 * ready it does not keep Node's event loop alive.
 */

export interface PrestartOptions {
  ffmpeg: string;
  redact?: ((text: string) => string) | undefined;
  killGraceMs?: number | undefined;
  /** How long `prepare` waits for the process to be ready; default 10 s. */
  readyTimeoutMs?: number | undefined;
}

/** A pre-started ffmpeg taken for one cut. */
export interface PrestartedCut {
  child: MediaProcess;
  /** Where this process writes its mp4 (in the folder it was started for). */
  part: string;
}

interface Waiting extends PrestartedCut {
  dir: string;
  ready: Promise<boolean>;
}

let sequence = 0;

export class FfmpegPrestart {
  readonly #options: PrestartOptions;
  #waiting: Waiting | undefined;
  #closed = false;

  constructor(options: PrestartOptions) {
    this.#options = options;
  }

  /**
   * Starts an ffmpeg for copy cuts into `dir` unless one is waiting there
   * (one for another folder is stopped). Resolves true when it is ready (it
   * got past its start-up: ffmpeg prints its banner right before it reads
   * its input), false when it exited, could not start or was closed.
   */
  prepare(dir: string): Promise<boolean> {
    if (this.#closed) return Promise.resolve(false);
    const folder = path.resolve(dir);
    const current = this.#waiting;
    if (current && current.child.exit === undefined && current.dir === folder) return current.ready;
    if (current) this.#discard(current);
    const part = path.join(folder, `.ffmpeg-prestart-${process.pid}-${++sequence}.mp4.part`);
    let readied: (ok: boolean) => void = () => {};
    const ready = new Promise<boolean>((resolve) => {
      readied = resolve;
    });
    const child = new MediaProcess(this.#options.ffmpeg, prestartArgs(part), {
      stdin: 'pipe',
      redact: this.#options.redact,
      onStderr: () => readied(true),
    });
    const timer = setTimeout(() => readied(child.exit === undefined), this.#options.readyTimeoutMs ?? 10_000);
    timer.unref();
    child.exited.then(
      () => readied(false),
      () => readied(false),
    );
    const waiting: Waiting = { child, part, dir: folder, ready };
    this.#waiting = waiting;
    // Referenced while starting (a program awaiting `prepare` waits for it), not once it idles.
    void ready.then(() => {
      clearTimeout(timer);
      if (this.#waiting === waiting) child.setRef(false);
    });
    // One that dies while idle is forgotten (the next cut spawns its own).
    void child.exited.catch(() => undefined).then(() => {
      if (this.#waiting === waiting) this.#waiting = undefined;
    });
    return ready;
  }

  /** Whether an ffmpeg (alive) waits for cuts into `dir`. */
  waitsFor(dir: string): boolean {
    const waiting = this.#waiting;
    return waiting !== undefined && waiting.dir === path.resolve(dir) && waiting.child.exit === undefined;
  }

  /** The waiting ffmpeg for `dir`, now owned by the caller; undefined when none is alive there. */
  take(dir: string): PrestartedCut | undefined {
    const waiting = this.#waiting;
    if (!waiting || !this.waitsFor(dir)) return undefined;
    this.#waiting = undefined;
    waiting.child.setRef(true);
    return { child: waiting.child, part: waiting.part };
  }

  /** Stops the waiting ffmpeg (it has written nothing); later `prepare` calls start none. Idempotent. */
  async close(): Promise<void> {
    this.#closed = true;
    const waiting = this.#waiting;
    this.#waiting = undefined;
    if (waiting) await this.#stop(waiting);
  }

  #discard(waiting: Waiting): void {
    if (this.#waiting === waiting) this.#waiting = undefined;
    void this.#stop(waiting);
  }

  async #stop(waiting: Waiting): Promise<void> {
    waiting.child.setRef(true); // the stop must finish even if nothing else keeps Node running
    await waiting.child.stop(this.#options.killGraceMs ?? 1000);
  }
}

/**
 * The arguments of a pre-started copy cut: an ffconcat script on stdin, the
 * first video and (when present) audio stream copied into an mp4 with
 * `+faststart`. No `-hide_banner`: the banner is the sign it is ready. (Its
 * `info` level also lists the streams in a failure's stderr tail.)
 */
export function prestartArgs(output: string): string[] {
  return [
    '-nostdin', '-nostats', '-loglevel', 'info', '-y',
    '-protocol_whitelist', 'pipe,file,concat',
    '-f', 'concat', '-safe', '0', '-i', 'pipe:0',
    '-map', '0:v:0', '-map', '0:a:0?',
    '-c', 'copy', '-movflags', '+faststart', '-f', 'mp4', fileUrl(output),
  ];
}

/**
 * The ffconcat script of one cut: `files` (absolute paths) joined by the
 * `concat:` protocol, ending at `outpointSec` (the input's own timestamps).
 * Undefined when a path cannot be written into a `concat:` URL (it contains
 * `|`, which separates its parts and has no escape).
 */
export function prestartScript(files: readonly string[], outpointSec: number): string | undefined {
  const urls: string[] = [];
  for (const file of files) {
    const url = fileUrl(file);
    if (url.includes('|') || /[\0\r\n]/.test(url)) return undefined;
    urls.push(url);
  }
  // ffconcat quoting: inside '...' everything is literal; a quote is closed, escaped and reopened.
  const quoted = `'${`concat:${urls.join('|')}`.replaceAll("'", "'\\''")}'`;
  return `ffconcat version 1.0\nfile ${quoted}\noutpoint ${outpointSec.toFixed(6)}\n`;
}
