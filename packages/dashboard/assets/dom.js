// DOM helpers that only ever create text nodes from data: no innerHTML, so a
// chat message or clip title cannot inject markup.

/**
 * h('td', { class: 'num' }, 'text', childNode, null)
 * @param {string} tag
 * @param {Record<string, string | number | boolean | undefined> | null} [attrs]
 * @param {...(Node | string | number | null | undefined | false)} children
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === false) continue;
    el.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    el.append(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** @returns {unknown[]} */
export const arr = (value) => (Array.isArray(value) ? value : []);
/** @returns {Record<string, unknown>} */
export const obj = (value) => (typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {});
/** @returns {string} */
export const str = (value) => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '');
/** @returns {number | undefined} */
export const num = (value) => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

/** A CSS class suffix from data (status words): letters, digits and '-' only. */
export const token = (value) => str(value).toLowerCase().replace(/[^a-z0-9-]/g, '-').slice(0, 32) || 'unknown';

const numberFormat = new Intl.NumberFormat('en');
export const fmtNum = (value) => (num(value) === undefined ? '–' : numberFormat.format(value));

/** "3 s ago", "4 min ago", "2 h ago", "5 d ago"; future times (quota resets) read "in 7 h". */
export function ago(iso, now = Date.now()) {
  const at = Date.parse(str(iso));
  if (Number.isNaN(at)) return '';
  const seconds = Math.round((now - at) / 1000);
  if (Math.abs(seconds) < 1) return 'just now';
  const span = spanText(Math.abs(seconds));
  return seconds > 0 ? `${span} ago` : `in ${span}`;
}

function spanText(seconds) {
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h`;
  return `${Math.floor(seconds / 86_400)} d`;
}

/** A <time> element with the ISO value and a relative label kept fresh by the ticker. */
export function time(iso) {
  const value = str(iso);
  if (value === '') return h('span', { class: 'muted' }, '–');
  return h('time', { datetime: value, title: value, 'data-ago': value }, ago(value));
}

/** 90 -> "1 min 30 s" */
export function duration(seconds) {
  const s = num(seconds);
  if (s === undefined) return '–';
  if (s < 60) return `${Math.round(s)} s`;
  if (s < 3600) return Math.round(s % 60) === 0 ? `${Math.floor(s / 60)} min` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/** A table with a header row; `rows` are arrays of cells (nodes or text). */
export function table(headers, rows) {
  return h(
    'table',
    null,
    h('thead', null, h('tr', null, ...headers.map((label) => h('th', { scope: 'col' }, label)))),
    h('tbody', null, ...rows.map((cells) => h('tr', null, ...cells.map((cell) => h('td', null, cell))))),
  );
}

export const badge = (value, text) => h('span', { class: `badge badge-${token(value)}` }, text ?? (str(value) || 'unknown'));

const PLATFORM_LETTERS = { twitch: 'T', youtube: 'Y', rumble: 'R', kick: 'K', x: 'X', discord: 'D' };

/** A platform's mark: a coloured letter tile (offline: no icon files or fonts), named for screen readers. */
export function platformIcon(platform) {
  const name = str(platform) || 'unknown';
  return h('span', { class: `pf pf-${token(name)}`, title: name, role: 'img', 'aria-label': name }, PLATFORM_LETTERS[name] ?? (name.charAt(0).toUpperCase() || '?'));
}

/** Text only screen readers read. */
export const srOnly = (text) => h('span', { class: 'sr-only' }, text);

/** "10:02" (today) or "27 Nov 10:02", local time, for start times a person reads at a glance. */
export function clock(iso, now = Date.now()) {
  const at = Date.parse(str(iso));
  if (Number.isNaN(at)) return '';
  const date = new Date(at);
  const sameDay = new Date(now).toDateString() === date.toDateString();
  return date.toLocaleString('en-GB', sameDay ? { hour: '2-digit', minute: '2-digit' } : { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
}
export const empty = (text) => h('p', { class: 'empty' }, text);
