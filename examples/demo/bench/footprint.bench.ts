// Benchmark `kernel.footprint`: what a whole StreamSuites process costs.
// - coldStartMs: every plugin (twitch, youtube, exports, engagement, chatlog,
//   clips, store-sqlite and the defaults), 10 creators, from createKernel()
//   on the manifest to a running kernel (median of 3 fresh processes);
// - rssPerCreatorMB: resident memory with 100 creators minus with 10, per
//   creator (after a GC, each in a fresh process);
// - lagP99Ms@1000msgps: event-loop delay p99 of the runtime while its 10
//   creators receive 1,000 chat messages a second in all (10,000 messages),
//   with exports and the chat log on.
// The local Twitch chat server and YouTube Data API run in this (parent)
// process; each measured runtime is a child process, so the fakes and the
// sender do not count in its memory or its event loop.
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { withDefaults } from '@streamsuites/defaults';
import { createKernel } from '@streamsuites/kernel';
import { runAtRate } from '@streamsuites/testing';
import { startFakeTwitchChat } from '@streamsuites/plugin-twitch/testing';
import { startFakeYouTubeApi } from '@streamsuites/plugin-youtube/testing';

const demoDir = fileURLToPath(new URL('..', import.meta.url));
const MESSAGES = 10_000;
const RATE = 1_000;

type ToChild = { kind: 'measure-lag'; messages: number } | { kind: 'measure-memory' };
type FromChild = { kind: 'booted'; coldStartMs: number } | { kind: 'memory'; rssMB: number } | { kind: 'lag'; p99Ms: number; received: number };

/** The manifest of `n` creators on every plugin, against the local fakes. */
function manifest(n: number, dir: string, twitchUrl: string, youtube: { apiUrl: string; tokenUrl: string; feedUrl: string }) {
  const creators: Record<string, unknown> = {};
  for (let i = 0; i < n; i++) {
    creators[`c${i}`] = {
      enable: ['twitch', 'youtube', 'exports', 'engagement', 'chatlog', 'clips'],
      config: {
        twitch: { channel: `c${i}`, botLogin: 'streamsuites_bench', token: 'benchTokenForTheLocalFakeServer00' },
        youtube: {
          channelId: `UCstreamsuitesBench${String(i).padStart(6, '0')}`,
          clientId: '000000000000-streamsuitesfake.apps.googleusercontent.com',
          clientSecret: 'GOCSPX-streamsuites-fake-secret',
          refreshToken: '1//streamsuites-fake-refresh-token',
        },
        engagement: { tallies: [{ id: 'mood', name: 'Mood', labels: ['Hype', 'Chill'] }], scoreboards: [{ id: 'points', name: 'Points' }] },
      },
      triggers: [
        { id: 'hello', type: 'command', params: { command: '!hello' }, cooldown: { user: '10s' }, actions: [{ type: 'chat.reply', params: { text: 'hello {user}' } }] },
        { id: 'gg', type: 'keyword', params: { keywords: ['gg', 'good game'] }, cooldown: { creator: '5s' }, actions: [{ type: 'chat.reply', params: { text: 'GG!' } }] },
        { id: 'point', type: 'command', params: { command: '!point' }, actions: [{ type: 'score.add', params: { scoreboard: 'points', label: '{user}' } }] },
      ],
    };
  }
  return {
    dataDir: dir,
    logLevel: 'silent',
    plugins: {
      'store-sqlite': { package: '@streamsuites/store-sqlite' },
      exports: { package: '@streamsuites/plugin-exports', config: { root: join(dir, 'state'), mirror: false, cadenceMs: 5000 } },
      // One bot account for every creator here, as a verified bot (2,000 logins per 10 s); two connections per creator (the default).
      twitch: { package: '@streamsuites/plugin-twitch', config: { chatUrl: twitchUrl, loginsPer10s: 2000 } },
      youtube: { package: '@streamsuites/plugin-youtube', config: youtube },
      chatlog: { package: '@streamsuites/plugin-chatlog' },
      engagement: { package: '@streamsuites/plugin-engagement' },
      clips: { package: '@streamsuites/plugin-clips', config: { destinations: { destination: { kind: 'local', options: { dir: join(dir, 'published') } } } } },
    },
    creators,
  };
}

