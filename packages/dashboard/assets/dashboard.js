// The page's entry: finds the state root, fetches the state files every 5 s
// (conditional requests: an unchanged file costs a 304 and is not parsed or
// drawn again), routes between the overview and a creator's view by the URL
// hash, and keeps one "updated" indicator for the whole page. Nothing here
// ever writes to the server.
import { ago, h, obj, str } from './dom.js';
import { createModel, FILES } from './model.js';
import * as stateRoot from './state-root.js';
import { creatorView, overview, parseRoute } from './views.js';

const REFRESH_MS = 5000;
/** Bearer token for a dashboard server exposed beyond this machine: kept for this tab only. */
const TOKEN_KEY = 'streamsuites.dashboardToken';
const THEME_KEY = 'streamsuites.theme';
/** A snapshot older than this reads as stale (the runtime rewrites them within seconds). */
const STALE_MS = 60_000;

const storage = storageOf('localStorage');
const session = storageOf('sessionStorage');
/** key → { state: 'ok' | 'missing' | 'error' | 'unauthorized', data?, etag?, message? } */
const loaded = new Map();
/** What the reader opened or filtered: kept across refreshes. */
const ui = { expanded: new Set(), chatPlatforms: new Map() };
let root;
let model = createModel(loaded);
let newest;

function storageOf(kind) {
  try {
    return window[kind];
  } catch {
    return undefined;
  }
}

const tokenHeader = () => {
  const token = session?.getItem(TOKEN_KEY);
  return token ? { Authorization: `Bearer ${token}` } : {};
};

async function load(key, file) {
  let response;
  try {
    // no-cache: the browser revalidates with If-None-Match; an unchanged file comes back from its cache.
    response = await fetch(new URL(file, root.url), { cache: 'no-cache', credentials: 'omit', headers: tokenHeader() });
  } catch {
    return { state: 'error', message: 'could not fetch (offline, or another origin that does not allow it)' };
  }
  if (response.status === 404) return { state: 'missing' };
  if (response.status === 401) return { state: 'unauthorized', message: 'needs the dashboard token' };
  if (!response.ok) return { state: 'error', message: `HTTP ${response.status}` };
  const etag = response.headers.get('ETag') ?? undefined;
  const previous = loaded.get(key);
  if (etag !== undefined && previous?.state === 'ok' && previous.etag === etag) {
    await response.body?.cancel().catch(() => undefined);
    return previous;
  }
  try {
    const data = await response.json();
    if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new Error('not an object');
    return { state: 'ok', data, etag };
  } catch {
    return { state: 'error', message: 'not a JSON object' };
  }
}

async function refresh() {
  const keys = Object.keys(FILES);
  const results = await Promise.all(keys.map((key) => load(key, FILES[key])));
  let changed = false;
  let latest;
  keys.forEach((key, index) => {
    const result = results[index];
    const before = loaded.get(key);
    if (before !== result && (before?.state !== result.state || result.state === 'ok' || before?.message !== result.message)) changed = true;
    loaded.set(key, result);
    const at = result.state === 'ok' ? str(obj(result.data.meta).generatedAt) : '';
    if (at !== '' && (latest === undefined || Date.parse(at) > Date.parse(latest))) latest = at;
  });
  newest = latest;
  document.body.dataset.runtimeState = loaded.get('snapshot').state;
  if (changed) {
    model = createModel(loaded);
    render();
  }
  problems();
  tick();
  document.body.dataset.refreshes = String(Number(document.body.dataset.refreshes ?? '0') + 1);
}

/** An http URL for a media file under the state root (clip video, poster). */
function mediaUrl(path) {
  return new URL(path, root.url).href;
}

// --- rendering ------------------------------------------------------------------

function render() {
  const route = parseRoute(window.location.hash);
  const view = document.getElementById('view');
  const focusKey = document.activeElement?.getAttribute?.('data-focus-key');
  const ctx = { now: Date.now(), mediaUrl };
  const cards = route.view === 'creator' ? creatorView(model, ui, ctx, route.id) : overview(model, ui, ctx);
  view.replaceChildren(...cards);
  view.dataset.view = route.view;
  if (route.view === 'creator') view.dataset.creator = route.id;
  else delete view.dataset.creator;
  nav(route);
  if (session?.getItem(TOKEN_KEY)) authorizeMedia(view);
  if (focusKey) document.querySelector(`[data-focus-key="${CSS.escape(focusKey)}"]`)?.focus({ preventScroll: true });
}

