// Benchmark: `streamsuites replay` throughput — logged chat events through a
// manifest (3 creators, 30 triggers each, the exports plugin) on a virtual
// clock, from reading the JSONL files to the final exports. One core.
//
// Cases:
//   eventsPerSec           150,000 events of 3 creators (best of 4 runs after a warm-up)
//   parseOnlyEventsPerSec  the same files only read (1 MiB chunks) and JSON.parse'd line by
//                          line, in the same process (best of 4, interleaved with the replays): the floor any replay pays
//   hourLogEventsPerSec    a 1-hour log of one creator at 300 msg/s (1,080,000 events), one run
//   hourLogSeconds         that run's wall time
// Ratios:
//   vsParseOnly            eventsPerSec / parseOnlyEventsPerSec (goal ≥ 0.33)
//   hourLogVsParseOnly     the hour log's replay against its own parse-only pass
import { createReadStream, createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import exportsPlugin from '@streamsuites/plugin-exports';
import { normalizeLine } from '@streamsuites/plugin-twitch';
import { replayChatLogs } from '../src/index.js';

const EVENTS = 150_000;
const ROUNDS = 4;
const HOUR_RATE = 300; // msg/s
const HOUR_EVENTS = 3600 * HOUR_RATE;
const CREATORS = ['daniel', 'maya', 'sol'];
const start = Date.UTC(2026, 10, 27, 18);

// Real captured chat, normalized as the Twitch plugin would, and re-addressed per creator.
const captured = readFileSync(new URL('../../../fixtures/twitch/privmsg.irc', import.meta.url), 'utf8')
  .split('\n')
  .map((line) => normalizeLine(line, { creatorId: 'x', receivedAt: 0 }))
  .flatMap((r) => (r.kind === 'message' ? [r.message] : []));
const scripted = ['!hello', '!so @friend', 'that was a good game', 'gg', 'I rolled 42', '!points'];

function eventLine(i: number, creator: string, at: number): string {
  const base = captured[i % captured.length]!;
  const text = i % 10 === 0 ? scripted[(i / 10) % scripted.length]! : base.text;
  const data = { ...base, id: `bench-${i}`, creatorId: creator, channel: creator, receivedAt: at, sentAt: at, text, author: { ...base.author, id: `u${i % 500}` } };
  return JSON.stringify({ at, event: 'chat.message', data });
}

/** One creator's day file; events `first, first + step, ...` below `count`, at `timeOf(i)`. Streams, so a large log never sits in memory. */
async function writeLog(path: string, creator: string, first: number, step: number, count: number, timeOf: (i: number) => number): Promise<void> {
  const out = createWriteStream(path);
  let chunk = `${JSON.stringify({ schema: 'streamsuites.chatlog', version: 1, creator })}\n`;
  for (let i = first; i < count; i += step) {
    chunk += `${eventLine(i, creator, timeOf(i))}\n`;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await new Promise((resolve) => out.once('drain', resolve));
      chunk = '';
    }
  }
  out.end(chunk);
  await new Promise<void>((resolve, reject) => out.once('finish', resolve).once('error', reject));
}

/**
 * The floor: read the files a megabyte at a time and JSON.parse every line after the header,
 * nothing else. Lines are decoded one by one from the bytes (faster than decoding whole chunks:
 * a chunk with one non-ASCII character becomes a two-byte string, slower to parse).
 */
async function parseOnly(paths: readonly string[]): Promise<{ events: number; ms: number }> {
  const started = performance.now();
  let events = 0;
  for (const path of paths) {
    let rest: Buffer | undefined;
    let header = true;
    for await (const read of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
      const chunk = rest === undefined ? read : Buffer.concat([rest, read]);
      let from = 0;
      for (let nl = chunk.indexOf(10); nl !== -1; nl = chunk.indexOf(10, from)) {
        const value = JSON.parse(chunk.toString('utf8', from, nl)) as { at?: unknown };
        from = nl + 1;
        if (header) header = false;
        else if (value.at !== undefined) events += 1;
      }
      rest = from < chunk.length ? chunk.subarray(from) : undefined;
    }
  }
  return { events, ms: performance.now() - started };
}

