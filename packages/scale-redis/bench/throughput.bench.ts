// Benchmark: chat messages per second a deployment runs through its triggers, with 1, 2 and 4
// runtime processes on this machine sharing one local redis-server (the scale plugin: leases,
// per-creator streams, consumer groups, acknowledgements). The streams are filled first with
// real captured Twitch chat while the workers wait at a gate; then they start together, and the
// clock runs from the first entry read to the last one acknowledged.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { normalizeLine } from '@streamsuites/plugin-twitch';
import { Redis } from 'ioredis';
import { messageKey } from '../src/index.js';
import { startLocalRedis } from '../src/testing.js';

const CREATORS = Array.from({ length: 24 }, (_, i) => `c${String(i).padStart(2, '0')}`);
const PER_CREATOR = 15_000;
const TOTAL = CREATORS.length * PER_CREATOR;
const PROCESSES = [1, 2, 4];

const captured = readFileSync(new URL('../../../fixtures/twitch/privmsg.irc', import.meta.url), 'utf8')
  .split('\n')
  .map((line) => normalizeLine(line, { creatorId: 'x', receivedAt: 0 }))
  .flatMap((r) => (r.kind === 'message' ? [r.message] : []));
const scripted = ['!hello', '!so @friend', 'that was a good game', 'gg', 'I rolled 42', '!points'];

// 200 triggers per creator (commands, keywords, regexes), a tenth of the chat matching one.
const triggers = Array.from({ length: 200 }, (_, i) => ({
  id: `t${i}`,
  type: i % 3 === 0 ? 'command' : i % 3 === 1 ? 'keyword' : 'regex',
  params: i % 3 === 0 ? { command: i === 0 ? '!hello' : `!cmd${i}` } : i % 3 === 1 ? { keywords: [i === 1 ? 'good game' : `word${i}`] } : { pattern: i === 2 ? 'rolled (\\d+)' : `pattern${i} (\\d+)` },
  actions: [{ type: 'chat.reply', params: { text: 'hi {user}' } }],
}));

function manifest(url: string, prefix: string, name: string) {
  return {
    plugins: { scale: { config: { url, prefix, processId: name, leaseTtlMs: 10_000, settleMs: 1500, standby: false, chat: { blockMs: 100, maxLen: 20_000 } } } },
    creators: Object.fromEntries(CREATORS.map((id) => [id, { enable: [], triggers }])),
  };
}

/** Round-robin over the creators, as live chat arrives, in batches of one pipeline each. */
async function fill(redis: Redis, prefix: string): Promise<void> {
  for (let n = 0; n < TOTAL; ) {
    const pipeline = redis.pipeline();
    for (let b = 0; b < 2000 && n < TOTAL; b++, n++) {
      const creator = CREATORS[n % CREATORS.length]!;
      const base = captured[n % captured.length]!;
      const text = n % 10 === 0 ? scripted[(n / 10) % scripted.length]! : base.text;
      const message = { ...base, id: `bench-${n}`, creatorId: creator, channel: creator, receivedAt: n, sentAt: n, text, author: { ...base.author, id: `u${n % 500}` } };
      pipeline.xadd(`${prefix}chat:{${creator}}`, '*', 'k', messageKey(message), 'm', JSON.stringify(message));
    }
    await pipeline.exec();
  }
}

/** Entries read and still pending over every creator's stream (0 / TOTAL before any group exists). */
async function progress(redis: Redis, prefix: string): Promise<{ read: number; pending: number }> {
  const pipeline = redis.pipeline();
  for (const creator of CREATORS) pipeline.xinfo('GROUPS', `${prefix}chat:{${creator}}`);
  let read = 0;
  let pending = 0;
  for (const [, reply] of (await pipeline.exec()) ?? []) {
    const group = (reply as unknown[][] | undefined)?.[0];
    if (group === undefined) continue;
    const fields = new Map<string, unknown>();
    for (let i = 0; i + 1 < group.length; i += 2) fields.set(String(group[i]), group[i + 1]);
    read += Number(fields.get('entries-read') ?? 0);
    pending += Number(fields.get('pending') ?? 0);
  }
  return { read, pending };
}

