/**
 * @streamsuites/plugin-youtube — YouTube live chat that lasts the whole
 * stream on the daily Data API quota.
 */
import { youtubePlugin } from './plugin.js';

export default youtubePlugin;
export { youtubePlugin, YOUTUBE_SEND_POLICY } from './plugin.js';
export { COSTS, configSchema, creatorConfigSchema } from './config.js';
export { YOUTUBE_QUOTA_DEFAULT, youtubeChatPoll } from './limits.js';
export type { ApiCall, YouTubeConfig, YouTubeCreatorConfig } from './config.js';
export { YouTubeApi } from './api/client.js';
export type { YouTubeApiOptions } from './api/client.js';
export { classify } from './api/errors.js';
export type { ApiFailure, FailureKind } from './api/errors.js';
export { LiveDiscovery, liveOf } from './discovery.js';
export type { DiscoveryOptions, LiveTarget } from './discovery.js';
export { ChatSession } from './session.js';
export { YouTubeStreamSource, youtubePageUrl } from './stream-source.js';
export type { YouTubeWatchTarget } from './stream-source.js';
export type { ChatSessionOptions, ChatSessionStats, PollGovernor, Sleep } from './session.js';
export { BudgetGovernor } from './budget/governor.js';
export type { BudgetGovernorOptions } from './budget/governor.js';
export { normalizeItem } from './normalize/index.js';
export { splitReply, YOUTUBE_MESSAGE_LIMIT } from './split.js';
export type { BudgetState, LiveChatItem, LiveChatPage, NormalizeContext, NormalizedItem, PollObservation } from './types.js';
export * from './errors.js';
