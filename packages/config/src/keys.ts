/**
 * The dashboard writes snake_case keys (`bot_login`, `max_clip_sec`); the
 * manifest and every plugin schema use camelCase. Keys are converted one by
 * one, so a plugin's own schema validates the converted object and each
 * problem is traced back to the file's key.
 */

/** `bot_login` → `botLogin`, `logins_per_10s` → `loginsPer10s`; anything not snake_case is kept as it is. */
export function camelKey(key: string): string {
  if (!/^[a-z][a-z0-9]*(_[a-z0-9]+)+$/.test(key)) return key;
  return key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** `botLogin` → `bot_login`, `loginsPer10s` → `logins_per_10s` (the inverse of camelKey, for hints and docs). */
export function snakeKey(key: string): string {
  if (!/^[a-z][a-zA-Z0-9]*$/.test(key)) return key;
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`).replace(/([a-z])(\d+)/g, '$1_$2');
}

/**
 * Keys whose children are data, not field names: their keys are kept
 * verbatim (a trigger's `where` filters name event fields, HTTP headers are
 * headers, `templates` and `latency_offset_sec` are keyed by platform or
 * target ids, which may hold an underscore).
 */
export const VERBATIM_CHILDREN: ReadonlySet<string> = new Set(['where', 'headers', 'templates', 'latency_offset_sec', 'latencyOffsetSec', 'env']);
