/**
 * @streamsuites/plugin-engagement — chat polls, tallies and scoreboards for
 * StreamSuites, driven by triggers and chat votes, on the kernel clock,
 * persisted in the kernel state store and exported for dashboards.
 */
import { engagementPlugin } from './plugin.js';

export default engagementPlugin;
export { engagementPlugin };
export {
  configSchema,
  creatorConfigSchema,
  pollsConfigSchema,
  scoreboardConfigSchema,
  tallyConfigSchema,
  ID_PATTERN,
  MAX_FREE_TALLY_LABELS,
  MAX_LABEL_LENGTH,
  MAX_SCOREBOARD_ENTRIES,
} from './config.js';
export type { EngagementConfig, EngagementCreatorConfig, PollsConfig, ScoreboardConfig, TallyConfig } from './config.js';
export {
  engagementActionTypes,
  pollCloseParamsSchema,
  pollOpenParamsSchema,
  scoreAddParamsSchema,
  tallyAddParamsSchema,
} from './actions.js';
export type { PollCloseParams, PollOpenParams, ScoreAddParams, TallyAddParams } from './actions.js';
export { Engagement, engagementRef } from './engagement.js';
export type { EngagementOptions } from './engagement.js';
export type { ScoreboardView, TallyView } from './creator.js';
export type { CounterEntry } from './counters.js';
export type { PollCloseReason, PollRecord } from './polls.js';
export { parseVote } from './vote-parser.js';
export { engagementSections } from './exports.js';
export type {
  PollClosedEvent,
  PollOpenedEvent,
  PollOptionResult,
  PollVoteEvent,
  ScoreChangedEvent,
  TallyChangedEvent,
} from './events.js';
export * from './errors.js';
