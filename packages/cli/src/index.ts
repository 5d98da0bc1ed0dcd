/** Programmatic entry of the `streamsuites` command. */
export { main, mainHelp, VERSION } from './main.js';
export type { CliIO } from './io.js';
export { processIO } from './io.js';
export { SS_ERR_CLI_USAGE } from './errors.js';
export { replayChatLogs } from './replay/replay.js';
export { formatSummary as formatReplaySummary } from './commands/replay.js';
export type { ReplayOptions, ReplaySummary } from './replay/replay.js';
export { createProgress } from './progress.js';
export type { Progress, ProgressOptions, ProgressSink } from './progress.js';
