import { SS_ERR_YOUTUBE_API } from '../errors.js';

/** What a failed call means for the caller. */
export type FailureKind =
  /** quotaExceeded / dailyLimitExceeded: stop calling until the daily reset. */
  | 'quota'
  /** rateLimitExceeded, 429: back off. */
  | 'rate'
  /** liveChatEnded / liveChatNotFound / liveChatDisabled: the chat is gone; go offline and rediscover later. */
  | 'chat-gone'
  /** 401, forbidden, insufficientPermissions, keyInvalid: credentials or permissions; retry slowly. */
  | 'auth'
  /** 5xx, network: retry with backoff. */
  | 'transient'
  /** 400 invalidPageToken: the page token is no longer accepted (expired, or from before a reset); start over without it. */
  | 'page-token'
  /** Anything else (400 ...): a bug or bad config; retry slowly. */
  | 'invalid';

export interface ApiFailure {
  kind: FailureKind;
  status: number;
  reason: string;
}

const QUOTA = new Set(['quotaExceeded', 'dailyLimitExceeded', 'dailyLimitExceededUnreg']);
const RATE = new Set(['rateLimitExceeded', 'userRateLimitExceeded']);
const GONE = new Set(['liveChatEnded', 'liveChatNotFound', 'liveChatDisabled']);
const AUTH = new Set(['forbidden', 'insufficientPermissions', 'authError', 'keyInvalid', 'ipRefererBlocked', 'accessNotConfigured', 'invalid_grant']);

/**
 * Classifies a gaxios error (or a parsed error body) by HTTP status and
 * `error.errors[0].reason`. gaxios 8 leaves `response.data` empty for a
 * failed `responseType: 'stream'` request (streamList) and puts the error
 * body in the message instead, so the message is read too.
 */
export function classify(error: unknown): ApiFailure {
  const e = error as { response?: { status?: number; data?: unknown }; status?: number; code?: unknown; message?: unknown };
  const status = e.response?.status ?? (typeof e.status === 'number' ? e.status : 0);
  const reason = reasonOf(e.response?.data) ?? reasonOf(e.message) ?? (typeof e.code === 'string' && status === 0 ? e.code : '') ?? '';
  if (QUOTA.has(reason)) return { kind: 'quota', status, reason };
  if (RATE.has(reason) || status === 429) return { kind: 'rate', status, reason: reason || 'rateLimitExceeded' };
  if (GONE.has(reason)) return { kind: 'chat-gone', status, reason };
  if (reason === 'invalidPageToken') return { kind: 'page-token', status, reason };
  if (AUTH.has(reason) || status === 401 || status === 403) return { kind: 'auth', status, reason: reason || (status === 401 ? 'unauthorized' : 'forbidden') };
  if (status === 0 || status >= 500) return { kind: 'transient', status, reason: reason || (status === 0 ? 'network' : 'backendError') };
  return { kind: 'invalid', status, reason: reason || 'badRequest' };
}

/** `error.errors[0].reason` of a Google error body (also inside a streamList array, or an OAuth `error` string). */
export function reasonOf(data: unknown): string | undefined {
  let body = data;
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body);
    } catch {
      return undefined;
    }
  }
  if (Array.isArray(body)) body = body[0];
  if (typeof body !== 'object' || body === null) return undefined;
  const err = (body as { error?: unknown }).error;
  if (typeof err === 'string') return err; // OAuth: { "error": "invalid_grant" }
  const reason = (err as { errors?: { reason?: unknown }[] } | undefined)?.errors?.[0]?.reason;
  return typeof reason === 'string' ? reason : undefined;
}

/** The coded error for a failed call (never the request URL: it may carry the API key). */
export function apiError(call: string, failure: ApiFailure, cause?: unknown): InstanceType<typeof SS_ERR_YOUTUBE_API> {
  return new SS_ERR_YOUTUBE_API(call, failure.status, failure.reason, {
    details: { call, status: failure.status, reason: failure.reason, kind: failure.kind },
    ...(cause === undefined ? {} : { cause: new Error(`HTTP ${failure.status} ${failure.reason}`) }),
  });
}

/** Carries the classification so callers can branch on it. */
export function failureOf(error: unknown): ApiFailure | undefined {
  const details = (error as { details?: { kind?: unknown; status?: unknown; reason?: unknown } }).details;
  if (details === undefined || typeof details.kind !== 'string') return undefined;
  return { kind: details.kind as FailureKind, status: Number(details.status), reason: String(details.reason) };
}
