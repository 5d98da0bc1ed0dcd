/**
 * @streamsuites/plugin-twitch — Twitch chat for StreamSuites: exactly-once
 * messages across reconnects, normalized events, replies under rate limits,
 * go-live polling.
 */
import { twitchPlugin } from './plugin.js';

export default twitchPlugin;
export { twitchPlugin };
export { configSchema, creatorConfigSchema } from './config.js';
export type { TwitchConfig, TwitchCreatorConfig } from './config.js';
export { ChatConnection } from './connection.js';
export type { ChatConnectionOptions, ConnectionState, SeenIds } from './connection.js';
export { createTmiTransport, chatSafe } from './transport.js';
export type { TransportOptions, TwitchTransport } from './transport.js';
export { ReplySender } from './sender.js';
export type { ReplySenderOptions } from './sender.js';
export { splitMessage, MAX_MESSAGE_LENGTH } from './split.js';
export { backoffDelay } from './backoff.js';
export type { BackoffPolicy } from './backoff.js';
export { GoLivePoller, HelixClient, refreshUserToken } from './helix.js';
export { MessageIdLru, normalizeLine } from './normalize/index.js';
export type { NormalizeContext, NormalizedLine, TwitchServerNotice, TwitchUserState } from './normalize/index.js';
export type * from './events.js';
export * from './errors.js';
