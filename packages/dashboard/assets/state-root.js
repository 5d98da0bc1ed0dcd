// Where the page reads the snapshots from. Lookup order (as the Python
// dashboard): ?stateRoot=<url> (remembered in localStorage), then the
// remembered value, then this server's /state/.

export const OVERRIDE_KEY = 'streamsuites.stateRootOverride';
export const DEFAULT_STATE_ROOT = '/state/';

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
 * @param {string} href the page's address
 * @param {Storage | undefined} storage
 * @returns {{ url: string, source: 'query' | 'localStorage' | 'default' }}
 */
export function resolveStateRoot(href, storage) {
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
  return { url: new URL(DEFAULT_STATE_ROOT, href).href, source: 'default' };
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