const dir = mkdtempSync(join(tmpdir(), 'ss-scale-bench-'));
function manifestFile(url: string, prefix: string, name: string): string {
  const file = join(dir, `${prefix.replace(':', '')}-${name}.json`);
  writeFileSync(file, JSON.stringify(manifest(url, prefix, name)));
  return file;
}

/**
 * Workers run as docs/scaling.md recommends, one process per core with `node --single-threaded`
 * (V8's collector and compiler on the main thread): measured here, two processes with V8's
 * background threads fight over the two cores and run ~17% fewer messages, while one process
 * gains nothing from them. SS_BENCH_NODE_FLAGS='' measures without it.
 */
function spawnWorker(url: string, prefix: string, name: string): { child: ChildProcess; ready: Promise<void> } {
  const child = spawn(process.execPath, [...(process.env.SS_BENCH_NODE_FLAGS ?? '--single-threaded').split(' ').filter(Boolean), '--conditions=@streamsuites/source', '--import', 'tsx', fileURLToPath(new URL('./worker.ts', import.meta.url))], {
    env: { ...process.env, SS_MANIFEST_FILE: manifestFile(url, prefix, name), SS_REDIS_URL: url, SS_GO_KEY: `${prefix}bench:go` },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const ready = new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('ready\n')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`worker ${name} exited (${code}) before it was ready`)));
  });
  return { child, ready };
}

async function run(url: string, redis: Redis, processes: number): Promise<number> {
  await redis.flushall();
  const prefix = `bench${processes}:`;
  const workers = Array.from({ length: processes }, (_, i) => spawnWorker(url, prefix, `w${i}`));
  try {
    await Promise.all(workers.map((w) => w.ready));
    // Every worker is built and waits at its gate: fill the streams, then start them all at once
    // (they announce themselves together, so the creators are spread from the first lease round).
    await fill(redis, prefix);
    await redis.set(`${prefix}bench:go`, '1');
    let started: number | undefined;
    const deadline = Date.now() + 300_000;
    for (;;) {
      const { read, pending } = await progress(redis, prefix);
      if (started === undefined && read > 0) started = performance.now();
      if (read >= TOTAL && pending === 0) break;
      if (Date.now() > deadline) throw new Error(`only ${read} of ${TOTAL} read (${pending} pending) after 5 minutes`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const seconds = (performance.now() - started!) / 1000;
    const cpu = async () => { const info = await redis.info('cpu'); return Number(/used_cpu_user:([\d.]+)/.exec(info)![1]) + Number(/used_cpu_sys:([\d.]+)/.exec(info)![1]); };
    if (process.env.SS_BENCH_CPU) console.log(`P=${processes}: ${seconds.toFixed(2)} s, redis-server CPU so far ${(await cpu()).toFixed(2)} s`);
    return Math.round(TOTAL / seconds);
  } finally {
    for (const w of workers) w.child.kill('SIGKILL');
  }
}

const server = await startLocalRedis();
const redis = new Redis(server.url);
try {
  const cases: Record<string, number> = {};
  for (const p of PROCESSES) cases[`msgPerSec@${p}`] = await run(server.url, redis, p);
  const ratios = {
    'speedup@2': Number((cases['msgPerSec@2']! / cases['msgPerSec@1']!).toFixed(2)),
    'speedup@4': Number((cases['msgPerSec@4']! / cases['msgPerSec@1']!).toFixed(2)),
  };
  console.table(Object.fromEntries(Object.entries(cases).map(([k, v]) => [k, { 'msg/s': v }])));
  console.table(Object.fromEntries(Object.entries(ratios).map(([k, v]) => [k, { ratio: v }])));
  console.log(`${TOTAL} messages, ${CREATORS.length} creators x ${triggers.length} triggers, one local redis-server`);
  const result = { name: 'scale.redis', unit: 'messages/s', cases, ratios, machine: { cpus: availableParallelism(), node: process.version } };
  mkdirSync('bench-results', { recursive: true });
  writeFileSync(join('bench-results', 'scale.redis.json'), `${JSON.stringify(result, null, 2)}\n`);
} finally {
  redis.disconnect();
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
