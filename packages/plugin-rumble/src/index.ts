/**
 * @streamsuites/plugin-rumble — Rumble live detection, chat and rants from
 * the keyed Live Stream API (exactly once), browser-mode chat and replies,
 * and the live stream as a clip source.
 */
export { DEFAULT_SELECTORS, configSchema, creatorConfigSchema } from './config.js';
export type { RumbleConfig, RumbleCreatorConfig, RumbleSelectors } from './config.js';
export type { RumbleChatEntry } from './types.js';
export * from './errors.js';
