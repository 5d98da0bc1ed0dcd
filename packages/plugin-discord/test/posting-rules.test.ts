/**
 * postingRules read by the Discord announcer against the local Discord:
 * per-creator enablement, templates, and the minimum interval between two
 * posts of one kind (kept in the state store across a restart).
 */
import { ManualClock, systemClock, type Clock } from '@streamsuites/kernel';
import { startTestKernel } from '@streamsuites/testing';
import { describe, expect, it } from 'vitest';
import discordPlugin from '../src/index.js';
import { ANNOUNCE, fakeClipsPlugin, fakeDiscord, GUILD, tempDir, TOKEN } from './helpers.js';

const START = Date.UTC(2026, 11, 5, 18);

async function runtime(
  fake: Awaited<ReturnType<typeof fakeDiscord>>,
  manifest: { postingRules?: unknown; creators: Record<string, unknown> },
  options: { clock?: Clock; dataDir?: string; plugins?: unknown[]; extraPlugins?: Record<string, unknown> } = {},
) {
  const t = await startTestKernel({
    plugins: [discordPlugin, fakeClipsPlugin, ...((options.plugins ?? []) as [])],
    env: { DISCORD_BOT_TOKEN: TOKEN },
    clock: options.clock ?? new ManualClock(START),
    manifest: {
      dataDir: options.dataDir ?? tempDir(),
      ...(manifest.postingRules === undefined ? {} : { postingRules: manifest.postingRules }),
      plugins: {
        clips: {},
        discord: {
          config: {
            token: '${env:DISCORD_BOT_TOKEN}',
            restUrl: fake.restUrl,
            heartbeatIntervalMs: 1000,
            restart: { initialMs: 100, maxMs: 1000 },
            guilds: [{ id: GUILD, announceChannelId: ANNOUNCE }],
          },
        },
        ...options.extraPlugins,
      },
      creators: manifest.creators,
    },
  });
  await fake.until(() => fake.commands(GUILD).length > 0, { timeoutMs: 10_000, message: 'commands registered' });
  return t;
}

/** Waits until the announcer logged `n` posts skipped for the minimum interval (it works on its own chain, after the bus event). */
const skipped = (fake: Awaited<ReturnType<typeof fakeDiscord>>, t: { logs: { lines: Record<string, unknown>[] } }, n: number) =>
  fake.until(() => t.logs.lines.filter((l) => l.msg === 'Discord post skipped: postingRules minimum interval').length === n, { message: `${n} post(s) skipped` });

const online = (creatorId: string, title = 'Live now') => ({ creatorId, platform: 'twitch', channel: creatorId, at: START, title });
const offline = (creatorId: string) => ({ creatorId, platform: 'twitch', channel: creatorId, at: START });

