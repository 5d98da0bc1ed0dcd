// The StreamSuites demo (loaded by main.ts once the flags are valid): the
// main job on embedded defaults, no credentials.
// Three creators' chats flow through a local Twitch chat server (and a local
// YouTube Data API and Rumble Live Stream API), a local Twitch EventSub plays
// a follow, a raid and a channel-points redemption into daniel's channel,
// triggers reply (and fulfill the redemption), state lives in SQLite under ./data, snapshots are written for the
// dashboard, which is served on 127.0.0.1; a live terminal view (or plain
// status lines) shows it all.
import { withDefaults } from '@streamsuites/defaults';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createKernel,
  handleStopSignals,
  isStreamSuitesError,
  quotaRegistryRef,
  rateLimitGovernorRef,
  type Kernel,
} from '@streamsuites/kernel';
import { formatReplaySummary, replayChatLogs } from '@streamsuites/cli';
import chatLogPlugin from '@streamsuites/plugin-chatlog';
import clipsPlugin from '@streamsuites/plugin-clips';
import engagementPlugin from '@streamsuites/plugin-engagement';
import discordPlugin from '@streamsuites/plugin-discord';
import exportsPlugin from '@streamsuites/plugin-exports';
import rumblePlugin from '@streamsuites/plugin-rumble';
import { startFakeRumbleApi } from '@streamsuites/plugin-rumble/testing';
import twitchPlugin from '@streamsuites/plugin-twitch';
import kickPlugin from '@streamsuites/plugin-kick';
import xPlugin from '@streamsuites/plugin-x';
import youtubePlugin from '@streamsuites/plugin-youtube';
import { startFakeYouTubeApi } from '@streamsuites/plugin-youtube/testing';
import { startFakeTwitchChat } from '@streamsuites/plugin-twitch/testing';
import storeSqlite from '@streamsuites/store-sqlite';
import { parseDemoArgs, type DemoOptions } from './cli.js';
import { creatorViewUrl, startDemoDashboard, type DemoDashboard } from './dashboard.js';
import { heartbeatPlugin } from './heartbeat-plugin.js';
import { askDiscordStatus } from './discord-operator.js';
import { freeLocalPort } from '@streamsuites/kernel/testing';
import { DEMO_DISCORD, localPlatformsPlugin, startDemoDiscord, startDemoKick, startDemoRumbleStream, startDemoTwitchEventSub, startDemoX } from './local-platforms.js';
import { formatSummary, type TwitchEventCounts, type TwitchEventKind } from './summary.js';
import { limitsFrom } from './view/limits.js';
import { DemoStats } from './view/stats.js';
import { PlainView, TerminalView, type DemoView } from './view/terminal.js';

/** Plugin ids that are chat platforms: one row per creator and platform in the view. */
// Chat platforms (Discord is the control plane: it reads no chat).
const PLATFORM_PLUGINS = new Set(['twitch', 'youtube', 'rumble', 'kick', 'pilled']);
/** The plugins the manifest names, given directly (the manifest's packages are this workspace's). */
const PLUGINS = [storeSqlite, heartbeatPlugin, exportsPlugin, discordPlugin, twitchPlugin, youtubePlugin, rumblePlugin, chatLogPlugin, engagementPlugin, clipsPlugin, xPlugin, kickPlugin];


function fail(message: string, code: number): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

/** A path as short as it can be shown: relative to the working directory when inside it. */
function display(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}

// main.ts checked the flags (usage errors, --help) before loading this module.
const options: DemoOptions = parseDemoArgs(process.argv.slice(2));

// ── stopping: Ctrl-C at any moment from here on is one clean stop ──────────────

