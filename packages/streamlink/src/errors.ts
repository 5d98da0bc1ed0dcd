import { defineError } from '@streamsuites/kernel';

/*
 * Coded errors of @streamsuites/streamlink; every code is in the README
 * "Errors" table. None of them carries the printed stream URL (it holds the
 * platform's access token) nor the extra arguments (they may hold cookies).
 */

export const SS_ERR_STREAMLINK_MISSING = defineError(
  'SS_ERR_STREAMLINK_MISSING',
  (path: string) => `streamlink was not found or is not executable ("${path}")`,
  'Install streamlink (`sudo apt install streamlink`, or `pipx install streamlink` for the newest version), or set the plugin\'s streamlink.path to the program.',
);
export const SS_ERR_STREAMLINK_FAILED = defineError(
  'SS_ERR_STREAMLINK_FAILED',
  (pageUrl: string, exit: string, reason: string) => `streamlink could not resolve ${pageUrl} (${exit}): ${reason}`,
  'Offline channels are retried when they go live; otherwise run the same streamlink command by hand to see its full output (an outdated streamlink often fails after a platform change: upgrade it).',
);
export const SS_ERR_STREAMLINK_TIMEOUT = defineError(
  'SS_ERR_STREAMLINK_TIMEOUT',
  (pageUrl: string, timeoutMs: number) => `streamlink did not resolve ${pageUrl} within ${timeoutMs} ms`,
  'The platform or the network is slow: the caller retries; raise streamlink.timeoutSec if it keeps happening.',
);
export const SS_ERR_STREAMLINK_BAD_OUTPUT = defineError(
  'SS_ERR_STREAMLINK_BAD_OUTPUT',
  (pageUrl: string, problem: string) => `streamlink printed something other than one stream URL for ${pageUrl}: ${problem}`,
  'The program at streamlink.path may not be streamlink, or extraArgs change what it prints: remove options such as --json or --loglevel that write to stdout.',
);
export const SS_ERR_STREAMLINK_NOT_LIVE = defineError(
  'SS_ERR_STREAMLINK_NOT_LIVE',
  (platform: string, creatorId: string, why: string) => `creator "${creatorId}" has no ${platform} stream to resolve: ${why}`,
  'Wait for the creator to go live (stream.online), and check that the creator enables the platform plugin with its channel set.',
);