describe('postingRules in Discord announcements', () => {
  it('a creator whose rules leave Discord out is not announced; the others are, with their template (creator over top-level)', async () => {
    const fake = await fakeDiscord();
    const t = await runtime(fake, {
      postingRules: { events: { 'stream.online': { to: ['discord'], template: 'LIVE {creator}: {title}' } } },
      creators: {
        // Posting on X only: nothing in Discord.
        anna: { enable: ['discord'], postingRules: { events: { 'stream.online': { to: ['x'] } } } },
        // The top-level rule.
        ben: { enable: ['discord'] },
        // Its own text for Discord, over the event's template.
        cleo: { enable: ['discord'], postingRules: { events: { 'stream.online': { to: ['discord', 'x'], template: 'for X', templates: { discord: '{creator} streams {title} on {platforms}' } } } } },
      },
    });
    t.bus.emit('stream.online', online('anna'));
    t.bus.emit('stream.online', online('ben', 'Speedrun'));
    t.bus.emit('stream.online', online('cleo', 'Art'));
    await fake.until(() => fake.messages(ANNOUNCE).length === 2, { message: 'ben and cleo announced' });
    await t.kernel.idle();
    await t.stop();
    // Checked by ignoring rule.post in Announcer.online: anna's message appears too.
    expect(fake.messages(ANNOUNCE).map((m) => m.content).sort()).toEqual(['LIVE ben: Speedrun', 'cleo streams Art on twitch']);
  });

  it('a hot standby\'s go-live is not announced (the active process announces it)', async () => {
    const fake = await fakeDiscord();
    const t = await runtime(fake, {
      postingRules: { events: { 'stream.online': { to: ['discord'], template: 'LIVE {creator}: {title}' } } },
      creators: { ben: { enable: ['discord'] }, cleo: { enable: ['discord'] } },
    });
    await t.kernel.stopCreator('ben');
    await t.kernel.startCreator('ben', { standby: true });
    t.bus.emit('stream.online', online('ben', 'Speedrun'));
    t.bus.emit('stream.online', online('cleo', 'Art'));
    await fake.until(() => fake.messages(ANNOUNCE).length === 1, { message: 'cleo announced' });
    await t.kernel.idle();
    await t.stop();
    expect(fake.messages(ANNOUNCE).map((m) => m.content)).toEqual(['LIVE cleo: Art']);
  });

  it('minIntervalSec: a second go-live within the interval is not posted (also after a restart); after it, it is', async () => {
    const fake = await fakeDiscord();
    const dataDir = tempDir();
    const clock = new ManualClock(START);
    const storeSqlite = (await import('@streamsuites/store-sqlite')).default;
    const manifest = {
      creators: { daniel: { enable: ['discord'], postingRules: { events: { 'stream.online': { minIntervalSec: 1800 }, 'stream.offline': { to: [] } } } } },
    };
    const first = await runtime(fake, manifest, { clock, dataDir, plugins: [storeSqlite] });
    first.bus.emit('stream.online', online('daniel', 'Part 1'));
    await fake.until(() => fake.messages(ANNOUNCE).length === 1, { message: 'announced' });
    // The stream drops and comes back ten minutes later.
    first.bus.emit('stream.offline', offline('daniel'));
    await first.kernel.idle();
    clock.advance(10 * 60_000);
    first.bus.emit('stream.online', online('daniel', 'Part 1 again'));
    await skipped(fake, first, 1);
    await first.stop();
    // stream.offline without Discord: the go-live message was left as it was (no "Stream ended" edit).
    expect(fake.messages(ANNOUNCE).map((m) => m.content)).toEqual(['🔴 **daniel** is live on twitch: Part 1']);

    // A restart does not forget the last post.
    clock.advance(10 * 60_000);
    const second = await runtime(fake, manifest, { clock, dataDir, plugins: [storeSqlite] });
    second.bus.emit('stream.online', online('daniel', 'Part 2'));
    await skipped(fake, second, 1);
    expect(fake.messages(ANNOUNCE)).toHaveLength(1);
    second.bus.emit('stream.offline', offline('daniel'));
    clock.advance(11 * 60_000); // 31 minutes after the first post
    second.bus.emit('stream.online', online('daniel', 'Part 3'));
    await fake.until(() => fake.messages(ANNOUNCE).length === 2, { message: 'posted once the interval passed' });
    await second.stop();
    expect(fake.messages(ANNOUNCE).map((m) => m.content)).toEqual(['🔴 **daniel** is live on twitch: Part 1', '🔴 **daniel** is live on twitch: Part 3']);
  });

  it('clip.published: rules turn clip posts on for one creator (the plugin default is off), with a template and an interval', async () => {
    const fake = await fakeDiscord();
    const clock = new ManualClock(START);
    const t = await runtime(
      fake,
      {
        creators: {
          anna: { enable: ['discord', 'clips'], postingRules: { events: { 'clip.published': { to: ['discord'], template: 'New clip by {creator}: {url}', minIntervalSec: 60 } } } },
          ben: { enable: ['discord', 'clips'] },
        },
      },
      { clock },
    );
    const clipEvent = (creatorId: string, n: number) => ({ creatorId, clipId: `c${n}`, platform: 'twitch', state: 'published', previous: 'uploading', reason: 'uploaded', url: `https://clips.example/c${n}.mp4`, at: clock.now() });
    const emit = t.bus.emit.bind(t.bus) as (name: string, event: unknown) => void;
    emit('clip.state', clipEvent('anna', 1));
    emit('clip.state', clipEvent('ben', 2));
    await fake.until(() => fake.messages(ANNOUNCE).length === 1, { message: 'anna\'s clip posted' });
    emit('clip.state', clipEvent('anna', 3)); // within the minute
    await skipped(fake, t, 1);
    clock.advance(61_000);
    emit('clip.state', clipEvent('anna', 4));
    await fake.until(() => fake.messages(ANNOUNCE).length === 2, { message: 'the next clip after the interval' });
    await t.stop();
    expect(fake.messages(ANNOUNCE).map((m) => m.content)).toEqual(['New clip by anna: https://clips.example/c1.mp4', 'New clip by anna: https://clips.example/c4.mp4']);
  });

  it('an unknown event or key in postingRules is a manifest error with a did-you-mean', async () => {
    const { inspectManifest } = await import('@streamsuites/kernel');
    const { withDefaults } = await import('@streamsuites/defaults');
    const result = await inspectManifest(
      { plugins: { discord: { config: { token: TOKEN, guilds: [{ id: GUILD }] } } }, creators: { anna: { enable: ['discord'], postingRules: { events: { 'stream.onlin': {}, 'clip.published': { minInterval: 5 } } } } } },
      withDefaults({ plugins: [discordPlugin] }),
    );
    expect(result.issues.map((i) => [i.code, i.path, i.hint?.includes('Did you mean') ?? false])).toEqual([
      ['SS_ERR_MANIFEST_UNKNOWN_KEY', '/creators/anna/postingRules/events/stream.onlin', true],
      ['SS_ERR_MANIFEST_UNKNOWN_KEY', '/creators/anna/postingRules/events/clip.published/minInterval', true],
    ]);
  });
});

