import { openAsBlob } from 'node:fs';
import { basename, extname } from 'node:path';
import type { ClipDestination, ClipFile } from '../types.js';
import { HTTP_DEFAULTS, type HttpDestinationOptions } from './config.js';
import { SS_ERR_CLIPS_DESTINATION_INVALID, SS_ERR_CLIPS_UPLOAD_FAILED } from './errors.js';
import {
  Redactor,
  abortableDelay,
  aborted,
  assertReadableFile,
  htmlText,
  oneLine,
  renderTemplate,
  retryWait,
  safeUrl,
  silentLogger,
  type Backoff,
  type DestinationLogger,
} from './shared.js';

export interface HttpDestinationDeps {
  log?: DestinationLogger;
}

/** Statuses worth another try: the server or something in front of it is having a moment. */
type AttemptOutcome =
  | { ok: true; status: number; url: string }
  | { ok: false; transient: boolean; reason: string; status?: number; retryAfterMs?: number; cause?: unknown };

function isTransientStatus(status: number): boolean {
  return status >= 500 || status === 408 || status === 429;
}

const MEDIA_TYPES: Record<string, string> = {
  '.mp4': 'video/mp4',
  '.m4v': 'video/mp4',
  '.mov': 'video/quicktime',
  '.webm': 'video/webm',
  '.mkv': 'video/x-matroska',
  '.ts': 'video/mp2t',
};

/**
 * Uploads the clip as multipart/form-data (the file streamed from disk, never
 * read into memory) and takes the public URL from the JSON response. A 5xx,
 * 408, 429 or network failure is retried with exponential backoff, up to
 * `attempts` tries in all; then SS_ERR_CLIPS_UPLOAD_FAILED with the status.
 * Header values and the URL's query string are secrets: they appear in no
 * message, detail or log line.
 */
export class HttpDestination implements ClipDestination {
  readonly kind = 'http';
  readonly #url: string;
  readonly #safeUrl: string;
  readonly #method: 'POST' | 'PUT';
  readonly #fileField: string;
  readonly #fields: Record<string, string>;
  readonly #headers: Record<string, string>;
  readonly #urlField: string;
  readonly #attempts: number;
  readonly #backoff: Backoff;
  readonly #timeoutMs: number;
  readonly #redactor: Redactor;
  readonly #log: DestinationLogger;

