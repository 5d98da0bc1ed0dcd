/**
 * The control plane's life against the local Discord: announcements,
 * registration on restart, gateway reconnects, a rejected token, and
 * isolation from the streaming runtime.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportsPlugin } from '@streamsuites/plugin-exports';
import { describe, expect, it } from 'vitest';
import { ANNOUNCE, fakeDiscord, GUILD, slash, startRuntime, tempDir, TOKEN } from './helpers.js';

const ready = (fake: Awaited<ReturnType<typeof fakeDiscord>>) =>
  fake.until(() => fake.commands(GUILD).length > 0, { timeoutMs: 10_000, message: 'commands registered' });

describe('go-live announcements', () => {
  it('two platforms going live together: one message listing both; edited when one ends, and with the duration when both ended', async () => {
    // Checked by posting on every stream.online (no per-creator announcement): two messages.
    const fake = await fakeDiscord();
    const t = await startRuntime({ fake });
    await ready(fake);
    const at = Date.now();
    t.bus.emit('stream.online', { creatorId: 'maya', platform: 'twitch', channel: 'maya', at, title: 'Cozy games' });
    t.bus.emit('stream.online', { creatorId: 'maya', platform: 'youtube', channel: 'maya', at, title: 'Cozy games' });
    await fake.until(() => fake.messages(ANNOUNCE)[0]?.content?.includes('youtube') === true, { message: 'the announcement lists both platforms' });
    expect(fake.messages(ANNOUNCE)).toHaveLength(1);
    expect(fake.messages(ANNOUNCE)[0]!.content).toBe('🔴 **Maya** is live on twitch, youtube: Cozy games');

    t.bus.emit('stream.offline', { creatorId: 'maya', platform: 'youtube', channel: 'maya', at: Date.now() });
    await fake.until(() => fake.messages(ANNOUNCE)[0]?.content === '🔴 **Maya** is live on twitch: Cozy games', { message: 'edited: youtube ended' });
    t.bus.emit('stream.offline', { creatorId: 'maya', platform: 'twitch', channel: 'maya', at: Date.now() });
    await fake.until(() => fake.messages(ANNOUNCE)[0]?.content?.includes('Stream ended after') === true, { message: 'edited: the stream ended' });
    expect(fake.messages(ANNOUNCE)).toHaveLength(1);
    expect(fake.messages(ANNOUNCE)[0]!.content).toMatch(/^🔴 \*\*Maya\*\* is live on twitch, youtube:\nStream ended after \d+ s\.$/);
    // A new stream is a new message.
    t.bus.emit('stream.online', { creatorId: 'maya', platform: 'twitch', channel: 'maya', at: Date.now(), title: 'Part 2' });
    await fake.until(() => fake.messages(ANNOUNCE).length === 2, { message: 'a second stream, a second message' });
    // A creator that does not enable the plugin is not announced.
    t.bus.emit('stream.online', { creatorId: 'stranger', platform: 'twitch', channel: 'x', at: Date.now() });
    await t.stop();
    expect(fake.messages(ANNOUNCE)).toHaveLength(2);
  });

  it('a restart in the middle of a stream edits the message it posted before, instead of posting again', async () => {
    const fake = await fakeDiscord();
    const dataDir = tempDir();
    const storeSqlite = (await import('@streamsuites/store-sqlite')).default;
    const first = await startRuntime({ fake, dataDir, plugins: [storeSqlite] });
    await ready(fake);
    first.bus.emit('stream.online', { creatorId: 'daniel', platform: 'twitch', channel: 'daniel', at: Date.now(), title: 'Day 1' });
    await fake.until(() => fake.messages(ANNOUNCE).length === 1, { message: 'announced' });
    await first.stop();
    const second = await startRuntime({ fake, dataDir, plugins: [storeSqlite] });
    second.bus.emit('stream.online', { creatorId: 'daniel', platform: 'youtube', channel: 'daniel', at: Date.now(), title: 'Day 1' });
    await fake.until(() => fake.messages(ANNOUNCE)[0]?.content?.includes('twitch, youtube') === true, { message: 'the same message, edited' });
    await second.stop();
    expect(fake.messages(ANNOUNCE)).toHaveLength(1);
  });
});

describe('an announcement deleted in Discord', () => {
  it('is posted again at the next change instead of failing every edit', async () => {
    // Checked by rethrowing every PATCH failure in Announcer.#edit: the second platform is never announced.
    const fake = await fakeDiscord();
    const t = await startRuntime({ fake });
    await ready(fake);
    t.bus.emit('stream.online', { creatorId: 'daniel', platform: 'twitch', channel: 'daniel', at: Date.now(), title: 'Speedrun' });
    await fake.until(() => fake.messages(ANNOUNCE).length === 1, { message: 'announced' });
    const [first] = fake.messages(ANNOUNCE);
    const deleted = await fetch(`${fake.restUrl}/v10/channels/${ANNOUNCE}/messages/${first!.id}`, { method: 'DELETE', headers: { authorization: `Bot ${TOKEN}` } });
    expect(deleted.status).toBe(204);
    t.bus.emit('stream.online', { creatorId: 'daniel', platform: 'youtube', channel: 'daniel', at: Date.now(), title: 'Speedrun' });
    await fake.until(() => fake.messages(ANNOUNCE).some((m) => m.content?.includes('twitch, youtube')), { message: 'posted again, listing both' });
    await t.stop();
  });
});

describe('registration and reconnects', () => {
  it('a restart with the same commands does not PUT them again', async () => {
    const fake = await fakeDiscord();
    const puts = () => fake.calls().filter((c) => c.method === 'PUT' && c.path.endsWith(`/guilds/${GUILD}/commands`)).length;
    const gets = () => fake.calls().filter((c) => c.method === 'GET' && c.path.endsWith(`/guilds/${GUILD}/commands`)).length;
    const first = await startRuntime({ fake });
    await ready(fake);
    await first.stop();
    expect(puts()).toBe(1);
    const second = await startRuntime({ fake });
    // Checked by always PUTting in syncGuildCommands: 2 PUTs, outcome updated.
    await second.events.waitFor('discord.status', () => second.logs.lines.some((l) => l.outcome !== undefined), 10_000);
    expect(second.logs.lines.find((l) => l.outcome !== undefined)).toMatchObject({ guild: GUILD, outcome: 'unchanged' });
    expect(gets()).toBe(2);
    await second.stop();
    expect(puts()).toBe(1);
  });

  it('the gateway asks to reconnect: discord.js resumes, commands keep working; an invalid session re-identifies', async () => {
    const fake = await fakeDiscord();
    const dataDir = tempDir();
    const t = await startRuntime({ fake, dataDir, plugins: [exportsPlugin] });
    const runtimeJson = () => {
      try {
        return JSON.parse(readFileSync(join(dataDir, 'state', 'shared/state/discord/runtime.json'), 'utf8')) as { connected: boolean };
      } catch {
        return undefined;
      }
    };
    await ready(fake);
    fake.requestReconnect();
    await fake.until(() => fake.resumes() === 1, { message: 'resumed' });
    expect(fake.identifies()).toBe(1);
    const status = await fake.interact(slash('status')).callback();
    expect(status.data.embeds[0].title).toBe('StreamSuites status');
    fake.invalidateSession(false);
    await fake.until(() => fake.identifies() === 2, { timeoutMs: 15_000, message: 're-identified' });
    const again = await fake.interact(slash('creators')).callback();
    expect(again.data.embeds[0].title).toBe('Creators');
    // runtime.json says connected after it all.
    await t.events.waitFor('exports.written' as never, () => runtimeJson()?.connected === true, 10_000);
    await t.stop();
  }, 30_000);
});

describe('a wrong token', () => {
  it('is SS_ERR_DISCORD_AUTH once, no retry storm, the token never in logs or runtime.json; the runtime keeps running', async () => {
    const fake = await fakeDiscord();
    const t = await startRuntime({ fake, plugin: { token: 'MTAxNTk1NjE0NTk1ODE2NzYwOA.wrong.token-that-discord-refuses' } });
    await t.events.waitFor('discord.status', () => t.logs.text().includes('SS_ERR_DISCORD_AUTH'), 10_000);
    const attempts = fake.calls().filter((c) => c.path === '/gateway/bot').length + fake.identifies();
    expect(attempts).toBeLessThanOrEqual(2);
    expect(t.kernel.status().state).toBe('running');
    expect(t.logs.text()).not.toContain('wrong.token-that-discord-refuses');
    expect(t.logs.text()).not.toContain(TOKEN);
    await t.stop();
  });
});

describe('the supervisor', () => {
  it('a login that fails (Discord answering 503) is retried after the restart backoff, then the control plane comes up', async () => {
    // Checked by returning after the first failed login (no retry): the commands are never registered.
    const fake = await fakeDiscord();
    // discord.js retries a 5xx 3 times itself; 8 failures make its first login fail, and part of the second.
    fake.failNext('/gateway/bot', { status: 503 }, 8);
    const t = await startRuntime({ fake });
    await ready(fake);
    const errors = t.logs.lines.filter((l) => l.code === 'SS_ERR_DISCORD_CONNECT');
    expect(errors.length).toBeGreaterThanOrEqual(1);
    expect(fake.calls().filter((c) => c.path === '/gateway/bot' && c.status === 503)).toHaveLength(8);
    expect(t.kernel.status().state).toBe('running');
    await t.stop();
  }, 30_000);
});
