import { defineError } from '@streamsuites/kernel';

/*
 * Every error code the default services throw. Each key equals its code, and
 * each code is documented in the README "Errors" table (test/errors.test.ts).
 */

// ── Triggers and actions ────────────────────────────────────────────────────
export const SS_ERR_TRIGGER_TYPE_UNKNOWN = defineError(
  'SS_ERR_TRIGGER_TYPE_UNKNOWN',
  (type: string) => `Unknown trigger type "${type}"`,
  'Use command, keyword or regex, or load the plugin that adds this type.',
);
export const SS_ERR_TRIGGER_TYPE_DUPLICATE = defineError(
  'SS_ERR_TRIGGER_TYPE_DUPLICATE',
  (type: string, plugins: string) => `Trigger type "${type}" is registered more than once (${plugins})`,
  'Trigger type ids must be unique; rename one of them.',
);
export const SS_ERR_TRIGGER_INVALID = defineError(
  'SS_ERR_TRIGGER_INVALID',
  (type: string, problem: string) => `Invalid ${type} trigger: ${problem}`,
  (type: string) =>
    `Fix the trigger as its type's documentation says: command, keyword and regex in the "Chat triggers and actions" section of the @streamsuites/defaults README, a plugin's type ("${type}") in that plugin's README.`,
);
export const SS_ERR_TRIGGER_REGEX_UNSUPPORTED = defineError(
  'SS_ERR_TRIGGER_REGEX_UNSUPPORTED',
  (pattern: string, construct: string, index: number) =>
    `Regex /${pattern}/ uses ${construct} at position ${index}, which the linear-time (RE2) regex engine of regex triggers cannot run`,
  'Regex triggers run on RE2, which has no backreferences or lookaround: match the text itself (capture groups become args), or use a keyword trigger.',
);
export const SS_ERR_TRIGGER_DUPLICATE_ID = defineError(
  'SS_ERR_TRIGGER_DUPLICATE_ID',
  (id: string) => `Trigger id "${id}" is used twice by one creator`,
  'Give each trigger a unique "id", or remove the duplicate.',
);
export const SS_ERR_TRIGGER_MATCH_FAILED = defineError(
  'SS_ERR_TRIGGER_MATCH_FAILED',
  (triggerId: string, type: string) => `Trigger "${triggerId}" (type ${type}) threw while matching a message; it was skipped for that message`,
  (_triggerId: string, type: string) =>
    `A bug in the "${type}" trigger type's match() (or in code its compile() built): see this error's cause, and report it to the plugin that adds "${type}". The other triggers kept running.`,
);
export const SS_ERR_ACTION_UNKNOWN = defineError(
  'SS_ERR_ACTION_UNKNOWN',
  (type: string) => `Unknown action type "${type}"`,
  'Check the spelling, or load the plugin that offers this action (chat.reply is built in).',
);
export const SS_ERR_ACTION_PARAMS_INVALID = defineError(
  'SS_ERR_ACTION_PARAMS_INVALID',
  (type: string, problem: string) => `Invalid params for action "${type}": ${problem}`,
  (type: string) =>
    `Fix the params as the README of the plugin that offers "${type}" describes them (chat.reply: the "Chat triggers and actions" section of the @streamsuites/defaults README).`,
);
export const SS_ERR_ACTION_NO_HANDLER = defineError(
  'SS_ERR_ACTION_NO_HANDLER',
  (type: string, platform: string) => `No handler runs action "${type}" for platform "${platform}"`,
  'Enable the plugin that implements it for this creator (e.g. the platform plugin for chat.reply).',
);
export const SS_ERR_ACTION_TIMEOUT = defineError(
  'SS_ERR_ACTION_TIMEOUT',
  (type: string, ms: number) => `Action "${type}" did not finish within ${ms} ms`,
);
export const SS_ERR_ACTION_FAILED = defineError('SS_ERR_ACTION_FAILED', (type: string) => `Action "${type}" failed`);
export const SS_ERR_ACTION_GUARD_FAILED = defineError(
  'SS_ERR_ACTION_GUARD_FAILED',
  (type: string, guard: string) => `Action guard "${guard}" threw while judging action "${type}"; the action did not run`,
  (_type: string, guard: string) => `A bug in the plugin that contributes the "${guard}" guard: see this error's cause. A guard that fails refuses the action (fails closed).`,
);

export const SS_ERR_TRIGGER_TYPE_NOT_ENABLED = defineError(
  'SS_ERR_TRIGGER_TYPE_NOT_ENABLED',
  (type: string, pluginId: string, creatorId: string) =>
    `Trigger type "${type}" comes from plugin "${pluginId}", which creator "${creatorId}" does not enable`,
  (_type: string, pluginId: string) => `Add "${pluginId}" to the creator's "enable" list, or remove the trigger.`,
);

// ── Quotas, rate limits, state and jobs (declared beside their services) ───
export * from './quota/errors.js';
export * from './ratelimit/errors.js';
export * from './state/errors.js';
export * from './jobs/errors.js';
export * from './identity/errors.js';
export * from './rules/clips/errors.js';
export * from './rules/chat/errors.js';