let kernel: Kernel | undefined;
let view: DemoView | undefined;
let discordStatus: Promise<string | undefined> = Promise.resolve(undefined);
let stopReason: string | undefined;
let resolveStop!: (reason: string) => void;
const stopRequested = new Promise<string>((resolveRequest) => (resolveStop = resolveRequest));
function requestStop(reason: string): void {
  if (stopReason !== undefined) return;
  stopReason = reason;
  resolveStop(reason);
  // Also while the kernel is still starting: start() then ends early and stop() finishes the job.
  kernel?.stop().catch(() => undefined);
}
// A repeat within a second is the same Ctrl-C (npm run delivers it twice); SIGHUP: the terminal closed.
const offSignals = handleStopSignals({
  repeatWindowMs: 1000,
  hangup: true,
  onStop: (signal) => {
    kernel?.logger.info({ signal }, 'signal received: stopping');
    requestStop(signal);
  },
  onForce: (signal) => {
    view?.stop();
    process.stderr.write(`\n${signal} again: exiting without waiting for the clean stop\n`);
  },
});
// A crash must not leave the terminal in the alternate screen with the cursor hidden
// (the monitor runs before Node prints the error, so the error stays visible).
process.on('uncaughtExceptionMonitor', () => view?.stop());
// `npm run demo | head` closing the pipe is a reason to stop, not a crash.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  requestStop('stdout closed');
});
// While the process keeps running, nothing else holds the event loop for sure.
const keepAlive = setInterval(() => {}, 1 << 30);

// ── files ──────────────────────────────────────────────────────────────────────

const demoDir = fileURLToPath(new URL('..', import.meta.url));
const manifestFile = join(demoDir, 'streamsuites.json');
const live = process.stdout.isTTY === true && !options.plain;

const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as {
  dataDir?: string;
  plugins: {
    twitch: { config: { chatUrl: string; eventsubUrl?: string; helixUrl?: string; oauthUrl?: string } };
    discord: { config: { restUrl: string } };
    youtube: { config: Record<string, string> };
    rumble?: { config: { apiOrigin: string } };
    x?: { config: { apiUrl: string } };
    kick?: { config: { apiOrigin: string; idOrigin: string; webhook: { port: number } } };
    'local-platforms': { config: { twitch: { port: number }; youtube: { port: number } } };
    exports: { config: { root: string } };
    clips?: { config: { destinations?: { destination?: { options?: { dir?: string } } } } };
  };
  creators: Record<string, { config?: { twitch?: { channel?: string; events?: string[] }; youtube?: { channelId?: string } & Record<string, unknown>; rumble?: unknown } }>;
};
const youtubeChannels = Object.values(manifest.creators).filter((creator) => creator.config?.youtube?.channelId !== undefined);
const twitchEventCreators = Object.values(manifest.creators).filter((creator) => (creator.config?.twitch?.events?.length ?? 0) > 0).length;
const rumbleCreators = Object.values(manifest.creators).filter((creator) => creator.config?.rumble !== undefined).length;
const channels = Object.values(manifest.creators)
  .map((creator) => creator.config?.twitch?.channel?.toLowerCase())
  .filter((channel): channel is string => channel !== undefined);
// The manifest's dataDir (./data), or <state-dir>/data.
const dataDir = options.stateDir === undefined ? resolve(demoDir, manifest.dataDir ?? './data') : resolve(options.stateDir, 'data');
const exportsRoot = resolve(dataDir, manifest.plugins.exports.config.root);
// Clips land in <state>/clips (a local folder stands in for an upload destination).
const clipsDir = join(options.stateDir ?? demoDir, 'clips');
const clipDestination = manifest.plugins.clips?.config.destinations?.destination?.options;
if (clipDestination !== undefined) clipDestination.dir = clipsDir;

if (options.replay) {
  // The chat this demo logged, through the same triggers and plugins on a virtual clock.
  const chatlog = join(dataDir, 'chatlog');
  if (!existsSync(chatlog)) fail(`error SS_ERR_CHATLOG_NOT_FOUND: nothing to replay yet: ${chatlog} does not exist\n  hint: run the demo first (npm run demo -- --duration 20)`, 1);
  try {
    const summary = await replayChatLogs({
      logs: [chatlog],
      manifest,
      baseDir: demoDir,
      plugins: [...PLUGINS, localPlatformsPlugin()],
      out: join(options.stateDir ?? demoDir, 'replay-state'),
      logLevel: 'warn',
      onProblem: (p) => process.stderr.write(`warning: ${p.file}:${p.line}: ${p.reason} (line skipped)\n`),
    });
    process.stdout.write(formatReplaySummary(summary));
    process.exit(0);
  } catch (error) {
    fail(isStreamSuitesError(error) ? `error ${error.code}: ${error.message}` : String(error), 1);
  }
}