const root = mkdtempSync(join(tmpdir(), 'ss-replay-bench-'));
try {
  const logs = join(root, 'chatlog');
  const paths: string[] = [];
  for (const [c, creator] of CREATORS.entries()) {
    mkdirSync(join(logs, creator), { recursive: true });
    const path = join(logs, creator, '2026-11-27.jsonl');
    // 25 events/s across creators: a busy 100-minute stream.
    await writeLog(path, creator, c, CREATORS.length, EVENTS, (i) => start + i * 40);
    paths.push(path);
  }
  const triggers = Array.from({ length: 30 }, (_, i) => ({
    id: `t${i}`,
    type: i % 3 === 0 ? 'command' : i % 3 === 1 ? 'keyword' : 'regex',
    params: i % 3 === 0 ? { command: i === 0 ? '!hello' : `!cmd${i}` } : i % 3 === 1 ? { keywords: [i === 1 ? 'good game' : `word${i}`] } : { pattern: i === 2 ? 'rolled (\\d+)' : `pattern${i} (\\d+)` },
    cooldown: { user: '5s' },
    actions: [{ type: 'chat.reply', params: { text: 'hi {user}' } }],
  }));
  const manifest = {
    plugins: { exports: { config: { cadenceMs: 60_000 } } },
    creators: Object.fromEntries(CREATORS.map((id) => [id, { enable: ['exports'], triggers }])),
  };
  const run = (from: string) => replayChatLogs({ logs: [from], manifest, plugins: [exportsPlugin], out: join(root, 'out'), logLevel: 'silent' });

  await run(logs); // warm-up
  await parseOnly(paths);
  let best = 0;
  let parseBest = 0;
  let fired = 0;
  for (let round = 0; round < ROUNDS; round++) {
    // Interleaved, so a burst of load from elsewhere hits both sides alike.
    const parsed = await parseOnly(paths);
    if (parsed.events !== EVENTS) throw new Error(`parsed ${parsed.events} of ${EVENTS} events`);
    parseBest = Math.max(parseBest, Math.round((parsed.events / parsed.ms) * 1000));
    const summary = await run(logs);
    if (summary.events !== EVENTS) throw new Error(`replayed ${summary.events} of ${EVENTS} events`);
    fired = summary.triggersFired;
    best = Math.max(best, Math.round((summary.events / summary.wallMs) * 1000));
  }
  if (fired === 0) throw new Error('no trigger fired: the replay did no work');

  // A 1-hour log of one creator at 300 msg/s, in one day file.
  const hourLogs = join(root, 'hour');
  mkdirSync(join(hourLogs, 'daniel'), { recursive: true });
  const hourPath = join(hourLogs, 'daniel', '2026-11-27.jsonl');
  await writeLog(hourPath, 'daniel', 0, 1, HOUR_EVENTS, (i) => start + Math.floor((i * 1000) / HOUR_RATE));
  const hourParsed = await parseOnly([hourPath]);
  if (hourParsed.events !== HOUR_EVENTS) throw new Error(`parsed ${hourParsed.events} of ${HOUR_EVENTS} events`);
  const hour = await run(hourLogs);
  if (hour.events !== HOUR_EVENTS) throw new Error(`replayed ${hour.events} of ${HOUR_EVENTS} events of the hour log`);
  const hourPerSec = Math.round((hour.events / hour.wallMs) * 1000);
  const hourParsePerSec = Math.round((hourParsed.events / hourParsed.ms) * 1000);

  const cases = {
    eventsPerSec: best,
    parseOnlyEventsPerSec: parseBest,
    hourLogEventsPerSec: hourPerSec,
    hourLogSeconds: Number((hour.wallMs / 1000).toFixed(2)),
  };
  const ratios = {
    vsParseOnly: Number((best / parseBest).toFixed(2)),
    hourLogVsParseOnly: Number((hourPerSec / hourParsePerSec).toFixed(2)),
  };
  console.table({
    eventsPerSec: { value: best, unit: 'events/s' },
    parseOnlyEventsPerSec: { value: parseBest, unit: 'events/s' },
    hourLogEventsPerSec: { value: hourPerSec, unit: 'events/s' },
    hourLogSeconds: { value: cases.hourLogSeconds, unit: 's' },
  });
  console.table({ vsParseOnly: { ratio: ratios.vsParseOnly, goal: 0.33 }, hourLogVsParseOnly: { ratio: ratios.hourLogVsParseOnly, goal: '' } });
  console.log(`${EVENTS} events, 3 creators x 30 triggers, ${fired} triggers fired per run; hour log: ${HOUR_EVENTS} events (300 msg/s, 1 creator x 30 triggers), ${hour.triggersFired} triggers fired`);
  console.log(`load average at the end: ${loadavg().map((n) => n.toFixed(2)).join(' ')} (${availableParallelism()} cpus)`);
  const result = { name: 'replay.throughput', unit: 'events/s', cases, ratios, machine: { cpus: availableParallelism(), node: process.version } };
  mkdirSync('bench-results', { recursive: true });
  writeFileSync(join('bench-results', 'replay.throughput.json'), `${JSON.stringify(result, null, 2)}\n`);
} finally {
  rmSync(root, { recursive: true, force: true });
}
