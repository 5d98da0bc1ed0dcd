import { describe, expect, it } from 'vitest';
import { createLogger, EventBus, SecretRegistry, systemClock } from '@streamsuites/kernel';
import { DefaultActionDispatcher } from '../src/actions/dispatcher.js';
import { builtinActionTypes, MemoryStateStore, StoredIdentityMap } from '../src/index.js';
import { compileChatBehaviour } from '../src/rules/chat/compile.js';
import { ChatRulesEngine } from '../src/rules/chat/engine.js';
import type { ChatBehaviour } from '../src/rules/chat/schema.js';
import { chat } from './helpers/chat.js';

/** The engine on real parts: the kernel's bus, the default dispatcher, the memory store and identity map. */
function engineWithReplies() {
  const logger = createLogger({ level: 'silent' });
  const bus = new EventBus();
  const store = new MemoryStateStore();
  const dispatcher = new DefaultActionDispatcher({ bus, clock: systemClock, logger, secrets: new SecretRegistry(), actionTypes: builtinActionTypes });
  const replies: string[] = [];
  let hold: Promise<void> | undefined;
  dispatcher.registerHandler<{ text: string }>({
    type: 'chat.reply',
    handle: async ({ text }) => {
      replies.push(text);
      await hold;
    },
  });
  const engine = new ChatRulesEngine({ bus, dispatcher, clock: systemClock, store, identity: new StoredIdentityMap({ store, clock: systemClock, logger }), logger });
  return { engine, bus, replies, holdNext: (until: Promise<void>) => void (hold = until) };
}

const rules = (tag: string): ChatBehaviour => ({
  exemptRoles: ['broadcaster', 'moderator'],
  firstTimeGreeting: { enabled: true, text: `${tag}-hello` },
  autoReplies: [{ match: { command: '!x' }, text: `${tag}-reply` }],
  bannedPhrases: [],
});
const compiled = (tag: string) => ({ chat: compileChatBehaviour(rules(tag), []).compiled });

describe('swapping a creator\'s rules (creatorUpdated on reload)', () => {
  it('a message in flight finishes on the rules it started with; the next one sees only the new rules', async () => {
    const { engine, replies, holdNext } = engineWithReplies();
    const signal = new AbortController().signal;
    engine.attach('alice', compiled('A'), signal);
    let release!: () => void;
    holdNext(new Promise<void>((resolve) => (release = resolve)));
    // The greeting's reply waits; the swap lands between it and the auto-reply of the same message.
    const first = engine.handle(chat('!x', { user: 'ann', id: 'm1' }));
    while (replies.length === 0) await new Promise((resolve) => setImmediate(resolve));
    engine.attach('alice', compiled('B'), signal);
    holdNext(Promise.resolve());
    release();
    await first;
    await engine.handle(chat('!x', { user: 'bo', id: 'm2' }));
    expect(replies).toEqual(['A-hello', 'A-reply', 'B-hello', 'B-reply']);
    expect(engine.rulesOf('alice')).toMatchObject({ chat: { greeting: { text: 'B-hello' } } });
  });

  it('a detached creator\'s chat goes through no rules', async () => {
    const { engine, replies } = engineWithReplies();
    engine.attach('alice', compiled('A'), new AbortController().signal);
    engine.detach('alice');
    await engine.handle(chat('!x', { user: 'ann' }));
    expect(replies).toEqual([]);
  });
});
