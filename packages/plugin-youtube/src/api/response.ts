/** Checking a 200 body before anyone reads it: what the Data API promised, or SS_ERR_YOUTUBE_BAD_RESPONSE. */
import { SS_ERR_YOUTUBE_BAD_RESPONSE } from '../errors.js';

/** The reason in `details` (and so in `platform.connection`) of a body that is not a valid response. */
export const BAD_RESPONSE_REASON = 'badResponse';

/**
 * The coded error for a 200 whose body is not the response the call
 * promised. `details` classify it as transient (retried with backoff); the
 * message names the problem, never the body or the URL.
 */
export function badResponse(call: string, problem: string): InstanceType<typeof SS_ERR_YOUTUBE_BAD_RESPONSE> {
  return new SS_ERR_YOUTUBE_BAD_RESPONSE(call, problem, {
    details: { call, status: 200, reason: BAD_RESPONSE_REASON, kind: 'transient', problem },
  });
}

/**
 * A list response: a JSON object whose `items`, when present, is an array.
 * A body gaxios could not parse arrives as a string (truncated JSON, an HTML
 * page), so it is caught here too.
 */
export function responseOf<T extends { items?: unknown }>(call: string, data: unknown): T & { items?: unknown[] } {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw badResponse(call, typeof data === 'string' && data.length > 0 ? 'the body is not JSON (truncated, or not from the Data API)' : 'the body is not a JSON object');
  }
  const items = (data as { items?: unknown }).items;
  if (items !== undefined && items !== null && !Array.isArray(items)) throw badResponse(call, '`items` is not an array');
  return data as T & { items?: unknown[] };
}

/** The elements of `items` that are objects (a null or a number among them is dropped, not the page). */
export function objectItems<T>(items: readonly unknown[] | null | undefined): T[] {
  return (items ?? []).filter((item): item is T => typeof item === 'object' && item !== null && !Array.isArray(item));
}
