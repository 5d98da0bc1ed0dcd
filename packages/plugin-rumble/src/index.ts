/**
 * @streamsuites/plugin-rumble — Rumble live detection, chat and rants from
 * the keyed Live Stream API (exactly once), browser-mode chat and replies,
 * and the live stream as a clip source.
 */
import './events.js';
import { rumblePlugin } from './plugin.js';

export default rumblePlugin;
export { rumblePlugin, rumbleApiLimitKey, rumbleConfigProblems, rumbleSendLimitKey } from './plugin.js';
export { DEFAULT_SELECTORS, configSchema, creatorConfigSchema } from './config.js';
export type { RumbleConfig, RumbleCreatorConfig, RumbleSelectors } from './config.js';
export type { RumbleBrowserEvent } from './events.js';
export type { RumbleChatEntry } from './types.js';
export { LiveStreamApi } from './api/client.js';
export type { LiveStreamApiOptions, Poll } from './api/client.js';
export { keyedUrlProblem, parseKeyedUrl, RUMBLE_API_HOSTS } from './api/key-url.js';
export type { KeyedUrl } from './api/key-url.js';
export { parseBody, parseTimestamp } from './api/parse.js';
export type { ParseResult, SkippedEntry } from './api/parse.js';
export type { ApiBody, ApiChatEntry, ApiFollower, ApiLivestream, ApiRant, ApiSubscriber } from './api/types.js';
export { RumblePoller } from './poller.js';
export type { PollerOptions, PollerStats } from './poller.js';
export { CrossSourceDedupe } from './dedupe/cross-source.js';
export { SeenWindow, SEEN_NAMESPACE } from './dedupe/seen-window.js';
export { embedIdOf, resolveEmbedHls } from './stream-source.js';
export { badgeName, formatDollars, toChatMessage } from './normalize.js';
export * from './errors.js';
