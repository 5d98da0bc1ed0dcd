// One renderer per section. Each takes a parsed state file (shapes in
// packages/plugin-exports/FILES.md) and returns nodes; malformed fields
// render as blanks rather than throwing.
import { arr, badge, duration, empty, fmtNum, h, num, obj, str, table, time, token } from './dom.js';

const CHAT_LIMIT = 50;

export function runtime(data) {
  const run = obj(data.runtime);
  const creators = arr(data.creators).map(obj);
  const summary = h(
    'p',
    { class: 'summary' },
    'runtime ', badge(run.state), ' · started ', time(run.startedAt), ' · up ', duration(run.uptimeSec),
  );
  if (creators.length === 0) return [summary, empty('No creators.')];
  const rows = [];
  for (const creator of creators) {
    const platforms = arr(creator.platforms).map(obj);
    if (platforms.length === 0) rows.push([h('strong', null, str(creator.id)), '–', '', '', '', '']);
    for (const [index, p] of platforms.entries()) {
      rows.push([
        index === 0 ? h('strong', null, str(creator.id)) : '',
        str(p.platform),
        platformStatus(p),
        fmtNum(p.messages),
        time(p.lastMessageAt),
        fmtNum(p.errors),
      ]);
    }
  }
  return [summary, table(['Creator', 'Platform', 'Status', 'Messages', 'Last message', 'Errors'], rows)];
}

/**
 * The status badge; while the connection is not `connected` (status
 * `degraded`, `connecting`, `offline`, `auth-failed`) also its state, since
 * when and why: "reconnecting since 2 min ago: quotaExceeded", "offline since
 * 5 min ago: the live chat ended".
 */
function platformStatus(p) {
  const connection = obj(p.connection);
  const state = str(connection.state);
  const cell = h('span', { class: 'platform-status', 'data-status': token(p.status) }, badge(p.status));
  if (state === '' || state === 'connected') return cell;
  const reason = str(connection.reason);
  cell.append(
    h('span', { class: 'connection-detail small' }, ' ', state, ' since ', time(connection.since), reason === '' ? '' : `: ${reason}`),
  );
  return cell;
}

/** used/daily with a bar; the buffer (the last units, kept for essential calls) is marked at the end. */
function quotaBar(used, daily, buffer) {
  const pct = (value) => `${Math.max(0, Math.min(100, (value / daily) * 100)).toFixed(2)}%`;
  const fill = h('div', { class: 'bar-fill' });
  fill.style.width = pct(used);
  const zone = h('div', { class: 'bar-buffer', title: `buffer: last ${fmtNum(buffer)} units` });
  zone.style.width = pct(buffer);
  const inBuffer = used > daily - buffer;
  return h(
    'div',
    {
      class: `bar${inBuffer ? ' bar-in-buffer' : ''}`,
      role: 'progressbar',
      'aria-valuemin': 0,
      'aria-valuemax': daily,
      'aria-valuenow': used,
      'aria-label': `${fmtNum(used)} of ${fmtNum(daily)} units used`,
    },
    zone,
    fill,
  );
}

export function quotas(data) {
  const rows = arr(data.quotas).map(obj);
  if (rows.length === 0) return [empty('No quotas.')];
  return rows.map((q) => {
    const used = num(q.used) ?? 0;
    const daily = num(q.daily) ?? 0;
    const buffer = num(q.buffer) ?? 0;
    return h(
      'div',
      { class: `quota quota-${token(q.status)}`, 'data-creator': str(q.creatorId), 'data-platform': str(q.platform) },
      h('div', { class: 'quota-head' },
        h('strong', null, str(q.creatorId)), ' · ', str(q.platform), ' ', badge(q.status),
        h('span', { class: 'quota-used' }, `${fmtNum(used)} / ${fmtNum(daily)}`)),
      daily > 0 ? quotaBar(used, daily, buffer) : null,
      h('div', { class: 'quota-foot muted' },
        `${fmtNum(q.remaining)} remaining · buffer ${fmtNum(buffer)} · resets `, time(q.resetsAt)),
    );
  });
}

export function rateLimits(data) {
  const rows = arr(data.limits).map(obj);
  if (rows.length === 0) return [empty('No rate limits.')];
  return [
    table(
      ['Key', 'Used', 'Available', 'Waiting', 'Window'],
      rows.map((l) => [h('code', null, str(l.key)), `${fmtNum(l.used)} / ${fmtNum(l.capacity)}`, fmtNum(l.available), fmtNum(l.waiting), duration((num(l.windowMs) ?? NaN) / 1000)]),
    ),
  ];
}

