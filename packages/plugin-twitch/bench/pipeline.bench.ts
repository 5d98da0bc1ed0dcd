// Benchmark: raw Twitch PRIVMSG lines → our parse → normalize → dedupe →
// bus `chat.message` → a creator's 1,000 triggers, on one core; against
// tmi.js's own line parser alone on the same lines, in the same run.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { TriggerDefinition } from '@streamsuites/kernel';
import { systemClock } from '@streamsuites/kernel';
import { KernelActionDispatcher, builtinActionTypes } from '../../kernel/src/services/actions/dispatcher.js';
import { builtinTriggerTypes } from '../../kernel/src/services/triggers/builtin-types.js';
import { TriggerCatalog } from '../../kernel/src/services/triggers/catalog.js';
import { CooldownBook } from '../../kernel/src/services/triggers/cooldowns.js';
import { CreatorTriggerRegistry } from '../../kernel/src/services/triggers/registry.js';
import { EventBus } from '../../kernel/src/bus.js';
import { createLogger } from '../../kernel/src/logger.js';
import { SecretRegistry } from '../../kernel/src/redact.js';
import { MessageIdLru } from '../src/normalize/dedupe.js';
import { normalizeLine } from '../src/normalize/line.js';

// tmi.js is CommonJS; its parser module exports `msg(line)`.
const tmiParser = createRequire(import.meta.url)('tmi.js/lib/parser.js') as { msg(line: string): unknown };

// Deterministic pseudo-random numbers, so every run sees the same workload.
let seed = 20261127;
const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
const word = () => Array.from({ length: 5 + Math.floor(rand() * 4) }, () => pick([...'bcdfghjklmnprstvwz']) + pick([...'aeiou'])).join('').slice(0, 9);

// The captured PRIVMSG lines that are chat messages.
const fixture = readFileSync(new URL('../../../fixtures/twitch/privmsg.irc', import.meta.url), 'utf8');
const base = fixture.split('\n').filter((l) => normalizeLine(l, { creatorId: 'bench', receivedAt: 0 }).kind === 'message');

function triggersFor(count: number): TriggerDefinition[] {
  const action = [{ type: 'chat.reply', params: { text: 'hi {user}' } }];
  return Array.from({ length: count }, (_, i): TriggerDefinition => {
    const kind = i % 10;
    if (kind < 4) return { id: `c${i}`, type: 'command', params: { command: `!${word()}${i}` }, actions: action };
    if (kind < 8) return { id: `k${i}`, type: 'keyword', params: { keywords: [`${word()}${i}`, `${word()} ${word()}`] }, actions: action };
    return { id: `r${i}`, type: 'regex', params: { pattern: `${word()}${i} (\\d+)`, flags: 'i' }, actions: action };
  });
}
const triggers = triggersFor(1000);

// 40,000 distinct lines (4x the dedupe capacity, so a cycled id is long
// evicted when it comes back): fixture lines with a unique `id` tag, and one
// line in ten carrying a trigger's text.
const LINES = 40_000;
const lines: string[] = [];
for (let i = 0; i < LINES; i++) {
  let line = pick(base);
  const id = `bench-${i.toString(36)}-${Math.floor(rand() * 1e9).toString(36)}`;
  if (line.startsWith('@')) line = /(^@|;)id=[^; ]*/.test(line) ? line.replace(/(^@|;)id=[^; ]*/, `$1id=${id}`) : `@id=${id};${line.slice(1)}`;
  else line = `@id=${id} ${line}`;
  if (i % 10 === 0) {
    const t = pick(triggers);
    const text = t.type === 'command' ? `${(t.params as { command: string }).command} 30 funny`
      : t.type === 'keyword' ? `lol ${(t.params as { keywords: string[] }).keywords[0]} again`
        : `${(t.params as { pattern: string }).pattern.split(' ')[0]} 42`;
    line = line.replace(/ PRIVMSG (#\S+) :.*$/, ` PRIVMSG $1 :${text}`);
  }
  lines.push(line);
}

const logger = createLogger({ level: 'silent' });
const dispatcher = new KernelActionDispatcher({ bus: new EventBus(), clock: systemClock, logger, secrets: new SecretRegistry(), actionTypes: builtinActionTypes });
const catalog = new TriggerCatalog(builtinTriggerTypes.map((value) => ({ pluginId: 'kernel', value })), dispatcher);
const cooldowns = new CooldownBook({ store: undefined as never, clock: systemClock, logger });
const registry = new CreatorTriggerRegistry({ creatorId: 'bench', catalog, cooldowns });
for (const trigger of triggers) registry.add(trigger);

const bus = new EventBus();
let matched = 0;
let delivered = 0;
bus.on('chat.message', (message) => {
  delivered++;
  matched += registry.match(message).length;
});
const dedupe = new MessageIdLru(10_000);
let duplicates = 0;
let receivedAt = Date.now();
const ctx = { creatorId: 'bench', receivedAt };

function pipeline(line: string): void {
  ctx.receivedAt = receivedAt;
  const result = normalizeLine(line, ctx);
  if (result.kind !== 'message') return;
  if (!dedupe.add(result.message.id)) {
    duplicates++;
    return;
  }
  bus.emit('chat.message', result.message);
}

let tmiSink = 0;
function tmiParse(line: string): void {
  if (tmiParser.msg(line) !== null) tmiSink++;
}

/** Lines per second of `run` over the cycled lines, for at least `minMs`. */
function perSecond(run: (line: string) => void, minMs = 1500): number {
  for (let i = 0; i < LINES; i++) run(lines[i]!); // warm-up
  let count = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < minMs) {
    for (let i = 0; i < LINES; i++) run(lines[i]!);
    count += LINES;
    receivedAt++;
    elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  }
  return Math.round((count / elapsed) * 1000);
}

const cases: Record<string, number> = {};
// Interleave the two cases twice and keep each one's best, so neither gets a cold or a lucky slot.
for (let round = 0; round < 2; round++) {
  cases.msgPerSec = Math.max(cases.msgPerSec ?? 0, perSecond(pipeline));
  cases.tmiParseMsgPerSec = Math.max(cases.tmiParseMsgPerSec ?? 0, perSecond(tmiParse));
}
if (duplicates !== 0) throw new Error(`dedupe dropped ${duplicates} distinct messages`);
if (matched === 0 || delivered === 0 || tmiSink === 0) throw new Error('the pipeline did no work');

const ratios = { vsTmiParse: Number((cases.msgPerSec! / cases.tmiParseMsgPerSec!).toFixed(2)) };
console.table(Object.fromEntries(Object.entries(cases).map(([k, v]) => [k, { 'msg/s': v }])));
console.table(Object.fromEntries(Object.entries(ratios).map(([k, v]) => [k, { ratio: v }])));
console.log(`delivered ${delivered} messages, ${matched} trigger matches, 0 duplicates dropped`);
const result = { name: 'twitch.pipeline', unit: 'msg/s', cases, ratios, machine: { cpus: availableParallelism(), node: process.version } };
mkdirSync('bench-results', { recursive: true });
writeFileSync(join('bench-results', 'twitch.pipeline.json'), `${JSON.stringify(result, null, 2)}\n`);
