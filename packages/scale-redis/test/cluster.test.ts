import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnScript, type SpawnedScript } from '@streamsuites/kernel/testing';
import { startFakeTwitchChat, type FakeTwitchChat } from '@streamsuites/plugin-twitch/testing';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreatorLeases } from '../src/index.js';
import { startLocalRedis, type LocalRedis } from '../src/testing.js';
import { connect, uniquePrefix, until } from './helpers.js';

/*
 * The acceptance test: three runtime processes, thirty creators on
 * the local Twitch server, one process killed with SIGKILL while chat flows.
 */

const TOKEN = 'clusterTokenForTheLocalFakeServer';
const CREATORS = Array.from({ length: 30 }, (_, i) => `c${String(i).padStart(2, '0')}`);
const TTL_MS = 3000;
const QUOTA = 5;

let server: LocalRedis;
let redis: Redis;
let dir: string;
beforeAll(async () => {
  server = await startLocalRedis();
  redis = connect(server.url);
  dir = mkdtempSync(join(tmpdir(), 'ss-cluster-'));
});
afterAll(async () => {
  redis?.disconnect();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function manifest(fake: FakeTwitchChat, prefix: string, name: string) {
  const creator = (channel: string) => ({
    enable: ['twitch', 'probe'],
    config: { twitch: { channel, botLogin: 'ssbot', token: '${env:TWITCH_TOKEN}' } },
    quotas: { probe: { daily: QUOTA } },
    triggers: [
      { id: 'seen', type: 'command', params: { command: '!seen' }, actions: [{ type: 'chat.reply', params: { text: 'seen {arg1}' } }] },
      { id: 'global', type: 'command', params: { command: '!global' }, cooldown: { global: '120s' }, actions: [{ type: 'chat.reply', params: { text: 'global {arg1}' } }] },
      { id: 'spend', type: 'command', params: { command: '!spend' }, actions: [{ type: 'probe.spend', params: {} }] },
      // A crash in the middle of a message: the reply went out, then the process dies before acknowledging it.
      { id: 'crash', type: 'command', params: { command: '!crash' }, actions: [{ type: 'chat.reply', params: { text: 'crash {arg1}' } }, { type: 'probe.die', params: {} }] },
    ],
  });
  return {
    dataDir: join(dir, name),
    plugins: {
      // A verified bot's JOIN allowance: the limit is per bot account, so the cluster shares it (20 per 10 s would take a minute here).
      twitch: { config: { chatUrl: fake.url, loginsPer10s: 2000 } },
      exports: { package: '@streamsuites/plugin-exports', config: { mirror: false, cadenceMs: 1000, debounceMs: 50 } },
      scale: { config: { url: server.url, prefix, processId: name, leaseTtlMs: TTL_MS, settleMs: 1500, chat: { blockMs: 200 } } },
    },
    creators: Object.fromEntries(CREATORS.map((id) => [id, creator(id)])),
  };
}

function spawnRuntime(fake: FakeTwitchChat, prefix: string, name: string): SpawnedScript {
  return spawnScript(fileURLToPath(new URL('./fixtures/runtime.ts', import.meta.url)), [], {
    env: { PATH: process.env.PATH ?? '', TWITCH_TOKEN: TOKEN, SS_MANIFEST: JSON.stringify(manifest(fake, prefix, name)), SS_DIE_FLAG: join(dir, 'die-flag'), SS_TRACE_REPLIES: '1', SS_LOG_LEVEL: 'info' },
  });
}

async function owners(prefix: string): Promise<(string | undefined)[]> {
  const leases = new CreatorLeases(redis, { prefix });
  return Promise.all(CREATORS.map(async (c) => (await leases.owner(c))?.owner));
}

async function standbyHolders(prefix: string): Promise<(string | undefined)[]> {
  const leases = new CreatorLeases(redis, { prefix: `${prefix}standby:` });
  return Promise.all(CREATORS.map(async (c) => (await leases.owner(c))?.owner));
}

const count = (list: readonly (string | undefined)[], name: string) => list.filter((x) => x === name).length;
const joined = (fake: FakeTwitchChat, channel: string) => fake.clients().filter((x) => x.registered && x.channels.includes(channel)).length;

/** The bot's replies in a channel that start with `word `, as the numbers they carry. */
function replies(fake: FakeTwitchChat, channel: string, word: string): number[] {
  return fake
    .sent(channel)
    .filter((text) => text.startsWith(`${word} `))
    .map((text) => Number(text.slice(word.length + 1)));
}

/** Files under an exports root (empty when it was never written). */
function exportedFiles(name: string): string[] {
  const root = join(dir, name, 'state');
  return existsSync(root) ? readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.json')) : [];
}

describe('three runtime processes, thirty creators, one SIGKILL', () => {
  it('moves the dead process\'s creators within the lease TTL, runs every chat message once, keeps cooldowns, quota caps and one exports writer', async () => {
    await using fake = await startFakeTwitchChat();
    for (const channel of CREATORS) fake.setBotRole(channel, 'moderator');
    const prefix = uniquePrefix();
    const names = ['p0', 'p1', 'p2'];
    const runtimes = new Map(names.map((name) => [name, spawnRuntime(fake, prefix, name)]));
    try {
      await Promise.all([...runtimes.values()].map((r) => r.until('ready')));
      // Ten owned each; every channel read by the owner's two links and a standby's two.
      await until(async () => {
        const o = await owners(prefix);
        return names.every((n) => count(o, n) === 10);
      }, 30_000, 'thirty creators owned 10 + 10 + 10');
      await fake.until(() => CREATORS.every((c) => joined(fake, c) === 4), { timeoutMs: 30_000, message: 'every channel joined by owner and standby' }).catch(async (e) => {
        const sb = new CreatorLeases(redis, { prefix: `${prefix}standby:` });
        console.log('channel, links joined, owner, standby:', JSON.stringify(await Promise.all(CREATORS.map(async (c) => [c, joined(fake, c), (await owners(prefix))[CREATORS.indexOf(c)], (await sb.owner(c))?.owner]))));
        throw e;
      });
      // Steady state before the kill: the standby leases settled (none above a process's share of 30 / (3 - 1)),
      // so no standby is being handed over — and its creator left with its owner's links only — when the owner dies.
      await until(async () => {
        const standbys = await standbyHolders(prefix);
        const o = await owners(prefix);
        return standbys.every((s, i) => s !== undefined && s !== o[i]) && names.every((n) => count(standbys, n) <= 15);
      }, 30_000, 'standbys settled');

      // A global cooldown across processes: thirty channels ask at once, one answer.
      for (const [i, channel] of CREATORS.entries()) fake.say(channel, 'viewer9', `!global ${i}`);
      // The quota's hard cap across processes: one creator, spends asked before and after its owner dies.
      const victim = (await redis.get(`${prefix}duty:lease:{exports}`))?.split('|')[1];
      expect(names).toContain(victim);
      const spendChannel = CREATORS[(await owners(prefix)).indexOf(victim)]!;
      for (let i = 0; i < 4; i++) fake.say(spendChannel, `spender${i}`, '!spend');

      // Exports: only the duty holder writes.
      await until(() => exportedFiles(victim!).length > 0, 15_000, 'the exports leader writes');
      for (const name of names.filter((n) => n !== victim)) expect(exportedFiles(name)).toEqual([]);

      // Chat flows to every channel, and keeps flowing through the kill.
      const said = new Map<string, number[]>(CREATORS.map((c) => [c, []]));
      let n = 0;
      let flowing = true;
      const flow = (async () => {
        while (flowing) {
          for (const channel of CREATORS) {
            fake.say(channel, `viewer${n % 5}`, `!seen ${n}`);
            said.get(channel)!.push(n++);
          }
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      })();
      await until(() => n >= 300, 20_000, 'chat flowing');

      const victimCreators = (await owners(prefix)).flatMap((o, i) => (o === victim ? [CREATORS[i]!] : []));
      expect(victimCreators).toHaveLength(10);
      // The victim crashes with SIGKILL in the middle of a message of its own: `!crash` replies, then kills its process.
      writeFileSync(join(dir, 'die-flag'), '');
      const crashChannel = victimCreators[0]!;
      fake.say(crashChannel, 'viewer7', '!crash 1');
      expect(await runtimes.get(victim!)!.exited).toBeNull();
      const killedAt = Date.now();
      // What it had taken from the streams and not acknowledged: run again by the next owner, whose journal skips
      // the actions that had finished.
      const unacknowledged = new Set<string>();
      for (const creator of victimCreators) {
        const pending = (await redis.xpending(`${prefix}chat:{${creator}}`, 'triggers', '-', '+', 1000, victim!)) as [string, string, number, number][];
        for (const [entryId] of pending) {
          const entry = (await redis.xrange(`${prefix}chat:{${creator}}`, entryId, entryId)) as [string, string[]][];
          const text = JSON.parse(entry[0]![1][3]!) as { text: string };
          unacknowledged.add(`${creator}:${text.text}`);
        }
      }
      for (let i = 4; i < 8; i++) fake.say(spendChannel, `spender${i}`, '!spend');

      // The survivors own everything within the TTL (plus one renewal round and slack for a loaded machine).
      const survivors = names.filter((x) => x !== victim);
      await until(async () => (await owners(prefix)).every((o) => o !== undefined && survivors.includes(o)), TTL_MS + TTL_MS / 3 + 3000, 'creators moved');
      const movedAfter = Date.now() - killedAt;
      expect(movedAfter).toBeLessThan(TTL_MS + TTL_MS / 3 + 3000);
      await until(async () => {
        const o = await owners(prefix);
        return survivors.every((s) => count(o, s) === 15);
      }, 15_000, 'fair share 15 + 15');

      // Let chat flow a while longer on two processes, then stop and wait for every answer.
      const afterKill = n;
      await until(() => n >= afterKill + 300, 20_000, 'chat flowing after the kill');
      flowing = false;
      await flow;
      await fake.until(() => CREATORS.every((c) => new Set(replies(fake, c, 'seen')).size === said.get(c)!.length), { timeoutMs: 30_000, message: 'every !seen answered' }).catch(async (e) => {
        console.log('said / answered / missing per creator; killed', victim, JSON.stringify(victimCreators), JSON.stringify(CREATORS.map((c) => [c, said.get(c)!.length, new Set(replies(fake, c, 'seen')).size, said.get(c)!.filter((x) => !replies(fake, c, 'seen').includes(x)).slice(0, 8)])));
        const sb = new CreatorLeases(redis, { prefix: `${prefix}standby:` });
        for (const c of CREATORS.filter((c) => new Set(replies(fake, c, 'seen')).size < said.get(c)!.length)) {
          console.log('unanswered creator (owner, standby, group, consumers, length):', c, (await new CreatorLeases(redis, { prefix }).owner(c))?.owner, (await sb.owner(c))?.owner, JSON.stringify(await redis.xinfo('GROUPS', `${prefix}chat:{${c}}`)), JSON.stringify(await redis.xinfo('CONSUMERS', `${prefix}chat:{${c}}`, 'triggers')), await redis.xlen(`${prefix}chat:{${c}}`));
        }
        for (const [name, r] of runtimes) console.log('stderr of', name, r.stderr().slice(-1000));
        if (process.env.SS_CLUSTER_DIAG_DIR !== undefined) for (const [name, r] of runtimes) writeFileSync(join(process.env.SS_CLUSTER_DIAG_DIR, `${name}.log`), r.stdout());
        for (const c of CREATORS.filter((c) => new Set(replies(fake, c, 'seen')).size < said.get(c)!.length)) {
          for (const [name, r] of runtimes) console.log('log of', name, 'for', c, r.stdout().split('\n').filter((l) => l.includes(`"creator":"${c}"`) || l.includes(`"creatorId":"${c}"`)).map((l) => l.slice(0, 300)).join('\n'));
          const entries = (await redis.xrange(`${prefix}chat:{${c}}`, '-', '+')) as [string, string[]][];
          const groups = JSON.stringify(await redis.xinfo('GROUPS', `${prefix}chat:{${c}}`));
          console.log('stream of', c, 'entries', entries.length, groups);
          for (const x of said.get(c)!.filter((x) => !replies(fake, c, 'seen').includes(x))) {
            const found = entries.find(([, f]) => (JSON.parse(f[3]!) as { text: string }).text === `!seen ${x}`);
            const id = found === undefined ? undefined : (JSON.parse(found[1][3]!) as { id: string }).id;
            console.log('in stream', c, x, found?.[0], id, id === undefined ? '' : await redis.exists(`${prefix}action-done:{${c}}:twitch:${id}:seen:0`));
            console.log('missing', c, x, 'ran by', JSON.stringify([...runtimes].map(([name, r]) => [name, r.stdout().split('\n').filter((l) => l.endsWith(` ${c} seen ${x}`) || l.includes(` ${c} seen ${x} `))])));
          }
        }
        throw e;
      });

      // The crash message was left pending; its next owner ran it again and skipped the reply that had gone out.
      expect(unacknowledged).toContain(`${crashChannel}:!crash 1`);
      const dieSkipped = () => [...runtimes.values()].flatMap((r) => r.stdout().split('\n')).filter((l) => l === `die ${crashChannel} skipped`);
      await until(() => dieSkipped().length === 1, 15_000, 'the crash message redelivered');
      expect(replies(fake, crashChannel, 'crash')).toEqual([1]);

      // Every message answered, none twice: not even what the killed process had in hand unacknowledged.
      const doubled: string[] = [];
      for (const channel of CREATORS) {
        const got = replies(fake, channel, 'seen');
        expect(new Set(got)).toEqual(new Set(said.get(channel)));
        const seen = new Set<number>();
        for (const value of got) {
          if (seen.has(value)) doubled.push(`${channel}:!seen ${value}`);
          seen.add(value);
        }
      }
      expect(doubled).toEqual([]);

      // One !global answer in the whole deployment.
      expect(CREATORS.reduce((sum, c) => sum + replies(fake, c, 'global').length, 0)).toBe(1);

      // The quota's hard cap held: 8 spends asked, QUOTA granted, across the dead owner and its successor.
      const spendLines = () => [...runtimes.values()].flatMap((r) => r.stdout().split('\n')).filter((l) => l.startsWith(`spend ${spendChannel} `));
      await until(() => spendLines().length >= 8, 15_000, 'every !spend ran');
      expect(spendLines().filter((l) => l.endsWith(' ok'))).toHaveLength(QUOTA);
      expect(spendLines().filter((l) => l.includes('refused SS_ERR_QUOTA_EXHAUSTED')).length).toBeGreaterThanOrEqual(8 - QUOTA);

      // Exports: the victim held the duty; one survivor took it over and writes, the other never wrote.
      // (Both survivors' roots were empty until the kill.)
      await until(() => survivors.some((s) => exportedFiles(s).length > 0), 15_000, 'a survivor writes the exports');
      expect(survivors.filter((s) => exportedFiles(s).length > 0)).toHaveLength(1);
    } finally {
      for (const runtime of runtimes.values()) runtime.child.kill('SIGKILL');
      await Promise.all([...runtimes.values()].map((r) => r.exited));
    }
  }, 180_000);
});
