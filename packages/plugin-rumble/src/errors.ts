import { defineError } from '@streamsuites/kernel';

/**
 * Coded errors of @streamsuites/plugin-rumble; every code is in the README
 * "Errors" table. None of them ever carries the keyed Live Stream API URL or
 * its key: callers pass the redacted form.
 */

export const SS_ERR_RUMBLE_CONFIG = defineError(
  'SS_ERR_RUMBLE_CONFIG',
  (creatorId: string, problem: string) => `Rumble config of creator "${creatorId}": ${problem}`,
  'Set creators.<id>.config.rumble.apiUrl to the keyed Live Stream API URL from rumble.com (Account → Live Stream API), e.g. "${env:RUMBLE_API_URL_<CREATOR>}".',
);
export const SS_ERR_RUMBLE_KEY_REJECTED = defineError(
  'SS_ERR_RUMBLE_KEY_REJECTED',
  (creatorId: string, status: number) => `Rumble refused the Live Stream API key of creator "${creatorId}" (HTTP ${status}); polling stopped for this creator`,
  'The key was revoked or mistyped: create a new Live Stream API URL on rumble.com, put it in the manifest and restart. Other creators keep running.',
);
export const SS_ERR_RUMBLE_API = defineError(
  'SS_ERR_RUMBLE_API',
  (creatorId: string, status: number, reason: string) => `Rumble Live Stream API request of creator "${creatorId}" failed: HTTP ${status} ${reason}`,
  'Rate limits (429) and server errors (5xx) are retried with jittered backoff; nothing to do unless it persists.',
);
export const SS_ERR_RUMBLE_BAD_RESPONSE = defineError(
  'SS_ERR_RUMBLE_BAD_RESPONSE',
  (creatorId: string, problem: string) => `Rumble Live Stream API answered creator "${creatorId}" with a body that is not a valid response: ${problem}`,
  'Retried with backoff; what Rumble still returns is read on the next good poll. If it persists, check that apiUrl reaches rumble.com directly (no proxy or captive portal rewriting answers).',
);
export const SS_ERR_RUMBLE_NOT_LIVE = defineError(
  'SS_ERR_RUMBLE_NOT_LIVE',
  (creatorId: string, detail: string) => `creator "${creatorId}" is not live on Rumble: ${detail}`,
  'Wait for stream.online from the rumble plugin.',
);
export const SS_ERR_RUMBLE_STREAM_UNRESOLVED = defineError(
  'SS_ERR_RUMBLE_STREAM_UNRESOLVED',
  (creatorId: string, reason: string) => `the Rumble live stream of creator "${creatorId}" could not be resolved to an HLS URL: ${reason}`,
  'Clip capture retries with backoff. Set creators.<id>.config.clips.capture.input to a stream URL to bypass the lookup.',
);
export const SS_ERR_RUMBLE_BROWSER = defineError(
  'SS_ERR_RUMBLE_BROWSER',
  (creatorId: string, problem: string) => `Rumble browser mode of creator "${creatorId}": ${problem}`,
  'Install Chromium (Debian: apt install chromium) or set plugins.rumble.config.browser.chromiumPath. API mode keeps running.',
);
export const SS_ERR_RUMBLE_SELECTOR_MISSING = defineError(
  'SS_ERR_RUMBLE_SELECTOR_MISSING',
  (name: string, selector: string, page: string) => `the Rumble chat page ${page} has no element for "${name}" (selector ${JSON.stringify(selector)}): the page changed shape`,
  'Update plugins.rumble.config.browser.selectors.<name> to the new selector (see the README table). API mode keeps running meanwhile.',
);
export const SS_ERR_RUMBLE_SEND_UNAVAILABLE = defineError(
  'SS_ERR_RUMBLE_SEND_UNAVAILABLE',
  (creatorId: string, reason: string) => `cannot send Rumble chat for creator "${creatorId}": ${reason}`,
  'Sending needs browser mode ("mode": "browser" or "both") with a logged-in profile; the Live Stream API is read-only.',
);
export const SS_ERR_RUMBLE_NORMALIZE_FAILED = defineError(
  'SS_ERR_RUMBLE_NORMALIZE_FAILED',
  (reason: string) => `A Rumble chat entry could not be normalized and was skipped: ${reason}`,
  'A bug in the Rumble normalizer or a new response shape: report it with the redacted sample from the platform.normalize-failed event. Polling goes on.',
);