  constructor(options: HttpDestinationOptions, deps: HttpDestinationDeps = {}) {
    let parsed: URL;
    try {
      parsed = new URL(options?.url);
    } catch {
      throw new SS_ERR_CLIPS_DESTINATION_INVALID('http', 'options.url must be an absolute http(s) URL');
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new SS_ERR_CLIPS_DESTINATION_INVALID('http', `options.url must be http(s), not ${parsed.protocol}`);
    }
    const attempts = options.attempts ?? HTTP_DEFAULTS.attempts;
    if (!Number.isInteger(attempts) || attempts < 1) {
      throw new SS_ERR_CLIPS_DESTINATION_INVALID('http', 'options.attempts must be an integer of at least 1');
    }
    this.#url = options.url;
    this.#safeUrl = safeUrl(options.url);
    this.#method = options.method ?? HTTP_DEFAULTS.method;
    this.#fileField = options.fileField ?? HTTP_DEFAULTS.fileField;
    this.#fields = { ...(options.fields ?? HTTP_DEFAULTS.fields) };
    this.#headers = { ...(options.headers ?? {}) };
    this.#urlField = options.urlField ?? HTTP_DEFAULTS.urlField;
    this.#attempts = attempts;
    this.#backoff = { ...HTTP_DEFAULTS.backoff, ...options.backoff };
    this.#timeoutMs = options.timeoutMs ?? HTTP_DEFAULTS.timeoutMs;
    this.#log = deps.log ?? silentLogger;
    // Every header value, every query value and the URL's password are secrets.
    this.#redactor = new Redactor([
      ...Object.values(this.#headers),
      ...[...parsed.searchParams.values()],
      parsed.password === '' ? undefined : decodeURIComponent(parsed.password),
      parsed.username === '' ? undefined : decodeURIComponent(parsed.username),
    ]);
  }

  /** The settings in effect, without secrets: header names only, the URL without its query string. */
  describe(): Record<string, unknown> {
    return {
      kind: this.kind,
      url: this.#safeUrl,
      method: this.#method,
      headers: Object.keys(this.#headers),
      urlField: this.#urlField,
      attempts: this.#attempts,
    };
  }

  async upload(file: ClipFile, signal: AbortSignal): Promise<{ url: string }> {
    const what = `HTTP upload of clip ${file.clipId}`;
    if (signal.aborted) throw aborted(what, signal);
    const size = await assertReadableFile('http', file);
    const base = { destination: 'http', clipId: file.clipId, url: this.#safeUrl };

    for (let attempt = 1; ; attempt += 1) {
      const started = Date.now();
      const outcome = await this.#attempt(file, signal, what);
      if (outcome.ok) {
        this.#log.info({ ...base, status: outcome.status, attempt, bytes: size, ms: Date.now() - started }, 'clip uploaded');
        return { url: outcome.url };
      }
      if (outcome.transient && attempt < this.#attempts) {
        const waitMs = retryWait(this.#backoff, attempt, outcome.retryAfterMs);
        this.#log.warn(
          { ...base, attempt, attempts: this.#attempts, status: outcome.status, waitMs, reason: this.#redactor.text(outcome.reason) },
          'clip upload failed, retrying',
        );
        await abortableDelay(waitMs, signal, what);
        continue;
      }
      const reason = this.#redactor.text(`${outcome.reason} from ${this.#safeUrl} after ${attempt} attempt${attempt === 1 ? '' : 's'}`);
      throw new SS_ERR_CLIPS_UPLOAD_FAILED('http', reason, {
        ...(outcome.cause === undefined ? {} : { cause: this.#redactor.error(outcome.cause) }),
        details: { ...base, ...(outcome.status === undefined ? {} : { status: outcome.status }), attempts: attempt, retryable: outcome.transient },
      });
    }
  }

  async #attempt(file: ClipFile, signal: AbortSignal, what: string): Promise<AttemptOutcome> {
    let response: Response;
    try {
      response = await fetch(this.#url, {
        method: this.#method,
        headers: this.#headers,
        body: await this.#form(file),
        signal: AbortSignal.any([signal, AbortSignal.timeout(this.#timeoutMs)]),
      });
    } catch (error) {
      if (signal.aborted) throw aborted(what, signal);
      const timedOut = error instanceof Error && error.name === 'TimeoutError';
      const reason = timedOut ? `no answer within ${this.#timeoutMs} ms` : `network error: ${describeNetworkError(error)}`;
      return { ok: false, transient: true, reason, cause: error };
    }
    let body: string;
    try {
      body = await response.text();
    } catch (error) {
      if (signal.aborted) throw aborted(what, signal);
      const reason = `the response (HTTP ${response.status}) was cut off: ${describeNetworkError(error)}`;
      return { ok: false, transient: true, status: response.status, reason, cause: error };
    }
    if (response.ok) return { ok: true, status: response.status, url: this.#publicUrl(body, file, response.status) };
    const retryAfter = response.headers.get('retry-after');
    return {
      ok: false,
      transient: isTransientStatus(response.status),
      status: response.status,
      reason: `HTTP ${response.status}${body.trim() === '' ? '' : `: ${oneLine(htmlText(body), 200)}`}`,
      ...(retryAfter !== null && /^\d+$/.test(retryAfter.trim()) ? { retryAfterMs: Number(retryAfter.trim()) * 1000 } : {}),
    };
  }

  /** A fresh form per attempt: the file part is a lazy Blob over the file, read while the request is sent. */
  async #form(file: ClipFile): Promise<FormData> {
    const form = new FormData();
    for (const [name, template] of Object.entries(this.#fields)) form.append(name, renderTemplate(template, file));
    const type = MEDIA_TYPES[extname(file.path).toLowerCase()] ?? 'application/octet-stream';
    const blob = await openAsBlob(file.path, { type });
    form.append(this.#fileField, blob, basename(file.path));
    return form;
  }

  #publicUrl(body: string, file: ClipFile, status: number): string {
    const fail = (problem: string): never => {
      throw new SS_ERR_CLIPS_UPLOAD_FAILED('http', this.#redactor.text(`${this.#safeUrl} answered ${status} but ${problem}`), {
        // The file is on the server; sending it again will not fix the response's shape.
        details: { destination: 'http', clipId: file.clipId, url: this.#safeUrl, status, retryable: false },
      });
    };
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      return fail(`the body is not JSON (${oneLine(body, 120) || 'empty'})`);
    }
    const value = pick(json, this.#urlField);
    if (typeof value !== 'string' || value === '') return fail(`the JSON has no string at "${this.#urlField}"`);
    try {
      return new URL(value, this.#url).href;
    } catch {
      return fail(`"${this.#urlField}" is not a URL`);
    }
  }
}

/** `data.items.0.url` → json.data.items[0].url */
function pick(json: unknown, path: string): unknown {
  let current = json;
  for (const key of path.split('.')) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = Array.isArray(current) ? current[Number(key)] : (current as Record<string, unknown>)[key];
  }
  return current;
}

/** undici says "fetch failed" and hides the reason in `cause`. */
function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause;
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return `${error.message} (${typeof code === 'string' ? `${code}: ` : ''}${cause.message})`;
  }
  return error.message;
}
