/**
 * The StateStore behaviour every backend must have, written once. Run it with
 * `describeStateStore('memory', () => new MemoryStateStore())`; the SQLite
 * package runs the same suite against its store.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { StateStore } from '@streamsuites/kernel';

export interface StateStoreBackend {
  open(): StateStore | Promise<StateStore>;
  /** Closes what open() returned (after each test). */
  close?(store: StateStore): void | Promise<void>;
}

class Point {
  constructor(
    public x: number,
    public y: number,
  ) {}
}

export function describeStateStore(name: string, backend: StateStoreBackend): void {
  describe(`StateStore contract: ${name}`, () => {
    const opened: StateStore[] = [];
    afterEach(async () => {
      for (const store of opened.splice(0)) await backend.close?.(store);
    });
    const open = async () => {
      const store = await backend.open();
      opened.push(store);
      return store;
    };

    describe('key-value', () => {
      it('round-trips JSON values exactly, null included', async () => {
        const store = await open();
        const values: unknown[] = [
          { nested: { list: [1, 'two', null, true, { deep: [] }] }, empty: {}, text: 'héllo 👋 "quoted"\n' },
          [0, -1.5, 1e300, Number.MAX_SAFE_INTEGER],
          'plain string',
          '',
          42,
          false,
          null,
        ];
        for (const [i, value] of values.entries()) await store.set('test.values', `k${i}`, value);
        for (const [i, value] of values.entries()) expect(await store.get('test.values', `k${i}`)).toEqual(value);
        expect(await store.get('test.values', 'k6')).toBeNull();
        expect(await store.get('test.values', 'missing')).toBeUndefined();
      });

      it('set replaces, delete reports whether the key existed', async () => {
        const store = await open();
        await store.set('test.kv', 'a', 1);
        await store.set('test.kv', 'a', { v: 2 });
        expect(await store.get('test.kv', 'a')).toEqual({ v: 2 });
        expect(await store.delete('test.kv', 'a')).toBe(true);
        expect(await store.delete('test.kv', 'a')).toBe(false);
        expect(await store.get('test.kv', 'a')).toBeUndefined();
      });

      it('namespaces are separate', async () => {
        const store = await open();
        await store.set('one.ns', 'key', 'one');
        await store.set('two.ns', 'key', 'two');
        expect(await store.get('one.ns', 'key')).toBe('one');
        expect(await store.get('two.ns', 'key')).toBe('two');
        await store.delete('one.ns', 'key');
        expect(await store.get('two.ns', 'key')).toBe('two');
        expect(await store.entries('one.ns')).toEqual([]);
      });

      it('entries are sorted by code point, whatever the insertion order', async () => {
        const store = await open();
        // UTF-16 order would put the emoji (a surrogate pair) before U+FFFD; code point order puts it last.
        const keys = ['b', '\u{1F600}', 'a', '\uFFFD', 'A', 'a b', 'aa', 'user:42/x', 'a\0x'];
        for (const key of keys) await store.set('test.sorted', key, key.length);
        const entries = await store.entries<number>('test.sorted');
        expect(entries.map(([key]) => key)).toEqual(['A', 'a', 'a\0x', 'a b', 'aa', 'b', 'user:42/x', '\uFFFD', '\u{1F600}']);
        expect(entries.find(([key]) => key === '\u{1F600}')?.[1]).toBe(2);
      });

      it('copies values in and out: no aliasing', async () => {
        const store = await open();
        const value = { list: [1, 2], inner: { n: 1 } };
        await store.set('test.copy', 'v', value);
        value.list.push(3);
        value.inner.n = 99;
        const first = await store.get<typeof value>('test.copy', 'v');
        expect(first).toEqual({ list: [1, 2], inner: { n: 1 } });
        first!.list.push(4);
        first!.inner.n = 7;
        const second = await store.get<typeof value>('test.copy', 'v');
        expect(second).toEqual({ list: [1, 2], inner: { n: 1 } });
        expect(second).not.toBe(first);
        const [[, fromEntries]] = (await store.entries<typeof value>('test.copy')) as [[string, typeof value]];
        fromEntries.list.length = 0;
        expect(await store.get('test.copy', 'v')).toEqual({ list: [1, 2], inner: { n: 1 } });
      });

      it('accepts shared (non-cyclic) references and drops undefined properties', async () => {
        const store = await open();
        const shared = { id: 1 };
        await store.set('test.shared', 'v', { a: shared, b: shared, gone: undefined });
        expect(await store.get('test.shared', 'v')).toStrictEqual({ a: { id: 1 }, b: { id: 1 } });
      });

      it.each([
        ['a function', { f: () => 1 }, '$.f'],
        ['a BigInt', { n: 10n }, '$.n'],
        ['a symbol', [Symbol('s')], '$[0]'],
        ['NaN', { deep: { n: Number.NaN } }, '$.deep.n'],
        ['Infinity', [1, Number.POSITIVE_INFINITY], '$[1]'],
        ['a Date', { at: new Date(0) }, '$.at'],
        ['a Map', { m: new Map() }, '$.m'],
        ['a class instance', { p: new Point(1, 2) }, '$.p'],
        ['undefined', undefined, '$'],
        ['undefined in an array', [1, undefined], '$[1]'],
        ['a sparse array', [1, , 3], '$[1]'],
        ['an odd key', { 'a b': { c: () => 0 } }, '$["a b"].c'],
      ])('refuses %s with SS_ERR_NOT_JSON naming the path, and stores nothing', async (_label, value, path) => {
        const store = await open();
        await store.set('test.json', 'k', 'before');
        const error = await store.set('test.json', 'k', value).catch((e: unknown) => e);
        expect(error).toMatchObject({ code: 'SS_ERR_NOT_JSON', details: { path } });
        expect((error as Error).message).toContain(path);
        expect(await store.get('test.json', 'k')).toBe('before');
        await expect(store.append('test.json', value)).rejects.toMatchObject({ code: 'SS_ERR_NOT_JSON' });
        expect(await store.lastSeq('test.json')).toBe(0);
      });

      it('refuses cycles', async () => {
        const store = await open();
        const cyclic: Record<string, unknown> = { a: 1 };
        cyclic.self = { back: cyclic };
        await expect(store.set('test.json', 'cycle', cyclic)).rejects.toMatchObject({ code: 'SS_ERR_NOT_JSON', details: { path: '$.self.back' } });
      });

      it.each([
        ['namespace', 'empty', ''],
        ['namespace', 'uppercase start', 'Upper.case'],
        ['namespace', 'empty segment', 'a..b'],
        ['namespace', 'space', 'has space'],
        ['namespace', '129 characters', 'x'.repeat(129)],
        ['namespace', 'non-string', 7],
        ['key', 'empty', ''],
        ['key', '1025 characters', 'k'.repeat(1025)],
        ['key', 'lone surrogate', 'lone\uD800surrogate'],
        ['key', 'non-string', 12],
      ])('refuses a %s (%s) with SS_ERR_STATE_ARGUMENT', async (kind, _label, bad) => {
        const store = await open();
        const [namespace, key] = (kind === 'namespace' ? [bad, 'k'] : ['test.names', bad]) as [string, string];
        await expect(store.set(namespace, key, 1)).rejects.toMatchObject({ code: 'SS_ERR_STATE_ARGUMENT' });
        await expect(store.get(namespace, key)).rejects.toMatchObject({ code: 'SS_ERR_STATE_ARGUMENT' });
        await expect(store.delete(namespace, key)).rejects.toMatchObject({ code: 'SS_ERR_STATE_ARGUMENT' });
      });

      it('accepts the longest valid names and unusual but valid keys', async () => {
        const store = await open();
        const namespace = `a${'.b'.repeat(63)}x`.slice(0, 128);
        for (const key of ['k'.repeat(1024), ' spaced ', 'ünïcödé', '😀', 'a/b:c?d=e', 'user\0alice\0clip']) {
          await store.set(namespace, key, key);
          expect(await store.get(namespace, key)).toBe(key);
        }
      });
    });

    describe('append-only tables', () => {
      it('numbers rows 1, 2, 3... per table and reads them in order', async () => {
        const store = await open();
        expect(await store.lastSeq('test.log')).toBe(0);
        expect(await store.append('test.log', { n: 1 })).toBe(1);
        expect(await store.append('test.log', { n: 2 })).toBe(2);
        expect(await store.append('other.log', 'x')).toBe(1);
        expect(await store.append('test.log', [3])).toBe(3);
        expect(await store.read('test.log')).toEqual([
          { seq: 1, record: { n: 1 } },
          { seq: 2, record: { n: 2 } },
          { seq: 3, record: [3] },
        ]);
        expect(await store.read('other.log')).toEqual([{ seq: 1, record: 'x' }]);
        expect(await store.lastSeq('test.log')).toBe(3);
        expect(await store.read('never.written')).toEqual([]);
      });

      it('pages with afterSeq and limit', async () => {
        const store = await open();
        for (let i = 1; i <= 10; i++) await store.append('test.page', i);
        expect((await store.read<number>('test.page', { afterSeq: 7 })).map((r) => r.record)).toEqual([8, 9, 10]);
        expect((await store.read<number>('test.page', { limit: 2 })).map((r) => r.seq)).toEqual([1, 2]);
        expect((await store.read<number>('test.page', { afterSeq: 2, limit: 3 })).map((r) => r.seq)).toEqual([3, 4, 5]);
        expect(await store.read('test.page', { afterSeq: 10 })).toEqual([]);
        expect(await store.read('test.page', { limit: 0 })).toEqual([]);
        const pages: number[][] = [];
        for (let after = 0; ; ) {
          const page = await store.read<number>('test.page', { afterSeq: after, limit: 4 });
          if (page.length === 0) break;
          pages.push(page.map((r) => r.record));
          after = page.at(-1)!.seq;
        }
        expect(pages).toEqual([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10]]);
      });

      it('copies records in and out', async () => {
        const store = await open();
        const record = { tags: ['a'] };
        await store.append('test.copies', record);
        record.tags.push('mutated');
        const [row] = await store.read<typeof record>('test.copies');
        expect(row!.record).toEqual({ tags: ['a'] });
        row!.record.tags.push('again');
        expect((await store.read('test.copies'))[0]!.record).toEqual({ tags: ['a'] });
      });

      it('trims with keepLast and beforeSeq; sequence numbers are never reused', async () => {
        const store = await open();
        for (let i = 1; i <= 10; i++) await store.append('test.trim', i);
        expect(await store.trim('test.trim', { keepLast: 4 })).toBe(6);
        expect((await store.read('test.trim')).map((r) => r.seq)).toEqual([7, 8, 9, 10]);
        expect(await store.trim('test.trim', { beforeSeq: 9 })).toBe(2);
        expect((await store.read('test.trim')).map((r) => r.seq)).toEqual([9, 10]);
        expect(await store.trim('test.trim', { keepLast: 5, beforeSeq: 10 })).toBe(1);
        expect(await store.trim('test.trim', { keepLast: 0 })).toBe(1);
        expect(await store.read('test.trim')).toEqual([]);
        expect(await store.lastSeq('test.trim')).toBe(10);
        expect(await store.append('test.trim', 'next')).toBe(11);
        expect(await store.read('test.trim', { afterSeq: 3 })).toEqual([{ seq: 11, record: 'next' }]);
        expect(await store.trim('test.unknown', { keepLast: 1 })).toBe(0);
      });

      it('gives concurrent appends distinct, consecutive numbers', async () => {
        const store = await open();
        const seqs = await Promise.all(Array.from({ length: 50 }, (_, i) => store.append('test.parallel', { i })));
        expect([...seqs].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
        const rows = await store.read<{ i: number }>('test.parallel');
        expect(rows.map((r) => r.record.i).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
      });

      it('refuses bad table names and options with SS_ERR_STATE_ARGUMENT', async () => {
        const store = await open();
        await expect(store.append('Bad Table', 1)).rejects.toMatchObject({ code: 'SS_ERR_STATE_ARGUMENT' });
        await expect(store.read('test.opts', { afterSeq: -1 })).rejects.toMatchObject({ code: 'SS_ERR_STATE_ARGUMENT' });
        await expect(store.read('test.opts', { limit: 1.5 })).rejects.toMatchObject({ code: 'SS_ERR_STATE_ARGUMENT' });
        await expect(store.trim('test.opts', {})).rejects.toMatchObject({ code: 'SS_ERR_STATE_ARGUMENT' });
        await expect(store.trim('test.opts', { keepLast: -3 })).rejects.toMatchObject({ code: 'SS_ERR_STATE_ARGUMENT' });
      });
    });
  });
}
