/**
 * Every command end to end: an interaction dispatched by the local Discord
 * gateway, through the real discord.js client and the plugin, answered on the
 * fake's interaction callback. The runtime is a real kernel with the default
 * services and the real engagement plugin.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { engagementPlugin } from '@streamsuites/plugin-engagement';
import { chatMessage, startTestKernel } from '@streamsuites/testing';
import { discordPlugin } from '../src/index.js';
import { describe, expect, it } from 'vitest';
import { ANNOUNCE, fakeClipsPlugin, fakeDiscord, GUILD, int, MEMBER, OTHER_GUILD, slash, startRuntime, str, TOKEN } from './helpers.js';

/** Waits until the plugin registered its commands in the guild (it is ready for interactions). */
async function ready(fake: Awaited<ReturnType<typeof fakeDiscord>>) {
  await fake.until(() => fake.commands(GUILD).length > 0, { timeoutMs: 10_000, message: 'commands registered' });
}

describe('commands end to end', () => {
  it('/status, /creators, /triggers, /quota, /jobs: embeds built from the running kernel', async () => {
    const fake = await fakeDiscord();
    const t = await startRuntime({
      fake,
      creators: {
        daniel: { enable: ['discord'], triggers: [{ type: 'command', params: { command: '!hello' }, actions: [{ type: 'chat.reply', params: { text: 'hi' } }] }] },
        maya: { enable: ['discord'] },
      },
    });
    await ready(fake);
    t.bus.emit('platform.connection', { creatorId: 'daniel', platform: 'twitch', state: 'connected', attempt: 1, at: Date.now() });
    t.bus.emit('stream.online', { creatorId: 'daniel', platform: 'twitch', channel: 'daniel', at: Date.now(), title: 'speedrun' });
    t.bus.emit('chat.message', chatMessage({ text: '!hello', creatorId: 'daniel' }));
    await t.kernel.idle();

    const status = await fake.interact(slash('status')).callback();
    expect(status.type).toBe(4); // CHANNEL_MESSAGE_WITH_SOURCE
    const daniel = status.data.embeds[0].fields.find((f: any) => f.name === 'daniel');
    expect(daniel.value).toContain('twitch: 🔴 live, connected, 1 msg/min');
    expect(daniel.value).toContain('triggers fired: 1');
    expect(status.data.embeds[0].fields.map((f: any) => f.name)).toEqual(['daniel', 'maya']);

    const creators = await fake.interact(slash('creators')).callback();
    expect(creators.data.embeds[0].description).toContain('**daniel**: discord');

    const triggers = await fake.interact(slash('triggers', [str('creator', 'daniel')])).callback();
    expect(triggers.data.embeds[0].description).toContain('`command` {"command":"!hello"');

    const quota = await fake.interact(slash('quota')).callback();
    expect(quota.data.embeds[0].title).toBe('Quota');
    const jobs = await fake.interact(slash('jobs')).callback();
    expect(jobs.data.embeds[0].title).toBe('Jobs');
    await t.stop();
  });

  it('/clip defers, then edits the reply with the clip link', async () => {
    const fake = await fakeDiscord();
    const t = await startRuntime({ fake, plugins: [fakeClipsPlugin], creators: { daniel: { enable: ['discord', 'clips'] } } });
    await ready(fake);
    const interaction = fake.interact(slash('clip', [str('creator', 'daniel'), int('seconds', 20), str('title', 'what a play')]));
    expect((await interaction.callback()).type).toBe(5); // DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE
    const edited = await interaction.original(10_000);
    expect(edited.embeds[0]).toMatchObject({ title: 'Clip of daniel', description: 'https://clips.example/clip-1.mp4' });
    const clips = await fake.interact(slash('clips', [str('creator', 'daniel')])).callback();
    expect(clips.data.embeds[0].description).toContain('https://clips.example/clip-1.mp4');
    await t.stop();
  });

  it('/poll open, votes from chat, /poll results, /poll close; /tally and /score; /dryrun on then off', async () => {
    const fake = await fakeDiscord();
    const t = await startRuntime({
      fake,
      plugins: [engagementPlugin],
      creators: {
        daniel: {
          enable: ['discord', 'engagement'],
          config: { engagement: { tallies: [{ id: 'gg', name: 'GGs' }] } },
          triggers: [{ type: 'command', params: { command: '!gg' }, actions: [{ type: 'tally.add', params: { tally: 'gg', label: 'gg' } }] }],
        },
      },
    });
    await ready(fake);
    const opened = await fake.interact(slash('poll', [{ name: 'open', type: 1, options: [str('creator', 'daniel'), str('question', 'Next game?'), str('options', 'Zelda, Mario, Metroid')] }])).callback();
    expect(opened.data.embeds[0].title).toBe('Poll opened for daniel');
    for (const [user, vote] of [['a', '1'], ['b', '2'], ['c', 'mario']]) t.bus.emit('chat.message', chatMessage({ text: `!vote ${vote}`, creatorId: 'daniel', author: { login: user! } }));
    t.bus.emit('chat.message', chatMessage({ text: '!gg', creatorId: 'daniel', author: { login: 'd' } }));
    await t.kernel.idle();
    const results = await fake.interact(slash('poll', [{ name: 'results', type: 1, options: [str('creator', 'daniel')] }], MEMBER)).callback();
    expect(results.data.embeds[0]).toMatchObject({ title: 'Open poll: Next game?', description: 'Zelda: 1\nMario: 2\nMetroid: 0' });
    const closed = await fake.interact(slash('poll', [{ name: 'close', type: 1, options: [str('creator', 'daniel')] }])).callback();
    expect(closed.data.embeds[0].title).toBe('Poll closed for daniel');
    const tally = await fake.interact(slash('tally', [str('creator', 'daniel')])).callback();
    expect(tally.data.embeds[0].fields).toEqual([{ name: 'gg', value: 'gg: 1' }]);
    const score = await fake.interact(slash('score', [str('creator', 'daniel')])).callback();
    expect(score.data.embeds[0].description).toBe('No scores yet.');

    const on = await fake.interact(slash('dryrun', [str('creator', 'daniel'), str('mode', 'on')])).callback();
    expect(on.data.embeds[0].title).toBe('Dry run on for daniel');
    const { actionDispatcherRef } = await import('@streamsuites/kernel');
    expect(t.kernel.resolve(actionDispatcherRef).isDryRun('daniel')).toBe(true);
    await fake.interact(slash('dryrun', [str('creator', 'daniel'), str('mode', 'off')])).callback();
    expect(t.kernel.resolve(actionDispatcherRef).isDryRun('daniel')).toBe(false);
    await t.stop();
  });

  it('/reload applies the changed manifest file, or lists every problem and keeps the running configuration', async () => {
    const fake = await fakeDiscord();
    const dir = await mkdtemp(join(tmpdir(), 'ss-discord-reload-'));
    try {
      const file = join(dir, 'streamsuites.json');
      const manifest = (creators: Record<string, unknown>) => ({
        dataDir: join(dir, 'data'),
        plugins: { discord: { config: { token: '${env:DISCORD_BOT_TOKEN}', restUrl: fake.restUrl, heartbeatIntervalMs: 1000, restart: { initialMs: 100, maxMs: 1000 }, guilds: [{ id: GUILD, announceChannelId: ANNOUNCE }] } } },
        creators,
      });
      await writeFile(file, JSON.stringify(manifest({ daniel: { enable: ['discord'] } }), null, 2));
      const t = await startTestKernel({ plugins: [discordPlugin], env: { DISCORD_BOT_TOKEN: TOKEN }, manifest: file });
      await ready(fake);
      await writeFile(file, JSON.stringify(manifest({ daniel: { enable: ['discord'], triggers: [{ type: 'command', params: { command: '!hi' }, actions: [{ type: 'chat.reply', params: { text: 'hi' } }] }] }, maya: { enable: ['discord'] } }), null, 2));
      const applied = await fake.interact(slash('reload')).callback();
      expect(applied.data.embeds[0]).toMatchObject({ title: 'Reloaded', description: file });
      expect(applied.data.embeds[0].fields.slice(0, 3).map((f: any) => [f.name, f.value])).toEqual([['Added', 'maya'], ['Removed', '—'], ['Updated', 'daniel']]);
      expect(t.kernel.creators().sort()).toEqual(['daniel', 'maya']);

      await writeFile(file, JSON.stringify(manifest({ daniel: { enable: ['discrod'] } }), null, 2));
      const rejected = await fake.interact(slash('reload')).callback();
      expect(rejected.data.embeds[0].title).toBe('Reload rejected: 1 problem(s)');
      expect(rejected.data.embeds[0].description).toMatch(/\/creators\/daniel\/enable\/0 \(line \d+, column \d+\): plugin "discrod" is not declared in "plugins" \[SS_ERR_MANIFEST_UNKNOWN_PLUGIN\]/);
      expect(rejected.data.embeds[0].description).toContain('The running configuration stays.');
      expect(t.kernel.creators().sort()).toEqual(['daniel', 'maya']);
      // Only an admin may reload.
      const refused = await fake.interact(slash('reload', [], MEMBER)).callback();
      expect(refused.data.content).toContain('SS_ERR_DISCORD_FORBIDDEN');
      expect(t.logs.text()).not.toContain(fake.token);
      await t.stop();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('errors are ephemeral with their code: an unknown creator, a guild off the allow-list, a non-admin', async () => {
    const fake = await fakeDiscord();
    const t = await startRuntime({ fake });
    await ready(fake);
    const ephemeral = 1 << 6;
    const unknown = await fake.interact(slash('triggers', [str('creator', 'nobody')])).callback();
    expect(unknown.data).toMatchObject({ flags: ephemeral, content: expect.stringContaining('SS_ERR_DISCORD_CREATOR_NOT_FOUND') });
    expect(unknown.data.content).toContain('known: daniel, maya');
    const elsewhere = await fake.interact({ ...slash('status'), guildId: OTHER_GUILD }).callback();
    expect(elsewhere.data).toMatchObject({ flags: ephemeral, content: expect.stringContaining('SS_ERR_DISCORD_GUILD_NOT_ALLOWED') });
    // Checked by letting mayRun() allow everyone: the non-admin's /dryrun switched dry-run on.
    const refused = await fake.interact(slash('dryrun', [str('creator', 'daniel'), str('mode', 'on')], MEMBER)).callback();
    expect(refused.data).toMatchObject({ flags: ephemeral, content: expect.stringContaining('SS_ERR_DISCORD_FORBIDDEN') });
    const { actionDispatcherRef } = await import('@streamsuites/kernel');
    expect(t.kernel.resolve(actionDispatcherRef).isDryRun('daniel')).toBe(false);
    expect(t.logs.lines.some((l) => l.msg === 'Discord command refused: missing permissions')).toBe(true);
    expect(t.logs.text()).not.toContain(fake.token);
    await t.stop();
  });

  it('autocomplete offers the creators matching what was typed', async () => {
    const fake = await fakeDiscord();
    const t = await startRuntime({ fake });
    await ready(fake);
    const answer = await fake.interact({ ...slash('triggers', [{ name: 'creator', type: 3, value: 'ma', focused: true }]), type: 4 }).callback();
    expect(answer).toEqual({ type: 8, data: { choices: [{ name: 'maya', value: 'maya' }] } });
    await t.stop();
  });
});

describe('bad input and Discord refusing', () => {
  it('an option out of range that bypassed the client is refused by the bot (ephemeral SS_ERR_DISCORD_OPTION_INVALID); no clip is cut', async () => {
    // Checked by dispatching seconds as given (no inRange): the clip is created.
    const fake = await fakeDiscord();
    const t = await startRuntime({ fake, plugins: [fakeClipsPlugin], creators: { daniel: { enable: ['discord', 'clips'] } } });
    await ready(fake);
    const interaction = fake.interact(slash('clip', [str('creator', 'daniel'), int('seconds', 100_000)]));
    expect((await interaction.callback()).type).toBe(5); // /clip always defers first
    await fake.until(() => interaction.followups().length === 1, { message: 'the ephemeral follow-up' });
    expect(interaction.followups()[0]).toMatchObject({ flags: 1 << 6, content: expect.stringContaining('SS_ERR_DISCORD_OPTION_INVALID') });
    expect(t.events.of('action.dispatched')).toEqual([]);
    await t.stop();
  });

  it('an expired interaction token: the failed reply is logged, the bot goes on answering', async () => {
    // Checked by letting handleInteraction rethrow: an unhandled rejection fails the run.
    const fake = await fakeDiscord();
    const t = await startRuntime({ fake });
    await ready(fake);
    fake.interact({ ...slash('status'), expired: true });
    await t.events.waitFor('discord.status', () => t.logs.lines.some((l) => l.msg === 'could not answer a Discord interaction (expired or refused by Discord)'), 10_000);
    const next = await fake.interact(slash('creators')).callback();
    expect(next.data.embeds[0].title).toBe('Creators');
    await t.stop();
  });

  it('a 429 on the announcement: discord.js waits retry_after and the message is posted once', async () => {
    const fake = await fakeDiscord();
    const t = await startRuntime({ fake });
    await ready(fake);
    fake.failNext(`/channels/${ANNOUNCE}/messages`, { status: 429, retryAfterSec: 1 });
    const at = Date.now();
    t.bus.emit('stream.online', { creatorId: 'daniel', platform: 'twitch', channel: 'daniel', at, title: 'Rate limited' });
    await fake.until(() => fake.messages(ANNOUNCE).length === 1, { message: 'posted after the 429' });
    const posts = fake.calls().filter((c) => c.method === 'POST' && c.path === `/channels/${ANNOUNCE}/messages`);
    expect(posts.map((c) => c.status)).toEqual([429, 200]);
    expect(posts[1]!.at - posts[0]!.at).toBeGreaterThanOrEqual(900);
    await t.stop();
  });
});
