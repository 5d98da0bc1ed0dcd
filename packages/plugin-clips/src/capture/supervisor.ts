import { watch, type FSWatcher } from 'node:fs';
import { mkdir, readdir, rm, rmdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { backoffDelay, serializeError, type BackoffPolicy } from '@streamsuites/kernel';
import { SS_ERR_CLIPS_CAPTURE_INVALID, SS_ERR_CLIPS_FFMPEG_MISSING } from '../ffmpeg/errors.js';
import { locateFfmpeg, type FfmpegBinaries, type FfmpegPathOptions } from '../ffmpeg/locate.js';
import { describeExit, MediaProcess, runMedia, type ExitInfo } from '../ffmpeg/process.js';
import { makeRedactor } from '../ffmpeg/redact.js';
import { buildCaptureArgs, PLAYLIST_NAME, validateCaptureInput, type CaptureCodecs, type CaptureInput, type EncodeSettings } from './args.js';
import { playlistSeconds, readPlaylist } from './playlist.js';

/**
 * One live creator's capture: a supervised ffmpeg writing an HLS ring buffer
 * (see `buildCaptureArgs`) into `dir`, which the cut reads.
 *
 * - The process is restarted when it dies, when it writes no playlist within
 *   `startTimeoutMs`, or when the playlist stops changing for
 *   `stallTimeoutMs` (a hung input), with exponential backoff
 *   (`initialMs * factor^(n-1)`, capped, optional jitter); the count resets
 *   after a run stayed up for `resetAfterMs`.
 * - Each run writes segments under its own prefix and the previous run's
 *   files are removed first, so the playlist only ever holds one continuous
 *   run (a clip never spans a gap).
 * - Status callback: `starting` → `running` (first playlist) → `restarting`
 *   (reason, delay) → ... → `stopped` (reason). A missing ffmpeg stops at once
 *   (retrying cannot help).
 * - `stop()` ends ffmpeg cleanly (`q` on stdin, SIGKILL after a grace
 *   period) and removes the buffer folder (only the files a capture writes;
 *   a folder holding anything else is left in place).
 */

export type CaptureStatus = 'starting' | 'running' | 'restarting' | 'stopped';

export interface CaptureStatusEvent {
  creatorId: string;
  status: CaptureStatus;
  /** Epoch ms. */
  at: number;
  /** Failed runs since the last stable one (0 on the first start). */
  attempt: number;
  pid?: number;
  /** restarting / stopped: why (secret-free). */
  reason?: string;
  /** stopped by an error: its code (SS_ERR_CLIPS_FFMPEG_MISSING). */
  code?: string;
  /** restarting: the backoff before the next start. */
  delayMs?: number;
  /** starting: copy or encode. */
  codecs?: 'copy' | 'encode';
}

export interface CaptureBackoff {
  /** Default 500 ms. */
  initialMs?: number;
  /** Default 30 s. */
  maxMs?: number;
  /** Default 2. */
  factor?: number;
  /** Fraction of the delay taken off at random (0..1); default 0.2. */
  jitter?: number;
  /** A run up this long resets the backoff. Default 30 s. */
  resetAfterMs?: number;
}

export interface CaptureSupervisorOptions extends FfmpegPathOptions {
  creatorId: string;
  /** The buffer folder (created; removed by stop()). One per capture. */
  dir: string;
  /**
   * The stream: a fixed input, or a function called before every run (fresh
   * tokenized URLs); its signal aborts when the capture is stopped.
   */
  input: CaptureInput | ((signal: AbortSignal) => CaptureInput | Promise<CaptureInput>);
  /** Default `auto` (copy H.264/AAC url inputs, else encode). */
  codecs?: CaptureCodecs;
  encode?: EncodeSettings;
  /** The longest clip the buffer must serve; default 60 s. */
  maxClipSec?: number;
  /** Extra seconds kept beyond maxClipSec (latency offsets, the segment being written); default 15 s. */
  marginSec?: number;
  /** Seconds the ring holds; default and minimum maxClipSec + marginSec. */
  windowSec?: number;
  /** HLS segment length; default 1 s. */
  segmentSec?: number;
  backoff?: CaptureBackoff;
  /** No playlist this long after spawning → restart. Default 20 s. */
  startTimeoutMs?: number;
  /** Playlist unchanged this long → restart. Default max(10 s, 8 segments). */
  stallTimeoutMs?: number;
  /** Between `q` and SIGKILL on stop and restarts. Default 3 s. */
  stopGraceMs?: number;
  /** Give up (status stopped) after this many failed runs in a row. Default unlimited. */
  maxRestarts?: number;
  /** Resolved binaries (else from ffmpegPath/ffprobePath, see locateFfmpeg). */
  binaries?: FfmpegBinaries;
  onStatus?: (event: CaptureStatusEvent) => void;
  /** Extra masking for reasons (e.g. the kernel SecretRegistry's redactString). */
  redact?: (text: string) => string;
}

export interface CaptureWaitOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
}