// The live view owns the terminal: log lines go to a file instead.
mkdirSync(dataDir, { recursive: true });
const logFile = join(dataDir, 'demo.log');
const logFd = live ? openSync(logFile, 'w') : undefined;

// ── boot ───────────────────────────────────────────────────────────────────────

// Embedded defaults: a local Twitch chat server and a local YouTube Data API
// stand in for the platforms, no credentials needed. The manifest's
// local-platforms plugin plays recorded and scripted chat into them; the demo
// starts them on free ports itself (the manifest's fixed ports are for
// `streamsuites run`) to count what they received.
// The Rumble creator's stream (ffmpeg writing a live HLS) warms up while the
// kernel boots; the Rumble livestream goes live once it is ready.
const rumbleStream = startDemoRumbleStream();
rumbleStream.catch(() => undefined); // reported by local-platforms (the creator stays offline on Rumble)
const fake = await startFakeTwitchChat();
const eventsubFake = await startDemoTwitchEventSub();
const youtubeFake = await startFakeYouTubeApi();
const discordFake = await startDemoDiscord();
const rumbleFake = await startFakeRumbleApi();
const xFake = await startDemoX();
const kickFake = await startDemoKick();
manifest.plugins.twitch.config.chatUrl = fake.url;
Object.assign(manifest.plugins.twitch.config, { eventsubUrl: eventsubFake.wsUrl, helixUrl: eventsubFake.helixUrl, oauthUrl: eventsubFake.oauthUrl });
manifest.plugins.discord.config.restUrl = discordFake.restUrl;
manifest.plugins.youtube.config = { apiUrl: youtubeFake.url, tokenUrl: youtubeFake.tokenUrl, feedUrl: youtubeFake.feedUrl };
if (manifest.plugins.rumble !== undefined) manifest.plugins.rumble.config.apiOrigin = rumbleFake.origin;
if (manifest.plugins.x !== undefined) manifest.plugins.x.config.apiUrl = xFake.url;
if (manifest.plugins.kick !== undefined) {
  Object.assign(manifest.plugins.kick.config, { apiOrigin: kickFake.origin, idOrigin: kickFake.origin });
  // The Kick webhook endpoint (what Kick delivers to) on a free port, like the local servers.
  manifest.plugins.kick.config.webhook.port = await freeLocalPort();
}
const localPlatforms = localPlatformsPlugin({ platforms: { twitch: fake, twitchEventSub: eventsubFake, youtube: youtubeFake, discord: discordFake, rumble: rumbleFake, rumbleStream, x: xFake, kick: kickFake } });
/** Closes the local platforms (each once the demo is done with it). */
async function closePlatforms(): Promise<void> {
  await fake.close();
  await eventsubFake.close();
  await youtubeFake.close();
  await discordFake.close();
  await rumbleFake.close();
  await xFake.close();
  await kickFake.close();
  await rumbleStream.then((hls) => hls.stop(), () => undefined);
}
const startedAt = Date.now();
try {
  kernel = await createKernel(
    withDefaults({
      manifest,
      baseDir: demoDir,
      ...(options.stateDir === undefined ? {} : { overrides: { dataDir } }),
      plugins: [...PLUGINS, localPlatforms],
      ...(logFd === undefined ? {} : { logDestination: { write: (line: string) => void writeSync(logFd, line) } }),
    }),
  );
} catch (error) {
  await closePlatforms();
  fail(isStreamSuitesError(error) ? `error ${error.code}: ${error.message}` : String(error), 1);
}
const k = kernel;
// Published clips by where they were asked for (`creator/platform`), and Rumble rants.
const clipsPublished = new Map<string, number>();
k.bus.on('clip.state', ({ state, creatorId, platform }) => {
  if (state === 'published') clipsPublished.set(`${creatorId}/${platform}`, (clipsPublished.get(`${creatorId}/${platform}`) ?? 0) + 1);
});
const rants = { count: 0, amountMicros: 0 };
k.bus.on('chat.message', ({ platform, monetary }) => {
  if (platform !== 'rumble' || monetary?.kind !== 'rant') return;
  rants.count += 1;
  rants.amountMicros += monetary.amountMicros;
});
// Twitch channel events (EventSub), and the triggers they fired (an event trigger's messageId is the event's eventId).
const twitchEvents: TwitchEventCounts = { received: { follow: 0, raid: 0, redemption: 0 }, triggered: { follow: 0, raid: 0, redemption: 0 }, fulfilled: 0 };
const twitchEventIds = new Map<string, TwitchEventKind>();
const countTwitchEvent = (kind: TwitchEventKind, eventId: string) => {
  twitchEvents.received[kind] += 1;
  twitchEventIds.set(eventId, kind);
};
k.bus.on('twitch.follow', ({ eventId }) => countTwitchEvent('follow', eventId));
k.bus.on('twitch.raid', ({ eventId }) => countTwitchEvent('raid', eventId));
k.bus.on('twitch.redemption', ({ eventId }) => countTwitchEvent('redemption', eventId));
k.bus.on('trigger.fired', ({ messageId }) => {
  const kind = twitchEventIds.get(messageId);
  if (kind !== undefined) twitchEvents.triggered[kind] += 1;
});
process.on('unhandledRejection', (reason) => k.logger.error({ err: reason }, 'unhandled promise rejection (kept running)'));

