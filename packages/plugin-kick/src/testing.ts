/**
 * @streamsuites/plugin-kick/testing — a local Kick (OAuth token endpoint,
 * public API, signed webhook deliveries) for tests and the demo; never for
 * production.
 */
export { startFakeKick, fakeUlid } from './fake/server.js';
export type { StartFakeKickOptions } from './fake/server.js';
export type { Delivery, DeliverOptions, FakeKick, FakeKickChannel, FakeKickChatPost, FakeKickSubscription } from './fake/server.js';
export { KICK_DOC_PAYLOADS, channelEventPayload, chatMessagePayload, livestreamPayload } from './fake/payloads.js';
export type { ChatPayloadOptions, FakeKickBroadcaster } from './fake/payloads.js';
export { startFakeKickPusher } from './fake/pusher.js';
export type { FakeKickPusher } from './fake/pusher.js';
