import { randomBytes } from 'node:crypto';
import { open, rename, stat, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { backoffDelay, SS_ERR_ABORTED, type BackoffPolicy } from '@streamsuites/kernel';
import type { ClipFile } from '../types.js';
import { SS_ERR_CLIPS_UPLOAD_FAILED } from './errors.js';

/**
 * What the destinations log through. The kernel's pino logger fits; so does
 * anything with these three methods. Nothing logged here holds a secret.
 */
export interface DestinationLogger {
  debug(fields: Record<string, unknown>, message: string): void;
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
}

export const silentLogger: DestinationLogger = { debug() {}, info() {}, warn() {} };

export const REDACTED = '[redacted]';

/** Below this length a value is not masked on its own (it would mask ordinary words). */
const MIN_SECRET_LENGTH = 4;

/** `scheme://host/path` of a URL: no user info, no query string, no fragment. */
export function safeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return stripUrlSecrets(url);
  }
}

const URL_QUERY = /(\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>?#]*)[?#][^\s"'<>]*/gi;
const URL_USERINFO = /(\b[a-z][a-z0-9+.-]*:\/\/)[^/\s@"'<>]+@/gi;

/** Drops query strings, fragments and user info of every URL inside `text`. */
export function stripUrlSecrets(text: string): string {
  return text.replace(URL_USERINFO, `$1${REDACTED}@`).replace(URL_QUERY, '$1');
}

/**
 * Masks known secret values and URL query strings in text bound for an
 * error message, a detail or a log line.
 */
export class Redactor {
  readonly #secrets: string[];

  constructor(values: Iterable<string | undefined>) {
    const set = new Set<string>();
    for (const value of values) {
      if (typeof value !== 'string') continue;
      if (value.length >= MIN_SECRET_LENGTH) set.add(value);
      // "Bearer abc…": a server may echo the token alone.
      const last = value.trim().split(/\s+/).pop();
      if (last !== undefined && last !== value && last.length >= 6) set.add(last);
      // Percent-encoded forms (a value echoed inside a URL or a form body).
      const encoded = encodeURIComponent(value);
      if (encoded !== value && encoded.length >= MIN_SECRET_LENGTH) set.add(encoded);
    }
    this.#secrets = [...set].sort((a, b) => b.length - a.length);
  }

  text(input: string): string {
    let out = input;
    for (const secret of this.#secrets) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    return stripUrlSecrets(out);
  }

  /** A copy of an error chain (two levels) with its messages masked; the originals may quote secrets. */
  error(error: unknown): Error {
    return this.#copy(error, 0);
  }

  #copy(error: unknown, depth: number): Error {
    if (!(error instanceof Error)) return new Error(this.text(String(error)));
    const cause = depth < 2 && error.cause !== undefined ? this.#copy(error.cause, depth + 1) : undefined;
    const copy = new Error(this.text(error.message), cause === undefined ? undefined : { cause });
    copy.name = error.name;
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string') Object.assign(copy, { code });
    return copy;
  }
}

/** Collapses text to one line of at most `max` characters. */
export function oneLine(text: string, max = 300): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** The visible text of an HTML page (head, scripts and styles dropped), for error messages. */
export function htmlText(html: string): string {
  return html
    .replace(/<head[\s\S]*?<\/head>/gi, ' ')
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

/** Replaces {clipId}, {creatorId}, {title}, {durationSec} (and any extra keys given). */
export function renderTemplate(template: string, file: ClipFile, extra: Record<string, string> = {}): string {
  const values: Record<string, string> = {
    clipId: file.clipId,
    creatorId: file.creatorId,
    title: file.title,
    durationSec: String(file.durationSec),
    ...extra,
  };
  return template.replace(/\{([A-Za-z]+)\}/g, (match, key: string) => values[key] ?? match);
}

export type Backoff = Required<Pick<BackoffPolicy, 'initialMs' | 'maxMs' | 'factor'>>;

/** The wait before attempt `attempt + 1` (attempt counts from 1): the kernel's backoff, at least `atLeastMs` (a server's Retry-After), never above maxMs. */
export function retryWait(backoff: Backoff, attempt: number, atLeastMs = 0): number {
  return Math.min(backoff.maxMs, Math.max(backoffDelay(backoff, attempt), atLeastMs));
}

/** Waits `ms` unless `signal` aborts first (then rejects with SS_ERR_ABORTED). */
export async function abortableDelay(ms: number, signal: AbortSignal, what: string): Promise<void> {
  try {
    await delay(ms, undefined, { signal });
  } catch (error) {
    if (signal.aborted) throw aborted(what, signal);
    throw error;
  }
}

export function aborted(what: string, signal: AbortSignal): Error {
  return new SS_ERR_ABORTED(what, { cause: signal.reason });
}

/** Writes a file atomically: a temp file in the same folder, fsync, rename. */
export async function writeFileAtomic(file: string, data: string | Uint8Array, mode = 0o644): Promise<void> {
  const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    const handle = await open(temp, 'wx', mode);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (error) {
    await unlink(temp).catch(() => {});
    throw error;
  }
  await syncDir(dirname(file));
}

/** Flushes a file just written (a copy, before it is renamed into place) to disk. */
export async function syncFile(file: string): Promise<void> {
  const handle = await open(file, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Makes a rename durable (POSIX); a no-op where folders cannot be opened (Windows). */
export async function syncDir(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // not supported on this platform
  }
}

export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Rejects with SS_ERR_CLIPS_UPLOAD_FAILED (not retryable) when the clip is not a readable file; resolves with its size. */
export async function assertReadableFile(destination: string, file: ClipFile): Promise<number> {
  let info;
  try {
    info = await stat(file.path);
  } catch (error) {
    throw new SS_ERR_CLIPS_UPLOAD_FAILED(destination, `the clip file ${file.path} cannot be read (${errorCode(error) ?? 'error'})`, {
      cause: error,
      details: { destination, clipId: file.clipId, retryable: false },
    });
  }
  if (!info.isFile()) {
    throw new SS_ERR_CLIPS_UPLOAD_FAILED(destination, `the clip path ${file.path} is not a file`, {
      details: { destination, clipId: file.clipId, retryable: false },
    });
  }
  return info.size;
}
