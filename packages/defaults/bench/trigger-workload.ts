// The mixed trigger set the trigger benchmarks run (defaults.triggers and the
// Twitch pipeline benches): 40 % commands, 40 % keyword lists, 20 % regexes,
// with made-up words from a seeded generator so every run sees the same workload.
import type { TriggerDefinition } from '@streamsuites/kernel';

export interface TriggerWorkload {
  /** The seeded generator the triggers came from; keep drawing from it for messages. */
  rand(): number;
  pick<T>(items: readonly T[]): T;
  word(): string;
  triggersFor(count: number): TriggerDefinition[];
}

export function createTriggerWorkload(seed = 20261127): TriggerWorkload {
  let state = seed;
  const rand = () => ((state = (state * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
  const word = () => Array.from({ length: 5 + Math.floor(rand() * 4) }, () => pick([...'bcdfghjklmnprstvwz']) + pick([...'aeiou'])).join('').slice(0, 9);
  const triggersFor = (count: number): TriggerDefinition[] => {
    const action = [{ type: 'chat.reply', params: { text: 'hi {user}' } }];
    return Array.from({ length: count }, (_, i): TriggerDefinition => {
      const kind = i % 10;
      if (kind < 4) return { id: `c${i}`, type: 'command', params: { command: `!${word()}${i}` }, actions: action };
      if (kind < 8) return { id: `k${i}`, type: 'keyword', params: { keywords: [`${word()}${i}`, `${word()} ${word()}`] }, actions: action };
      return { id: `r${i}`, type: 'regex', params: { pattern: `${word()}${i} (\\d+)`, flags: 'i' }, actions: action };
    });
  };
  return { rand, pick, word, triggersFor };
}
