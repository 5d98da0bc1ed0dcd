// The demo's stand-ins for the platforms, as a plugin: a local Twitch chat
// server, a local Twitch EventSub (with its Helix and OAuth) playing channel
// events (a follow, a raid, a channel-points redemption), a local YouTube
// Data API, a local Discord and a local Rumble Live Stream API (with a live
// HLS stream behind it) on 127.0.0.1, with recorded
// real chat plus scripted viewers playing into each creator's channels. Because it
// is a plugin, `streamsuites run examples/demo/streamsuites.json` brings up
// the same world as `npm run demo`, with no credentials and no network.
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { busRef, defineError, definePlugin, kernelRef, stateStoreRef, Type, type Logger, type StateStore, type Static } from '@streamsuites/kernel';
import { authorizeWithLoopback, parseSecretKey, saveAccount } from '@streamsuites/plugin-x';
import { startFakeXApi, type FakeXApi } from '@streamsuites/plugin-x/testing';
import { startFakeKick, type FakeKick, type FakeKickChannel } from '@streamsuites/plugin-kick/testing';
import { startFakeRumbleApi, type FakeRumbleApi, type FakeRumbleChannel } from '@streamsuites/plugin-rumble/testing';
import { startLocalHlsStream, type LocalHlsStream } from '@streamsuites/testing';
import {
  DEFAULT_FAKE_CLIENT_ID,
  simulateChat,
  startFakeTwitchChat,
  startFakeTwitchEventSub,
  type FakeEventSubUser,
  type FakeTwitchChat,
  type FakeTwitchEventSub,
} from '@streamsuites/plugin-twitch/testing';
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

export const SS_ERR_DEMO_PLATFORM_MISSING = defineError(
  'SS_ERR_DEMO_PLATFORM_MISSING',
  (creatorId: string, what: string) => `Creator "${creatorId}" is configured for the local ${what}, but the host started the local platforms without it`,
  (_creatorId: string, what: string) => `Give localPlatformsPlugin({ platforms }) the ${what} too, or let the plugin start the local platforms itself (no platforms option).`,
);

const PORT_KEYS: Record<string, string> = {
  'Twitch chat server': 'twitch',
  'Twitch EventSub server': 'twitchEventSub',
  'YouTube Data API': 'youtube',
  'Discord server': 'discord',
  'Rumble Live Stream API': 'rumble',
  'X API': 'x',
  'Kick API': 'kick',
};

/** The running local platforms (the demo host starts them itself to read what they saw). */
export interface LocalPlatforms {
  twitch: FakeTwitchChat;
  /**
   * The local Twitch EventSub WebSocket with its Helix and OAuth endpoints
   * (`startDemoTwitchEventSub`): channel events are played into the channels
   * that subscribed to them (absent: no channel events).
   */
  twitchEventSub?: FakeTwitchEventSub;
  youtube: FakeYouTubeApi;
  /** The local Discord the control plane logs in to (absent when the host runs without one). */
  discord?: FakeDiscord;
  /** The local Rumble Live Stream API and embed endpoint (absent: no creator streams on Rumble). */
  rumble?: FakeRumbleApi;
  /**
   * What the Rumble creators broadcast: a local live HLS (real ffmpeg) that,
   * like Rumble's CDN, answers only requests carrying Rumble's Referer
   * (`startDemoRumbleStream`). A promise, so the host can boot the kernel
   * while ffmpeg writes the first segments: a creator's Rumble livestream
   * goes live once it resolves, as a real one does once the encoder pushes.
   */
  rumbleStream?: Promise<LocalHlsStream>;
  /** The local X API the go-live posts reach (absent: no creator posts to X). */
  x?: FakeXApi;
  /** The local Kick API (OAuth, channels, event subscriptions, chat) that also delivers signed webhooks (absent: no creator chats on Kick). */
  kick?: FakeKick;
}

/**
 * The demo's Kick app and creator tokens, as the manifest names them: only
 * this local Kick knows them (demo-only values; real ones come from
 * `${env:...}`).
 */
export const DEMO_KICK = {
  clientId: 'streamsuites-demo-kick-client',
  clientSecret: 'demo-kick-client-secret-for-the-local-fake',
  userToken: { accessToken: 'demoKickUserTokenForTheLocalFake00', refreshToken: 'demoKickRefreshTokenForTheLocalFake0' },
} as const;

