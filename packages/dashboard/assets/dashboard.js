// The page's entry: finds the state root, fetches every state file every 5 s
// (fetch, no reload) and re-renders each section. Missing files show an
// empty state; nothing here ever writes to the server.
import { ago, empty, h, obj, str } from './dom.js';
import * as render from './render.js';
import { clearStateRoot, resolveStateRoot } from './state-root.js';

const REFRESH_MS = 5000;

/** section id -> file under the state root, and its renderer */
const SECTIONS = [
  { id: 'runtime', file: 'shared/state/runtime_snapshot.json', render: render.runtime },
  { id: 'quotas', file: 'shared/state/quotas.json', render: render.quotas },
  { id: 'rate-limits', file: 'runtime/admin/rate_limits.json', render: render.rateLimits },
  { id: 'clips', file: 'runtime/exports/clips.json', render: render.clips },
  { id: 'polls', file: 'runtime/exports/polls.json', render: render.polls },
  { id: 'tallies', file: 'runtime/exports/tallies.json', render: render.tallies },
  { id: 'scoreboards', file: 'runtime/exports/scoreboards.json', render: render.scoreboards },
  { id: 'jobs', file: 'shared/state/jobs.json', render: render.jobs },
  { id: 'chat', file: 'runtime/signals/chat_events.json', render: render.chat },
];

/** @returns {Promise<{ state: 'ok', data: object } | { state: 'missing' } | { state: 'error', message: string }>} */
async function load(root, file) {
  let response;
  try {
    response = await fetch(new URL(file, root), { cache: 'no-store', credentials: 'omit' });
  } catch {
    return { state: 'error', message: 'could not fetch (offline, or another origin that does not allow it)' };
  }
  if (response.status === 404) return { state: 'missing' };
  if (!response.ok) return { state: 'error', message: `HTTP ${response.status}` };
  try {
    const data = await response.json();
    if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new Error('not an object');
    return { state: 'ok', data };
  } catch {
    return { state: 'error', message: 'not a JSON object' };
  }
}

function renderSection(section, result, root) {
  const el = document.getElementById(section.id);
  if (el === null) return undefined;
  const body = el.querySelector('.body');
  let generatedAt;
  let nodes;
  if (result.state === 'ok') {
    generatedAt = str(obj(result.data.meta).generatedAt) || undefined;
    try {
      nodes = section.render(result.data);
    } catch {
      nodes = [h('p', { class: 'error-text' }, 'This file has an unexpected shape.')];
    }
  } else if (result.state === 'missing') {
    nodes = [empty('Nothing published yet.'), h('p', { class: 'muted small' }, `${section.file} is not in the state root.`)];
  } else {
    nodes = [h('p', { class: 'error-text' }, `Cannot read ${section.file}: ${result.message}.`)];
  }
  const stamp = generatedAt === undefined ? null : h('p', { class: 'stamp muted' }, 'updated ', h('time', { datetime: generatedAt, title: generatedAt, 'data-ago': generatedAt }, ago(generatedAt)));
  el.dataset.state = result.state;
  el.dataset.source = new URL(section.file, root).href;
  body.replaceChildren(...nodes, ...(stamp ? [stamp] : []));
  return generatedAt;
}

let newest;

function tick() {
  for (const el of document.querySelectorAll('[data-ago]')) el.textContent = ago(el.getAttribute('data-ago'));
  const updated = document.getElementById('updated');
  if (updated !== null) {
    updated.textContent = newest === undefined ? 'no snapshots yet' : `updated ${ago(newest)}`;
    if (newest !== undefined) updated.title = newest;
  }
}

async function refresh(root) {
  const results = await Promise.all(SECTIONS.map((section) => load(root, section.file)));
  let latest;
  for (const [index, section] of SECTIONS.entries()) {
    const at = renderSection(section, results[index], root);
    if (at !== undefined && (latest === undefined || Date.parse(at) > Date.parse(latest))) latest = at;
  }
  newest = latest;
  tick();
  document.body.dataset.refreshes = String(Number(document.body.dataset.refreshes ?? '0') + 1);
}

function start() {
  const storage = (() => {
    try {
      return window.localStorage;
    } catch {
      return undefined;
    }
  })();
  const root = resolveStateRoot(window.location.href, storage);
  document.body.dataset.stateRoot = root.url;
  document.body.dataset.stateRootSource = root.source;
  document.getElementById('state-root').textContent = root.url;
  document.getElementById('state-root-source').textContent = root.source === 'default' ? '(this server)' : `(from ${root.source === 'query' ? '?stateRoot' : 'saved override'})`;
  const reset = document.getElementById('state-root-reset');
  if (root.source !== 'default') {
    reset.hidden = false;
    reset.addEventListener('click', () => window.location.assign(clearStateRoot(window.location.href, storage)));
  }
  // One refresh at a time: the next starts 5 s after the previous finished.
  const loop = async () => {
    await refresh(root.url).catch(() => undefined);
    setTimeout(loop, REFRESH_MS);
  };
  void loop();
  setInterval(tick, 1000);
}

start();
