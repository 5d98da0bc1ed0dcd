/**
 * The control plane's own state for the dashboard (written by plugin-exports
 * through the exports contract), and its isolation from the streaming
 * runtime in the same process.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { schemaProblems, type TSchema } from '@streamsuites/kernel';
import { exportsPlugin, schemaPath, stableStringify, fileSchema } from '@streamsuites/plugin-exports';
import twitchPlugin from '@streamsuites/plugin-twitch';
import { startFakeTwitchChat } from '@streamsuites/plugin-twitch/testing';
import { describe, expect, it } from 'vitest';
import { discordSections } from '../src/exports.js';
import { ANNOUNCE, fakeDiscord, GUILD, MEMBER, slash, startRuntime, str, tempDir, TOKEN } from './helpers.js';

const schemasDir = new URL('../schemas/', import.meta.url).pathname;
const committed = (file: string) => readFileSync(join(schemasDir, schemaPath(file)), 'utf8');

describe('shared/state/discord', () => {
  it('the committed JSON Schemas are the typebox schemas (run `pnpm --filter @streamsuites/plugin-discord run schemas`)', () => {
    for (const section of discordSections(() => undefined)) expect(committed(section.file), section.file).toBe(stableStringify(fileSchema(section)));
  });

  it('runtime.json and guilds/<id>.json: connected, guilds, latency, heartbeat, last command, commands registered, last announcement; valid against the schemas; no token', async () => {
    const fake = await fakeDiscord();
    const dataDir = tempDir();
    const t = await startRuntime({ fake, dataDir, plugins: [exportsPlugin], plugin: {} });
    await fake.until(() => fake.commands(GUILD).length > 0, { timeoutMs: 10_000, message: 'commands registered' });
    await fake.interact(slash('dryrun', [str('creator', 'daniel'), str('mode', 'on')], MEMBER)).callback();
    t.bus.emit('stream.online', { creatorId: 'daniel', platform: 'twitch', channel: 'daniel', at: Date.now(), title: 'Hi' });
    await fake.until(() => fake.messages(ANNOUNCE).length === 1, { message: 'announced' });
    const root = join(dataDir, 'state');
    const read = (file: string) => JSON.parse(readFileSync(join(root, file), 'utf8'));
    await t.events.waitFor('exports.written' as never, () => {
      try {
        const runtime = read('shared/state/discord/runtime.json');
        return runtime.connected === true && runtime.lastCommand !== null && runtime.lastHeartbeat !== null && read(`shared/state/discord/guilds/${GUILD}.json`).lastAnnouncement !== null;
      } catch {
        return false;
      }
    }, 15_000);
    const runtime = read('shared/state/discord/runtime.json');
    expect(runtime).toMatchObject({
      meta: { schema: 'streamsuites.discord.runtime', visibility: 'dashboard-only' },
      connected: true,
      user: { id: fake.botUser.id, username: fake.botUser.username },
      guilds: [{ id: GUILD, available: true, name: 'StreamSuites HQ' }],
      lastCommand: { name: 'dryrun', guildId: GUILD, outcome: 'refused', code: 'SS_ERR_DISCORD_FORBIDDEN' },
    });
    // One file per allowed server (keyed section): only the configured one.
    expect(readdirSync(join(root, 'shared/state/discord/guilds'))).toEqual([`${GUILD}.json`]);
    expect(read(`shared/state/discord/guilds/${GUILD}.json`)).toMatchObject({
      meta: { schema: 'streamsuites.discord.guild' },
      guildId: GUILD,
      available: true,
      commands: 'updated',
      announceChannelId: ANNOUNCE,
      lastAnnouncement: expect.objectContaining({ creator: 'daniel', kind: 'live' }),
    });
    for (const [file, schemaOf] of [
      ['shared/state/discord/runtime.json', 'shared/state/discord/runtime.json'],
      [`shared/state/discord/guilds/${GUILD}.json`, 'shared/state/discord/guilds/{key}.json'],
    ] as const) {
      expect(schemaProblems(JSON.parse(committed(schemaOf)) as TSchema, read(file)), file).toEqual([]);
      expect(readFileSync(join(root, file), 'utf8')).not.toContain(TOKEN);
    }
    // A schema really rejects a wrong file.
    expect(schemaProblems(JSON.parse(committed('shared/state/discord/runtime.json')) as TSchema, { ...runtime, connected: 'yes' })).not.toEqual([]);
    await t.stop();
  });
});

describe('isolation', () => {
  it('Discord unreachable (gateway dropped, REST refusing): Twitch chat goes on, the failed announcement is logged, not thrown', async () => {
    // Checked by dropping the catch in Announcer.#serial: an unhandled rejection fails the run.
    // (A crash inside discord.js itself would still take the process down: see the README's note on isolation.)
    const fake = await fakeDiscord();
    const twitch = await startFakeTwitchChat();
    try {
      const t = await startRuntime({
        fake,
        plugins: [twitchPlugin],
        creators: { daniel: { enable: ['discord', 'twitch'], config: { twitch: { channel: 'daniel', botLogin: 'ssbot', token: 'abcdefghijklmnopqrstuvwxyz0123' } } } },
        plugin: {},
        extraPlugins: { twitch: { config: { chatUrl: twitch.url } } },
      });
      await fake.until(() => fake.commands(GUILD).length > 0, { timeoutMs: 10_000, message: 'commands registered' });
      await twitch.until(() => twitch.clients().some((c) => c.channels.includes('daniel')), { message: 'twitch joined' });
      // Discord goes down hard: every REST call fails, the gateway drops and refuses to come back.
      fake.failNext('/', { status: 503 }, 1000);
      fake.dropConnections(4000);
      await fake.close();
      t.bus.emit('stream.online', { creatorId: 'daniel', platform: 'twitch', channel: 'daniel', at: Date.now() });
      const ids = Array.from({ length: 20 }, (_, i) => twitch.say('daniel', `viewer${i}`, `still chatting ${i}`));
      await twitch.until(() => ids.every((id) => t.events.of('chat.message').some((m) => m.id === id)), { timeoutMs: 10_000, message: 'chat delivered while Discord is down' });
      await t.events.waitFor('discord.status', () => t.logs.lines.some((l) => l.msg === 'a Discord announcement failed'), 15_000);
      expect(t.kernel.status().state).toBe('running');
      expect(t.kernel.status().plugins.find((p) => p.id === 'twitch')?.status).toBe('running');
      await t.stop();
    } finally {
      await twitch.close();
    }
  }, 30_000);
});