/** Starts the demo's local Kick (a port of 0 picks a free one). */
export function startDemoKick(port = 0): Promise<FakeKick> {
  return startFakeKick({ port, clientId: DEMO_KICK.clientId, clientSecret: DEMO_KICK.clientSecret, userTokens: [DEMO_KICK.userToken] });
}

// Kick viewers (delivered as signed `chat.message.sent` webhooks, as Kick does): a greeting
// answered through Kick's chat API, a vote in the same poll, points and chat.
const KICK_SCRIPT = [
  { user: 'kick_kai', userId: 9101, text: '!hello' },
  { user: 'kick_lou', userId: 9102, text: 'hi from Kick!' },
  { user: 'kick_kai', userId: 9101, text: '!vote chips' },
  { user: 'kick_lou', userId: 9102, text: '!point' },
];

/** Plays `KICK_SCRIPT` into a Kick channel as signed webhooks to `url`, one line every `1 / ratePerSec` s, round after round, until stopped. */
function simulateKickChat(kick: FakeKick, channel: FakeKickChannel, url: string, ratePerSec: number, onError: (error: unknown) => void): () => void {
  let next = 0;
  const send = () => {
    const line = KICK_SCRIPT[next++ % KICK_SCRIPT.length]!;
    kick.deliver(url, 'chat.message.sent', kick.chatMessage(channel, { text: line.text, sender: { userId: line.userId, username: line.user } })).catch(onError);
  };
  send();
  const timer = setInterval(send, 1000 / ratePerSec);
  return () => clearInterval(timer);
}

/** The demo's X account on the local X API (the `account` in creators' `config.x`). */
export const DEMO_X = { username: 'StreamSuitesDemo', account: 'streamsuitesdemo', clientId: 'streamsuites-demo-x-client' } as const;

/** Starts the demo's local X API (a port of 0 picks a free one). */
export function startDemoX(port = 0): Promise<FakeXApi> {
  return startFakeXApi({ port, clientId: DEMO_X.clientId, user: { username: DEMO_X.username, name: 'StreamSuites demo' } });
}

/**
 * What `streamsuites auth x` does, against the local X API: the PKCE
 * authorization through a 127.0.0.1 redirect (fetch plays the person
 * clicking "Authorize app"), then the tokens stored encrypted with the key
 * of plugins.x.config.secretKey. Done at every start: the local X API is new
 * each run, so yesterday's tokens are unknown to it.
 */
