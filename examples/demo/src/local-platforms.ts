// The demo's stand-ins for Twitch and YouTube, as a plugin: a local Twitch
// chat server and a local YouTube Data API on 127.0.0.1, with recorded real
// chat plus scripted viewers playing into each creator's channels. Because it
// is a plugin, `streamsuites run examples/demo/streamsuites.json` brings up
// the same world as `npm run demo`, with no credentials and no network.
import { readFileSync } from 'node:fs';
import { busRef, defineError, definePlugin, Type } from '@streamsuites/kernel';
import { simulateChat, startFakeTwitchChat, type FakeTwitchChat } from '@streamsuites/plugin-twitch/testing';
import { startFakeDiscord, type FakeDiscord } from '@streamsuites/plugin-discord/testing';
import {
  loadYouTubeFixtureItems,
  simulateYouTubeChat,
  startFakeYouTubeApi,
  type FakeYouTubeApi,
} from '@streamsuites/plugin-youtube/testing';

export const SS_ERR_DEMO_PORT_IN_USE = defineError(
  'SS_ERR_DEMO_PORT_IN_USE',
  (what: string, port: number) => `The local ${what} could not listen on 127.0.0.1:${port}: the port is in use`,
  (what: string, port: number) =>
    `Stop whatever uses port ${port} (another demo?), or pick a free port in plugins.local-platforms.config.${PORT_KEYS[what] ?? 'twitch'}.port and the matching URL in that plugin's config.`,
);

const PORT_KEYS: Record<string, string> = { 'Twitch chat server': 'twitch', 'YouTube Data API': 'youtube', 'Discord server': 'discord' };

/** The running local platforms (the demo host starts them itself to read what they saw). */
export interface LocalPlatforms {
  twitch: FakeTwitchChat;
  youtube: FakeYouTubeApi;
  /** The local Discord the control plane logs in to (absent when the host runs without one). */
  discord?: FakeDiscord;
}

/**
 * The demo's Discord server, as the manifest's `plugins.discord.config` names
 * it: the token only this local fake accepts, one server, its announcement channel.
 */
export const DEMO_DISCORD = {
  token: 'demo.local-discord.token-for-the-fake-server',
  guildId: '700000000000000001',
  announceChannelId: '700000000000000101',
  commandsChannelId: '700000000000000102',
} as const;

/** Starts the local Discord of the demo (a port of 0 picks a free one). */
export function startDemoDiscord(port = 0): Promise<FakeDiscord> {
  return startFakeDiscord({
    port,
    token: DEMO_DISCORD.token,
    guilds: [
      {
        id: DEMO_DISCORD.guildId,
        name: 'StreamSuites demo',
        channels: [
          { id: DEMO_DISCORD.announceChannelId, name: 'live-now' },
          { id: DEMO_DISCORD.commandsChannelId, name: 'bot-commands' },
        ],
      },
    ],
  });
}

// Captured real chat, vendored at the repository root (fixtures/, provenance in SOURCES.md).
const FIXTURES = new URL('../../../fixtures/', import.meta.url);

/** privmsg.irc lines 8-35: real channel captures (twitch-irc-rs and go-twitch-irc tests). */
function recordedTwitchLines(): string[] {
  return readFileSync(new URL('twitch/privmsg.irc', FIXTURES), 'utf8').split('\n').slice(7, 35);
}

// Viewers using the triggers: greetings, a poll a moderator opens and closes,
// votes, a mood tally, a points scoreboard and a clip (one round every ~10 s).
const MODERATOR = { login: 'mod_maria', displayName: 'Maria', role: 'moderator' as const };
const TWITCH_SCRIPT = [
  { user: MODERATOR, text: '!poll "Best stream snack?" popcorn chips fruit' },
  { user: 'viewer_anna', text: '!hello' },
  { user: 'viewer_ben', text: '!vote popcorn' },
  { user: 'viewer_cy', text: '!vote 2' },
  { user: 'viewer_ben', text: 'that was a good game' },
  { user: 'viewer_dee', text: '!vote 1' },
  { user: 'viewer_anna', text: '!point' },
  { user: 'viewer_cy', text: '!mood hype' },
  { user: 'viewer_eli', text: '!vote fruit' },
  { user: 'viewer_dee', text: '!mood chill' },
  { user: 'viewer_eli', text: '!point' },
  { user: 'viewer_cy', text: '!hi everyone' },
  { user: 'viewer_ben', text: '!clip 5 what a play' },
  { user: MODERATOR, text: '!endpoll' },
];
// YouTube viewers vote in the same poll and earn points on the same board.
// No reply triggers here: every YouTube reply costs 50 quota units.
const YOUTUBE_SCRIPT = [
  { author: 'Yuki', text: '!vote chips' },
  { author: 'Zoe', text: 'hello from YouTube!' },
  { author: 'Yuki', text: '!point' },
  { author: 'Zoe', text: '!mood hype' },
];

const Port = Type.Integer({ minimum: 0, maximum: 65_535, default: 0 });

