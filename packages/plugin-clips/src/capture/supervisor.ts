import { mkdir, rmdir } from 'node:fs/promises';
import path from 'node:path';
import { backoffDelay, serializeError } from '@streamsuites/kernel';
import { SS_ERR_CLIPS_CAPTURE_INVALID, SS_ERR_CLIPS_FFMPEG_MISSING } from '../ffmpeg/errors.js';
import { locateFfmpeg, type FfmpegBinaries } from '../ffmpeg/locate.js';
import { describeExit, MediaProcess, type ExitInfo } from '../ffmpeg/process.js';
import { makeRedactor } from '../ffmpeg/redact.js';
import { buildCaptureArgs, PLAYLIST_NAME, validateCaptureInput, type CaptureInput } from './args.js';
import { removeCaptureFiles } from './buffer-files.js';
import { captureBackoffPolicy, type CaptureStatus, type CaptureStatusEvent, type CaptureSupervisorOptions, type CaptureWaitOptions } from './options.js';
import { playlistSeconds, readPlaylist } from './playlist.js';
import { probeCodecs } from './probe.js';
import { waitFor } from './wait.js';
import { PlaylistWatchdog } from './watchdog.js';

export { captureBackoffPolicy } from './options.js';
export type { CaptureBackoff, CaptureStatus, CaptureStatusEvent, CaptureSupervisorOptions, CaptureWaitOptions } from './options.js';
export { probeInputArgs } from './probe.js';

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
 *
 * Options and events are in options.ts, the playlist watchdog in
 * watchdog.ts, the codec probe in probe.ts, the buffer's files in buffer-files.ts.
 */
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
    return this.#waitFor(`status ${status}`, options, (done) =>
      this.onStatus((e) => {
        if (e.status === status) done(e);
      }),
    );
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
    return waitFor(options, subscribe, () => new Error(`capture "${this.creatorId}": no ${what} within ${options.timeoutMs} ms (status ${this.#status})`));
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
      await removeCaptureFiles(this.dir);
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
    let killedFor: string | undefined;
    const watchdog = new PlaylistWatchdog({
      playlistPath: this.playlistPath,
      segmentSec: this.segmentSec,
      startTimeoutMs: this.#options.startTimeoutMs ?? 20_000,
      stallTimeoutMs: this.#options.stallTimeoutMs ?? Math.max(10_000, 8 * this.segmentSec * 1000),
      exited: () => proc.exit !== undefined,
      onFirstPlaylist: () => {
        if (proc.exit !== undefined || this.#stopRequested) return false;
        this.#emit({ status: 'running', ...(proc.pid !== undefined ? { pid: proc.pid } : {}) });
        return true;
      },
      onChange: () => {
        for (const listener of [...this.#playlistListeners]) listener();
      },
      onTimeout: (reason) => {
        if (killedFor !== undefined) return;
        killedFor = reason;
        proc.kill('SIGKILL');
      },
    });

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
      watchdog.close();
      if (this.#proc === proc && proc.exit !== undefined) this.#proc = undefined;
    }
    const upMs = watchdog.runningAt === undefined ? 0 : Date.now() - watchdog.runningAt;
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
      this.#codecsProbed = await probeCodecs(this.#binaries.ffprobe, input, { redact: this.#options.redact, signal: this.#stopController.signal });
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
    await removeCaptureFiles(this.dir);
    await rmdir(this.dir).catch(() => {}); // left in place when it holds anything else
    this.#emit({ status: 'stopped', reason: 'requested' });
  }
}

function errorText(error: unknown): string {
  const s = serializeError(error);
  return s.code ? `${s.code}: ${s.message}` : s.message;
}