async function authorizeDemoX(x: FakeXApi, store: StateStore, secretKey: string): Promise<void> {
  const tokens = await authorizeWithLoopback({ apiUrl: x.url, authorizeUrl: x.authorizeUrl, clientId: x.clientId, port: 0, onAuthorizeUrl: (url) => void fetch(url) });
  const now = Date.now();
  await saveAccount(store, parseSecretKey(secretKey), {
    username: x.user.username,
    userId: x.user.id,
    clientId: x.clientId,
    scopes: tokens.scopes,
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken!,
    obtainedAt: now,
    expiresAt: now + tokens.expiresIn * 1000,
  });
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

/**
 * The demo's Twitch accounts on the local EventSub, as the manifest names
 * them: daniel reads his own channel's events with his own token (EventSub
 * subscriptions to follows and redemptions need the broadcaster's
 * authorization, so his `botLogin` is `daniel` too), through the fake's app
 * (`clientId`). The demo bot reads maya's and sol's chat over IRC only.
 */
export const DEMO_TWITCH_EVENTSUB = {
  clientId: DEFAULT_FAKE_CLIENT_ID,
  broadcaster: { login: 'daniel', id: '500000001', displayName: 'Daniel' },
  bot: { login: 'streamsuites_demo', id: '500000100', displayName: 'StreamSuites_Demo' },
  /** daniel's token (plugins.twitch creators.daniel.config.twitch.token); the local IRC server takes any token. */
  token: 'danielTokenForTheLocalFakeTwitch00',
  /** Chat (read and write) and what the channel events and fulfilling redemptions need. */
  scopes: ['chat:read', 'chat:edit', 'user:read:chat', 'user:write:chat', 'moderator:read:followers', 'channel:read:redemptions', 'channel:manage:redemptions'],
} as const;

/** Starts the local Twitch EventSub + Helix + OAuth of the demo, knowing daniel, the demo bot and daniel's token (a port of 0 picks a free one). */
export async function startDemoTwitchEventSub(port = 0): Promise<FakeTwitchEventSub> {
  const { broadcaster, bot, token, scopes, clientId } = DEMO_TWITCH_EVENTSUB;
  return startFakeTwitchEventSub({ port, clientId, users: [broadcaster, bot], tokens: [{ token, userLogin: broadcaster.login, scopes }] });
}

/** The header Rumble's CDN demands and plugin-rumble's stream source sends. */
export const RUMBLE_REFERER = { Referer: 'https://rumble.com/' } as const;

/**
 * Starts the live HLS the demo's Rumble livestreams play. Half-second
 * segments: it is ready (3 segments) about 1.5 s after ffmpeg starts, so the
 * Rumble livestream goes live while the kernel boots, even in a 6 s run.
 */
export function startDemoRumbleStream(): Promise<LocalHlsStream> {
  return startLocalHlsStream({ requireHeaders: RUMBLE_REFERER, segmentSec: 0.5 });
}

/** A stable base-36 livestream id per key (like Rumble's `6a1b2c`): a restarted demo continues the same stream. */
export function demoLivestreamId(key: string): string {
  return `6${createHash('sha256').update(key).digest('hex').slice(0, 5)}`;
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
/** A script line after every this many recorded lines. */
const TWITCH_SCRIPT_EVERY = 2;
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
// Rumble viewers (polled through the Live Stream API): a greeting, a $5 rant, votes
// in the same poll, points, and a clip of the Rumble stream itself (one line a second
// from go-live). The clip is asked ~6 s in: the capture then holds the 5 s asked
// for, and it is published ~10 s into a 16 s run. The Live Stream API cannot send,
// so sol's reply triggers are for Twitch only and `!hello` here gets no answer.
interface RumbleLine {
  user: string;
  text: string;
  /** A rant (paid message) of this many cents. */
  rantCents?: number;
}
export const RUMBLE_SCRIPT: readonly RumbleLine[] = [
  { user: 'RumbleRay', text: 'hi Sol, watching on Rumble!' },
  { user: 'RumbleRay', text: '!hello' },
  { user: 'KestrelK', text: 'love this stream, keep going!', rantCents: 500 },
  { user: 'JuniperJ', text: '!vote chips' },
  { user: 'RumbleRay', text: '!point' },
  { user: 'JuniperJ', text: 'that rant was generous' },
  { user: 'KestrelK', text: '!clip 5 rumble highlight' },
  { user: 'KestrelK', text: '!vote 3' },
  { user: 'RumbleRay', text: '!mood chill' },
  { user: 'JuniperJ', text: '!point' },
];

// A channel's events, in the rhythm of its Twitch script: one step every two
// script lines (1.5 s at 4 lines a second), a follow, a raid and a "Hydrate"
// redemption, then quiet for the rest of the round (7 steps: one round of the
// 14-line script). The first comes ~1.5 s after the channel subscribed.
type ChannelEventStep = 'follow' | 'raid' | 'redemption' | undefined;
const CHANNEL_EVENT_STEPS: readonly ChannelEventStep[] = ['follow', 'raid', 'redemption', undefined, undefined, undefined, undefined];
const EVENTSUB_TYPES = { follow: 'channel.follow', raid: 'channel.raid', redemption: 'channel.channel_points_custom_reward_redemption.add' } as const;
const FOLLOWERS = ['viewer_fern', 'viewer_gus', 'viewer_hana'];
const RAIDERS = [
  { login: 'raider_ivo', viewers: 12 },
  { login: 'raider_jun', viewers: 7 },
];
const REDEEMERS = ['viewer_anna', 'viewer_eli', 'viewer_dee'];
/** The channel's custom reward (a stable id, as Twitch keeps a reward's id). */
const HYDRATE_REWARD = { id: '0b7d1c5e-6a3f-4c2e-9d18-5f0e2a9c4b71', title: 'Hydrate', cost: 100, prompt: 'Make the streamer drink some water' } as const;

const displayName = (login: string) => login.replace(/(^|_)([a-z])/g, (_, sep: string, c: string) => `${sep}${c.toUpperCase()}`);

/** A known user of the local EventSub, added on first use (stable ids across the events). */
function eventSubUser(es: FakeTwitchEventSub, login: string): FakeEventSubUser {
  return es.user(login) ?? es.addUser({ login, displayName: displayName(login) });
}

const userFields = (prefix: string, u: FakeEventSubUser) => ({ [`${prefix}user_id`]: u.id, [`${prefix}user_login`]: u.login, [`${prefix}user_name`]: u.displayName });

/** The EventSub event of one step (the shape of Twitch's reference examples, for this channel). */
function channelEventOf(es: FakeTwitchEventSub, step: 'follow' | 'raid' | 'redemption', channel: FakeEventSubUser, round: number): Record<string, unknown> {
  const now = new Date().toISOString();
  if (step === 'follow') return { ...userFields('', eventSubUser(es, FOLLOWERS[round % FOLLOWERS.length]!)), ...userFields('broadcaster_', channel), followed_at: now };
  if (step === 'raid') {
    const raider = RAIDERS[round % RAIDERS.length]!;
    return { ...userFields('from_broadcaster_', eventSubUser(es, raider.login)), ...userFields('to_broadcaster_', channel), viewers: raider.viewers };
  }
  return {
    id: randomUUID(),
    ...userFields('broadcaster_', channel),
    ...userFields('', eventSubUser(es, REDEEMERS[round % REDEEMERS.length]!)),
    user_input: '',
    status: 'unfulfilled',
    reward: { ...HYDRATE_REWARD },
    redeemed_at: now,
  };
}

/**
 * Plays follows, raids and redemptions into `channel` on the local EventSub,
 * one step every `stepMs`. A step waits (and is tried again next time) until
 * the channel has an enabled subscription of its type, so none is emitted
 * into the void while the creator is still subscribing; a channel that never
 * subscribes (IRC only) gets none.
 */
function simulateChannelEvents(es: FakeTwitchEventSub, channel: FakeEventSubUser, stepMs: number): () => void {
  let next = 0;
  const subscribed = (type: string) =>
    es.subscriptions().some((s) => s.status === 'enabled' && s.type === type && (s.condition.broadcaster_user_id === channel.id || s.condition.to_broadcaster_user_id === channel.id));
  const timer = setInterval(() => {
    const step = CHANNEL_EVENT_STEPS[next % CHANNEL_EVENT_STEPS.length];
    if (step !== undefined && !subscribed(EVENTSUB_TYPES[step])) return;
    const round = Math.floor(next / CHANNEL_EVENT_STEPS.length);
    next += 1;
    if (step !== undefined) es.emit(EVENTSUB_TYPES[step], channelEventOf(es, step, channel, round));
  }, stepMs);
  return () => clearInterval(timer);
}

/** Plays `script` into a Rumble channel, the first line at once, then one every `1 / ratePerSec` s, round after round, until stopped. */
function simulateRumbleChat(channel: FakeRumbleChannel, script: readonly RumbleLine[], ratePerSec: number): () => void {
  let next = 0;
  const send = () => {
    const line = script[next++ % script.length]!;
    if (line.rantCents === undefined) channel.say({ username: line.user, text: line.text });
    else channel.rant({ username: line.user, text: line.text, amountCents: line.rantCents });
  };
  send();
  const timer = setInterval(send, 1000 / ratePerSec);
  return () => clearInterval(timer);
}

const Port = Type.Integer({ minimum: 0, maximum: 65_535, default: 0 });

const configSchema = Type.Object(
  {
    twitch: Type.Object({ port: Port }, { additionalProperties: false, default: {} }),
    /** The Twitch EventSub WebSocket, Helix and OAuth on one port (plugins.twitch.config.eventsubUrl, helixUrl and oauthUrl point at it). */
    twitchEventSub: Type.Object({ port: Port }, { additionalProperties: false, default: {} }),
    youtube: Type.Object({ port: Port }, { additionalProperties: false, default: {} }),
    discord: Type.Object({ port: Port }, { additionalProperties: false, default: {} }),
    /** The Rumble Live Stream API (plugins.rumble.config.apiOrigin points at it). */
    rumble: Type.Object({ port: Port }, { additionalProperties: false, default: {} }),
    /** The X API (plugins.x.config.apiUrl points at it). */
    x: Type.Object({ port: Port }, { additionalProperties: false, default: {} }),
    /** The Kick API and OAuth server (plugins.kick.config.apiOrigin and idOrigin point at it). */
    kick: Type.Object({ port: Port }, { additionalProperties: false, default: {} }),
    /** Kick chat lines a second, per channel (signed webhooks to plugins.kick.config.webhook). */
    kickRatePerSec: Type.Number({ exclusiveMinimum: 0, maximum: 100, default: 0.5 }),
    /** Recorded + scripted chat lines a second, per channel. */
    twitchRatePerSec: Type.Number({ exclusiveMinimum: 0, maximum: 1000, default: 4 }),
    youtubeRatePerSec: Type.Number({ exclusiveMinimum: 0, maximum: 1000, default: 2 }),
    /** Scripted Rumble chat lines a second, per channel. */
    rumbleRatePerSec: Type.Number({ exclusiveMinimum: 0, maximum: 100, default: 1 }),
  },
  { additionalProperties: false },
);

const creatorConfigSchema = Type.Object(
  {
    /** The Twitch channel this creator streams on (the twitch plugin's `channel`). */
    twitch: Type.Optional(Type.Object({ channel: Type.String({ pattern: '^[A-Za-z0-9_]{1,25}$' }) }, { additionalProperties: false })),
    /** The YouTube channel that is live (the youtube plugin's `channelId`). */
    youtube: Type.Optional(Type.Object({ channelId: Type.String({ pattern: '^UC[\\w-]+$' }), title: Type.Optional(Type.String()) }, { additionalProperties: false })),
    /** The Kick channel (the kick plugin's `channel`) and its broadcaster's user id. */
    kick: Type.Optional(Type.Object({ channel: Type.String({ pattern: '^[A-Za-z0-9_-]{1,100}$' }), broadcasterUserId: Type.Integer({ minimum: 1 }) }, { additionalProperties: false })),
    /** The Rumble channel: the key of its Live Stream API (the rumble plugin's apiUrl carries the same key) and its user name. */
    rumble: Type.Optional(
      Type.Object(
        { key: Type.String({ minLength: 1, maxLength: 200 }), username: Type.String({ minLength: 1, maxLength: 100 }), title: Type.Optional(Type.String()) },
        { additionalProperties: false },
      ),
    ),
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

/** The creator's channel on the local Rumble API, registered on first use (a restarted creator finds it again). */
function rumbleChannelOf(api: FakeRumbleApi, rumble: { key: string; username: string }): FakeRumbleChannel {
  try {
    return api.channel(rumble.key);
  } catch {
    // channel() throws for a key not registered yet: this creator's first start.
    return api.addChannel(rumble.key, { username: rumble.username });
  }
}

/**
 * The plugin. Given `platforms`, it plays chat into servers the host already
 * runs (and leaves them running at stop); otherwise it starts its own on the
 * configured ports (0 = any free port) in init and closes them at stop. The
 * Rumble stream (an ffmpeg process) is only started once a creator streams
 * on Rumble, unless the host gives one.
 */
export function localPlatformsPlugin(options: { platforms?: LocalPlatforms } = {}) {
  let platforms: LocalPlatforms | undefined = options.platforms;
  let owned = false;
  /** The Rumble stream this plugin started itself (the host gave none). */
  let ownRumbleStream: Promise<LocalHlsStream> | undefined;
  let recordedYouTube: Awaited<ReturnType<typeof loadYouTubeFixtureItems>> = [];
  const recordedTwitch = recordedTwitchLines();
  /** The local Kick's channels, by slug (made in init). */
  const kickChannels = new Map<string, FakeKickChannel>();

  /** Starts the local platforms on the configured ports (the host gave none). */
  async function startOwn(config: Static<typeof configSchema>, logger: Logger): Promise<void> {
      const started: { close(): Promise<void> }[] = [];
      try {
        const twitch = await listen('Twitch chat server', config.twitch.port, () => startFakeTwitchChat({ port: config.twitch.port }));
        started.push(twitch);
        const twitchEventSub = await listen('Twitch EventSub server', config.twitchEventSub.port, () => startDemoTwitchEventSub(config.twitchEventSub.port));
        started.push(twitchEventSub);
        const youtube = await listen('YouTube Data API', config.youtube.port, () => startFakeYouTubeApi({ port: config.youtube.port }));
        started.push(youtube);
        const discord = await listen('Discord server', config.discord.port, () => startDemoDiscord(config.discord.port));
        started.push(discord);
        const rumble = await listen('Rumble Live Stream API', config.rumble.port, () => startFakeRumbleApi({ port: config.rumble.port }));
        started.push(rumble);
        const x = await listen('X API', config.x.port, () => startDemoX(config.x.port));
        started.push(x);
        const kick = await listen('Kick API', config.kick.port, () => startDemoKick(config.kick.port));
        started.push(kick);
        platforms = { twitch, twitchEventSub, youtube, discord, rumble, x, kick };
      } catch (error) {
        for (const server of started.reverse()) await server.close();
        throw error;
      }
      owned = true;
      const { twitch, twitchEventSub, youtube, discord, rumble, x, kick } = platforms;
      logger.info(
        { twitch: twitch.url, twitchEventSub: twitchEventSub?.wsUrl, youtube: youtube.url, discord: discord?.restUrl, rumble: rumble?.origin, x: x?.url, kick: kick?.origin },
        'local Twitch chat server and EventSub, YouTube Data API, Discord, Rumble Live Stream API, X API and Kick listening',
      );
    }
  return definePlugin({
    id: 'local-platforms',
    version: '0.1.0',
    kernel: '^0.2.0',
    description: 'A local Twitch chat server and EventSub, YouTube Data API, Discord and Rumble Live Stream API with recorded and scripted chat and Twitch channel events (demo only).',
    replay: 'skip',
    configSchema,
    creatorConfigSchema,
    register(reg) {
      reg.onInit({
        deps: { bus: busRef, kernel: kernelRef, store: stateStoreRef },
        async init({ config, deps, logger }) {
          recordedYouTube = await loadYouTubeFixtureItems(new URL('youtube/', FIXTURES));
          if (platforms === undefined) await startOwn(config, logger);
          // The X account the creators post as, authorized before any creator starts (plugin-x reads it then).
          const secretKey = deps.kernel.manifest.plugins.x?.config.secretKey;
          if (platforms?.x !== undefined && typeof secretKey === 'string') await authorizeDemoX(platforms.x, deps.store, secretKey);
          // The creators' Kick channels exist before the kick plugin looks them up at creator start.
          for (const creator of Object.values(deps.kernel.manifest.creators)) {
            const kick = (creator.config['local-platforms'] as Static<typeof creatorConfigSchema> | undefined)?.kick;
            if (kick !== undefined && platforms?.kick !== undefined) kickChannels.set(kick.channel, platforms.kick.addChannel({ slug: kick.channel, broadcasterUserId: kick.broadcasterUserId, live: true, title: 'StreamSuites demo on Kick' }));
          }
        },

        start({ creator, creatorConfig, config, deps, logger }) {
          const world = platforms!;
          const channel = creatorConfig.twitch?.channel.toLowerCase();
          // The demo bot is a moderator in every channel, as a real channel bot would be
          // (Twitch: 100 messages per 30 s instead of 20).
          if (channel !== undefined) world.twitch.configureChannel(channel, { botRole: 'moderator' });
          const youtube = creatorConfig.youtube;
          if (youtube !== undefined && !world.youtube.broadcasts().some((b) => b.channelId === youtube.channelId)) {
            world.youtube.goLive({ channelId: youtube.channelId, title: youtube.title ?? 'StreamSuites demo stream' });
          }
          const rumble = creatorConfig.rumble;
          const rumbleApi = world.rumble;
          if (rumble !== undefined && rumbleApi === undefined) throw new SS_ERR_DEMO_PLATFORM_MISSING(creator.id, 'Rumble Live Stream API');
          const rumbleChannel = rumble === undefined ? undefined : rumbleChannelOf(rumbleApi!, rumble);

          // Chat starts once every plugin of the creator runs (the bot has joined);
          // Rumble chat once the Rumble livestream is live too.
          const stops: (() => void)[] = [];
          let added = false;
          let rumbleLive = false;
          let stopped = false;
          const startRumbleChat = () => {
            if (!added || !rumbleLive || stopped || rumbleChannel === undefined) return;
            stops.push(simulateRumbleChat(rumbleChannel, RUMBLE_SCRIPT, config.rumbleRatePerSec));
          };
          if (rumble !== undefined && rumbleChannel !== undefined) {
            // Live once the broadcaster's stream is up; the embed endpoint then names its HLS (what clips capture).
            const stream = world.rumbleStream ?? (ownRumbleStream ??= startDemoRumbleStream());
            stream.then(
              (hls) => {
                if (stopped) return;
                const id = rumbleChannel.liveId ?? rumbleChannel.goLive({ id: demoLivestreamId(rumble.key), title: rumble.title ?? 'StreamSuites demo on Rumble' }).id;
                rumbleApi!.setStreamUrl(id, hls.url);
                rumbleLive = true;
                startRumbleChat();
              },
              (error: unknown) => logger.error({ err: error }, 'the local Rumble stream could not start: this creator stays offline on Rumble'),
            );
          }
          const off = deps.bus.on('kernel.creator.added', ({ creatorId }) => {
            if (creatorId !== creator.id || added) return;
            added = true;
            if (channel !== undefined) {
              stops.push(simulateChat(world.twitch, { channel, lines: recordedTwitch, ratePerSec: config.twitchRatePerSec, loop: true, script: TWITCH_SCRIPT, scriptEvery: TWITCH_SCRIPT_EVERY }));
              // Channel events for a channel the local EventSub knows, one step every two script lines.
              const es = world.twitchEventSub;
              const broadcaster = es?.user(channel);
              if (es !== undefined && broadcaster !== undefined) stops.push(simulateChannelEvents(es, broadcaster, (2 * (TWITCH_SCRIPT_EVERY + 1) * 1000) / config.twitchRatePerSec));
            }
            const liveChatId = youtube === undefined ? undefined : world.youtube.broadcasts().find((b) => b.channelId === youtube.channelId)?.liveChatId;
            if (liveChatId !== undefined) {
              stops.push(
                simulateYouTubeChat(world.youtube, { liveChatId, items: recordedYouTube, ratePerSec: config.youtubeRatePerSec, loop: true, script: YOUTUBE_SCRIPT, scriptEvery: 2 }),
              );
            }
            startRumbleChat();
            const kick = creatorConfig.kick;
            const kickChannel = kick === undefined ? undefined : kickChannels.get(kick.channel);
            const webhook = deps.kernel.manifest.plugins.kick?.config.webhook as { host?: string; port?: number; path?: string } | undefined;
            if (kickChannel !== undefined && world.kick !== undefined && webhook?.port !== undefined && webhook.port > 0) {
              const url = `http://${webhook.host ?? '127.0.0.1'}:${webhook.port}${webhook.path ?? '/kick/webhook'}`;
              stops.push(simulateKickChat(world.kick, kickChannel, url, config.kickRatePerSec, (error) => logger.warn({ err: error }, 'a Kick webhook delivery failed')));
            }
          });
          return () => {
            stopped = true;
            off();
            for (const stop of stops.splice(0)) stop();
          };
        },
        async stop() {
          const own = ownRumbleStream;
          ownRumbleStream = undefined;
          // A stream that failed to start was reported when it failed.
          await own?.then((hls) => hls.stop(), () => undefined);
          if (!owned || platforms === undefined) return;
          const { twitch, twitchEventSub, youtube, discord, rumble, x, kick } = platforms;
          platforms = undefined;
          await twitch.close();
          await twitchEventSub?.close();
          await youtube.close();
          await discord?.close();
          await rumble?.close();
          await x?.close();
          await kick?.close();
        },
      });
    },
  });
}

/** For manifests: `"local-platforms": { "package": "@streamsuites/example-demo/local-platforms" }`. */
export default localPlatformsPlugin();