const configSchema = Type.Object(
  {
    twitch: Type.Object({ port: Port }, { additionalProperties: false, default: {} }),
    youtube: Type.Object({ port: Port }, { additionalProperties: false, default: {} }),
    discord: Type.Object({ port: Port }, { additionalProperties: false, default: {} }),
    /** Recorded + scripted chat lines a second, per channel. */
    twitchRatePerSec: Type.Number({ exclusiveMinimum: 0, maximum: 1000, default: 4 }),
    youtubeRatePerSec: Type.Number({ exclusiveMinimum: 0, maximum: 1000, default: 2 }),
  },
  { additionalProperties: false },
);

const creatorConfigSchema = Type.Object(
  {
    /** The Twitch channel this creator streams on (the twitch plugin's `channel`). */
    twitch: Type.Optional(Type.Object({ channel: Type.String({ pattern: '^[A-Za-z0-9_]{1,25}$' }) }, { additionalProperties: false })),
    /** The YouTube channel that is live (the youtube plugin's `channelId`). */
    youtube: Type.Optional(Type.Object({ channelId: Type.String({ pattern: '^UC[\\w-]+$' }), title: Type.Optional(Type.String()) }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);

async function listen<T>(what: string, port: number, start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new SS_ERR_DEMO_PORT_IN_USE(what, port, { cause: error });
    throw error;
  }
}

/**
 * The plugin. Given `platforms`, it plays chat into servers the host already
 * runs (and leaves them running at stop); otherwise it starts its own on the
 * configured ports (0 = any free port) in init and closes them at stop.
 */
export function localPlatformsPlugin(options: { platforms?: LocalPlatforms } = {}) {
  let platforms: LocalPlatforms | undefined = options.platforms;
  let owned = false;
  let recordedYouTube: Awaited<ReturnType<typeof loadYouTubeFixtureItems>> = [];
  const recordedTwitch = recordedTwitchLines();
  return definePlugin({
    id: 'local-platforms',
    version: '0.1.0',
    kernel: '^0.1.0',
    description: 'A local Twitch chat server and YouTube Data API with recorded and scripted chat (demo only).',
    replay: 'skip',
    configSchema,
    creatorConfigSchema,
    register(reg) {
      reg.onInit({
        deps: { bus: busRef },
        async init({ config, logger }) {
          recordedYouTube = await loadYouTubeFixtureItems(new URL('youtube/', FIXTURES));
          if (platforms !== undefined) return;
          const twitch = await listen('Twitch chat server', config.twitch.port, () => startFakeTwitchChat({ port: config.twitch.port }));
          const youtube = await listen('YouTube Data API', config.youtube.port, () => startFakeYouTubeApi({ port: config.youtube.port })).catch(
            async (error: unknown) => {
              await twitch.close();
              throw error;
            },
          );
          const discord = await listen('Discord server', config.discord.port, () => startDemoDiscord(config.discord.port)).catch(async (error: unknown) => {
            await twitch.close();
            await youtube.close();
            throw error;
          });
          platforms = { twitch, youtube, discord };
          owned = true;
          logger.info({ twitch: twitch.url, youtube: youtube.url, discord: discord.restUrl }, 'local Twitch chat server, YouTube Data API and Discord listening');
        },
        start({ creator, creatorConfig, config, deps }) {
          const world = platforms!;
          const channel = creatorConfig.twitch?.channel.toLowerCase();
          // The demo bot is a moderator in every channel, as a real channel bot would be
          // (Twitch: 100 messages per 30 s instead of 20).
          if (channel !== undefined) world.twitch.configureChannel(channel, { botRole: 'moderator' });
          const youtube = creatorConfig.youtube;
          if (youtube !== undefined && !world.youtube.broadcasts().some((b) => b.channelId === youtube.channelId)) {
            world.youtube.goLive({ channelId: youtube.channelId, title: youtube.title ?? 'StreamSuites demo stream' });
          }
          // Chat starts once every plugin of the creator runs (the bot has joined).
          const stops: (() => void)[] = [];
          const off = deps.bus.on('kernel.creator.added', ({ creatorId }) => {
            if (creatorId !== creator.id || stops.length > 0) return;
            if (channel !== undefined) {
              stops.push(simulateChat(world.twitch, { channel, lines: recordedTwitch, ratePerSec: config.twitchRatePerSec, loop: true, script: TWITCH_SCRIPT, scriptEvery: 2 }));
            }
            const liveChatId = youtube === undefined ? undefined : world.youtube.broadcasts().find((b) => b.channelId === youtube.channelId)?.liveChatId;
            if (liveChatId !== undefined) {
              stops.push(
                simulateYouTubeChat(world.youtube, { liveChatId, items: recordedYouTube, ratePerSec: config.youtubeRatePerSec, loop: true, script: YOUTUBE_SCRIPT, scriptEvery: 2 }),
              );
            }
          });
          return () => {
            off();
            for (const stop of stops.splice(0)) stop();
          };
        },
        async stop() {
          if (!owned || platforms === undefined) return;
          const { twitch, youtube, discord } = platforms;
          platforms = undefined;
          await twitch.close();
          await youtube.close();
          await discord?.close();
        },
      });
    },
  });
}

/** For manifests: `"local-platforms": { "package": "@streamsuites/example-demo/local-platforms" }`. */
export default localPlatformsPlugin();