const creatorIds = Object.keys(k.manifest.creators);
const stats = new DemoStats({
  bus: k.bus,
  creators: Object.fromEntries(creatorIds.map((id) => [id, k.manifest.creators[id]!.enable.filter((p) => PLATFORM_PLUGINS.has(p))])),
  exportsRoot: display(exportsRoot),
  ...(options.durationSec === undefined ? {} : { durationSec: options.durationSec }),
});
const beats = new Map<string, number>();
k.bus.on('demo.heartbeat', ({ creatorId, beat }) => void beats.set(creatorId, beat));
k.bus.on('trigger.fired', ({ creatorId, triggerId, args }) => {
  k.logger.info({ creator: creatorId, trigger: triggerId, args }, `trigger ${triggerId} fired`);
});
let stopErrors = 0;
k.bus.on('kernel.stopped', ({ errors }) => void (stopErrors = errors));
// A kernel that stops by itself (boot aborted) ends the demo too.
k.bus.on('kernel.stopping', () => requestStop('kernel stopping'));

if (live) {
  stats.setLogFile(display(logFile));
  view = new TerminalView(process.stdout, () => stats.snapshot());
} else {
  view = new PlainView(process.stdout, () => stats.snapshot());
}
view.start();

// The dashboard serves the snapshots; its address is shown once there is something to see.
let dashboard: DemoDashboard | undefined;
const dashboardStarted = startDemoDashboard({ root: exportsRoot, port: options.port }).then(
  (server) => {
    dashboard = server;
    if (server.fellBack) k.logger.warn({ url: server.url }, `dashboard: ${server.fallbackReason}, using ${server.url} instead`);
    return server;
  },
  (error: unknown) => {
    const message = isStreamSuitesError(error) ? `${error.code}: ${error.message}` : String(error);
    k.logger.warn({ err: error }, `the dashboard could not start; the demo runs without it`);
    stats.setDashboardProblem(message);
    return undefined;
  },
);
k.bus.once('exports.written', () => {
  void dashboardStarted.then((server) => {
    if (server === undefined || stopReason !== undefined) return;
    // Both addresses: the overview, and the first creator's own page.
    const creatorView = creatorIds[0] === undefined ? undefined : { id: creatorIds[0], url: creatorViewUrl(server.url, creatorIds[0]) };
    stats.setDashboard(server.url, server.fallbackReason, creatorView?.url);
    const why = server.fallbackReason === undefined ? '' : ` (${server.fallbackReason})`;
    if (!live) {
      process.stdout.write(`dashboard: ${server.url}${why}  (snapshots in ${display(exportsRoot)})\n`);
      if (creatorView !== undefined) process.stdout.write(`dashboard, ${creatorView.id}'s view: ${creatorView.url}\n`);
    }
  });
});