const OUR_FILE = /^(?:index\.m3u8|r\d+-\d{6,}\.ts)(?:\.tmp)?$/;

export class CaptureSupervisor {
  readonly creatorId: string;
  readonly dir: string;
  readonly playlistPath: string;
  readonly segmentSec: number;
  readonly windowSec: number;
  /** Segments in the playlist (`-hls_list_size`). */
  readonly listSize: number;
  readonly #options: CaptureSupervisorOptions;
  readonly #binaries: FfmpegBinaries;
  readonly #redact: (text: string) => string;
  #status: CaptureStatus | 'idle' = 'idle';
  #attempt = 0;
  #restarts = 0;
  #run = 0;
  #proc: MediaProcess | undefined;
  #loop: Promise<void> | undefined;
  #stopping: Promise<void> | undefined;
  #stopRequested = false;
  readonly #stopController = new AbortController();
  #wake: (() => void) | undefined;
  #codecsProbed: 'copy' | 'encode' | undefined;
  #listeners = new Set<(event: CaptureStatusEvent) => void>();
  #playlistListeners = new Set<() => void>();
  #lastEvent: CaptureStatusEvent | undefined;

  constructor(options: CaptureSupervisorOptions) {
    if (typeof options.creatorId !== 'string' || options.creatorId.length === 0) throw new SS_ERR_CLIPS_CAPTURE_INVALID('creatorId is required');
    if (typeof options.dir !== 'string' || options.dir.length === 0 || options.dir.includes('\0')) throw new SS_ERR_CLIPS_CAPTURE_INVALID('dir must be a path without NUL');
    if (typeof options.input !== 'function') validateCaptureInput(options.input);
    this.#options = options;
    this.creatorId = options.creatorId;
    this.dir = path.resolve(options.dir);
    this.playlistPath = path.join(this.dir, PLAYLIST_NAME);
    this.segmentSec = options.segmentSec ?? 1;
    if (!(this.segmentSec > 0 && this.segmentSec <= 10)) throw new SS_ERR_CLIPS_CAPTURE_INVALID('segmentSec must be in (0, 10]');
    const maxClip = options.maxClipSec ?? 60;
    const margin = options.marginSec ?? 15;
    if (!(maxClip >= 1) || !(margin >= 0)) throw new SS_ERR_CLIPS_CAPTURE_INVALID('maxClipSec must be >= 1 and marginSec >= 0');
    const minWindow = maxClip + margin;
    this.windowSec = options.windowSec ?? minWindow;
    if (!(this.windowSec >= minWindow)) {
      throw new SS_ERR_CLIPS_CAPTURE_INVALID(`windowSec ${this.windowSec} is shorter than maxClipSec + marginSec (${minWindow})`);
    }
    this.listSize = Math.max(2, Math.ceil(this.windowSec / this.segmentSec));
    this.#binaries = options.binaries ?? locateFfmpeg(options);
    this.#redact = makeRedactor(options.redact);
    if (options.onStatus) this.#listeners.add(options.onStatus);
  }

