// Benchmark: `streamsuites replay` throughput — logged chat events through a
// manifest (3 creators, 30 triggers each, the exports plugin) on a virtual
// clock, from reading the JSONL files to the final exports. One core.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import exportsPlugin from '@streamsuites/plugin-exports';
import { normalizeLine } from '@streamsuites/plugin-twitch';
import { replayChatLogs } from '../src/index.js';

const EVENTS = 150_000;
const CREATORS = ['daniel', 'maya', 'sol'];
const start = Date.UTC(2026, 10, 27, 18);

// Real captured chat, normalized as the Twitch plugin would, and re-addressed per creator.
const captured = readFileSync(new URL('../../../fixtures/twitch/privmsg.irc', import.meta.url), 'utf8')
  .split('\n')
  .map((line) => normalizeLine(line, { creatorId: 'x', receivedAt: 0 }))
  .flatMap((r) => (r.kind === 'message' ? [r.message] : []));
const scripted = ['!hello', '!so @friend', 'that was a good game', 'gg', 'I rolled 42', '!points'];

const root = mkdtempSync(join(tmpdir(), 'ss-replay-bench-'));
try {
  const logs = join(root, 'chatlog');
  for (const [c, creator] of CREATORS.entries()) {
    mkdirSync(join(logs, creator), { recursive: true });
    const lines = [JSON.stringify({ schema: 'streamsuites.chatlog', version: 1, creator })];
    for (let i = c; i < EVENTS; i += CREATORS.length) {
      const at = start + i * 40; // 25 events/s across creators: a busy 100-minute stream
      const base = captured[i % captured.length]!;
      const text = i % 10 === 0 ? scripted[(i / 10) % scripted.length]! : base.text;
      const data = { ...base, id: `bench-${i}`, creatorId: creator, channel: creator, receivedAt: at, sentAt: at, text, author: { ...base.author, id: `u${i % 500}` } };
      lines.push(JSON.stringify({ at, event: 'chat.message', data }));
    }
    writeFileSync(join(logs, creator, '2026-11-27.jsonl'), `${lines.join('\n')}\n`);
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
  const run = () => replayChatLogs({ logs: [logs], manifest, plugins: [exportsPlugin], out: join(root, 'out'), logLevel: 'silent' });
  await run(); // warm-up
  let best = 0;
  let fired = 0;
  for (let round = 0; round < 2; round++) {
    const summary = await run();
    if (summary.events !== EVENTS) throw new Error(`replayed ${summary.events} of ${EVENTS} events`);
    fired = summary.triggersFired;
    best = Math.max(best, Math.round((summary.events / summary.wallMs) * 1000));
  }
  if (fired === 0) throw new Error('no trigger fired: the replay did no work');
  const cases = { eventsPerSec: best };
  const ratios = { vsGoal50k: Number((best / 50_000).toFixed(2)) };
  console.table({ eventsPerSec: { 'events/s': best } });
  console.table({ vsGoal50k: { ratio: ratios.vsGoal50k } });
  console.log(`${EVENTS} events, 3 creators x 30 triggers, ${fired} triggers fired per run`);
  const result = { name: 'replay.throughput', unit: 'events/s', cases, ratios, machine: { cpus: availableParallelism(), node: process.version } };
  mkdirSync('bench-results', { recursive: true });
  writeFileSync(join('bench-results', 'replay.throughput.json'), `${JSON.stringify(result, null, 2)}\n`);
} finally {
  rmSync(root, { recursive: true, force: true });
}
