/**
 * @streamsuites/plugin-youtube/testing — a local YouTube Data API v3 server
 * (videos, liveBroadcasts, search, live chat list / streamList / insert,
 * OAuth refresh, the public channel feed) that the real @googleapis/youtube
 * client talks to, with quota accounting and error injection. For tests and
 * the demo; never for production.
 */
export { FAKE_API_KEY, FAKE_BOT_ACCOUNT, FAKE_CLIENT_ID, FAKE_CLIENT_SECRET } from './fake/auth.js';
export { DEFAULT_COSTS } from './fake/endpoints.js';
export { startFakeYouTubeApi } from './fake/server.js';
export { loadYouTubeFixtureItems, simulateYouTubeChat } from './fake/simulate.js';
export type { ScriptedYouTubeMessage, SimulateYouTubeChatOptions, StopYouTubeSimulation } from './fake/simulate.js';
export type {
  BanOptions,
  FailNextOptions,
  FakeAccount,
  FakeApiEndpoint,
  FakeAuthor,
  FakeBroadcast,
  FakeBroadcastState,
  FakeCredentials,
  FakeEndpoint,
  FakeErrorReason,
  FakeInsertedMessage,
  FakeModerationCall,
  FakeMalformedBody,
  FakeRequestRecord,
  FakeYouTubeApi,
  GoLiveOptions,
  SayOptions,
  ScheduleOptions,
  StartFakeYouTubeApiOptions,
  SuperChatOptions,
} from './fake/types.js';
