import { SS_ERR_ABORTED, StreamSuitesError, systemClock, type Clock } from '@streamsuites/kernel';
import { SS_ERR_TWITCH_AUTH, SS_ERR_TWITCH_HELIX_FAILED } from '../errors.js';
import { SS_ERR_TWITCH_RATE_LIMITED } from './errors.js';

/** Where the access token of a Helix call comes from, and how to renew it once after a 401. */
export interface HelixTokenSource {
  /** The current access token (user or app token, without `oauth:`). */
  token(): string | Promise<string>;
  /**
   * Renews the token after Twitch answered 401: for a user token the
   * existing refresh (TokenBook.refresh), for an app token a new client
   * credentials token. Absent: a 401 fails with SS_ERR_TWITCH_AUTH at once.
   */
  refresh?(): Promise<string>;
}

export interface HelixRequestOptions {
  /** Helix base, e.g. `https://api.twitch.tv/helix`. */
  helixUrl: string;
  clientId: string;
  tokens: HelixTokenSource;
  /** Named in SS_ERR_TWITCH_AUTH (the creator whose token Twitch refused). */
  subject: string;
  /** Longest wait for `Ratelimit-Reset` after a 429 before failing (default 60 s). */
  maxRateLimitWaitMs?: number;
  fetch?: typeof fetch;
  clock?: Clock;
  /** Waits (tests pass a recorder). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Per request (default 10 s). */
  timeoutMs?: number;
}

export interface HelixAnswer {
  status: number;
  body: unknown;
}

/**
 * One Helix call with the rules every Helix endpoint shares: Client-Id +
 * Bearer token; a 401 renews the token once and retries; a 429 waits until
 * `Ratelimit-Reset` (epoch seconds) and retries once; 5xx and network
 * failures are SS_ERR_TWITCH_HELIX_FAILED (retryable in details). Other
 * statuses are returned for the caller to map. No message or detail ever
 * contains a token.
 */
export async function helixRequest(
  options: HelixRequestOptions,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  path: string,
  body: unknown,
  signal?: AbortSignal,
): Promise<HelixAnswer> {
  const what = `${method} ${path.split('?')[0]}`;
  const url = `${options.helixUrl.replace(/\/$/, '')}${path}`;
  const doFetch = options.fetch ?? globalThis.fetch;
  let refreshed = false;
  let waited = false;
  let token = await options.tokens.token();
  for (;;) {
    throwIfAborted(signal);
    const timeout = AbortSignal.timeout(options.timeoutMs ?? 10_000);
    let response: Response;
    try {
      response = await doFetch(url, {
        method,
        headers: {
          'Client-Id': options.clientId,
          Authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: signal === undefined ? timeout : AbortSignal.any([signal, timeout]),
      });
    } catch (error) {
      throwIfAborted(signal);
      throw new SS_ERR_TWITCH_HELIX_FAILED(`${what} failed: ${(error as Error).message}`, {
        cause: error,
        details: { retryable: true },
      });
    }
    const answer: HelixAnswer = { status: response.status, body: await response.json().catch(() => undefined) };
    const serverText = messageOf(answer.body) ?? `HTTP ${response.status}`;
    if (response.status === 401) {
      if (!refreshed && options.tokens.refresh !== undefined) {
        refreshed = true;
        try {
          token = await options.tokens.refresh();
        } catch (error) {
          throw new SS_ERR_TWITCH_AUTH(options.subject, `${serverText}; refreshing the token failed`, {
            cause: error,
            details: { status: 401, endpoint: what },
            hint: 'Authorize the bot again (streamsuites auth twitch) or fix the refresh credentials.',
          });
        }
        continue;
      }
      throw new SS_ERR_TWITCH_AUTH(options.subject, `${what} answered 401 (${serverText})`, {
        details: { status: 401, endpoint: what, refreshed },
        hint: 'The token is invalid or expired: authorize the bot again (streamsuites auth twitch), or configure a refresh token.',
      });
    }
    if (response.status === 429) {
      const clock = options.clock ?? systemClock;
      const resetSec = Number(response.headers.get('ratelimit-reset'));
      const retryAtMs = Number.isFinite(resetSec) && resetSec > 0 ? resetSec * 1000 : clock.now() + 1000;
      const waitMs = Math.max(0, retryAtMs - clock.now());
      if (waited || waitMs > (options.maxRateLimitWaitMs ?? 60_000)) {
        throw new SS_ERR_TWITCH_RATE_LIMITED(what, new Date(retryAtMs).toISOString(), {
          details: { status: 429, endpoint: what, retryAt: retryAtMs, retryable: true },
        });
      }
      waited = true;
      await (options.sleep ?? sleep)(waitMs, signal);
      continue;
    }
    if (response.status >= 500) {
      throw new SS_ERR_TWITCH_HELIX_FAILED(`${what} answered ${response.status} (${serverText})`, {
        details: { status: response.status, endpoint: what, retryable: true },
        hint: 'Twitch is having trouble; try again later.',
      });
    }
    return answer;
  }
}

/** Twitch's error bodies: `{ "error": "Unauthorized", "status": 401, "message": "Invalid OAuth token" }`. */
export function messageOf(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const message = (body as { message?: unknown }).message;
  return typeof message === 'string' && message.length > 0 ? message : undefined;
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    throw signal.reason instanceof StreamSuitesError ? signal.reason : new SS_ERR_ABORTED('a Twitch API call', { cause: signal.reason });
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    }, { once: true });
  });
}
