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
