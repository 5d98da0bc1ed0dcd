/**
 * @streamsuites/plugin-twitch — Twitch chat for StreamSuites: exactly-once
 * messages across reconnects, normalized events, replies under rate limits,
 * go-live polling.
 */
import './eventsub/channel-events.js';
import { twitchPlugin } from './plugin.js';

export default twitchPlugin;
export { twitchPlugin };
export { configSchema, creatorConfigSchema } from './config.js';
export type { TwitchConfig, TwitchCreatorConfig } from './config.js';
export { TwitchChat } from './chat.js';
export type { TwitchChatOptions, TwitchChatState } from './chat.js';
export { ChatConnection } from './connection.js';
export type { ChatConnectionOptions, ChatConnectionStats, ConnectionListener, ConnectionState, SeenIds } from './connection.js';
export { createWebSocketTransport, chatSafe } from './transport.js';
export type { TransportOptions, TwitchTransport } from './transport.js';
export { ReplySender } from './sender.js';
export { TWITCH_AUTH, TWITCH_CHAT_MODERATOR, TWITCH_CHAT_USER, TWITCH_JOIN } from './limits.js';
export type { ReplySenderOptions } from './sender.js';
export { splitMessage, MAX_MESSAGE_LENGTH } from './split.js';
// Reconnect delays are the kernel's backoffDelay (import it from @streamsuites/kernel); re-exported for compatibility.
export { backoffDelay } from '@streamsuites/kernel';
export type { BackoffPolicy } from '@streamsuites/kernel';
export { GoLivePoller, HelixClient, refreshUserToken } from './helix.js';
export { TwitchStreamSource, twitchPageUrl } from './stream-source.js';
export { escapeTagValue, MAX_BODY_LENGTH, MAX_TAGS_LENGTH, parseIrcLine, unescapeTagValue } from './irc/index.js';
export { RoomStates } from './normalize/rooms.js';
export { authError, authFailedEvent, MessageIdLru, normalizeIrcMessage, normalizeLine, parseEmotes } from './normalize/index.js';
export type { NormalizeContext, NormalizedLine, TwitchGlobalUserState, TwitchServerNotice, TwitchUserState } from './normalize/index.js';
export type { ChatClearedEvent, ChatRoomState, ChatRoomStateEvent, ChatUserTimeoutEvent, PlatformAuthFailedEvent } from './events.js';
export * from './helix/index.js';
export type * from './eventsub/channel-events.js';
export { EventSubClient } from './eventsub/client.js';
export type { EventSubClientOptions, EventSubState, EventSubStats } from './eventsub/client.js';
export { EventSubSocket } from './eventsub/socket.js';
export type { EventSubEnd, EventSubSocketOptions } from './eventsub/socket.js';
export { CHANNEL_SUBSCRIPTIONS, CHAT_SUBSCRIPTIONS, createSubscription, userIdOf } from './eventsub/subscriptions.js';
export type { ConditionIds, HelixAccess, SubscriptionCost, SubscriptionSpec } from './eventsub/subscriptions.js';
export { chooseChatTransport } from './eventsub/transport-choice.js';
export type { ChatTransportChoice, ChooseTransportOptions } from './eventsub/transport-choice.js';
export { chatNormalizers } from './eventsub/normalize/chat.js';
export { channelNormalizers } from './eventsub/normalize/channel.js';
export type { EventSubFrame, EventSubMetadata, EventSubNormalizeContext, EventSubSession, EventSubSubscription, NormalizedNotification, NotificationNormalizer } from './eventsub/types.js';
export * from './errors.js';
