import twitchPlugin from '@streamsuites/plugin-twitch';
import { startFakeTwitchChat } from '@streamsuites/plugin-twitch/testing';
import { startTestKernel } from '@streamsuites/testing';
import { describe, expect, it } from 'vitest';
import { startOpsServer } from '../src/index.js';
import { getJson, sample, scrape } from './scrape.js';

const TOKEN = 'opsTokenForTheLocalFakeServer000';

function manifest(chatUrl: string) {
  const creator = (channel: string) => ({
    enable: ['twitch'],
    config: { twitch: { channel, botLogin: 'ssbot', token: '${env:TWITCH_TOKEN}' } },
    triggers: [{ id: 'hello', type: 'command', params: { command: '!hello' }, actions: [{ type: 'chat.reply', params: { text: 'hello {user}!' } }] }],
  });
  return { plugins: { twitch: { config: { chatUrl } } }, creators: { alice: creator('alice'), bob: creator('bob') } };
}

describe('/metrics and /healthz on a kernel reading the local Twitch server', () => {
  it('counters match what the Twitch server sent and received; health follows the connection', async () => {
    await using fake = await startFakeTwitchChat();
    const t = await startTestKernel({ plugins: [twitchPlugin], env: { TWITCH_TOKEN: TOKEN }, logLevel: 'warn', manifest: manifest(fake.url), start: false });
    // Before start(): live, not ready, 503 — a supervisor can tell "booting" from "dead".
    const ops = await startOpsServer({ kernel: t.kernel, port: 0 });
    try {
      expect(ops.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const booting = await getJson(`${ops.url}/healthz`);
      expect(booting.status).toBe(503);
      expect(booting.body).toMatchObject({ status: 'starting', live: true, ready: false, kernel: 'created' });

      await t.kernel.start();
      await fake.until(() => ['alice', 'bob'].every((c) => fake.clients().some((x) => x.registered && x.channels.includes(c))));

      // What the server sends: chat from viewers, some of it !hello (each answered by one reply).
      const said = { alice: 0, bob: 0 };
      const hellos = { alice: 0, bob: 0 };
      for (const [channel, total] of [['alice', 30], ['bob', 17]] as const) {
        for (let i = 0; i < total; i++) {
          const hello = i % 5 === 2;
          fake.say(channel, `viewer${i % 7}`, hello ? '!hello' : `message ${i} from ${channel}`);
          said[channel]++;
          if (hello) hellos[channel]++;
        }
      }
      expect(hellos).toEqual({ alice: 6, bob: 3 });
      // What the server received: the bot's PRIVMSG replies, from the fake's own record.
      await fake.until(() => fake.sent('alice').length === hellos.alice && fake.sent('bob').length === hellos.bob, { timeoutMs: 15_000, message: 'replies' });
      await fake.until(() => t.events.of('action.dispatched').length === hellos.alice + hellos.bob, { message: 'actions settled' });

      const families = await scrape(ops.url);
      for (const creator of ['alice', 'bob'] as const) {
        expect(sample(families, 'streamsuites_chat_messages_total', { creator, platform: 'twitch' })).toBe(said[creator]);
        expect(sample(families, 'streamsuites_triggers_fired_total', { creator, platform: 'twitch', trigger: 'hello' })).toBe(fake.sent(creator).length);
        expect(sample(families, 'streamsuites_actions_total', { creator, platform: 'twitch', type: 'chat.reply', outcome: 'executed' })).toBe(fake.sent(creator).length);
        expect(sample(families, 'streamsuites_actions_total', { creator, outcome: 'failed' })).toBe(0);
        expect(sample(families, 'streamsuites_platform_connection_state', { creator, platform: 'twitch', state: 'connected' })).toBe(1);
        expect(sample(families, 'streamsuites_creator_plugin_running', { creator, plugin: 'twitch' })).toBe(1);
      }
      expect(sample(families, 'streamsuites_errors_total')).toBe(0);
      expect(sample(families, 'streamsuites_platform_reconnects_total')).toBe(0);
      expect(sample(families, 'streamsuites_up')).toBe(1);
      expect(families.find((f) => f.name === 'nodejs_eventloop_lag_seconds')?.type).toBe('GAUGE');
      // Every family of ours has HELP text and a type.
      const ours = families.filter((f) => f.name.startsWith('streamsuites_'));
      expect(ours.length).toBeGreaterThanOrEqual(20);
      for (const f of ours) expect(f.help.length, f.name).toBeGreaterThan(10);
      expect(families.find((f) => f.name === 'streamsuites_chat_messages_total')?.type).toBe('COUNTER');

      const healthy = await getJson(`${ops.url}/healthz`);
      expect(healthy.status).toBe(200);
      expect(healthy.body).toMatchObject({ status: 'ok', live: true, ready: true, kernel: 'running', problems: [] });
      expect(healthy.body.plugins).toContainEqual(expect.objectContaining({ id: 'twitch', status: 'running' }));
      expect(healthy.body.creators.map((c: { id: string }) => c.id)).toEqual(['alice', 'bob']);
      expect(healthy.body.creators[0].connections).toEqual([expect.objectContaining({ platform: 'twitch', state: 'connected' })]);

      // The server drops everyone and refuses them for a while: reconnects counted, health degraded (still ready).
      const lost = t.bus.waitFor('platform.connection', (e) => e.creatorId === 'bob' && e.state === 'reconnecting', { timeout: 5_000 });
      fake.refuseConnections(true);
      fake.disconnectAll();
      await lost;
      await fake.until(() => fake.refusedConnections() > 0, { message: 'a refused reconnect' });
      const degraded = await getJson(`${ops.url}/healthz`);
      expect(degraded.status).toBe(200);
      expect(degraded.body.status).toBe('degraded');
      // Between attempts it is `reconnecting`, during one `connecting`: either way a lost connection.
      expect(degraded.body.problems.join('\n')).toMatch(/creator bob: twitch (reconnecting|connecting) \(connection lost\)/);
      const during = await scrape(ops.url);
      expect(sample(during, 'streamsuites_platform_reconnects_total', { creator: 'bob', platform: 'twitch' })).toBe(1);
      expect(sample(during, 'streamsuites_platform_connection_state', { creator: 'bob', platform: 'twitch', state: 'connected' })).toBe(0);
      fake.refuseConnections(false);
      await fake.until(() => ['alice', 'bob'].every((c) => fake.clients().some((x) => x.registered && x.channels.includes(c))), { timeoutMs: 15_000 });
      await fake.until(() => ops.health().status === 'ok', { timeoutMs: 15_000, message: 'health ok again' });
      expect((await getJson(`${ops.url}/healthz/ready`)).body).toEqual({ status: 'ok', live: true, ready: true });

      await t.stop();
      const stopped = await getJson(`${ops.url}/healthz`);
      expect(stopped.status).toBe(503);
      expect(stopped.body).toMatchObject({ status: 'failed', live: false, ready: false, kernel: 'stopped' });
      expect((await fetch(`${ops.url}/healthz/live`)).status).toBe(503);
    } finally {
      await ops.close();
    }
  }, 40_000);
});
