import { fileURLToPath, pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

// The page's module, loaded as the browser loads it (plain JavaScript, no types).
type Found = { url: string; source: 'query' | 'localStorage' | 'default' | 'beside' | 'fallback' } | { url: null; source: 'none' };
type FetchLike = (url: string, init?: { cache?: string }) => Promise<{ ok: boolean; status: number; json(): Promise<unknown> }>;
interface StateRootModule {
  OVERRIDE_KEY: string;
  normalizeStateRoot(value: unknown, base: string): string | null;
  resolveStateRoot(href: string, storage: unknown): { url: string; source: string };
  clearStateRoot(href: string, storage: unknown): string;
  findStateRoot(href: string, storage: unknown, fetchImpl?: FetchLike, config?: { mode?: 'server' | 'static'; fallback?: string }): Promise<Found>;
}
let m: StateRootModule;
beforeAll(async () => {
  const file = fileURLToPath(new URL('../assets/state-root.js', import.meta.url));
  m = (await import(pathToFileURL(file).href)) as StateRootModule;
});

class MemoryStorage {
  readonly items = new Map<string, string>();
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
}

const throwingStorage = {
  getItem(): string {
    throw new Error('SecurityError: storage disabled');
  },
  setItem(): void {
    throw new Error('QuotaExceededError');
  },
  removeItem(): void {
    throw new Error('SecurityError: storage disabled');
  },
};

/** A fetch that answers from a URL -> body table (404 otherwise) and records what it was asked. */
function fakeFetch(files: Record<string, unknown | { status: number; body?: unknown } | Error>) {
  const calls: { url: string; init?: { cache?: string } }[] = [];
  const impl: FetchLike = async (url, init) => {
    calls.push({ url, ...(init === undefined ? {} : { init }) });
    const entry = files[url];
    if (entry instanceof Error) throw entry;
    if (entry === undefined) return { ok: false, status: 404, json: async () => ({}) };
    const { status, body } = typeof entry === 'object' && entry !== null && 'status' in entry ? (entry as { status: number; body?: unknown }) : { status: 200, body: entry };
    return {
      ok: status >= 200 && status < 300,
      status,
      json: async () => (typeof body === 'string' ? JSON.parse(body) : body),
    };
  };
  return { impl, calls };
}

const PAGE = 'https://me.github.io/streams/index.html';
const BESIDE = 'https://me.github.io/streams/';
const PROBE = `${BESIDE}shared/state/runtime_snapshot.json`;
const FALLBACK = 'https://state.example.net/root/';
const OTHER = 'https://other.example.org/state/';
const snapshot = { meta: { generatedAt: '2026-11-27T12:00:00.000Z' }, creators: [] };

describe('findStateRoot, static mode', () => {
  const config = { mode: 'static' as const, fallback: FALLBACK };

  it('1. ?stateRoot= wins over everything, is normalized and saved', async () => {
    const storage = new MemoryStorage();
    storage.setItem('streamsuites.stateRootOverride', 'https://stale.example/');
    const fetch = fakeFetch({ [PROBE]: snapshot });
    const found = await m.findStateRoot(`${PAGE}?stateRoot=${encodeURIComponent('https://other.example.org/state')}`, storage, fetch.impl, config);
    expect(found).toEqual({ url: OTHER, source: 'query' });
    expect(storage.getItem(m.OVERRIDE_KEY)).toBe(OTHER);
    expect(m.OVERRIDE_KEY).toBe('streamsuites.stateRootOverride');
    expect(fetch.calls).toEqual([]); // no probe when an override decides
  });

  it('1. a relative ?stateRoot= resolves against the page', async () => {
    const found = await m.findStateRoot(`${PAGE}?stateRoot=data`, new MemoryStorage(), fakeFetch({}).impl, config);
    expect(found).toEqual({ url: `${BESIDE}data/`, source: 'query' });
  });

  it('1. then the saved override', async () => {
    const storage = new MemoryStorage();
    storage.setItem(m.OVERRIDE_KEY, OTHER);
    const fetch = fakeFetch({ [PROBE]: snapshot });
    expect(await m.findStateRoot(PAGE, storage, fetch.impl, config)).toEqual({ url: OTHER, source: 'localStorage' });
    expect(fetch.calls).toEqual([]);
  });

  it('2. then the folder holding the page, when its runtime snapshot is there (probed without the cache)', async () => {
    const fetch = fakeFetch({ [PROBE]: snapshot });
    expect(await m.findStateRoot(`${PAGE}#top`, new MemoryStorage(), fetch.impl, config)).toEqual({ url: BESIDE, source: 'beside' });
    expect(fetch.calls).toHaveLength(1);
    expect(fetch.calls[0]!.url).toBe(PROBE);
    expect(fetch.calls[0]!.init?.cache).toBe('no-cache');
  });

  it('2. a page at the folder address (no index.html) probes the same folder', async () => {
    const fetch = fakeFetch({ [PROBE]: snapshot });
    expect(await m.findStateRoot(BESIDE, undefined, fetch.impl, config)).toEqual({ url: BESIDE, source: 'beside' });
  });

  it('3. then the configured fallback, when nothing is beside the page', async () => {
    const fetch = fakeFetch({});
    expect(await m.findStateRoot(PAGE, new MemoryStorage(), fetch.impl, config)).toEqual({ url: FALLBACK, source: 'fallback' });
    expect(fetch.calls.map((call) => call.url)).toEqual([PROBE]);
  });

  it('3. the fallback gets its trailing slash', async () => {
    const found = await m.findStateRoot(PAGE, undefined, fakeFetch({}).impl, { mode: 'static', fallback: 'https://state.example.net/root' });
    expect(found).toEqual({ url: FALLBACK, source: 'fallback' });
  });

  it('no state beside and no fallback: none', async () => {
    expect(await m.findStateRoot(PAGE, new MemoryStorage(), fakeFetch({}).impl, { mode: 'static', fallback: '' })).toEqual({ url: null, source: 'none' });
  });

  it.each([
    ['a 500', { status: 500, body: snapshot }],
    ['a JSON array', [snapshot]],
    ['JSON null', null],
    ['not JSON', { status: 200, body: '<html>404 page of a SPA host</html>' }],
    ['a network error', new TypeError('Failed to fetch')],
  ])('a probe answered with %s does not count as state beside the page', async (_name, answer) => {
    const fetch = fakeFetch({ [PROBE]: answer });
    expect(await m.findStateRoot(PAGE, undefined, fetch.impl, config)).toEqual({ url: FALLBACK, source: 'fallback' });
  });

  it('a 2xx other than 200 with a JSON object counts', async () => {
    const fetch = fakeFetch({ [PROBE]: { status: 203, body: snapshot } });
    expect(await m.findStateRoot(PAGE, undefined, fetch.impl, config)).toEqual({ url: BESIDE, source: 'beside' });
  });

  it.each(['javascript:alert(1)//', 'file:///etc/', 'data:text/plain,x', ' ', 'http://[bad'])('ignores ?stateRoot=%s and a saved %s', async (bad) => {
    const storage = new MemoryStorage();
    const fetch = fakeFetch({ [PROBE]: snapshot });
    expect(await m.findStateRoot(`${PAGE}?stateRoot=${encodeURIComponent(bad)}`, storage, fetch.impl, config)).toEqual({ url: BESIDE, source: 'beside' });
    expect(storage.items.size).toBe(0);
    storage.setItem(m.OVERRIDE_KEY, bad);
    expect(await m.findStateRoot(PAGE, storage, fetch.impl, config)).toEqual({ url: BESIDE, source: 'beside' });
  });

  it.each(['javascript:alert(1)//', 'file:///srv/state/', 'relative/state/', '/absolute-path/'])('ignores a configured fallback %s', async (bad) => {
    expect(await m.findStateRoot(PAGE, undefined, fakeFetch({}).impl, { mode: 'static', fallback: bad })).toEqual({ url: null, source: 'none' });
  });

  it('storage that throws: the query still applies, and the lookup goes on without it', async () => {
    const fetch = fakeFetch({ [PROBE]: snapshot });
    expect(await m.findStateRoot(`${PAGE}?stateRoot=${encodeURIComponent(OTHER)}`, throwingStorage, fetch.impl, config)).toEqual({ url: OTHER, source: 'query' });
    expect(await m.findStateRoot(PAGE, throwingStorage, fetch.impl, config)).toEqual({ url: BESIDE, source: 'beside' });
    expect(m.clearStateRoot(`${PAGE}?stateRoot=x&a=1`, throwingStorage)).toBe(`${PAGE}?a=1`);
  });
});

describe('findStateRoot, server mode', () => {
  it('the override, else this server\'s /state/ without probing anything', async () => {
    const page = 'http://127.0.0.1:8787/';
    const fetch = fakeFetch({});
    expect(await m.findStateRoot(page, new MemoryStorage(), fetch.impl, { mode: 'server', fallback: FALLBACK })).toEqual({ url: 'http://127.0.0.1:8787/state/', source: 'default' });
    const storage = new MemoryStorage();
    expect(await m.findStateRoot(`${page}?stateRoot=${encodeURIComponent(OTHER)}`, storage, fetch.impl, { mode: 'server' })).toEqual({ url: OTHER, source: 'query' });
    expect(await m.findStateRoot(page, storage, fetch.impl, { mode: 'server' })).toEqual({ url: OTHER, source: 'localStorage' });
    expect(fetch.calls).toEqual([]);
  });

  it('is the mode without <meta> tags or a DOM (this test has no document)', async () => {
    const fetch = fakeFetch({});
    expect(await m.findStateRoot('http://127.0.0.1:8787/', undefined, fetch.impl)).toEqual({ url: 'http://127.0.0.1:8787/state/', source: 'default' });
    expect(fetch.calls).toEqual([]);
  });

  it('resolveStateRoot keeps answering synchronously for the server page', () => {
    const storage = new MemoryStorage();
    expect(m.resolveStateRoot('http://127.0.0.1:8787/', storage)).toEqual({ url: 'http://127.0.0.1:8787/state/', source: 'default' });
    expect(m.resolveStateRoot(`http://127.0.0.1:8787/?stateRoot=${encodeURIComponent(OTHER)}`, storage)).toEqual({ url: OTHER, source: 'query' });
    expect(m.resolveStateRoot('http://127.0.0.1:8787/', storage)).toEqual({ url: OTHER, source: 'localStorage' });
    expect(m.clearStateRoot(`http://127.0.0.1:8787/?stateRoot=${encodeURIComponent(OTHER)}`, storage)).toBe('http://127.0.0.1:8787/');
    expect(storage.items.size).toBe(0);
  });
});

describe('findStateRoot reads the page\'s <meta> tags', () => {
  it('static mode and the fallback from document, when the caller gives no config', async () => {
    const metas: Record<string, string> = { 'streamsuites-mode': 'static', 'streamsuites-fallback-state-root': FALLBACK };
    const fakeDocument = {
      querySelector: (selector: string) => {
        const name = /meta\[name="([^"]+)"\]/.exec(selector)?.[1] ?? '';
        return name in metas ? { getAttribute: (attribute: string) => (attribute === 'content' ? metas[name]! : null) } : null;
      },
    };
    const global = globalThis as { document?: unknown };
    global.document = fakeDocument;
    try {
      expect(await m.findStateRoot(PAGE, undefined, fakeFetch({}).impl)).toEqual({ url: FALLBACK, source: 'fallback' });
      expect(await m.findStateRoot(PAGE, undefined, fakeFetch({ [PROBE]: snapshot }).impl)).toEqual({ url: BESIDE, source: 'beside' });
      // An explicit config wins over the tags.
      expect(await m.findStateRoot(PAGE, undefined, fakeFetch({}).impl, { mode: 'server', fallback: '' })).toEqual({ url: 'https://me.github.io/state/', source: 'default' });
    } finally {
      delete global.document;
    }
  });
});
