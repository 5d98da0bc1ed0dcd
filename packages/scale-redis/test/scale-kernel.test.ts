import twitchPlugin from '@streamsuites/plugin-twitch';
import { startFakeTwitchChat, type FakeTwitchChat } from '@streamsuites/plugin-twitch/testing';
import { startTestKernel } from '@streamsuites/testing';
import { freeLocalPort } from '@streamsuites/kernel/testing';
import { cooldownBookRef, creatorContextRef, leadershipRef, quotaRegistryRef, stateStoreRef } from '@streamsuites/kernel';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreatorLeases, scalePlugin } from '../src/index.js';
import { startLocalRedis, type LocalRedis } from '../src/testing.js';
import { connect, uniquePrefix, until } from './helpers.js';

const TOKEN = 'scaleTokenForTheLocalFakeServer0';
const CREATORS = ['c0', 'c1', 'c2', 'c3', 'c4', 'c5'];

let server: LocalRedis;
beforeAll(async () => {
  server = await startLocalRedis();
});
afterAll(async () => {
  await server?.stop();
});

function manifest(fake: FakeTwitchChat, prefix: string, processId: string) {
  const creator = (channel: string) => ({
    enable: ['twitch'],
    config: { twitch: { channel, botLogin: 'ssbot', token: '${env:TWITCH_TOKEN}' } },
    triggers: [
      { id: 'seen', type: 'command', params: { command: '!seen' }, actions: [{ type: 'chat.reply', params: { text: 'seen {arg1}' } }] },
      // One reply per 60 s across every creator and process.
      { id: 'global', type: 'command', params: { command: '!global' }, cooldown: { global: '60s' }, actions: [{ type: 'chat.reply', params: { text: 'global {arg1}' } }] },
    ],
  });
  return {
    plugins: {
      twitch: { config: { chatUrl: fake.url } },
      // The bus bridge: the exports writer hears every process's actions.
      scale: { config: { url: server.url, prefix, processId, leaseTtlMs: 1500, settleMs: 0, chat: { blockMs: 200 }, bridge: { events: ['action.dispatched'] } } },
    },
    creators: Object.fromEntries(CREATORS.map((id) => [id, creator(id)])),
  };
}

async function runtime(fake: FakeTwitchChat, prefix: string, processId: string) {
  return startTestKernel({ plugins: [twitchPlugin, scalePlugin], env: { TWITCH_TOKEN: TOKEN }, logLevel: 'warn', manifest: manifest(fake, prefix, processId) });
}

/** The owner of each creator's lease, in CREATORS order. */
async function owners(prefix: string): Promise<(string | undefined)[]> {
  const redis = connect(server.url);
  try {
    const leases = new CreatorLeases(redis, { prefix });
    return await Promise.all(CREATORS.map(async (c) => (await leases.owner(c))?.owner));
  } finally {
    redis.disconnect();
  }
}

/** Registered connections that joined a channel. */
function joined(fake: FakeTwitchChat, channel: string): number {
  return fake.clients().filter((x) => x.registered && x.channels.includes(channel)).length;
}

/** Replies the server received per creator, as the numbers the bot said it saw. */
function replies(fake: FakeTwitchChat, channel: string, word = 'seen'): number[] {
  return fake
    .sent(channel)
    .filter((text) => text.startsWith(`${word} `))
    .map((text) => Number(text.slice(word.length + 1)));
}

