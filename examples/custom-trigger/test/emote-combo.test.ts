import { readFileSync } from 'node:fs';
import type { ChatEmote } from '@streamsuites/kernel';
import { chatMessage } from '@streamsuites/testing';
import { describe, expect, it } from 'vitest';
import { emoteComboTriggerType, type EmoteComboParams } from '../src/index.js';

const T0 = Date.UTC(2026, 10, 27, 20);

/** A compiled emoteCombo trigger and a way to feed it messages at given seconds after T0. */
function combo(params: Partial<EmoteComboParams> = {}) {
  const state = emoteComboTriggerType.compile!({ count: 3, windowSec: 10, ...params });
  return (sec: number, ...emotes: string[]) => {
    const list: ChatEmote[] = emotes.map((name, i) => ({ id: `id-${name}`, name, start: i * 6, end: i * 6 + name.length }));
    return emoteComboTriggerType.match(chatMessage({ receivedAt: T0 + sec * 1000, text: emotes.join(' '), emotes: list }), state);
  };
}

describe('emoteCombo', () => {
  it('fires on the Nth message with the same emote within the window, once, then counts again from zero', () => {
    const send = combo();
    expect(send(0, 'Kappa')).toBeUndefined();
    expect(send(1, 'Kappa')).toBeUndefined();
    expect(send(2, 'Kappa')).toEqual(['Kappa', '3']);
    // The combo was reported: the 4th and 5th messages start a new one.
    expect(send(3, 'Kappa')).toBeUndefined();
    expect(send(4, 'Kappa')).toBeUndefined();
    expect(send(5, 'Kappa')).toEqual(['Kappa', '3']);
  });

  it('only counts messages within windowSec of the latest one', () => {
    const send = combo({ windowSec: 5 });
    expect(send(0, 'Kappa')).toBeUndefined();
    expect(send(3, 'Kappa')).toBeUndefined();
    expect(send(6, 'Kappa')).toBeUndefined(); // the first one left the window
    expect(send(7, 'Kappa')).toEqual(['Kappa', '3']);
    expect(send(20, 'Kappa')).toBeUndefined();
    expect(send(25, 'Kappa')).toBeUndefined(); // exactly windowSec later is outside
    expect(send(29, 'Kappa')).toBeUndefined();
  });

  it('counts each emote on its own, a message once however often it repeats the emote, and no emotes as nothing', () => {
    const send = combo();
    expect(send(0, 'Kappa', 'Kappa', 'Kappa')).toBeUndefined();
    expect(send(1, 'PogChamp')).toBeUndefined();
    expect(send(2)).toBeUndefined();
    expect(send(3, 'Kappa', 'PogChamp')).toBeUndefined();
    expect(send(4, 'PogChamp')).toEqual(['PogChamp', '3']);
    expect(send(5, 'Kappa')).toEqual(['Kappa', '3']);
  });

  it('with an emote filter, ignores the other emotes; without names, emotes count by id', () => {
    const send = combo({ emote: 'Kappa', count: 2 });
    expect(send(0, 'LUL')).toBeUndefined();
    expect(send(1, 'LUL')).toBeUndefined();
    expect(send(2, 'LUL', 'Kappa')).toBeUndefined();
    expect(send(3, 'Kappa')).toEqual(['Kappa', '2']);

    const state = emoteComboTriggerType.compile!({ count: 2, windowSec: 10 });
    const nameless = () => chatMessage({ receivedAt: T0, text: ':_wave:', emotes: [{ id: 'yt-wave', start: 0, end: 7 }] });
    expect(emoteComboTriggerType.match(nameless(), state)).toBeUndefined();
    expect(emoteComboTriggerType.match(nameless(), state)).toEqual(['yt-wave', '2']);
  });

  it('forgets emotes whose messages left the window (memory bounded by the window)', () => {
    const state = emoteComboTriggerType.compile!({ count: 5, windowSec: 10 });
    for (let i = 0; i < 100; i++) {
      const name = `emote${i}`;
      emoteComboTriggerType.match(chatMessage({ receivedAt: T0 + i * 1000, emotes: [{ id: name, name, start: 0, end: 1 }] }), state);
    }
    expect(state.recent.size).toBe(10);
  });

  it('each compiled trigger keeps its own counts', () => {
    const a = combo();
    const b = combo();
    a(0, 'Kappa');
    a(1, 'Kappa');
    expect(b(2, 'Kappa')).toBeUndefined();
    expect(a(2, 'Kappa')).toEqual(['Kappa', '3']);
  });
});

describe('the plugin file', () => {
  it('stays within 30 lines, not counting imports, comments and blank lines', () => {
    const source = readFileSync(new URL('../src/plugin.ts', import.meta.url), 'utf8');
    const code = source
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .split('\n')
      .map((line) => line.replace(/\s\/\/.*$/, '').trim())
      .filter((line) => line !== '' && !line.startsWith('//') && !line.startsWith('import '));
    expect(code.length).toBeLessThanOrEqual(30);
  });
});