describe('postingRules end to end: a go-live from the local Twitch EventSub server', () => {
  it('stream.online from Twitch is announced with the creator\'s template; a creator whose rules leave Discord out is not', async () => {
    const { default: twitchPlugin } = await import('@streamsuites/plugin-twitch');
    const { startFakeTwitchChat, startFakeTwitchEventSub } = await import('@streamsuites/plugin-twitch/testing');
    const fake = await fakeDiscord();
    const es = await startFakeTwitchEventSub({ minKeepaliveTimeoutSeconds: 1 });
    const irc = await startFakeTwitchChat();
    try {
      const users = { anna: es.addUser({ login: 'anna', id: '5001' }), ben: es.addUser({ login: 'ben', id: '5002' }) };
      for (const login of ['anna', 'ben']) es.addToken({ token: `${login}token0123456789abcdefghijk`.slice(0, 30), userLogin: login, scopes: ['user:read:chat', 'user:write:chat'] });
      const twitch = (login: string) => ({
        channel: login,
        botLogin: login,
        token: `${login}token0123456789abcdefghijk`.slice(0, 30),
        clientId: es.clientId,
        transport: 'irc',
        events: ['stream.online', 'stream.offline'],
      });
      const t = await runtime(
        fake,
        {
          creators: {
            anna: { enable: ['discord', 'twitch'], config: { twitch: twitch('anna') }, postingRules: { events: { 'stream.online': { to: ['discord'], template: '🔴 {creator} is live: {title}' } } } },
            ben: { enable: ['discord', 'twitch'], config: { twitch: twitch('ben') }, postingRules: { events: { 'stream.online': { to: ['x'] } } } },
          },
        },
        {
          plugins: [twitchPlugin],
          clock: systemClock,
          extraPlugins: { twitch: { config: { chatUrl: irc.url, eventsubUrl: es.wsUrl, helixUrl: es.helixUrl, oauthUrl: es.oauthUrl, eventsubKeepaliveSec: 1 } } },
        },
      );
      await es.until(() => es.subscriptions().filter((s) => s.status === 'enabled' && s.type === 'stream.online').length === 2, { message: 'both go-live subscriptions enabled' });
      for (const user of Object.values(users)) {
        es.emit('stream.online', { id: `stream-${user.id}`, broadcaster_user_id: user.id, broadcaster_user_login: user.login, broadcaster_user_name: user.login, type: 'live', started_at: new Date(START).toISOString() });
      }
      await fake.until(() => t.events.of('stream.online').length === 2, { message: 'both go-lives on the bus' });
      await fake.until(() => fake.messages(ANNOUNCE).length === 1, { message: 'anna announced' });
      await t.kernel.idle();
      await t.stop();
      // Checked by dropping ben's postingRules: his go-live is announced too.
      expect(fake.messages(ANNOUNCE).map((m) => m.content)).toEqual([expect.stringMatching(/^🔴 anna is live: /)]);
    } finally {
      await es.close();
      await irc.close();
    }
  });
});
