import { defineError } from '@streamsuites/kernel';

/**
 * Coded errors of @streamsuites/plugin-engagement (STYLE item 5). Each says
 * what went wrong and for which creator, and its hint says how to fix it.
 * Every code is listed in the README "Errors" table.
 */

const list = (ids: readonly string[]) => (ids.length === 0 ? '(none configured)' : ids.join(', '));

export const SS_ERR_ENGAGEMENT_NOT_ENABLED = defineError(
  'SS_ERR_ENGAGEMENT_NOT_ENABLED',
  (creatorId: string, action: string) => `Action "${action}" ran for creator "${creatorId}", who does not enable the engagement plugin`,
  (creatorId: string) => `Add "engagement" to creators.${creatorId}.enable in the manifest, or remove the action from this creator's triggers.`,
);

export const SS_ERR_ENGAGEMENT_CONFIG_INVALID = defineError(
  'SS_ERR_ENGAGEMENT_CONFIG_INVALID',
  (creatorId: string, problem: string) => `Engagement config of creator "${creatorId}": ${problem}`,
  (creatorId: string) => `Fix creators.${creatorId}.config.engagement in the manifest (ids and labels must be unique, ignoring case).`,
);

export const SS_ERR_ENGAGEMENT_UNKNOWN_TALLY = defineError(
  'SS_ERR_ENGAGEMENT_UNKNOWN_TALLY',
  (creatorId: string, tallyId: string, known: readonly string[]) =>
    `Creator "${creatorId}" has no tally "${tallyId}" (configured: ${list(known)})`,
  (creatorId: string, tallyId: string) =>
    `Declare it in creators.${creatorId}.config.engagement.tallies ({ "id": "${tallyId}", "name": "..." }) or fix the action's "tally" param.`,
);

export const SS_ERR_ENGAGEMENT_UNKNOWN_SCOREBOARD = defineError(
  'SS_ERR_ENGAGEMENT_UNKNOWN_SCOREBOARD',
  (creatorId: string, scoreboardId: string, known: readonly string[]) =>
    `Creator "${creatorId}" has no scoreboard "${scoreboardId}" (configured: ${list(known)})`,
  (creatorId: string, scoreboardId: string) =>
    `Declare it in creators.${creatorId}.config.engagement.scoreboards ({ "id": "${scoreboardId}", "name": "..." }) or fix the action's "scoreboard" param.`,
);

export const SS_ERR_ENGAGEMENT_LABEL_NOT_ALLOWED = defineError(
  'SS_ERR_ENGAGEMENT_LABEL_NOT_ALLOWED',
  (creatorId: string, tallyId: string, label: string, allowed: readonly string[]) =>
    `Tally "${tallyId}" of creator "${creatorId}" does not count "${label}" (its labels: ${list(allowed)})`,
  'Use one of the tally\'s labels (case does not matter), add the label to its "labels", or remove "labels" to count any label.',
);

export const SS_ERR_ENGAGEMENT_LABEL_INVALID = defineError(
  'SS_ERR_ENGAGEMENT_LABEL_INVALID',
  (creatorId: string, where: string, problem: string) => `Invalid label for ${where} of creator "${creatorId}": ${problem}`,
  'Labels are 1-100 characters once surrounding spaces are removed; a templated label such as "{arg1}" is empty when the chatter gave no argument.',
);

export const SS_ERR_ENGAGEMENT_TOO_MANY_LABELS = defineError(
  'SS_ERR_ENGAGEMENT_TOO_MANY_LABELS',
  (creatorId: string, where: string, label: string, limit: number) =>
    `${where} of creator "${creatorId}" already holds ${limit} distinct labels; new label "${label}" refused`,
  'Give the tally a fixed "labels" list, reset it, or use a scoreboard for open-ended labels.',
);

export const SS_ERR_ENGAGEMENT_VALUE_OUT_OF_RANGE = defineError(
  'SS_ERR_ENGAGEMENT_VALUE_OUT_OF_RANGE',
  (creatorId: string, where: string, label: string) => `Adding to "${label}" of ${where} (creator "${creatorId}") would leave the safe number range`,
  'Use smaller deltas; counts and scores must stay within ±9,007,199,254,740,991.',
);

export const SS_ERR_ENGAGEMENT_POLL_ALREADY_OPEN = defineError(
  'SS_ERR_ENGAGEMENT_POLL_ALREADY_OPEN',
  (creatorId: string, pollId: string, question: string) => `Creator "${creatorId}" already has an open poll (${pollId}: "${question}")`,
  (creatorId: string) =>
    `Close it first (a poll.close action), give polls a durationSec so they close by themselves, or set polls.onOpenWhileOpen to "replace" (creators.${creatorId}.config.engagement) so a new poll closes the open one.`,
);

export const SS_ERR_ENGAGEMENT_NO_OPEN_POLL = defineError(
  'SS_ERR_ENGAGEMENT_NO_OPEN_POLL',
  (creatorId: string) => `Creator "${creatorId}" has no open poll to close`,
  'Nothing to do: the poll was already closed (by an action or because its duration ran out), or none was opened.',
);

export const SS_ERR_ENGAGEMENT_POLL_INVALID = defineError(
  'SS_ERR_ENGAGEMENT_POLL_INVALID',
  (creatorId: string, problem: string) => `Cannot open a poll for creator "${creatorId}": ${problem}`,
  (creatorId: string) =>
    `A poll needs a question and 2 to polls.maxOptions (creators.${creatorId}.config.engagement) distinct options of 1-100 characters; empty templated options ("{arg4}" with no 4th argument) are dropped first.`,
);

export const SS_ERR_ENGAGEMENT_STORE_FAILED = defineError(
  'SS_ERR_ENGAGEMENT_STORE_FAILED',
  (creatorId: string, operation: string) => `The state store failed to ${operation} for creator "${creatorId}"`,
  'See the cause and check the state store (disk space, database file permissions). The change stays in memory (and in the exports); the store catches up with the next change of the same poll, tally or score.',
);
