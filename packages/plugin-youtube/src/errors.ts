import { defineError } from '@streamsuites/kernel';

/** Coded errors of @streamsuites/plugin-youtube; every code is in the README "Errors" table. */

export const SS_ERR_YOUTUBE_CONFIG = defineError(
  'SS_ERR_YOUTUBE_CONFIG',
  (creatorId: string, problem: string) => `YouTube config of creator "${creatorId}": ${problem}`,
  'Set channelId (or videoId / liveChatId) and either apiKey or clientId + clientSecret + refreshToken in creators.<id>.config.youtube.',
);
export const SS_ERR_YOUTUBE_API = defineError(
  'SS_ERR_YOUTUBE_API',
  (call: string, status: number, reason: string) => `YouTube ${call} failed: HTTP ${status} ${reason}`,
  'Transient errors are retried with backoff; quota errors wait for the daily reset; check the API key / OAuth scopes for 401/403.',
);
export const SS_ERR_YOUTUBE_AUTH = defineError(
  'SS_ERR_YOUTUBE_AUTH',
  (creatorId: string, problem: string) => `YouTube refused the credentials of creator "${creatorId}": ${problem}`,
  'Create a new OAuth refresh token (scope youtube.force-ssl) or API key and put it in the manifest through ${env:...}.',
);
export const SS_ERR_YOUTUBE_NOT_LIVE = defineError(
  'SS_ERR_YOUTUBE_NOT_LIVE',
  (creatorId: string) => `creator "${creatorId}" has no live YouTube chat right now`,
  'Replies go to the live chat found by discovery; wait for stream.online.',
);
export const SS_ERR_YOUTUBE_SEND_NEEDS_OAUTH = defineError(
  'SS_ERR_YOUTUBE_SEND_NEEDS_OAUTH',
  (creatorId: string) => `creator "${creatorId}" cannot send YouTube chat with an API key only`,
  'Sending needs OAuth: set clientId, clientSecret and refreshToken (scope youtube.force-ssl).',
);
export const SS_ERR_YOUTUBE_NORMALIZE_FAILED = defineError(
  'SS_ERR_YOUTUBE_NORMALIZE_FAILED',
  (reason: string) => `A YouTube chat item could not be normalized and was skipped: ${reason}`,
  'A bug in the YouTube normalizer: report it with the redacted sample from the platform.normalize-failed event. Chat reading goes on.',
);
export const SS_ERR_YOUTUBE_BAD_RESPONSE = defineError(
  'SS_ERR_YOUTUBE_BAD_RESPONSE',
  (call: string, problem: string) => `YouTube ${call} answered with a body that is not a valid response: ${problem}`,
  'Retried with backoff from the last good position, so nothing YouTube still returns is lost. If it keeps happening, check that plugins.youtube.config.apiUrl reaches the Data API directly (not a proxy or captive portal that rewrites answers).',
);
export { SS_ERR_YOUTUBE_MODERATION_NEEDS_OAUTH } from './moderation/errors.js';
