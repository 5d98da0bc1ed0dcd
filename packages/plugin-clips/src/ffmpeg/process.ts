import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { SS_ERR_ABORTED } from '@streamsuites/kernel';
import { SS_ERR_CLIPS_FFMPEG_FAILED, SS_ERR_CLIPS_FFMPEG_MISSING, SS_ERR_CLIPS_FFMPEG_TIMEOUT } from './errors.js';
import { describeArgs, makeRedactor } from './redact.js';

/**
 * A thin, typed `child_process.spawn` wrapper for ffmpeg and ffprobe.
 *
 * fluent-ffmpeg is archived upstream (2025), and what the clips need from it
 * is small: start a binary with an argument array, keep the end of stderr for
 * errors, stop it on abort or timeout. So this is the whole ffmpeg layer:
 *
 * - never a shell: `spawn(binary, args, { shell: false })`, arguments as an
 *   array, so a title, path or URL is always exactly one argv element and
 *   cannot inject options or commands (Node quotes each element correctly for
 *   CreateProcess on Windows, too);
 * - a bounded stderr tail (default 16 KiB) kept for error messages, with
 *   URL query strings / user info redacted (keyed stream URLs);
 * - abort and timeout: a polite stop first (`q` on stdin when it is a pipe,
 *   else SIGTERM), SIGKILL after a grace period, and the promise settles only
 *   once the process is gone (so a caller can delete its partial output);
 * - a binary that cannot be started → SS_ERR_CLIPS_FFMPEG_MISSING with an
 *   install hint for the OS; a non-zero exit → SS_ERR_CLIPS_FFMPEG_FAILED
 *   with the exit code and the last stderr lines.
 */

export interface ExitInfo {
  /** Exit code, or null when killed by a signal (or never started). */
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface SpawnMediaOptions {
  cwd?: string | undefined;
  env?: NodeJS.ProcessEnv | undefined;
  /** `pipe` lets {@link MediaProcess.stop} send `q` (ffmpeg's own clean stop). Default `ignore`. */
  stdin?: 'ignore' | 'pipe';
  /** Keep stdout (ffprobe's JSON) up to `maxStdoutBytes`; otherwise it is discarded. */
  captureStdout?: boolean;
  /** Default 8 MiB; beyond it the process is killed and the run fails. */
  maxStdoutBytes?: number;
  /** Bytes of stderr kept (the end). Default 16 KiB. */
  stderrTailBytes?: number;
  /** Extra masking for stderr and messages (e.g. the kernel SecretRegistry's `redactString`). */
  redact?: ((text: string) => string) | undefined;
  /** Called with each stderr chunk (already redacted), for logs or progress. */
  onStderr?: ((text: string) => void) | undefined;
}

const DEFAULT_STDERR_TAIL = 16 * 1024;
const DEFAULT_MAX_STDOUT = 8 * 1024 * 1024;
const NOT_RUNNABLE = new Set(['ENOENT', 'EACCES', 'ENOTDIR', 'EISDIR', 'ENOEXEC', 'EPERM', 'UNKNOWN']);

/** A running ffmpeg/ffprobe. `exited` resolves when it is gone (rejects only when it could not be started). */
export class MediaProcess {
  readonly binary: string;
  readonly args: readonly string[];
  readonly exited: Promise<ExitInfo>;
  readonly startedAt = Date.now();
  #child: ChildProcess;
  #stderr = '';
  #stdout: Buffer[] = [];
  #stdoutBytes = 0;
  #stdoutOverflow = false;
  #exit: ExitInfo | undefined;
  #stopping: Promise<ExitInfo> | undefined;
  readonly #tailBytes: number;
  readonly #redact: (text: string) => string;

