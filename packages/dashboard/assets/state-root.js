// Where the page reads the snapshots from. Lookup order (as the Python
// dashboard):
//   1. ?stateRoot=<url> (remembered in localStorage), then the remembered value;
//   2. server mode: this server's /state/. Static mode (a `streamsuites
//      dashboard build` folder on any static host): the folder holding
//      index.html, when ./shared/state/runtime_snapshot.json is there;
//   3. static mode: the fallback URL the build was given, else none.
// The mode and the fallback come from two <meta> tags in index.html:
//   <meta name="streamsuites-mode" content="server|static">
//   <meta name="streamsuites-fallback-state-root" content="https://…/">

export const OVERRIDE_KEY = 'streamsuites.stateRootOverride';
export const DEFAULT_STATE_ROOT = '/state/';
export const MODE_META = 'streamsuites-mode';
export const FALLBACK_META = 'streamsuites-fallback-state-root';
/** The file whose presence beside the page makes the page's folder the state root (static mode). */
export const BESIDE_PROBE = 'shared/state/runtime_snapshot.json';

/**
 * An absolute http(s) URL ending with '/', or null when the value cannot be a
 * state root (empty, unparsable, javascript:, file:...).
 * @param {unknown} value
 * @param {string} base
 * @returns {string | null}
 */
export function normalizeStateRoot(value, base) {
  if (typeof value !== 'string' || value.trim() === '') return null;
  let url;
  try {
    url = new URL(value.trim(), base);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  url.search = '';
  url.hash = '';
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url.href;
}

/**
 * Step 1: ?stateRoot= (saved for later loads), then the saved override.
 * @param {string} href
 * @param {Storage | undefined} storage
 * @returns {{ url: string, source: 'query' | 'localStorage' } | null}
 */
function override(href, storage) {
  const fromQuery = normalizeStateRoot(new URL(href).searchParams.get('stateRoot'), href);
  if (fromQuery !== null) {
    try {
      storage?.setItem(OVERRIDE_KEY, fromQuery);
    } catch {
      // storage disabled: the override still applies to this load
    }
    return { url: fromQuery, source: 'query' };
  }
  let stored = null;
  try {
    stored = storage?.getItem(OVERRIDE_KEY) ?? null;
  } catch {
    stored = null;
  }
  const fromStorage = normalizeStateRoot(stored, href);
  if (fromStorage !== null) return { url: fromStorage, source: 'localStorage' };
  return null;
}

/**
 * Server mode only (synchronous): the override, else this server's /state/.
 * @param {string} href the page's address
 * @param {Storage | undefined} storage
 * @returns {{ url: string, source: 'query' | 'localStorage' | 'default' }}
 */
export function resolveStateRoot(href, storage) {
  return override(href, storage) ?? { url: new URL(DEFAULT_STATE_ROOT, href).href, source: 'default' };
}

/**
 * The page's mode and fallback from its <meta> tags; server mode without them
 * (or without a DOM).
 * @returns {{ mode: 'server' | 'static', fallback: string }}
 */
export function readPageConfig() {
  const content = (name) => {
    try {
      if (typeof document === 'undefined') return '';
      return document.querySelector(`meta[name="${name}"]`)?.getAttribute('content') ?? '';
    } catch {
      return '';
    }
  };
  return { mode: content(MODE_META).trim() === 'static' ? 'static' : 'server', fallback: content(FALLBACK_META) };
}

/**
 * Whether `root` holds a state root: a 2xx answer with a JSON object for
 * shared/state/runtime_snapshot.json. Any failure is "no".
 * @param {string} root
 * @param {typeof fetch} fetchImpl
 */
async function holdsState(root, fetchImpl) {
  try {
    const response = await fetchImpl(new URL(BESIDE_PROBE, root).href, { cache: 'no-cache', credentials: 'omit' });
    if (!response.ok) return false;
    const body = await response.json();
    return typeof body === 'object' && body !== null && !Array.isArray(body);
  } catch {
    return false;
  }
}

/**
 * The state root for this page, in the lookup order above.
 * @param {string} href the page's address
 * @param {Storage | undefined} storage
 * @param {typeof fetch} [fetchImpl] used only in static mode, to probe beside the page
 * @param {{ mode?: 'server' | 'static', fallback?: string }} [config] defaults to the page's <meta> tags
 * @returns {Promise<{ url: string, source: 'query' | 'localStorage' | 'default' | 'beside' | 'fallback' } | { url: null, source: 'none' }>}
 */
export async function findStateRoot(href, storage, fetchImpl = fetch, config = undefined) {
  const page = config === undefined || config.mode === undefined || config.fallback === undefined ? readPageConfig() : undefined;
  const mode = config?.mode ?? page?.mode ?? 'server';
  const fallback = config?.fallback ?? page?.fallback ?? '';
  const chosen = override(href, storage);
  if (chosen !== null) return chosen;
  if (mode !== 'static') return { url: new URL(DEFAULT_STATE_ROOT, href).href, source: 'default' };
  const beside = normalizeStateRoot('./', href);
  if (beside !== null && (await holdsState(beside, fetchImpl))) return { url: beside, source: 'beside' };
  // The fallback must be absolute: a relative one would silently mean "beside".
  const configured = /^https?:\/\//i.test(fallback.trim()) ? normalizeStateRoot(fallback, href) : null;
  if (configured !== null) return { url: configured, source: 'fallback' };
  return { url: null, source: 'none' };
}

/** Forgets the override; returns the page address without ?stateRoot. */
export function clearStateRoot(href, storage) {
  try {
    storage?.removeItem(OVERRIDE_KEY);
  } catch {
    // nothing stored
  }
  const url = new URL(href);
  url.searchParams.delete('stateRoot');
  return url.href;
}
