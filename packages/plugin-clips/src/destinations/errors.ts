import { defineError } from '@streamsuites/kernel';

/**
 * Coded errors of the clip destinations (STYLE item 5). Messages never carry
 * a secret: tokens, passwords and header values are masked and URLs lose
 * their query string before they reach a message, a detail or a log line.
 *
 * `details.retryable` tells the job engine whether trying the same upload
 * again later can help (a 5xx or a timeout) or not (a 4xx, a rejected login,
 * a missing file); destinations never retry a whole upload themselves.
 */

export const SS_ERR_CLIPS_UPLOAD_FAILED = defineError(
  'SS_ERR_CLIPS_UPLOAD_FAILED',
  (destination: string, reason: string) => `Clip upload to ${destination} failed: ${reason}`,
  'See details.retryable: the job retries transient failures; otherwise fix the destination settings (URL, credentials, selectors).',
);

export const SS_ERR_CLIPS_CHROMIUM_MISSING = defineError(
  'SS_ERR_CLIPS_CHROMIUM_MISSING',
  (path: string, problem: string) => `Chromium cannot run from ${path}: ${problem}`,
  'Install Chromium (Debian/Ubuntu: apt install chromium) or set chromiumPath to a Chromium or Chrome binary; browsers are never downloaded.',
);

export const SS_ERR_CLIPS_DESTINATION_INVALID = defineError(
  'SS_ERR_CLIPS_DESTINATION_INVALID',
  (kind: string, problem: string) => `Invalid clip destination "${kind}": ${problem}`,
  'Check the destination rule (kind and options) in the manifest; the plugin README lists every option.',
);