describe('the scale plugin in two runtimes on one Redis', () => {
  it('spreads the creators (owners and hot standbys), runs each chat message once, shares cooldowns, and takes over a stopped runtime\'s creators', async () => {
    await using fake = await startFakeTwitchChat();
    // A moderator bot may send 100 messages per 30 s (a plain account 20, across all channels).
    for (const channel of CREATORS) fake.setBotRole(channel, 'moderator');
    const prefix = uniquePrefix();
    const a = await runtime(fake, prefix, 'proc-a');
    const b = await runtime(fake, prefix, 'proc-b');
    try {
      // Three owned each; each process also runs the other's three as hot standbys.
      await until(async () => (await owners(prefix)).filter((o) => o === 'proc-a').length === 3 && (await owners(prefix)).filter((o) => o === 'proc-b').length === 3, 15_000, 'creators owned 3 + 3');
      await until(() => a.kernel.creators().length === 6 && b.kernel.creators().length === 6, 15_000, 'every creator runs in both (owner + standby)');
      for (const t of [a, b]) {
        const standby = t.kernel.creators().filter((c) => t.kernel.resolveFor(c, creatorContextRef).standby);
        expect(standby).toHaveLength(3);
      }
      // plugin-twitch reads each channel over two links, in each process; once all joined, nothing said is missed.
      await fake.until(() => CREATORS.every((c) => joined(fake, c) === 4), { timeoutMs: 10_000, message: 'every channel joined by four links' });

      // Shared services replaced the defaults.
      expect(a.kernel.resolve(cooldownBookRef).constructor.name).toBe('RedisCooldownBook');
      expect(a.kernel.resolve(quotaRegistryRef).constructor.name).toBe('RedisQuotaRegistry');
      // State written in one process is read in the other (a creator's state follows it).
      await a.kernel.resolve(stateStoreRef).set('test.shared', 'c0', { polls: 3 });
      expect(await b.kernel.resolve(stateStoreRef).get('test.shared', 'c0')).toEqual({ polls: 3 });
      expect([a, b].filter((t) => t.kernel.resolve(leadershipRef).holds('exports')).length).toBeLessThanOrEqual(1);

      let n = 0;
      const said: Record<string, number[]> = Object.fromEntries(CREATORS.map((c) => [c, []]));
      for (let round = 0; round < 5; round++) {
        for (const channel of CREATORS) {
          fake.say(channel, `viewer${n % 4}`, `!seen ${n}`);
          said[channel]!.push(n++);
        }
      }
      await fake.until(() => CREATORS.every((c) => replies(fake, c).length >= said[c]!.length), { timeoutMs: 15_000, message: 'every !seen answered' });
      for (const channel of CREATORS) expect(replies(fake, channel).sort((x, y) => x - y)).toEqual(said[channel]);

      // The bus bridge: the exports writer's bus has every process's replies once; the other only its own.
      const seenActions = (t: typeof a) => t.events.of('action.dispatched').filter((e) => e.triggerId === 'seen').map((e) => e.actionId);
      await until(() => [a, b].some((t) => t.kernel.resolve(leadershipRef).holds('exports')), 10_000, 'an exports writer');
      const [writer, other] = a.kernel.resolve(leadershipRef).holds('exports') ? [a, b] : [b, a];
      await until(() => seenActions(writer).length >= n, 10_000, 'every reply on the writer\'s bus');
      expect(new Set(seenActions(writer)).size).toBe(n);
      expect(seenActions(writer)).toHaveLength(n);
      expect(seenActions(other).length).toBeLessThan(n);
      expect(seenActions(other).every((id) => seenActions(writer).includes(id))).toBe(true);

      // A global cooldown holds across both processes: 6 creators ask at once, one answer.
      for (const [i, channel] of CREATORS.entries()) fake.say(channel, 'viewer9', `!global ${i}`);
      await until(async () => (await Promise.all([a, b].map((t) => t.events.of('trigger.fired').filter((f) => f.triggerId === 'global').length))).reduce((x, y) => x + y) >= 1, 10_000, 'one !global fired');
      await until(() => CREATORS.reduce((sum, c) => sum + replies(fake, c, 'global').length, 0) === 1, 10_000, 'one !global reply');
      // Every !global message reached both processes (owner and standby) and its owner ran it.
      await until(() => [a, b].every((t) => t.events.of('chat.message').filter((m) => m.text.startsWith('!global')).length === 6), 10_000, 'six !global messages received by each process');
      await Promise.all([a.kernel.idle(), b.kernel.idle()]);
      expect([a, b].reduce((sum, t) => sum + t.events.of('trigger.fired').filter((f) => f.triggerId === 'global').length, 0)).toBe(1);

      // Runtime A stops cleanly: its leases are given up, B runs all six; nothing sent meanwhile is lost or doubled.
      await a.stop();
      await until(async () => (await owners(prefix)).every((o) => o === 'proc-b'), 15_000, 'B owns all six');
      await until(() => b.kernel.creators().every((c) => !b.kernel.resolveFor(c, creatorContextRef).standby), 15_000, 'B runs all six actively');
      expect(b.kernel.creators().sort()).toEqual(CREATORS);
      await fake.until(() => CREATORS.every((c) => joined(fake, c) === 2), { timeoutMs: 10_000, message: 'every channel joined by B\'s two links only' });
      for (const channel of CREATORS) {
        fake.say(channel, 'viewer1', `!seen ${n}`);
        said[channel]!.push(n++);
      }
      await fake.until(() => CREATORS.every((c) => replies(fake, c).length >= said[c]!.length), { timeoutMs: 15_000, message: 'every later !seen answered' });
      for (const channel of CREATORS) expect(replies(fake, channel).sort((x, y) => x - y)).toEqual(said[channel]);
    } finally {
      await a.stop().catch(() => undefined);
      await b.stop().catch(() => undefined);
    }
  }, 60_000);
});

describe('the scale plugin without Redis', () => {
  it('fails its own init with SS_ERR_SCALE_REDIS_UNAVAILABLE, runs no creator, and never logs the password', async () => {
    const port = await freeLocalPort();
    const t = await startTestKernel({
      plugins: [scalePlugin],
      env: { REDIS_URL: `redis://:hunter2-is-not-a-password@127.0.0.1:${port}` },
      logLevel: 'info',
      manifest: { plugins: { scale: { config: { url: '${env:REDIS_URL}', settleMs: 0 } } }, creators: { c0: { enable: [] } } },
    });
    try {
      const failure = t.events.of('kernel.plugin.failed').find((f) => f.pluginId === 'scale');
      expect(failure?.error).toMatchObject({ code: 'SS_ERR_PLUGIN_INIT_FAILED' });
      expect(JSON.stringify(failure)).toContain('SS_ERR_SCALE_REDIS_UNAVAILABLE');
      expect(t.kernel.creators()).toEqual([]);
      // The connection error was logged (once), with the URL's password nowhere in the logs.
      expect(t.logs.raw.join('\n')).toContain('Redis connection error');
      expect(t.logs.raw.join('\n')).not.toContain('hunter2-is-not-a-password');
      expect(JSON.stringify(failure)).not.toContain('hunter2-is-not-a-password');
    } finally {
      await t.stop().catch(() => undefined);
    }
  }, 30_000);
});