/** Only http(s) links are made clickable; anything else (javascript:, data:) stays text. */
function link(url, label) {
  const value = str(url);
  try {
    const parsed = new URL(value);
    if (parsed.protocol === 'http:' || parsed.protocol === 'https:') {
      return h('a', { href: parsed.href, target: '_blank', rel: 'noopener noreferrer' }, label);
    }
  } catch {
    // not a URL
  }
  return value === '' ? '' : h('span', { class: 'muted' }, value);
}

export function clips(data) {
  const rows = arr(data.clips).map(obj);
  if (rows.length === 0) return [empty('No clips yet.')];
  return [
    table(
      ['Title', 'Creator', 'Platform', 'State', 'Length', 'Created', ''],
      rows.map((c) => [h('span', { class: 'clip-title' }, str(c.title)), str(c.creator), str(c.platform), badge(c.state), duration(c.durationSec), time(c.createdAt), link(c.url, 'open')]),
    ),
  ];
}

function countBars(items, labelKey, valueKey) {
  const total = items.reduce((sum, item) => sum + (num(item[valueKey]) ?? 0), 0);
  return h(
    'ul',
    { class: 'counts' },
    ...items.map((item) => {
      const value = num(item[valueKey]) ?? 0;
      const bar = h('span', { class: 'count-bar' });
      bar.style.width = `${total > 0 ? (value / total) * 100 : 0}%`;
      return h('li', null, h('span', { class: 'count-label' }, str(item[labelKey])), h('span', { class: 'count-value' }, fmtNum(value)), bar);
    }),
  );
}

export function polls(data) {
  const rows = arr(data.polls).map(obj);
  if (rows.length === 0) return [empty('No polls.')];
  return rows.map((p) =>
    h('div', { class: 'item' },
      h('div', { class: 'item-head' }, h('strong', null, str(p.question)), ' ', badge(p.status)),
      h('div', { class: 'muted' }, `${str(p.creator)} · opened `, time(p.openedAt), p.closedAt ? ' · closed ' : '', p.closedAt ? time(p.closedAt) : null),
      countBars(arr(p.options).map(obj), 'label', 'votes')),
  );
}

export function tallies(data) {
  const rows = arr(data.tallies).map(obj);
  if (rows.length === 0) return [empty('No tallies.')];
  return rows.map((t) =>
    h('div', { class: 'item' },
      h('div', { class: 'item-head' }, h('strong', null, str(t.name)), h('span', { class: 'muted' }, ` · ${str(t.creator)}`)),
      countBars(arr(t.counts).map(obj), 'label', 'count')),
  );
}

export function scoreboards(data) {
  const rows = arr(data.scoreboards).map(obj);
  if (rows.length === 0) return [empty('No scoreboards.')];
  return rows.map((s) =>
    h('div', { class: 'item' },
      h('div', { class: 'item-head' }, h('strong', null, str(s.name)), h('span', { class: 'muted' }, ` · ${str(s.creator)}`)),
      h('ol', { class: 'scores' }, ...arr(s.entries).map(obj).map((e) =>
        h('li', null, h('span', { class: 'rank' }, `#${str(e.rank)}`), h('span', { class: 'count-label' }, str(e.label)), h('span', { class: 'count-value' }, fmtNum(e.score)))))),
  );
}

export function jobs(data) {
  const rows = arr(data.jobs).map(obj);
  if (rows.length === 0) return [empty('No jobs.')];
  return [
    table(
      ['Job', 'Type', 'Creator', 'State', 'Attempts', 'Updated', 'Error'],
      rows.map((j) => [h('code', null, str(j.id)), str(j.type), str(j.creator), badge(j.state), `${fmtNum(j.attempts)} / ${fmtNum(j.maxAttempts)}`, time(j.updatedAt), h('span', { class: 'error-text' }, str(j.error))]),
    ),
  ];
}

/** The file is oldest first (last 500); the page shows the newest 50, newest at the top. */
export function chat(data) {
  const events = arr(data.events).map(obj).slice(-CHAT_LIMIT).reverse();
  if (events.length === 0) return [empty('No chat yet.')];
  return [
    h('ol', { class: 'chat' }, ...events.map((e) => {
      const author = obj(e.author);
      const roles = arr(author.roles).map(str).filter(Boolean);
      return h('li', { class: 'chat-line' },
        time(e.at), ' ',
        h('span', { class: `platform platform-${token(e.platform)}` }, str(e.platform)), ' ',
        h('span', { class: 'muted' }, str(e.creator)), ' ',
        h('strong', { class: 'chat-author', title: roles.join(', ') }, str(author.displayName)), ' ',
        h('span', { class: 'chat-text' }, str(e.text)));
    })),
  ];
}