  constructor(binary: string, args: readonly string[], options: SpawnMediaOptions = {}) {
    this.binary = binary;
    this.args = [...args];
    this.#tailBytes = options.stderrTailBytes ?? DEFAULT_STDERR_TAIL;
    this.#redact = makeRedactor(options.redact);
    const maxStdout = options.maxStdoutBytes ?? DEFAULT_MAX_STDOUT;
    const child = spawn(binary, this.args, {
      cwd: options.cwd,
      env: options.env,
      shell: false,
      windowsHide: true,
      stdio: [options.stdin ?? 'ignore', options.captureStdout ? 'pipe' : 'ignore', 'pipe'],
    });
    this.#child = child;
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      this.#stderr += chunk;
      if (this.#stderr.length > 2 * this.#tailBytes) this.#stderr = this.#stderr.slice(-this.#tailBytes);
      options.onStderr?.(this.#redact(chunk));
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      if (this.#stdoutOverflow) return;
      this.#stdoutBytes += chunk.length;
      if (this.#stdoutBytes > maxStdout) {
        this.#stdoutOverflow = true;
        this.#stdout = [];
        child.kill('SIGKILL');
        return;
      }
      this.#stdout.push(chunk);
    });
    // A closed stdin (the process exited) must not become an unhandled 'error'.
    child.stdin?.on('error', () => {});
    this.exited = new Promise<ExitInfo>((resolve, reject) => {
      let spawnError: NodeJS.ErrnoException | undefined;
      child.on('error', (error: NodeJS.ErrnoException) => {
        if (child.pid === undefined && spawnError === undefined) {
          spawnError = error;
          this.#exit = { code: null, signal: null };
          const code = error.code ?? 'UNKNOWN';
          if (code === 'ENOENT' && options.cwd !== undefined && !existsSync(options.cwd)) {
            reject(new SS_ERR_CLIPS_FFMPEG_FAILED(binaryName(binary), `could not start: working directory ${options.cwd} does not exist`, { cause: error, details: { binary } }));
          } else if (NOT_RUNNABLE.has(code)) {
            reject(new SS_ERR_CLIPS_FFMPEG_MISSING(binary, process.platform, { cause: error, details: { binary, errno: code } }));
          } else {
            reject(new SS_ERR_CLIPS_FFMPEG_FAILED(binaryName(binary), `could not start (${code})`, { cause: error, details: { binary } }));
          }
        }
        // Errors after a successful spawn (a failed kill) are not fatal: 'close' still follows.
      });
      child.once('close', (code, signal) => {
        if (spawnError) return;
        this.#exit = { code, signal };
        resolve(this.#exit);
      });
    });
    // Callers that only use stop()/wait() must not see an unhandled rejection; they get it from those.
    this.exited.catch(() => {});
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** Undefined while running. */
  get exit(): ExitInfo | undefined {
    return this.#exit;
  }

  get stdoutOverflowed(): boolean {
    return this.#stdoutOverflow;
  }

  /** The end of stderr (redacted), at most `lines` lines. */
  stderrTail(lines = 12): string {
    const text = this.#redact(this.#stderr.slice(-this.#tailBytes));
    return text.split(/\r?\n|\r/).map((l) => l.trimEnd()).filter((l) => l.length > 0).slice(-lines).join('\n');
  }

  stdout(): string {
    return Buffer.concat(this.#stdout).toString('utf8');
  }

  /**
   * Writes `text` to stdin and closes it (a process started with `stdin:
   * 'pipe'` reading its input there, e.g. an ffconcat script on `pipe:0`).
   * False when stdin is not an open pipe (the process exited or was never
   * given one); a process that exits while reading gets the rest dropped.
   */
  feed(text: string): boolean {
    const stdin = this.#child.stdin;
    if (this.#exit !== undefined || !stdin || !stdin.writable) return false;
    stdin.end(text);
    return true;
  }

  /**
   * Whether this process (and its pipes) keeps Node's event loop alive: an
   * idle pre-started ffmpeg must not hold a finished program open; a running
   * cut must.
   */
  setRef(ref: boolean): void {
    const handles: ({ ref?: () => void; unref?: () => void } | null | undefined)[] = [this.#child, this.#child.stdin as never, this.#child.stdout as never, this.#child.stderr as never];
    for (const handle of handles) {
      if (ref) handle?.ref?.();
      else handle?.unref?.();
    }
  }

  /** Sends a signal now (no-op once exited). */
  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    if (this.#exit === undefined) this.#child.kill(signal);
  }

  /**
   * Stops the process: `q` on stdin when stdin is a pipe (ffmpeg finishes its
   * output cleanly), else SIGTERM; SIGKILL after `graceMs`. Resolves when it
   * has exited. Idempotent.
   */
  stop(graceMs = 2000): Promise<ExitInfo> {
    this.#stopping ??= this.#doStop(graceMs);
    return this.#stopping;
  }

  async #doStop(graceMs: number): Promise<ExitInfo> {
    const exited = this.exited.catch((): ExitInfo => ({ code: null, signal: null }));
    if (this.#exit !== undefined) return this.#exit;
    const stdin = this.#child.stdin;
    if (stdin && stdin.writable) stdin.end('q\n');
    else this.#child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<'grace'>((resolve) => {
      timer = setTimeout(() => resolve('grace'), graceMs);
    });
    const first = await Promise.race([exited, graceOver]);
    clearTimeout(timer);
    if (first !== 'grace') return first;
    this.#child.kill('SIGKILL');
    return exited;
  }
}

export function spawnMedia(binary: string, args: readonly string[], options: SpawnMediaOptions = {}): MediaProcess {
  return new MediaProcess(binary, args, options);
}

export interface RunMediaOptions extends Omit<SpawnMediaOptions, 'stdin'> {
  signal?: AbortSignal | undefined;
  /** Kill the run after this long (SS_ERR_CLIPS_FFMPEG_TIMEOUT). Default: none. */
  timeoutMs?: number | undefined;
  /** Between the polite stop and SIGKILL, on abort or timeout. Default 1000 ms. */
  killGraceMs?: number | undefined;
  /** Resolve (instead of rejecting with SS_ERR_CLIPS_FFMPEG_FAILED) when the exit code is not 0. */
  allowFailure?: boolean | undefined;
  /** Names the run in errors ("ffmpeg cut", "ffprobe"). Default: the binary's name. */
  what?: string | undefined;
}

export interface RunResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** The last stderr lines (redacted). */
  stderrTail: string;
  /** Captured stdout ('' unless `captureStdout`). */
  stdout: string;
  elapsedMs: number;
}

/** Runs `binary args` to completion under an optional abort signal and timeout. */
export async function runMedia(binary: string, args: readonly string[], options: RunMediaOptions = {}): Promise<RunResult> {
  const what = options.what ?? binaryName(binary);
  if (options.signal?.aborted) throw new SS_ERR_ABORTED(what, { cause: options.signal.reason });
  return superviseMedia(new MediaProcess(binary, args, { ...options, stdin: 'ignore' }), options);
}

/**
 * {@link runMedia} for a process already started (e.g. a pre-started ffmpeg
 * that was just given its input): waits for its exit under the abort signal
 * and timeout (counted from this call), and rejects the same way.
 * `captureStdout`, `maxStdoutBytes` and `redact` are the process's own.
 */
export async function superviseMedia(child: MediaProcess, options: Omit<RunMediaOptions, 'captureStdout' | 'stderrTailBytes' | 'onStderr' | 'cwd' | 'env'> = {}): Promise<RunResult> {
  const { binary, args } = child;
  const what = options.what ?? binaryName(binary);
  const { signal } = options;
  const started = performance.now();
  if (signal?.aborted) {
    await child.stop(options.killGraceMs ?? 1000);
    throw new SS_ERR_ABORTED(what, { cause: signal.reason, details: { command: describeArgs(binary, args) } });
  }
  const graceMs = options.killGraceMs ?? 1000;
  let stopReason: 'abort' | 'timeout' | undefined;
  const stopFor = (reason: 'abort' | 'timeout') => {
    if (stopReason !== undefined || child.exit !== undefined) return;
    stopReason = reason;
    void child.stop(graceMs);
  };
  const onAbort = () => stopFor('abort');
  signal?.addEventListener('abort', onAbort, { once: true });
  const timer = options.timeoutMs !== undefined && options.timeoutMs > 0 ? setTimeout(() => stopFor('timeout'), options.timeoutMs) : undefined;
  let exit: ExitInfo;
  try {
    exit = await child.exited;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    if (timer) clearTimeout(timer);
  }
  const elapsedMs = performance.now() - started;
  const stderrTail = child.stderrTail();
  const details = { command: describeArgs(binary, args), exitCode: exit.code, signal: exit.signal, stderrTail };
  if (stopReason === 'abort') throw new SS_ERR_ABORTED(what, { cause: signal?.reason, details });
  if (stopReason === 'timeout') throw new SS_ERR_CLIPS_FFMPEG_TIMEOUT(what, options.timeoutMs ?? 0, { details });
  if (child.stdoutOverflowed) throw new SS_ERR_CLIPS_FFMPEG_FAILED(what, `more than ${options.maxStdoutBytes ?? DEFAULT_MAX_STDOUT} bytes on stdout`, { details });
  if (exit.code !== 0 && !options.allowFailure) {
    throw new SS_ERR_CLIPS_FFMPEG_FAILED(what, `${describeExit(exit)}${stderrTail ? `\n${stderrTail}` : ''}`, { details });
  }
  return { exitCode: exit.code, signal: exit.signal, stderrTail, stdout: child.stdout(), elapsedMs };
}

export interface RunFfmpegOptions extends RunMediaOptions {
  /** The ffmpeg to run (see `locateFfmpeg`). Default `ffmpeg` on PATH. */
  ffmpegPath?: string | undefined;
}

/**
 * Runs ffmpeg with `args` (after `-hide_banner -nostdin`). Resolves with the
 * exit code and stderr tail; rejects with a coded error (missing binary,
 * non-zero exit, timeout) or SS_ERR_ABORTED.
 */
export function runFfmpeg(args: readonly string[], options: RunFfmpegOptions = {}): Promise<RunResult> {
  return runMedia(options.ffmpegPath ?? 'ffmpeg', ['-hide_banner', '-nostdin', ...args], { what: 'ffmpeg', ...options });
}

/** "exited with code 1" / "was killed by SIGKILL". */
export function describeExit(exit: ExitInfo): string {
  if (exit.signal) return `was killed by ${exit.signal}`;
  return `exited with code ${exit.code ?? 'unknown'}`;
}

function binaryName(binary: string): string {
  const base = binary.split(/[\\/]/).pop() ?? binary;
  return base.replace(/\.exe$/i, '') || binary;
}

/** ffmpeg's version line ("ffmpeg version 5.1.9-0+deb12u1 ..."); SS_ERR_CLIPS_FFMPEG_MISSING when it cannot run. */
export async function ffmpegVersion(options: RunFfmpegOptions = {}): Promise<string> {
  const run = await runMedia(options.ffmpegPath ?? 'ffmpeg', ['-hide_banner', '-version'], { what: 'ffmpeg -version', timeoutMs: 15_000, ...options, captureStdout: true });
  return run.stdout.split(/\r?\n/)[0]?.trim() ?? '';
}