function nav(route) {
  const links = [['#/', 'Overview', route.view === 'overview'], ...model.creators().map((c) => [`#/creator/${encodeURIComponent(c.id)}`, c.name, route.view === 'creator' && route.id === c.id])];
  document.getElementById('nav-list').replaceChildren(...links.map(([href, label, current]) =>
    h('li', null, h('a', { href, ...(current ? { 'aria-current': 'page' } : {}) }, label))));
}

/** Files that could not be read, said once in the header (not in every card). */
function problems() {
  const bad = Object.keys(FILES).filter((key) => ['error', 'unauthorized'].includes(loaded.get(key)?.state));
  const el = document.getElementById('problems');
  el.hidden = bad.length === 0;
  el.replaceChildren(...(bad.length === 0 ? [] : [
    h('strong', null, `${bad.length} state file${bad.length === 1 ? '' : 's'} could not be read: `),
    bad.map((key) => `${FILES[key]} (${loaded.get(key).message})`).join('; '),
  ]));
  document.getElementById('token-form').hidden = !bad.some((key) => loaded.get(key).state === 'unauthorized');
}

function tick() {
  const now = Date.now();
  for (const el of document.querySelectorAll('[data-ago]')) el.textContent = ago(el.getAttribute('data-ago'), now);
  const updated = document.getElementById('updated');
  if (newest === undefined) {
    updated.textContent = root?.url === null ? 'no state root' : 'no snapshots yet';
    updated.dataset.stale = 'true';
    return;
  }
  updated.textContent = `updated ${ago(newest, now)}`;
  updated.title = newest;
  updated.dataset.stale = now - Date.parse(newest) > STALE_MS ? 'true' : 'false';
}

// --- interaction ----------------------------------------------------------------

function onClick(event) {
  const target = event.target instanceof Element ? event.target : null;
  const toggle = target?.closest('[data-toggle]');
  if (toggle) {
    const key = toggle.getAttribute('data-toggle');
    if (ui.expanded.has(key)) ui.expanded.delete(key);
    else ui.expanded.add(key);
    render();
    return;
  }
  const chip = target?.closest('[data-chat-platform]');
  if (chip) {
    const creator = parseRoute(window.location.hash).id;
    const selected = new Set(ui.chatPlatforms.get(creator) ?? []);
    const platform = chip.getAttribute('data-chat-platform');
    if (selected.has(platform)) selected.delete(platform);
    else selected.add(platform);
    ui.chatPlatforms.set(creator, selected);
    render();
    return;
  }
  const clip = target?.closest('.clip-open');
  if (clip) openClip(clip.getAttribute('data-clip'), clip);
}