/** The measured runtime (a child process): boots, reports, then measures lag when asked. */
async function child(n: number, twitchUrl: string, youtube: { apiUrl: string; tokenUrl: string; feedUrl: string }): Promise<void> {
  const send = (message: FromChild) => process.send!(message);
  const dir = mkdtempSync(join(tmpdir(), 'ss-footprint-'));
  const start = performance.now();
  const kernel = await createKernel(withDefaults({ manifest: manifest(n, dir, twitchUrl, youtube), baseDir: demoDir }));
  const created = performance.now();
  await kernel.start();
  if (process.env.SS_BENCH_DEBUG) console.error(`created in ${(created - start).toFixed(0)} ms, started in ${(performance.now() - created).toFixed(0)} ms`);
  const coldStartMs = performance.now() - start;
  send({ kind: 'booted', coldStartMs });
  process.on('message', (message: ToChild) => {
    if (message.kind === 'measure-memory') {
      (globalThis as { gc?: () => void }).gc?.();
      send({ kind: 'memory', rssMB: process.memoryUsage().rss / 2 ** 20 });
      return;
    }
    const lag = monitorEventLoopDelay({ resolution: 1 });
    lag.enable();
    let received = 0;
    const off = kernel.bus.on('chat.message', () => {
      if (++received < message.messages) return;
      lag.disable();
      off();
      send({ kind: 'lag', p99Ms: lag.percentile(99) / 1e6, received });
    });
  });
  process.on('disconnect', () => {
    void kernel.stop().finally(() => {
      rmSync(dir, { recursive: true, force: true });
      process.exit(0);
    });
  });
}

/** Starts a runtime of `n` creators against fresh fakes; resolves with the child and its boot report. */
async function boot(n: number) {
  const twitch = await startFakeTwitchChat();
  const youtube = await startFakeYouTubeApi();
  const urls = { apiUrl: youtube.url, tokenUrl: youtube.tokenUrl, feedUrl: youtube.feedUrl };
  const proc: ChildProcess = fork(fileURLToPath(import.meta.url), ['child', String(n), twitch.url, JSON.stringify(urls)], {
    // The runtime loads the built packages, as in production (`pnpm bench` builds first); only this file goes through tsx.
    execArgv: [...process.execArgv.filter((arg) => !arg.startsWith('--conditions')), '--expose-gc'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = () => new Promise<FromChild>((resolve, reject) => {
    proc.once('message', (m) => resolve(m as FromChild));
    proc.once('exit', (code) => reject(new Error(`the runtime exited (${code}) before reporting`)));
  });
  const booted = (await next()) as Extract<FromChild, { kind: 'booted' }>;
  // Steady state: both chat connections of every creator are up before anything is measured.
  await twitch.until(() => twitch.clients().filter((c) => c.channels.length > 0).length >= 2 * n, { timeoutMs: 60_000, message: `${2 * n} chat connections` });
  const memory = next();
  proc.send({ kind: 'measure-memory' } satisfies ToChild);
  const { rssMB } = (await memory) as Extract<FromChild, { kind: 'memory' }>;
  const close = async () => {
    proc.disconnect();
    await new Promise((resolve) => proc.once('exit', resolve));
    await twitch.close();
    await youtube.close();
  };
  return { proc, booted: { ...booted, rssMB }, next, twitch, close };
}

async function parent(): Promise<void> {
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const cold: number[] = [];
  const rss10: number[] = [];
  for (let i = 0; i < 3; i++) {
    const run = await boot(10);
    cold.push(run.booted.coldStartMs);
    rss10.push(run.booted.rssMB);
    if (i < 2) {
      await run.close();
      continue;
    }
    // The last run also measures the event loop under 1,000 msg/s across its 10 creators.
    const report = run.next();
    run.proc.send({ kind: 'measure-lag', messages: MESSAGES } satisfies ToChild);
    const sender = runAtRate({ ratePerSec: RATE, total: MESSAGES, send: (k) => void run.twitch.say(`c${k % 10}`, `viewer_${k % 500}`, k % 7 === 0 ? 'gg' : `message ${k}`) });
    await sender.done;
    const lag = (await report) as Extract<FromChild, { kind: 'lag' }>;
    await run.close();
    const hundred = await boot(100);
    await hundred.close();
    const cases = {
      coldStartMs: Math.round(median(cold)),
      rssPerCreatorMB: Number(((hundred.booted.rssMB - median(rss10)) / 90).toFixed(2)),
      'lagP99Ms@1000msgps': Number(lag.p99Ms.toFixed(2)),
    };
    const ratios = { rss100vs10: Number((hundred.booted.rssMB / median(rss10)).toFixed(2)) };
    console.log(`RSS: ${median(rss10).toFixed(1)} MB with 10 creators, ${hundred.booted.rssMB.toFixed(1)} MB with 100`);
    console.table(cases);
    console.table(ratios);
    const result = { name: 'kernel.footprint', unit: 'ms / MB', cases, ratios, machine: { cpus: availableParallelism(), node: process.version } };
    mkdirSync('bench-results', { recursive: true });
    writeFileSync(join('bench-results', 'kernel.footprint.json'), `${JSON.stringify(result, null, 2)}\n`);
  }
}

if (process.argv[2] === 'child') await child(Number(process.argv[3]), process.argv[4]!, JSON.parse(process.argv[5]!));
else await parent();
