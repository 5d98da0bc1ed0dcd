/**
 * @streamsuites/plugin-discord/testing — a local Discord (gateway WebSocket +
 * REST on one loopback port) that an unmodified discord.js 14 Client logs in
 * to. For tests and the demo; never for production. See TESTING.md.
 */
export { startFakeDiscord } from './fake/server.js';
export { snowflake } from './fake/payloads.js';
export type {
  FakeBotUser,
  FakeChannel,
  FakeCommandOption,
  FakeConnectionInfo,
  FakeDiscord,
  FakeFailure,
  FakeGuild,
  FakeInteraction,
  FakeInteractionInput,
  FakeRole,
  FakeSessionInfo,
  InteractionCallbackBody,
  RestCall,
  StartFakeDiscordOptions,
  StoredMessage,
  UntilOptions,
} from './fake/types.js';
