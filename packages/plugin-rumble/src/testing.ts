/**
 * @streamsuites/plugin-rumble/testing — a local Rumble Live Stream API
 * server and a local live chat page, for tests and the demo; never for
 * production.
 */
export { startFakeRumbleApi, GET_DATA_PATH } from './fake/api-server.js';
export { EMBED_PATH } from './fake/embed.js';
export type { FakeRumbleApi, FakeRumbleCategory, FakeRumbleChannel, FakeRumbleChannelOptions, FakeRumbleFailStatus, FakeRumbleGoLiveOptions, FakeRumbleMalformKind, FakeRumbleRequest, StartFakeRumbleApiOptions } from './fake/api-types.js';
export { startFakeRumbleChatPage } from './fake/chat-page.js';
export type { FakeChatBoxState, FakeChatMessage, FakeChatPageOptions, FakeChatPageVariant, FakeRumbleChatPage } from './fake/chat-page.js';
