import { MemoryStateStore } from '@streamsuites/defaults';
import { describe, expect, it } from 'vitest';
import { CrossSourceDedupe, SeenWindow, SEEN_NAMESPACE } from '../src/index.js';
import { withOccurrenceIds } from '../src/dedupe/ids.js';

describe('derived ids', () => {
  it('number identical entries of one body, and give overlapping bodies the same ids', () => {
    const parts = (e: { u: string; t: string; at: string }) => ['stream1', e.u, e.at, e.t];
    const gg = { u: 'anna', t: 'gg', at: '2026-12-05T10:00:00+00:00' };
    const first = withOccurrenceIds([gg, { ...gg }, { u: 'bob', t: 'gg', at: gg.at }], parts).map((x) => x.id);
    expect(new Set(first).size).toBe(3);
    expect(first[0]!.endsWith('.1') && first[1]!.endsWith('.2')).toBe(true);
    const second = withOccurrenceIds([{ ...gg }, { ...gg }, { u: 'bob', t: 'gg', at: gg.at }, { u: 'anna', t: 'new', at: gg.at }], parts).map((x) => x.id);
    expect(second.slice(0, 3)).toEqual(first);
    // Another livestream, or another second, is another message.
    expect(withOccurrenceIds([gg], (e) => ['stream2', e.u, e.at, e.t])[0]!.id).not.toBe(first[0]);
  });
});

describe('SeenWindow', () => {
  it('is bounded (oldest forgotten first) and survives a save/load through the state store', async () => {
    const store = new MemoryStateStore();
    const window = await SeenWindow.load(store, 'maya', 3);
    expect(window.primed).toBe(false);
    for (const id of ['a', 'b', 'c', 'd']) expect(window.add(id)).toBe(true);
    expect(window.add('d')).toBe(false);
    expect(['a', 'b', 'c', 'd'].map((id) => window.has(id))).toEqual([false, true, true, true]);
    window.markPrimed();
    await window.save(store, 'maya');
    const again = await SeenWindow.load(store, 'maya', 3);
    expect(again.primed).toBe(true);
    expect(['a', 'b', 'c', 'd'].map((id) => again.has(id))).toEqual([false, true, true, true]);
    expect(await store.get(SEEN_NAMESPACE, 'daniel')).toBeUndefined();
  });

  it('ignores a saved value of another shape instead of crashing (a fresh window)', async () => {
    const store = new MemoryStateStore();
    await store.set(SEEN_NAMESPACE, 'maya', { v: 99, what: 'else' });
    const window = await SeenWindow.load(store, 'maya', 10);
    expect(window.size).toBe(0);
    expect(window.primed).toBe(false);
  });
});

describe('CrossSourceDedupe (API and page both on)', () => {
  const api = (text: string, username = 'anna') => ({ source: 'api' as const, username, text });
  const page = (text: string, username = 'anna') => ({ source: 'browser' as const, username, text });

  it('emits a message once whichever source saw it first, and real repeats as often as they were sent', () => {
    const d = new CrossSourceDedupe();
    expect(d.admit(page('hi'), 0)).toBe(true);
    expect(d.admit(api('hi'), 1000)).toBe(false);
    expect(d.admit(api('gg'), 1000)).toBe(true);
    expect(d.admit(page('gg'), 1200)).toBe(false);
    expect(d.admit(page('gg'), 1300)).toBe(true); // a second "gg"
    expect(d.admit(api('gg'), 5000)).toBe(false);
    expect(d.admit(api('gg', 'bob'), 5000)).toBe(true); // someone else
    expect(d.admit({ ...api('gg'), rant: { amountCents: 100 } }, 5000)).toBe(true); // a rant is not the chat line
  });

  it('forgets tallies idle longer than the window', () => {
    const d = new CrossSourceDedupe(60_000);
    expect(d.admit(page('hi'), 0)).toBe(true);
    expect(d.admit(page('other'), 30_000)).toBe(true);
    expect(d.admit(api('hi'), 61_000)).toBe(true); // too late to be the same message
    expect(d.size).toBe(2);
  });
});

describe('OwnEchoes (the bot reading its own replies)', () => {
  const from = (source: 'api' | 'browser', username: string, text: string) => ({ source, username, text, badges: [] });

  it('drops a sent line once per source, only from the bot when it is named, and forgets after the window', async () => {
    const { OwnEchoes } = await import('../src/dedupe/own-echoes.js');
    const echoes = new OwnEchoes({ botUsername: 'StreamBot', windowMs: 60_000 });
    echoes.sent('hi Carol!', 0);
    expect(echoes.isEcho(from('browser', 'anna', 'hi Carol!'), 100)).toBe(false); // someone else
    expect(echoes.isEcho(from('browser', 'streambot', 'hi Carol! '), 200)).toBe(true);
    expect(echoes.isEcho(from('browser', 'streambot', 'hi Carol!'), 300)).toBe(false); // the page shows it once
    expect(echoes.isEcho(from('api', 'StreamBot', 'hi Carol!'), 5000)).toBe(true); // and the API once
    echoes.sent('again', 0);
    expect(echoes.isEcho(from('api', 'streambot', 'again'), 61_000)).toBe(false); // too late
    const anyone = new OwnEchoes();
    anyone.sent('gg', 0);
    expect(anyone.isEcho({ ...from('api', 'whoever', 'gg'), rant: { amountCents: 100 } }, 10)).toBe(false); // a rant is money, never an echo
    expect(anyone.isEcho(from('api', 'whoever', 'gg'), 10)).toBe(true);
  });
});