  get status(): CaptureStatus | 'idle' {
    return this.#status;
  }

  /** The current ffmpeg's pid (undefined between runs). */
  get pid(): number | undefined {
    return this.#proc?.exit === undefined ? this.#proc?.pid : undefined;
  }

  /** Runs that ended and were restarted, in total. */
  get restarts(): number {
    return this.#restarts;
  }

  /** Starts the capture loop (idempotent). Status events tell how it goes. */
  start(): void {
    if (this.#stopRequested) throw new SS_ERR_CLIPS_CAPTURE_INVALID(`the capture of "${this.creatorId}" was stopped; create a new one`);
    this.#loop ??= this.#superviseLoop().catch((error: unknown) => {
      this.#emit({ status: 'stopped', reason: this.#redact(`capture loop failed: ${String(error)}`) });
    });
  }

  /** Stops ffmpeg (q, then SIGKILL after the grace period) and removes the buffer. Idempotent. */
  stop(): Promise<void> {
    this.#stopping ??= this.#doStop();
    return this.#stopping;
  }

  /** Seconds of media in the buffer now (0 without a playlist). */
  async bufferedSeconds(): Promise<number> {
    try {
      return playlistSeconds(await readPlaylist(this.playlistPath));
    } catch {
      return 0;
    }
  }

  /** Subscribes to status events; returns the unsubscribe function. */
  onStatus(listener: (event: CaptureStatusEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Resolves with the next event of `status` (at once when that is the current status). */
  waitForStatus(status: CaptureStatus, options: CaptureWaitOptions = {}): Promise<CaptureStatusEvent> {
    if (this.#status === status && this.#lastEvent) return Promise.resolve(this.#lastEvent);
    return this.#waitFor(`status ${status}`, options, (done) => this.onStatus((e) => {
      if (e.status === status) done(e);
    }));
  }

  /** Resolves when the buffer holds at least `seconds` (checked whenever the playlist changes). */
  waitForBuffered(seconds: number, options: CaptureWaitOptions = {}): Promise<number> {
    return this.#waitFor(`${seconds} s buffered`, options, (done) => {
      let checking = false;
      let again = false;
      const check = async () => {
        if (checking) {
          again = true;
          return;
        }
        checking = true;
        do {
          again = false;
          const held = await this.bufferedSeconds();
          if (held >= seconds) done(held);
        } while (again);
        checking = false;
      };
      this.#playlistListeners.add(check);
      void check();
      return () => this.#playlistListeners.delete(check);
    });
  }

  #waitFor<T>(what: string, options: CaptureWaitOptions, subscribe: (done: (value: T) => void) => () => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const cleanup = () => {
        unsubscribe();
        if (timer) clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
      };
      const onAbort = () => {
        cleanup();
        reject(options.signal?.reason ?? new Error('aborted'));
      };
      const unsubscribe = subscribe((value) => {
        cleanup();
        resolve(value);
      });
      if (options.timeoutMs !== undefined) {
        timer = setTimeout(() => {
          cleanup();
          reject(new Error(`capture "${this.creatorId}": no ${what} within ${options.timeoutMs} ms (status ${this.#status})`));
        }, options.timeoutMs);
      }
      options.signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  #emit(event: Omit<CaptureStatusEvent, 'creatorId' | 'at' | 'attempt'>): void {
    const full: CaptureStatusEvent = { creatorId: this.creatorId, at: Date.now(), attempt: this.#attempt, ...event };
    this.#status = full.status;
    this.#lastEvent = full;
    for (const listener of [...this.#listeners]) {
      try {
        listener(full);
      } catch {
        // A listener's failure must not stop the capture.
      }
    }
  }

  async #superviseLoop(): Promise<void> {
    const backoff = this.#options.backoff ?? {};
    while (!this.#stopRequested) {
      this.#run++;
      const outcome = await this.#oneRun();
      if (this.#stopRequested) break;
      if (outcome.fatal) {
        this.#emit({ status: 'stopped', reason: outcome.reason, ...(outcome.code ? { code: outcome.code } : {}) });
        return;
      }
      if (outcome.upMs >= (backoff.resetAfterMs ?? 30_000)) this.#attempt = 0;
      this.#attempt++;
      this.#restarts++;
      if (this.#attempt > (this.#options.maxRestarts ?? Number.POSITIVE_INFINITY)) {
        this.#emit({ status: 'stopped', reason: `gave up after ${this.#attempt - 1} restarts: ${outcome.reason}` });
        return;
      }
      const delayMs = backoffDelay(captureBackoffPolicy(backoff), this.#attempt);
      this.#emit({ status: 'restarting', reason: outcome.reason, delayMs });
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delayMs);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#wake = undefined;
    }
  }

  /** One ffmpeg run; resolves when it ended (for whatever reason). */
  async #oneRun(): Promise<{ reason: string; upMs: number; fatal?: boolean; code?: string }> {
    let input: CaptureInput;
    let codecs: 'copy' | 'encode';
    try {
      await mkdir(this.dir, { recursive: true });
      await this.#removeOurFiles();
      input = typeof this.#options.input === 'function' ? await this.#options.input(this.#stopController.signal) : this.#options.input;
      validateCaptureInput(input);
      codecs = await this.#chooseCodecs(input);
    } catch (error) {
      const fatal = SS_ERR_CLIPS_CAPTURE_INVALID.is(error);
      return { reason: this.#redact(`could not prepare the capture: ${errorText(error)}`), upMs: 0, fatal, ...(fatal ? { code: SS_ERR_CLIPS_CAPTURE_INVALID.code } : {}) };
    }
    if (this.#stopRequested) return { reason: 'stopped', upMs: 0 };
    const args = buildCaptureArgs({
      input,
      codecs,
      encode: this.#options.encode,
      segmentSec: this.segmentSec,
      listSize: this.listSize,
      segmentPrefix: `r${this.#run}-`,
    });
    const proc = new MediaProcess(this.#binaries.ffmpeg, args, { cwd: this.dir, stdin: 'pipe', redact: this.#options.redact });
    this.#proc = proc;
    const spawnedAt = Date.now();
    let runningAt: number | undefined;
    let lastChangeAt = spawnedAt;
    let lastStamp = '';
    let killedFor: string | undefined;
    const killFor = (reason: string) => {
      if (killedFor !== undefined) return;
      killedFor = reason;
      proc.kill('SIGKILL');
    };
    const startTimeoutMs = this.#options.startTimeoutMs ?? 20_000;
    const stallTimeoutMs = this.#options.stallTimeoutMs ?? Math.max(10_000, 8 * this.segmentSec * 1000);

    let checking = false;
    const checkPlaylist = async () => {
      if (checking || proc.exit !== undefined) return;
      checking = true;
      try {
        const s = await stat(this.playlistPath).catch(() => undefined);
        const now = Date.now();
        if (s) {
          const stamp = `${s.mtimeMs}:${s.size}:${s.ino}`;
          if (stamp !== lastStamp) {
            lastStamp = stamp;
            lastChangeAt = now;
            if (runningAt === undefined && proc.exit === undefined && !this.#stopRequested) {
              runningAt = now;
              this.#emit({ status: 'running', ...(proc.pid !== undefined ? { pid: proc.pid } : {}) });
            }
            for (const listener of [...this.#playlistListeners]) listener();
          }
        }
        if (runningAt === undefined && now - spawnedAt > startTimeoutMs) killFor(`no playlist within ${startTimeoutMs} ms`);
        else if (runningAt !== undefined && now - lastChangeAt > stallTimeoutMs) killFor(`playlist unchanged for ${stallTimeoutMs} ms (stalled input)`);
      } finally {
        checking = false;
      }
    };
    let watcher: FSWatcher | undefined;
    try {
      watcher = watch(this.dir, (_event, file) => {
        if (file === null || String(file) === PLAYLIST_NAME) void checkPlaylist();
      });
      watcher.on('error', () => {});
    } catch {
      watcher = undefined; // the poll below still notices changes
    }
    // fs.watch is not reliable everywhere (network shares): a poll backs it up and runs the watchdog.
    const poll = setInterval(() => void checkPlaylist(), Math.min(500, Math.max(100, this.segmentSec * 250)));

    this.#emit({ status: 'starting', codecs, ...(proc.pid !== undefined ? { pid: proc.pid } : {}) });
    let exit: ExitInfo;
    try {
      exit = await proc.exited;
    } catch (error) {
      const missing = SS_ERR_CLIPS_FFMPEG_MISSING.is(error);
      return {
        reason: this.#redact(`${errorText(error)}${missing && error.hint ? ` — ${error.hint}` : ''}`),
        upMs: 0,
        fatal: missing,
        ...(missing ? { code: SS_ERR_CLIPS_FFMPEG_MISSING.code } : {}),
      };
    } finally {
      clearInterval(poll);
      watcher?.close();
      if (this.#proc === proc && proc.exit !== undefined) this.#proc = undefined;
    }
    const upMs = runningAt === undefined ? 0 : Date.now() - runningAt;
    const tail = proc.stderrTail(2).split('\n').filter(Boolean).join(' | ');
    const why = killedFor ?? `ffmpeg ${describeExit(exit)}`;
    return { reason: this.#redact(tail ? `${why}: ${tail}` : why), upMs };
  }

  async #chooseCodecs(input: CaptureInput): Promise<'copy' | 'encode'> {
    const wanted = this.#options.codecs ?? 'auto';
    if (wanted !== 'auto') return wanted;
    if (!('url' in input)) return 'encode';
    if (this.#codecsProbed) return this.#codecsProbed;
    try {
      const run = await runMedia(this.#binaries.ffprobe, [
        '-hide_banner', '-v', 'error', ...probeInputArgs(input.inputArgs ?? []),
        '-show_entries', 'stream=codec_type,codec_name', '-of', 'json', input.url,
      ], { what: 'ffprobe (capture input)', captureStdout: true, timeoutMs: 15_000, redact: this.#options.redact, signal: this.#stopController.signal });
      const streams = (JSON.parse(run.stdout) as { streams?: { codec_type?: string; codec_name?: string }[] }).streams ?? [];
      const video = streams.find((s) => s.codec_type === 'video');
      const audio = streams.find((s) => s.codec_type === 'audio');
      this.#codecsProbed = video?.codec_name === 'h264' && audio?.codec_name === 'aac' ? 'copy' : 'encode';
      return this.#codecsProbed;
    } catch {
      return 'encode'; // not cached: the next run probes again
    }
  }

  async #doStop(): Promise<void> {
    this.#stopRequested = true;
    this.#stopController.abort(new Error('capture stopped'));
    this.#wake?.();
    const proc = this.#proc;
    if (proc && proc.exit === undefined) await proc.stop(this.#options.stopGraceMs ?? 3000);
    await this.#loop;
    await this.#removeOurFiles();
    await rmdir(this.dir).catch(() => {}); // left in place when it holds anything else
    this.#emit({ status: 'stopped', reason: 'requested' });
  }

  async #removeOurFiles(): Promise<void> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch {
      return;
    }
    await Promise.all(names.filter((n) => OUR_FILE.test(n)).map((n) => rm(path.join(this.dir, n), { force: true }).catch(() => {})));
  }
}

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

/** The restart delays as a kernel backoff policy: defaults 500 ms, ×2, at most 30 s, up to 20 % taken off at random. */
export function captureBackoffPolicy(backoff: CaptureBackoff = {}): BackoffPolicy {
  return {
    initialMs: backoff.initialMs ?? 500,
    maxMs: backoff.maxMs ?? 30_000,
    factor: backoff.factor ?? 2,
    jitter: { below: Math.min(1, Math.max(0, backoff.jitter ?? 0.2)) },
  };
}

function errorText(error: unknown): string {
  const s = serializeError(error);
  return s.code ? `${s.code}: ${s.message}` : s.message;
}
