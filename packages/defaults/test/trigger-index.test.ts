// The trigger index is a prefilter: it may only skip triggers that cannot
// match. Checked against matching every trigger on generated triggers and
// messages (case, leading spaces, non-ASCII first tokens and keywords).
import { createLogger, EventBus, SecretRegistry, systemClock, type TriggerDefinition } from '@streamsuites/kernel';
import { chatMessage } from '@streamsuites/kernel/testing';
import { describe, expect, it } from 'vitest';
import { builtinActionTypes, DefaultActionDispatcher } from '../src/actions/dispatcher.js';
import { builtinTriggerTypes } from '../src/triggers/builtin-types.js';
import { TriggerCatalog } from '../src/triggers/catalog.js';
import { TriggerIndex } from '../src/triggers/trigger-index.js';

const logger = createLogger({ level: 'silent' });
const dispatcher = new DefaultActionDispatcher({ bus: new EventBus(), clock: systemClock, logger, secrets: new SecretRegistry(), actionTypes: builtinActionTypes });
const catalog = new TriggerCatalog(builtinTriggerTypes.map((value) => ({ pluginId: 'triggers', value })), dispatcher);

let seed = 99;
const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
const words = ['!clip', '!Clip', 'clip', 'gg', 'GG', 'pog', 'İstanbul', 'istanbul', 'ǅemal', 'Kelvin', '\u212aelvin', 'straße', 'ΣΑΣ', 'σας', 'kappa', '?so', 'ſo', 'so', 'wow'];
const action = [{ type: 'chat.reply', params: { text: 'hi' } }];

function triggers(): TriggerDefinition[] {
  return Array.from({ length: 12 }, (_, i): TriggerDefinition => {
    const kind = i % 3;
    if (kind === 0) return { id: `c${i}`, type: 'command', params: { command: pick(words).replace(/\s/g, ''), aliases: [pick(words)] }, actions: action };
    if (kind === 1) return { id: `k${i}`, type: 'keyword', params: { keywords: [pick(words), pick(words)], wholeWord: rand() < 0.7 }, actions: action };
    return { id: `r${i}`, type: 'regex', params: { pattern: `${pick(words).replace(/[?!]/g, '')} ?(\\d*)`, flags: pick(['', 'i']) }, actions: action };
  });
}

describe('TriggerIndex', () => {
  it('never leaves out a trigger that matches (5,000 generated messages over 40 trigger sets)', () => {
    let matched = 0;
    let checked = 0;
    for (let set = 0; set < 40; set++) {
      const compiled = triggers().map((t) => catalog.compile(t));
      const index = new TriggerIndex(compiled);
      for (let n = 0; n < 125; n++) {
        const text = `${pick(['', ' ', '  \u00a0'])}${Array.from({ length: 1 + Math.floor(rand() * 4) }, () => pick([...words, '12', 'x'])).join(pick([' ', ' ', '']))}`;
        const message = chatMessage({ text });
        const all = compiled.filter((t) => t.type.match(message, t.state) !== undefined).map((t) => t.id);
        const viaIndex = index.candidates(message).filter((t) => t.type.match(message, t.state) !== undefined).map((t) => t.id);
        expect(viaIndex, `${JSON.stringify(text)} with ${compiled.map((t) => JSON.stringify(t.definition.params)).join(' ')}`).toEqual(all);
        matched += all.length;
        checked++;
      }
    }
    expect(checked).toBe(5000);
    expect(matched).toBeGreaterThan(1000); // the generator does produce matches
  });
});