/** Plays a clip in the page (its video under the state root), or opens its public link. */
function openClip(id, opener) {
  const clip = model.clips().find((c) => str(c.id) === id);
  if (clip === undefined) return;
  if (str(clip.video) === '') {
    const url = str(clip.url);
    if (/^https?:\/\//i.test(url)) window.open(url, '_blank', 'noopener,noreferrer');
    return;
  }
  const dialog = document.getElementById('player');
  const video = h('video', { controls: true, preload: 'auto', playsinline: true, ...(str(clip.poster) ? { poster: mediaUrl(str(clip.poster)) } : {}) });
  video.addEventListener('canplay', () => video.setAttribute('data-canplay', 'true'), { once: true });
  video.addEventListener('error', () => video.setAttribute('data-error', String(video.error?.code ?? 'unknown')), { once: true });
  if (session?.getItem(TOKEN_KEY)) void authorizedSrc(video, 'src', mediaUrl(str(clip.video)));
  else video.src = mediaUrl(str(clip.video));
  const link = /^https?:\/\//i.test(str(clip.url)) ? h('a', { href: str(clip.url), target: '_blank', rel: 'noopener noreferrer' }, 'Open the published clip') : null;
  document.getElementById('player-title').textContent = str(clip.title) || 'Clip';
  document.getElementById('player-body').replaceChildren(video, link ? h('p', null, link) : '');
  dialog.dataset.clip = id;
  dialog.addEventListener('close', () => {
    video.pause();
    video.removeAttribute('src');
    video.load();
    opener?.focus();
  }, { once: true });
  dialog.showModal();
}

/** Media fetched with the token, by URL: each file is downloaded once per page, not at every redraw. */
const blobUrls = new Map();

/** With a token, media is fetched with it and shown from a blob (an <img> or <video> cannot send a header). */
async function authorizedSrc(el, attribute, url) {
  try {
    let blobUrl = blobUrls.get(url);
    if (blobUrl === undefined) {
      const response = await fetch(url, { credentials: 'omit', headers: tokenHeader() });
      if (!response.ok) return;
      blobUrl = URL.createObjectURL(await response.blob());
      blobUrls.set(url, blobUrl);
    }
    el.setAttribute(attribute, blobUrl);
  } catch {
    // shown without it
  }
}

function authorizeMedia(view) {
  for (const img of view.querySelectorAll('img[src]')) {
    const url = img.getAttribute('src');
    img.removeAttribute('src');
    void authorizedSrc(img, 'src', url);
  }
}

// --- theme --------------------------------------------------------------------

const THEMES = ['system', 'light', 'dark'];

function applyTheme(theme) {
  if (theme === 'light' || theme === 'dark') document.documentElement.dataset.theme = theme;
  else delete document.documentElement.dataset.theme;
  const button = document.getElementById('theme');
  button.textContent = `Theme: ${theme}`;
  button.setAttribute('aria-label', `Colour theme: ${theme}. Change`);
}

function setupTheme() {
  let theme = THEMES.includes(storage?.getItem(THEME_KEY)) ? storage.getItem(THEME_KEY) : 'system';
  applyTheme(theme);
  document.getElementById('theme').addEventListener('click', () => {
    theme = THEMES[(THEMES.indexOf(theme) + 1) % THEMES.length];
    try {
      storage?.setItem(THEME_KEY, theme);
    } catch {
      // not remembered
    }
    applyTheme(theme);
  });
}

function setupToken() {
  const form = document.getElementById('token-form');
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const value = str(new FormData(form).get('token')).trim();
    try {
      if (value) session?.setItem(TOKEN_KEY, value);
      else session?.removeItem(TOKEN_KEY);
    } catch {
      // storage disabled: nothing to send
    }
    form.reset();
    void refresh();
  });
}

async function start() {
  setupTheme();
  setupToken();
  root = typeof stateRoot.findStateRoot === 'function'
    ? await stateRoot.findStateRoot(window.location.href, storage)
    : stateRoot.resolveStateRoot(window.location.href, storage);
  document.body.dataset.stateRoot = root.url ?? '';
  document.body.dataset.stateRootSource = root.source;
  document.getElementById('state-root').textContent = root.url ?? 'none found';
  document.getElementById('state-root-source').textContent = ({ default: '(this server)', query: '(from ?stateRoot)', localStorage: '(saved override)', beside: '(published beside this page)', fallback: '(configured fallback)', none: '' })[root.source] ?? '';
  const reset = document.getElementById('state-root-reset');
  if (root.source === 'query' || root.source === 'localStorage') {
    reset.hidden = false;
    reset.addEventListener('click', () => window.location.assign(stateRoot.clearStateRoot(window.location.href, storage)));
  }
  document.getElementById('view').addEventListener('click', onClick);
  window.addEventListener('hashchange', () => {
    render();
    document.querySelector('#view .view-title')?.focus({ preventScroll: false });
  });
  render();
  if (root.url === null) {
    document.getElementById('problems').hidden = false;
    document.getElementById('problems').textContent = 'No state root found: open this page with ?stateRoot=<url of a published state root>/, or publish the state beside it (streamsuites dashboard build --help).';
    document.body.dataset.runtimeState = 'missing';
    tick();
    return;
  }
  // One refresh at a time: the next starts 5 s after the previous finished.
  const loop = async () => {
    await refresh().catch(() => undefined);
    setTimeout(loop, REFRESH_MS);
  };
  void loop();
  setInterval(tick, 1000);
}

void start();
