// The chat workload both Twitch benches run: 40,000 distinct raw PRIVMSG lines
// built from the captured fixtures, and the inbound pipeline they go through
// (our parse → normalize → dedupe → bus `chat.message` → a creator's 1,000
// triggers), exactly as a ChatConnection runs it.
import { readFileSync } from 'node:fs';
import { createLogger, EventBus, SecretRegistry, systemClock, type ChatMessage } from '@streamsuites/kernel';
import { DefaultActionDispatcher, builtinActionTypes } from '../../defaults/src/actions/dispatcher.js';
import { builtinTriggerTypes } from '../../defaults/src/triggers/builtin-types.js';
import { TriggerCatalog } from '../../defaults/src/triggers/catalog.js';
import { StoredCooldownBook } from '../../defaults/src/triggers/cooldowns.js';
import { CreatorTriggerRegistry } from '../../defaults/src/triggers/registry.js';
import { MessageIdLru } from '../src/normalize/dedupe.js';
import { normalizeLine } from '../src/normalize/line.js';
import { chatNormalizers } from '../src/eventsub/normalize/chat.js';
import { createTriggerWorkload } from '../../defaults/bench/trigger-workload.js';

// Deterministic pseudo-random numbers, so every run sees the same workload.
const { rand, pick, triggersFor } = createTriggerWorkload();

// The captured PRIVMSG lines that are chat messages.
const fixture = readFileSync(new URL('../../../fixtures/twitch/privmsg.irc', import.meta.url), 'utf8');
const base = fixture.split('\n').filter((l) => normalizeLine(l, { creatorId: 'bench', receivedAt: 0 }).kind === 'message');

const triggers = triggersFor(1000);

// 40,000 distinct lines (4x the dedupe capacity, so a cycled id is long
// evicted when it comes back): fixture lines with a unique `id` tag, and one
// line in ten carrying a trigger's text.
export const LINES = 40_000;
export const lines: string[] = [];
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
  // As the transport has them: decoded from a WebSocket frame's bytes (a flat
  // string), not the rope the edits above leave in memory.
  lines.push(Buffer.from(line, 'utf8').toString('utf8'));
}

export interface Pipeline {
  /** One raw line through the whole pipeline. */
  push(line: string, receivedAt: number): void;
  readonly delivered: number;
  readonly matched: number;
  readonly duplicates: number;
}

/** A bus whose chat messages go through a creator's registry of the shared triggers, counting deliveries and matches. */
function triggerSink() {
  const logger = createLogger({ level: 'silent' });
  const dispatcher = new DefaultActionDispatcher({ bus: new EventBus(), clock: systemClock, logger, secrets: new SecretRegistry(), actionTypes: builtinActionTypes });
  const catalog = new TriggerCatalog(builtinTriggerTypes.map((value) => ({ pluginId: 'triggers', value })), dispatcher);
  const cooldowns = new StoredCooldownBook({ store: undefined as never, clock: systemClock, logger });
  const registry = new CreatorTriggerRegistry({ creatorId: 'bench', catalog, cooldowns });
  for (const trigger of triggers) registry.add(trigger);
  const bus = new EventBus();
  const counts = { matched: 0, delivered: 0, duplicates: 0 };
  bus.on('chat.message', (message) => {
    counts.delivered++;
    counts.matched += registry.match(message).length;
  });
  const dedupe = new MessageIdLru(10_000);
  /** The message-id dedupe and the bus: what both transports end in. */
  const deliver = (message: ChatMessage) => {
    if (!dedupe.add(message.id)) {
      counts.duplicates++;
      return;
    }
    bus.emit('chat.message', message);
  };
  const pipeline = (push: Pipeline['push']): Pipeline => ({
    push,
    get delivered() {
      return counts.delivered;
    },
    get matched() {
      return counts.matched;
    },
    get duplicates() {
      return counts.duplicates;
    },
  });
  return { deliver, pipeline };
}

/** A fresh pipeline (own bus, dedupe and trigger registry over the shared triggers). */
export function createPipeline(): Pipeline {
  const { deliver, pipeline } = triggerSink();
  const ctx = { creatorId: 'bench', receivedAt: 0 };
  return pipeline((line, receivedAt) => {
    ctx.receivedAt = receivedAt;
    const result = normalizeLine(line, ctx);
    if (result.kind === 'message') deliver(result.message);
  });
}

// The same 40,000 messages as EventSub `channel.chat.message` notification
// frames (JSON text, as the socket delivers them), shaped like Twitch's
// reference example (fixtures/eventsub/channel.chat.message.v1.json).
const example = JSON.parse(readFileSync(new URL('../fixtures/eventsub/channel.chat.message.v1.json', import.meta.url), 'utf8')) as {
  subscription: Record<string, unknown>;
  event: Record<string, unknown>;
};
export const frames: string[] = lines.map((line, i) => {
  const normalized = normalizeLine(line, { creatorId: 'bench', receivedAt: 0 });
  const m = normalized.kind === 'message' ? normalized.message : undefined;
  const text = m?.text ?? `message ${i}`;
  const event = {
    ...example.event,
    chatter_user_id: m?.author.id ?? '1',
    chatter_user_login: m?.author.login ?? 'viewer',
    chatter_user_name: m?.author.displayName ?? 'viewer',
    message_id: m?.id ?? `es-${i}`,
    message: { text, fragments: [{ type: 'text', text, cheermote: null, emote: null, mention: null }] },
  };
  return JSON.stringify({
    metadata: { message_id: `frame-${i}`, message_type: 'notification', message_timestamp: '2023-11-06T18:11:47.492253549Z', subscription_type: 'channel.chat.message', subscription_version: '1' },
    payload: { subscription: example.subscription, event },
  });
});

/** EventSub frames through JSON.parse → frame-id dedupe → normalize → message-id dedupe → bus → triggers, as EventSubClient + eventSubDelivery run them. */
export function createEventSubPipeline(): Pipeline {
  const { deliver, pipeline } = triggerSink();
  const frameIds = new MessageIdLru(10_000);
  const normalize = chatNormalizers['channel.chat.message']!;
  const ctx = { creatorId: 'bench', receivedAt: 0, sentAt: 0, messageId: '' };
  return pipeline((frame, receivedAt) => {
    const parsed = JSON.parse(frame) as { metadata: { message_id: string; message_type: string }; payload: { subscription: { version: string }; event: Record<string, unknown> } };
    if (parsed.metadata.message_type !== 'notification' || !frameIds.add(parsed.metadata.message_id)) return;
    ctx.receivedAt = receivedAt;
    ctx.sentAt = receivedAt;
    ctx.messageId = parsed.metadata.message_id;
    const result = normalize(parsed.payload.event, parsed.payload.subscription.version, ctx);
    if (result.kind === 'message') deliver(result.message);
  });
}
