/**
 * @streamsuites/plugin-twitch/testing — a local Twitch chat server (IRC over
 * WebSocket) that real clients such as tmi.js connect to, plus a simulator that
 * replays captured chat traffic. For tests and the demo; never for production.
 */
export { startFakeTwitchChat } from './fake/server.js';
export { loadFixtureLines, retargetPrivmsg, simulateChat } from './fake/simulate.js';
export type { ScriptedLine, SimulateChatOptions, StopSimulation } from './fake/simulate.js';
export type {
  ChatRole,
  FakeChannelOptions,
  FakeClientInfo,
  FakeTwitchChat,
  FakeUser,
  Framing,
  PongRecord,
  ReceivedLine,
  RoomState,
  SentChatMessage,
  StartFakeTwitchChatOptions,
  TagSet,
  UntilOptions,
} from './fake/types.js';
// EventSub WebSocket + Helix + OAuth fake (src/fake/eventsub/).
export { startFakeTwitchEventSub, DEFAULT_FAKE_CLIENT_ID } from './fake/eventsub/server.js';
export { EVENTSUB_TYPE_RULES, HELIX_REQUIRED_SCOPES } from './fake/eventsub/catalog.js';
export type { EventSubTypeRule } from './fake/eventsub/catalog.js';
export type {
  EmitChatInput,
  EmitChatResult,
  EmitOptions,
  FakeDropReason,
  FakeEventSubDelivery,
  FakeEventSubSessionInfo,
  FakeEventSubSessionState,
  FakeEventSubTokenInput,
  FakeEventSubUser,
  FakeEventSubUserInput,
  FakeHttpRequest,
  FakeRedemptionUpdate,
  FakeModerationCall,
  FakeSentChatMessage,
  FakeTwitchEventSub,
  RedemptionStatus,
  StartFakeTwitchEventSubOptions,
} from './fake/eventsub/types.js';
