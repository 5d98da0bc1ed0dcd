import { SS_ERR_RUMBLE_API, SS_ERR_RUMBLE_BAD_RESPONSE, SS_ERR_RUMBLE_KEY_REJECTED } from '../errors.js';
import { requestUrl, type KeyedUrl } from './key-url.js';
import { parseBody, type SkippedEntry } from './parse.js';
import type { ApiBody } from './types.js';

export interface LiveStreamApiOptions {
  creatorId: string;
  keyed: KeyedUrl;
  /** Scheme, host and port requests go to (default https://rumble.com). */
  apiOrigin: string;
  /** Per request (default 15 s). */
  timeoutMs?: number;
  /** Masks secrets in text taken from the outside (error causes). */
  redact: (text: string) => string;
  userAgent?: string;
}

export interface Poll {
  body: ApiBody;
  skipped: SkippedEntry[];
}

/** How long a 429's Retry-After asks to wait (ms), when it says. */
function retryAfterMs(header: string | null): number | undefined {
  if (header === null) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const date = Date.parse(header);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}

/**
 * One creator's keyed Live Stream API. `get()` resolves with the validated
 * body or rejects with a coded error: SS_ERR_RUMBLE_KEY_REJECTED (401/403:
 * retrying cannot help), SS_ERR_RUMBLE_API (429, 5xx, network, timeout;
 * `details.retryAfterMs` when Rumble said) or SS_ERR_RUMBLE_BAD_RESPONSE.
 * No error, log line or detail ever holds the URL or its key.
 */
export class LiveStreamApi {
  readonly #o: LiveStreamApiOptions;
  readonly #url: string;

  constructor(options: LiveStreamApiOptions) {
    this.#o = options;
    this.#url = requestUrl(options.keyed, options.apiOrigin);
  }

  async get(signal: AbortSignal): Promise<Poll> {
    const { creatorId } = this.#o;
    let response: Response;
    let text: string;
    try {
      response = await fetch(this.#url, {
        headers: { accept: 'application/json', 'user-agent': this.#o.userAgent ?? 'StreamSuites' },
        redirect: 'error',
        signal: AbortSignal.any([signal, AbortSignal.timeout(this.#o.timeoutMs ?? 15_000)]),
      });
      text = await response.text();
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      throw new SS_ERR_RUMBLE_API(creatorId, 0, this.#o.redact(describeNetworkError(error)), { details: { status: 0 } });
    }
    if (response.status === 401 || response.status === 403) throw new SS_ERR_RUMBLE_KEY_REJECTED(creatorId, response.status);
    if (!response.ok) {
      const wait = retryAfterMs(response.headers.get('retry-after'));
      throw new SS_ERR_RUMBLE_API(creatorId, response.status, response.statusText || 'error', {
        details: { status: response.status, ...(wait === undefined ? {} : { retryAfterMs: wait }) },
      });
    }
    const parsed = parseBody(text);
    if (!parsed.ok) throw new SS_ERR_RUMBLE_BAD_RESPONSE(creatorId, parsed.problem);
    return { body: parsed.body, skipped: parsed.skipped };
  }
}

function describeNetworkError(error: unknown): string {
  const err = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err?.name === 'TimeoutError') return 'timed out';
  const cause = err?.cause?.code ?? err?.cause?.message;
  return cause === undefined ? (err?.message ?? String(error)) : `${err?.message ?? 'request failed'} (${cause})`;
}
