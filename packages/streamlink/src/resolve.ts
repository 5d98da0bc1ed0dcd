import { spawn } from 'node:child_process';
import { SS_ERR_ABORTED } from '@streamsuites/kernel';
import {
  SS_ERR_STREAMLINK_BAD_OUTPUT,
  SS_ERR_STREAMLINK_FAILED,
  SS_ERR_STREAMLINK_MISSING,
  SS_ERR_STREAMLINK_TIMEOUT,
} from './errors.js';

export interface ResolveStreamUrlOptions {
  /** The streamlink program. Default: `streamlink` on PATH. */
  path?: string | undefined;
  /** The stream to pick (`best`, `720p60`, `audio_only`, `720p,480p,best`...). Default `best`. */
  quality?: string | undefined;
  /**
   * More streamlink options, put before `--stream-url` (e.g.
   * `--twitch-disable-ads`, `--http-header=...`). They may hold credentials,
   * so they never appear in errors.
   */
  extraArgs?: readonly string[] | undefined;
  /** Kill streamlink and reject (SS_ERR_STREAMLINK_TIMEOUT) after this long. Default 30 s. */
  timeoutMs?: number | undefined;
  /** Kills streamlink and rejects with SS_ERR_ABORTED. */
  signal?: AbortSignal | undefined;
  /**
   * Applied to every piece of streamlink output quoted in an error (after
   * query strings have been cut off URLs); e.g. the SecretRegistry's redact.
   */
  redact?: ((text: string) => string) | undefined;
}

export interface ResolvedStream {
  /** The stream's playlist URL. A secret: it carries the platform's access token. */
  url: string;
  /** HTTP headers to send with it (none with `--stream-url`, which prints only the URL). */
  headers?: Record<string, string>;
}

export const DEFAULT_TIMEOUT_MS = 30_000;
/** More output than this is not one URL; stop collecting (the process still runs to its end). */
const MAX_OUTPUT_BYTES = 64 * 1024;
const MAX_REASON_LENGTH = 300;

/**
 * Runs `streamlink [extraArgs] --stream-url <pageUrl> <quality>` (no shell)
 * and resolves with the URL it prints. Rejects with SS_ERR_STREAMLINK_MISSING
 * (not installed), SS_ERR_STREAMLINK_FAILED (non-zero exit: offline channel,
 * unsupported page, platform error), SS_ERR_STREAMLINK_TIMEOUT,
 * SS_ERR_STREAMLINK_BAD_OUTPUT (stdout is not one http(s) URL) or
 * SS_ERR_ABORTED. On timeout and abort the child is killed, and the promise
 * settles only once it has exited.
 */
