// Benchmark: trigger matching per chat message with 100, 1,000 and 10,000
// mixed command / keyword / regex triggers, against a naive scan that tests
// every trigger (same compiled triggers, same run); and the regex triggers
// alone on RE2 (re2js, what the regex type runs) against the same triggers on
// V8's backtracking RegExp, per message through the registry and per regex call.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { createLogger, defineTriggerType, EventBus, SecretRegistry, systemClock, type ChatMessage, type TriggerDefinition } from '@streamsuites/kernel';
import { DefaultActionDispatcher, builtinActionTypes } from '../src/actions/dispatcher.js';
import { builtinTriggerTypes, regexTriggerType } from '../src/triggers/builtin-types.js';
import { TriggerCatalog, type CompiledTrigger } from '../src/triggers/catalog.js';
import { StoredCooldownBook } from '../src/triggers/cooldowns.js';
import { requiredLiteral } from '../src/triggers/regex.js';
import { CreatorTriggerRegistry } from '../src/triggers/registry.js';
import { createTriggerWorkload } from './trigger-workload.js';

// Deterministic pseudo-random numbers, so every run sees the same workload.
const { rand, pick, triggersFor } = createTriggerWorkload();

// Real chat lines: the captured Twitch PRIVMSG fixtures, plus common chat.
const fixture = readFileSync(new URL('../../../fixtures/twitch/privmsg.irc', import.meta.url), 'utf8');
const captured = fixture
  .split('\n')
  .map((line) => /PRIVMSG #\S+ :(.*)$/.exec(line)?.[1]?.replace(/^\u0001ACTION |\u0001$/g, ''))
  .filter((text): text is string => text !== undefined && text.length > 0);
const common = [
  'LUL that was so close', 'gg wp everyone', 'what game is this?', 'first time here, love the stream',
  'PogChamp PogChamp PogChamp', 'can you play the song again', 'hahaha', 'how long have you been streaming today',
  'KEKW', 'nice shot!', 'is this ranked?', 'hello from Brazil 🇧🇷', 'o7', 'when is the next stream', 'W', 'L',
  'that boss fight was insane', 'chat is so fast right now', 'monkaS', '!uptime', '!discord', 'lmao', 'Kappa',
];


function messagesFor(triggers: TriggerDefinition[], count: number): ChatMessage[] {
  return Array.from({ length: count }, (_, i) => {
    let text = rand() < 0.5 ? pick(captured) : pick(common);
    // One message in ten uses a trigger.
    if (i % 10 === 0) {
      const t = pick(triggers);
      if (t.type === 'command') text = `${(t.params as { command: string }).command} 30 funny`;
      else if (t.type === 'keyword') text = `lol ${(t.params as { keywords: string[] }).keywords[0]} again`;
      else text = `${(t.params as { pattern: string }).pattern.split(' ')[0]} 42`;
    }
    return {
      id: `m${i}`, platform: 'twitch', creatorId: 'bench', channel: 'bench', receivedAt: 0, sentAt: 0,
      author: { id: `u${i % 500}`, login: `user${i % 500}`, displayName: `User${i % 500}`, roles: [] }, text, isAction: false,
    };
  });
}

const logger = createLogger({ level: 'silent' });
const dispatcher = new DefaultActionDispatcher({ bus: new EventBus(), clock: systemClock, logger, secrets: new SecretRegistry(), actionTypes: builtinActionTypes });
const catalog = new TriggerCatalog(builtinTriggerTypes.map((value) => ({ pluginId: 'triggers', value })), dispatcher);
const cooldowns = new StoredCooldownBook({ store: undefined as never, clock: systemClock, logger });

/** The baseline: the regex type as it was before RE2, on V8's backtracking RegExp, with the same literal prefilter. */
const v8RegexTriggerType = defineTriggerType({
  type: 'regex',
  paramsSchema: regexTriggerType.paramsSchema,
  compile: ({ pattern, flags = '' }) => ({ regex: new RegExp(pattern, flags), literal: requiredLiteral(pattern, flags) }),
  index: (state) => (state.literal === undefined ? {} : { substrings: [state.literal] }),
  match(message, state) {
    const found = state.regex.exec(message.text);
    return found === null ? undefined : found.slice(1).map((group) => group ?? '');
  },
});
const v8Catalog = new TriggerCatalog(
  builtinTriggerTypes.map((value) => ({ pluginId: 'triggers', value: value.type === 'regex' ? v8RegexTriggerType : value })),
  dispatcher,
);

function timePerMessage(run: (message: ChatMessage) => number, messages: ChatMessage[], minMs = 400): number {
  let sink = 0;
  for (const m of messages) sink += run(m); // warm-up
  let total = 0;
  let iterations = 0;
  const start = process.hrtime.bigint();
  while (Number(process.hrtime.bigint() - start) / 1e6 < minMs) {
    for (const m of messages) sink += run(m);
    iterations += messages.length;
  }
  total = Number(process.hrtime.bigint() - start);
  if (sink < 0) throw new Error('unreachable');
  return total / iterations;
}

const cases: Record<string, number> = {};
let naiveMatches = 0;
let ourMatches = 0;
for (const count of [100, 1000, 10000]) {
  const triggers = triggersFor(count);
  const registry = new CreatorTriggerRegistry({ creatorId: 'bench', catalog, cooldowns });
  for (const trigger of triggers) registry.add(trigger);
  const messages = messagesFor(triggers, 2000);
  cases[`nsPerMsg@${count}`] = Math.round(timePerMessage((m) => registry.match(m).length, messages));
  if (count === 10000) {
    const compiled: CompiledTrigger[] = triggers.map((t) => catalog.compile(t));
    const naive = (m: ChatMessage) => {
      let found = 0;
      for (const t of compiled) if (t.type.match(m, t.state) !== undefined) found++;
      return found;
    };
    // The naive scan is slow (every regex and keyword pattern per message): time a slice.
    cases[`naiveNsPerMsg@${count}`] = Math.round(timePerMessage(naive, messages.slice(0, 100), 1000));
    // Same answers, or the comparison means nothing.
    for (const m of messages.slice(0, 300)) {
      naiveMatches += naive(m);
      ourMatches += registry.match(m).length;
    }
  }
}
if (naiveMatches !== ourMatches || ourMatches === 0) throw new Error(`index and naive scan disagree: ${ourMatches} vs ${naiveMatches}`);

// Regex triggers alone: the 2,000 regexes of the 10,000-trigger workload
// (`<word><n> (\d+)`, flag i), one message in ten using one of them.
{
  const regexes = triggersFor(10000).filter((t) => t.type === 'regex');
  const messages = messagesFor(regexes, 2000);
  const registries = [catalog, v8Catalog].map((c) => {
    const registry = new CreatorTriggerRegistry({ creatorId: 'bench', catalog: c, cooldowns });
    for (const trigger of regexes) registry.add(trigger);
    return registry;
  });
  const [re2Registry, v8Registry] = registries as [CreatorTriggerRegistry, CreatorTriggerRegistry];
  // Same answers (trigger ids and args), or the comparison means nothing.
  const answers = (registry: CreatorTriggerRegistry) => JSON.stringify(messages.map((m) => registry.match(m).map((f) => [f.triggerId, f.args])));
  if (answers(re2Registry) !== answers(v8Registry)) throw new Error('RE2 and V8 regex triggers disagree');
  cases.regexNsPerMsg = Math.round(timePerMessage((m) => re2Registry.match(m).length, messages));
  cases.regexV8NsPerMsg = Math.round(timePerMessage((m) => v8Registry.match(m).length, messages));
  // One regex call per message, with no prefilter: what a regex confirmation
  // (or a regex trigger without a literal) costs. Messages: chat lines and the
  // lines that fire a trigger, half and half.
  const re2 = catalog.compile(regexes[7]!);
  const v8 = v8Catalog.compile(regexes[7]!);
  const firing = messagesFor([regexes[7]!], 200).filter((_, i) => i % 10 === 0);
  const mixed = messages.slice(0, firing.length).flatMap((m, i) => [m, firing[i]!]);
  cases.regexExecNs = Math.round(timePerMessage((m) => re2.type.match(m, re2.state)?.length ?? 0, mixed));
  cases.regexV8ExecNs = Math.round(timePerMessage((m) => v8.type.match(m, v8.state)?.length ?? 0, mixed));
}

const ratios = {
  'vsNaive@10000': Number((cases['naiveNsPerMsg@10000']! / cases['nsPerMsg@10000']!).toFixed(1)),
  cost10000vs100: Number((cases['nsPerMsg@10000']! / cases['nsPerMsg@100']!).toFixed(2)),
  re2VsV8: Number((cases.regexNsPerMsg! / cases.regexV8NsPerMsg!).toFixed(2)),
  re2VsV8Exec: Number((cases.regexExecNs! / cases.regexV8ExecNs!).toFixed(1)),
};
console.table(Object.fromEntries(Object.entries(cases).map(([k, v]) => [k, { 'ns/msg': v }])));
console.table(Object.fromEntries(Object.entries(ratios).map(([k, v]) => [k, { ratio: v }])));
const result = { name: 'defaults.triggers', unit: 'ns/msg', cases, ratios, machine: { cpus: availableParallelism(), node: process.version } };
mkdirSync('bench-results', { recursive: true });
writeFileSync(join('bench-results', 'defaults.triggers.json'), `${JSON.stringify(result, null, 2)}\n`);