// Quota bars if any quota is configured, else the rate-limit governor's keys.
const limitsTimer = setInterval(() => {
  if (k.state !== 'running') return;
  k.resolve(quotaRegistryRef)
    .snapshot()
    .then((quotas) => stats.setLimits(limitsFrom(quotas, k.resolve(rateLimitGovernorRef).snapshot())))
    .catch(() => undefined);
}, 1000);

if (stopReason === undefined) {
  await k.start().catch((error: unknown) => {
    k.logger.error({ err: error }, 'the kernel could not start');
    requestStop('start failed');
  });
}
if (stopReason === undefined && k.state === 'running') {
  k.logger.info(
    { creators: k.creators(), dashboardPort: options.port },
    options.durationSec === undefined ? 'demo running: press Ctrl-C to stop' : `demo running for ${options.durationSec} s`,
  );
  if (options.durationSec !== undefined) setTimeout(() => requestStop('duration'), options.durationSec * 1000).unref();
  // An operator asks the control plane for /status once its commands are registered.
  discordStatus = askDiscordStatus(discordFake, k.logger);
}

// ── shutdown ───────────────────────────────────────────────────────────────────

await stopRequested;
await k.stop().catch(() => undefined); // errors are counted from kernel.stopped
clearInterval(limitsTimer);
await dashboardStarted;
await dashboard?.close();
const replies = channels.reduce((n, channel) => n + fake.sent(channel).length, 0);
const youtubeUnits = youtubeFake.unitsUsed();
twitchEvents.fulfilled = eventsubFake.redemptionUpdates().filter((u) => u.status === 'FULFILLED').length;
const discord = { status: await discordStatus, announcements: discordFake.messages(DEMO_DISCORD.announceChannelId).length };
// Chat lines the demo's bot sent through Kick's chat API.
const kickReplies = manifest.plugins.kick === undefined ? undefined : kickFake.chatPosts().length;
// Go-live (and clip) posts the local X API received, by creator (the post text starts with the creator's name).
const xPosts = manifest.plugins.x === undefined ? undefined : xFake.tweets().map((t) => t.text);
await closePlatforms();
view.stop();
stats.dispose();
offSignals();
clearInterval(keepAlive);
if (logFd !== undefined) closeSync(logFd);

const errors = stats.errors + stopErrors;
process.stdout.write(
  `\n${formatSummary({
    seconds: (Date.now() - startedAt) / 1000,
    creators: creatorIds,
    messages: new Map(creatorIds.map((id) => [id, stats.messagesOf(id)])),
    platforms: stats.messagesByPlatform(),
    triggersFired: stats.triggers,
    actions: stats.actions,
    replies,
    ...(youtubeChannels.length === 0 ? {} : { youtubeUnits }),
    ...(twitchEventCreators === 0 ? {} : { twitchEvents }),
    discord,
    ...(xPosts === undefined ? {} : { xPosts }),
    ...(kickReplies === undefined ? {} : { kickReplies }),
    ...(rumbleCreators === 0 ? {} : { rumbleRants: rants }),
    ...(clipDestination === undefined ? {} : { clips: clipsPublished, clipsDir: display(clipsDir) }),
    heartbeats: beats,
    exportFiles: stats.exportFiles,
    exportsRoot: display(exportsRoot),
    ...(dashboard === undefined ? {} : { dashboardUrl: dashboard.url }),
    degraded: stats.degradedPeriods(),
    errors,
  })}\n`,
);
if (live && logFd !== undefined) process.stdout.write(`log: ${display(logFile)}\n`);
process.exit(errors === 0 ? 0 : 1);