export function resolveStreamUrl(pageUrl: string, options: ResolveStreamUrlOptions = {}): Promise<ResolvedStream> {
  const program = options.path ?? 'streamlink';
  const quality = options.quality ?? 'best';
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const { signal } = options;
  const redact = (text: string) => redactOutput(text, pageUrl, options.redact);
  if (signal?.aborted) return Promise.reject(new SS_ERR_ABORTED('streamlink', { cause: signal.reason }));

  return new Promise<ResolvedStream>((resolve, reject) => {
    const child = spawn(program, [...(options.extraArgs ?? []), '--stream-url', pageUrl, quality], {
      shell: false,
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });
    const stdout = new OutputBuffer();
    const stderr = new OutputBuffer();
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));

    let stopped: 'abort' | 'timeout' | undefined;
    let settled = false;
    const finish = (error: Error | undefined, value?: ResolvedStream) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (error !== undefined) reject(error);
      else resolve(value!);
    };
    const stop = (why: 'abort' | 'timeout') => {
      if (stopped !== undefined || child.exitCode !== null || child.signalCode !== null) return;
      stopped = why;
      // streamlink --stream-url only talks to the platform's API: nothing to flush, so no grace period.
      child.kill('SIGKILL');
      // A grandchild still holding the pipes must not keep us waiting for 'close'.
      child.stdout.destroy();
      child.stderr.destroy();
    };
    const onAbort = () => stop('abort');
    signal?.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(() => stop('timeout'), timeoutMs);

    child.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'EACCES') {
        finish(new SS_ERR_STREAMLINK_MISSING(program, { cause: error, details: { path: program, errno: error.code } }));
      } else if (stopped === undefined) {
        finish(new SS_ERR_STREAMLINK_FAILED(pageUrl, 'could not start', error.message, { cause: error, details: { path: program } }));
      }
    });
    // Killed: settle at 'exit' (the pipes may outlive the process); else at 'close' (all output read).
    child.once('exit', (code, killSignal) => {
      if (stopped === 'abort') {
        finish(new SS_ERR_ABORTED('streamlink', { cause: signal?.reason, details: { pageUrl } }));
      } else if (stopped === 'timeout') {
        finish(new SS_ERR_STREAMLINK_TIMEOUT(pageUrl, timeoutMs, { details: { pageUrl, timeoutMs, signal: killSignal } }));
      }
      void code;
    });
    child.once('close', (code, killSignal) => {
      if (settled || stopped !== undefined) return;
      if (code !== 0) {
        const exit = code === null ? `killed by ${killSignal ?? 'a signal'}` : `exit code ${code}`;
        const line = lastMeaningfulLine(`${stdout.text()}\n${stderr.text()}`);
        const offline = line !== undefined && /no playable streams found/i.test(line);
        const reason = offline
          ? 'the channel is offline (no playable streams)'
          : line === undefined
            ? 'no output'
            : redact(line);
        finish(new SS_ERR_STREAMLINK_FAILED(pageUrl, exit, reason, { details: { pageUrl, exitCode: code, signal: killSignal, offline } }));
        return;
      }
      const problem = stdout.overflowed ? `more than ${MAX_OUTPUT_BYTES} bytes` : undefined;
      const lines = stdout
        .text()
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter((l) => l !== '');
      const url = problem === undefined && lines.length === 1 ? httpUrl(lines[0]!) : undefined;
      if (url === undefined) {
        // What was printed is not quoted: it may be the URL with a stray line around it.
        const what = problem ?? (lines.length === 0 ? 'nothing' : lines.length === 1 ? 'one line that is not an http(s) URL' : `${lines.length} lines`);
        finish(new SS_ERR_STREAMLINK_BAD_OUTPUT(pageUrl, what, { details: { pageUrl, lines: lines.length } }));
        return;
      }
      finish(undefined, { url });
    });
  });
}

/** Collects a stream's output up to {@link MAX_OUTPUT_BYTES}. */
class OutputBuffer {
  readonly #chunks: Buffer[] = [];
  #bytes = 0;
  overflowed = false;

  push(chunk: Buffer): void {
    if (this.overflowed) return;
    if (this.#bytes + chunk.length > MAX_OUTPUT_BYTES) {
      this.overflowed = true;
      return;
    }
    this.#bytes += chunk.length;
    this.#chunks.push(chunk);
  }

  text(): string {
    return Buffer.concat(this.#chunks).toString('utf8');
  }
}

function httpUrl(line: string): string | undefined {
  if (/\s/.test(line)) return undefined;
  try {
    const url = new URL(line);
    return url.protocol === 'https:' || url.protocol === 'http:' ? line : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The line that says why: streamlink's last `error:` line, else the last
 * non-empty line (a Python traceback ends with the exception).
 */
export function lastMeaningfulLine(output: string): string | undefined {
  const lines = output
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const errors = lines.filter((l) => /^error:/i.test(l));
  const line = errors.at(-1) ?? lines.at(-1);
  return line?.replace(/^error:\s*/i, '');
}

/**
 * Output quoted in an error. Platforms put tokens and signatures in stream
 * URLs, in the query (`usher.ttvnw.net/...m3u8?sig=..&token=..`) or in the
 * path (`manifest.googlevideo.com/api/manifest/.../sig/...`): a URL other than
 * the page we asked for keeps only its origin, the page URL loses its query.
 * Then the caller's redaction runs, then the text is cut to a readable length.
 */
export function redactOutput(text: string, pageUrl: string, redact?: (text: string) => string): string {
  const page = withoutQuery(pageUrl);
  let out = text.replace(/\bhttps?:\/\/[^\s"'<>]+/gi, (found) => {
    if (found === pageUrl) return found;
    const bare = withoutQuery(found);
    if (bare === page) return bare;
    try {
      return `${new URL(found).origin}/…`;
    } catch {
      return '<url>';
    }
  });
  if (redact !== undefined) out = redact(out);
  return out.length > MAX_REASON_LENGTH ? `${out.slice(0, MAX_REASON_LENGTH - 1)}…` : out;
}

function withoutQuery(url: string): string {
  return url.replace(/[?#].*$/s, '');
}
