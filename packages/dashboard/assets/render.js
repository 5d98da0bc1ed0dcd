// The page's building blocks. Each takes already-parsed state (shapes in
// packages/plugin-exports/FILES.md) and returns nodes; malformed fields
// render as blanks rather than throwing. Everything that belongs to one
// creator carries data-creator, so a creator's view can be checked to hold
// nothing else.
import { areaChart, burnDown, sparkline, usageBar } from './charts.js';
import { arr, badge, clock, duration, empty, fmtNum, h, num, obj, platformIcon, srOnly, str, time, token } from './dom.js';

/** A card: <section class="card"> with a heading and a body. */
export function card(id, title, body, { wide = false, cls = '', count } = {}) {
  return h('section', { class: `card${wide ? ' wide' : ''}${cls ? ` ${cls}` : ''}`, id, 'aria-labelledby': `${id}-title` },
    h('h2', { id: `${id}-title` }, title, count === undefined ? null : h('span', { class: 'count muted' }, ` ${fmtNum(count)}`)),
    h('div', { class: 'body' }, ...body));
}

/** A "show more" toggle; `key` names the expanded state the page keeps across refreshes. */
export function moreButton(key, hidden, expanded) {
  if (hidden <= 0 && !expanded) return null;
  return h('button', { type: 'button', class: 'more', 'data-toggle': key, 'data-focus-key': `toggle:${key}`, 'aria-expanded': expanded ? 'true' : 'false' },
    expanded ? 'Show fewer' : `Show ${fmtNum(hidden)} more`);
}

// --- creators and platforms -------------------------------------------------

/** live / offline / degraded / auth-failed..., with since-when and why. */
export function platformState(p, now) {
  const connection = obj(p.connection);
  const state = str(connection.state);
  const status = str(p.status) || 'unknown';
  const live = p.live === true;
  const parts = [];
  if (status === 'running' || status === 'ok' || status === 'connected') {
    parts.push(live ? badge('live', 'live') : badge('online', 'connected'));
    if (live && str(p.liveSince)) parts.push(h('span', { class: 'since small muted' }, ' since ', h('time', { datetime: str(p.liveSince), title: str(p.liveSince) }, clock(p.liveSince, now))));
  } else {
    parts.push(badge(status));
    if (state !== '' && state !== 'connected') {
      const reason = str(connection.reason);
      parts.push(h('span', { class: 'since small' }, ` ${state} since `, time(connection.since), reason === '' ? '' : `: ${reason}`));
    }
  }
  return h('span', { class: 'platform-status', 'data-status': token(status), 'data-live': live ? 'true' : 'false' }, ...parts);
}

/** One creator: each platform with its state, chat pace and the last hour as a sparkline. */
export function creatorCard(creator, model, now) {
  const id = creator.id;
  const rows = creator.platforms.map((p) => {
    const series = model.chatSeries(id, str(p.platform));
    const perMin = num(p.messagesPerMinute) ?? series.at(-2) ?? 0;
    return h('li', { class: 'platform-row', 'data-creator': id, 'data-platform': str(p.platform) },
      platformIcon(p.platform),
      h('span', { class: 'platform-name' }, str(p.platform)),
      h('span', { class: 'platform-status-line' }, platformState(p, now),
        num(p.errors) ? h('span', { class: 'errors small', title: 'errors since start' }, ` · ${fmtNum(p.errors)} errors`) : null),
      h('span', { class: 'pace' }, h('strong', null, fmtNum(perMin)), h('span', { class: 'muted small' }, ' msg/min')),
      series.length > 0 ? sparkline(series, `${str(p.platform)} messages per minute, last hour: peak ${fmtNum(Math.max(...series))}`) : h('span', { class: 'spark-none' }));
  });
  const open = model.polls(id).find((poll) => str(poll.status) === 'open');
  return h('article', { class: 'creator', 'data-creator': id },
    h('h3', null, h('a', { href: `#/creator/${encodeURIComponent(id)}`, 'data-focus-key': `creator:${id}` }, creator.name)),
    rows.length > 0 ? h('ul', { class: 'platforms' }, ...rows) : empty('No platforms enabled.'),
    open ? h('p', { class: 'mini-poll small' }, 'Poll open: ', h('strong', null, str(open.question))) : null);
}

// --- charts -----------------------------------------------------------------

const PLATFORM_ORDER = ['twitch', 'youtube', 'rumble', 'kick', 'x', 'discord'];

/** Messages per minute per platform over the last hour (all creators, or one). */
export function chatActivity(model, creatorId) {
  const byPlatform = new Map();
  for (const row of model.metricsChat()) {
    if (creatorId !== undefined && row.creator !== creatorId) continue;
    const values = row.buckets.map((b) => num(b.messages) ?? 0);
    const sum = byPlatform.get(row.platform);
    byPlatform.set(row.platform, sum === undefined ? values : sum.map((v, i) => v + (values[i] ?? 0)));
  }
  if (byPlatform.size === 0) return [empty(model.has('metrics') ? 'No chat in the last hour.' : 'No chat metrics yet (shared/state/metrics.json).')];
  const names = [...byPlatform.keys()].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  const series = names.map((name) => ({ name, cls: `pf-series-${token(name)}`, values: byPlatform.get(name) }));
  const summary = series.map((one) => `${one.name} ${fmtNum(one.values.at(-1) ?? 0)} now, peak ${fmtNum(Math.max(...one.values))}`).join('; ');
  return [areaChart(series, { label: `Messages per minute over the last hour: ${summary}`, startLabel: '60 min ago', endLabel: 'now', unit: 'msg/min' })];
}

const rank = (platform) => {
  const at = PLATFORM_ORDER.indexOf(platform);
  return at === -1 ? PLATFORM_ORDER.length : at;
};

/** Each quota: used of daily, a burn-down over the quota day with the projection to reset. */
export function quotas(model, creatorId, now) {
  const rows = model.quotas().filter((q) => creatorId === undefined || str(q.creatorId) === creatorId);
  if (rows.length === 0) return [empty('No quotas.')];
  return rows.map((q) => {
    const creator = str(q.creatorId);
    const platform = str(q.platform);
    const used = num(q.used) ?? 0;
    const daily = num(q.daily) ?? 0;
    const buffer = num(q.buffer) ?? 0;
    const samples = model.quotaSamples(creator, platform);
    let chart = null;
    let projectionText = '';
    if (daily > 0 && samples.length > 0 && str(q.resetsAt)) {
      const drawn = burnDown({ samples, daily, buffer, resetsAt: str(q.resetsAt), now, label: `${platform} quota of ${creator}: ${fmtNum(used)} of ${fmtNum(daily)} units used today` });
      chart = drawn.figure;
      if (drawn.projected !== undefined) {
        projectionText = drawn.projected > daily ? ` · projected ${fmtNum(drawn.projected)} at reset: over by ${fmtNum(drawn.projected - daily)}` : ` · projected ${fmtNum(drawn.projected)} at reset`;
      }
    }
    return h('div', { class: `quota quota-${token(q.status)}`, 'data-creator': creator, 'data-platform': platform },
      h('div', { class: 'quota-head' }, platformIcon(platform), h('strong', null, creator), ' ', badge(q.status),
        h('span', { class: 'quota-used' }, `${fmtNum(used)} / ${fmtNum(daily)}`)),
      chart ?? (daily > 0 ? quotaBar(used, daily, buffer) : null),
      h('p', { class: 'quota-foot muted small' }, `${fmtNum(q.remaining)} left · buffer ${fmtNum(buffer)} · resets `, time(q.resetsAt), projectionText));
  });
}

/** used/daily with a bar; the buffer (the last units, kept for essential calls) is marked at the end. */
function quotaBar(used, daily, buffer) {
  const pct = (value) => `${Math.max(0, Math.min(100, (value / daily) * 100)).toFixed(2)}%`;
  const fill = h('div', { class: 'bar-fill' });
  fill.style.width = pct(used);
  const zone = h('div', { class: 'bar-buffer', title: `buffer: last ${fmtNum(buffer)} units` });
  zone.style.width = pct(buffer);
  return h('div', {
    class: `bar${used > daily - buffer ? ' bar-in-buffer' : ''}`, role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': daily, 'aria-valuenow': used,
    'aria-label': `${fmtNum(used)} of ${fmtNum(daily)} units used`,
  }, zone, fill);
}

/**
 * A rate-limit key as people read it: `twitch:send:bot:mod:daniel` →
 * "twitch · daniel · send (as moderator)". Keys are `<platform>:<scope>:<who>...`.
 */
export function rateLimitLabel(key) {
  const parts = str(key).split(':').filter(Boolean);
  // `twitch.join:daniel` names its scope in the first part.
  if (parts.length > 0 && parts[0].includes('.')) parts.splice(0, 1, ...parts[0].split('.', 2));
  const [platform = '?', scope = '', ...rest] = parts;
  const mod = rest.indexOf('mod');
  const who = mod === -1 ? rest.join(' ') : rest[mod + 1] ?? rest.slice(0, mod).join(' ');
  return { platform, scope, who, text: [platform, who, scope].filter(Boolean).join(' · ') + (mod === -1 ? '' : ' (as moderator)') };
}

/** Rate limits, the busiest first (waiting callers, then share used); `limit` rows, then "more". */
export function rateLimits(model, creatorId, { limit: shownCount = 8, expanded = false } = {}) {
  const usage = (l) => (num(l.waiting) ?? 0) * 1000 + (num(l.capacity) ? (num(l.used) ?? 0) / num(l.capacity) : 0);
  const rows = model.rateLimits()
    .map((limit) => ({ limit, label: rateLimitLabel(limit.key) }))
    .filter(({ limit }) => creatorId === undefined || str(limit.key).split(/[:.]/).includes(creatorId))
    .sort((a, b) => usage(b.limit) - usage(a.limit) || str(a.limit.key).localeCompare(str(b.limit.key)));
  if (rows.length === 0) return [empty('No rate limits.')];
  const shown = expanded ? rows : rows.slice(0, shownCount);
  const key = `limits:${creatorId ?? 'all'}`;
  return [h('ul', { class: 'limits' }, ...shown.map(({ limit, label }) => {
    const used = num(limit.used) ?? 0;
    const capacity = num(limit.capacity) ?? 0;
    const waiting = num(limit.waiting) ?? 0;
    return h('li', { class: 'limit', title: str(limit.key), 'data-key': str(limit.key) },
      h('span', { class: 'limit-label' }, platformIcon(label.platform), ' ', label.text),
      usageBar(used, capacity, `${label.text}: ${fmtNum(used)} of ${fmtNum(capacity)} used`),
      h('span', { class: 'limit-numbers small' }, `${fmtNum(used)}/${fmtNum(capacity)} per ${duration((num(limit.windowMs) ?? NaN) / 1000)}`,
        waiting > 0 ? h('span', { class: 'waiting' }, ` · ${fmtNum(waiting)} waiting`) : null));
  })), moreButton(key, rows.length - shown.length, expanded)];
}

// --- polls, tallies, scoreboards ----------------------------------------------

function optionBars(options, big) {
  const total = options.reduce((sum, o) => sum + (num(o.votes) ?? 0), 0);
  const best = Math.max(0, ...options.map((o) => num(o.votes) ?? 0));
  return h('ul', { class: `counts${big ? ' counts-big' : ''}` }, ...options.map((o) => {
    const votes = num(o.votes) ?? 0;
    const share = total > 0 ? votes / total : 0;
    const bar = h('span', { class: 'count-bar', 'aria-hidden': 'true' });
    bar.style.width = `${(share * 100).toFixed(1)}%`;
    return h('li', { class: votes === best && votes > 0 ? 'leading' : '' }, bar,
      h('span', { class: 'count-label' }, str(o.label)),
      h('span', { class: 'count-value' }, `${fmtNum(votes)} `, h('span', { class: 'muted small' }, `${Math.round(share * 100)}%`)));
  }));
}

/** The creator's running poll, large; else the latest one, marked closed. */
export function currentPoll(model, creatorId) {
  const polls = model.polls(creatorId);
  const poll = polls.find((p) => str(p.status) === 'open') ?? polls[0];
  if (poll === undefined) return [empty('No polls yet.')];
  const options = arr(poll.options).map(obj);
  const total = options.reduce((sum, o) => sum + (num(o.votes) ?? 0), 0);
  return [h('div', { class: 'poll-current', 'data-creator': str(poll.creator), 'data-poll': str(poll.id) },
    h('p', { class: 'poll-question' }, str(poll.question)),
    h('p', { class: 'muted small' }, badge(poll.status), ` ${fmtNum(total)} votes · opened `, time(poll.openedAt), poll.closedAt ? ' · closed ' : '', poll.closedAt ? time(poll.closedAt) : null),
    optionBars(options, true))];
}

/** Earlier polls, newest first: the last 5, then "more". */
export function pollHistory(model, creatorId, expanded) {
  const polls = model.polls(creatorId);
  const current = polls.find((p) => str(p.status) === 'open') ?? polls[0];
  const earlier = polls.filter((p) => p !== current);
  if (earlier.length === 0) return [empty('No earlier polls.')];
  const shown = expanded ? earlier : earlier.slice(0, 5);
  return [
    h('ol', { class: 'poll-history' }, ...shown.map((p) => {
      const options = arr(p.options).map(obj);
      const winner = options.reduce((best, o) => ((num(o.votes) ?? 0) > (num(best?.votes) ?? -1) ? o : best), undefined);
      const total = options.reduce((sum, o) => sum + (num(o.votes) ?? 0), 0);
      return h('li', { 'data-creator': str(p.creator), 'data-poll': str(p.id) },
        h('span', { class: 'poll-q' }, str(p.question)),
        h('span', { class: 'muted small' }, winner ? ` → ${str(winner.label)} (${fmtNum(total)} votes) · ` : ' · ', time(p.closedAt || p.openedAt)));
    })),
    moreButton(`polls:${creatorId}`, earlier.length - shown.length, expanded),
  ];
}

export function tallies(model, creatorId) {
  const rows = model.tallies(creatorId);
  if (rows.length === 0) return [empty('No tallies.')];
  return rows.map((t) => h('div', { class: 'item', 'data-creator': str(t.creator) },
    h('div', { class: 'item-head' }, h('strong', null, str(t.name))),
    optionBars(arr(t.counts).map(obj).map((c) => ({ label: c.label, votes: c.count })), false)));
}

export function scoreboards(model, creatorId) {
  const rows = model.scoreboards(creatorId);
  if (rows.length === 0) return [empty('No scoreboards.')];
  return rows.map((board) => h('div', { class: 'item', 'data-creator': str(board.creator) },
    h('div', { class: 'item-head' }, h('strong', null, str(board.name))),
    h('ol', { class: 'scores' }, ...arr(board.entries).map(obj).slice(0, 10).map((e) =>
      h('li', null, h('span', { class: 'rank' }, `#${str(e.rank)}`), h('span', { class: 'count-label' }, str(e.label)), h('span', { class: 'count-value' }, fmtNum(e.score)))))));
}

// --- clips ------------------------------------------------------------------

/** Poster tiles; a tile is a button that plays the clip in the page (or opens its public link). */
export function clipGallery(model, { creatorId, limit, expandKey, expanded, mediaUrl }) {
  const all = model.clips().filter((c) => creatorId === undefined || str(c.creator) === creatorId);
  if (all.length === 0) return [empty('No clips yet.')];
  const shown = expanded ? all : all.slice(0, limit);
  return [
    h('ul', { class: 'gallery' }, ...shown.map((c) => {
      const id = str(c.id);
      const poster = str(c.poster);
      const playable = str(c.video) !== '' || /^https?:/i.test(str(c.url));
      const art = poster !== '' ? h('img', { src: mediaUrl(poster), alt: '', loading: 'lazy', decoding: 'async', width: 320, height: 180 }) : h('span', { class: 'poster-none', 'aria-hidden': 'true' }, '▶');
      return h('li', { class: 'clip', 'data-creator': str(c.creator), 'data-clip': id },
        h('button', { type: 'button', class: 'clip-open', 'data-clip': id, 'data-focus-key': `clip:${id}`, disabled: !playable, 'aria-label': `${playable ? 'Play' : 'Not playable yet:'} ${str(c.title) || 'clip'}, ${duration(c.durationSec)}` },
          h('span', { class: 'poster' }, art, h('span', { class: 'clip-length' }, duration(c.durationSec)))),
        h('div', { class: 'clip-meta' },
          h('span', { class: 'clip-title' }, str(c.title) || 'Untitled clip'),
          h('span', { class: 'small muted' }, platformIcon(c.platform), ' ', creatorId === undefined ? `${str(c.creator)} · ` : '', time(c.createdAt), ' ', badge(c.state))));
    })),
    expandKey ? moreButton(expandKey, all.length - shown.length, expanded) : null,
  ];
}

// --- chat and events ----------------------------------------------------------

const ROLE_SHORT = { broadcaster: 'host', moderator: 'mod', vip: 'vip', subscriber: 'sub', member: 'member', owner: 'owner' };

/** Platform filter chips for a creator's chat. */
export function chatFilters(platforms, selected) {
  if (platforms.length < 2) return null;
  return h('div', { class: 'chips', role: 'group', 'aria-label': 'Show chat from' }, ...platforms.map((p) =>
    h('button', { type: 'button', class: 'chip', 'data-chat-platform': p, 'data-focus-key': `chat:${p}`, 'aria-pressed': selected.has(p) ? 'true' : 'false' }, platformIcon(p), ` ${p}`)));
}

/** Chat of one creator, newest first; the bot's own replies marked. */
export function chat(model, creatorId, selected, limit = 60) {
  const events = model.chat().filter((e) => str(e.creator) === creatorId && (selected.size === 0 || selected.has(str(e.platform)))).slice(-limit).reverse();
  if (events.length === 0) return [empty('No chat yet.')];
  return [h('ol', { class: 'chat', tabindex: '0', 'aria-label': 'Recent chat, newest first' }, ...events.map((e) => {
    const author = obj(e.author);
    const roles = arr(author.roles).map(str).filter(Boolean);
    const bot = e.bot === true;
    return h('li', { class: `chat-line${bot ? ' chat-bot' : ''}`, 'data-creator': str(e.creator), 'data-platform': str(e.platform) },
      h('span', { class: 'chat-when small muted' }, time(e.at)),
      platformIcon(e.platform),
      h('span', { class: 'chat-who' },
        bot ? h('span', { class: 'tag tag-bot' }, 'bot') : null,
        ...roles.map((role) => h('span', { class: `tag tag-${token(role)}`, title: role }, ROLE_SHORT[role] ?? role)),
        h('strong', { class: 'chat-author' }, str(author.displayName) || (bot ? 'the bot' : 'someone'))),
      h('span', { class: 'chat-text' }, str(e.text)));
  }))];
}

const SEVERITY = {
  'stream.online': 'good', 'platform.connected': 'good', 'stream.offline': 'info',
  'platform.reconnecting': 'warn', 'quota.warning': 'warn', 'chat.gap': 'warn',
  'platform.auth-failed': 'bad', 'quota.exceeded': 'bad', 'clip.failed': 'bad', 'action.failed': 'bad', 'trigger.failed': 'bad', 'plugin.failed': 'bad',
};

/** What happened and when, newest first (go-live, reconnects, auth failures, quota, clip failures...). */
export function timeline(model, { creatorId, limit, expandKey, expanded }) {
  const events = model.events().filter((e) => creatorId === undefined || str(e.creator) === creatorId).reverse();
  if (events.length === 0) return [empty(model.has('events') ? 'Nothing has happened yet.' : 'No event log yet (runtime/signals/events.json).')];
  const shown = expanded ? events.slice(0, 100) : events.slice(0, limit);
  return [
    h('ol', { class: 'timeline' }, ...shown.map((e) => {
      const kind = str(e.kind);
      const count = num(e.count);
      return h('li', { class: `event event-${SEVERITY[kind] ?? 'info'}`, ...(str(e.creator) ? { 'data-creator': str(e.creator) } : {}) },
        h('span', { class: 'event-when small muted' }, time(e.at)),
        h('span', { class: 'event-kind' }, srOnly(`${SEVERITY[kind] ?? 'info'}: `), kind),
        h('span', { class: 'event-what' },
          str(e.platform) ? platformIcon(e.platform) : null,
          creatorId === undefined && str(e.creator) ? h('strong', null, ` ${str(e.creator)} `) : ' ',
          str(e.message), count && count > 1 ? h('span', { class: 'muted' }, ` ×${fmtNum(count)}`) : null));
    })),
    expandKey ? moreButton(expandKey, Math.min(events.length, 100) - shown.length, expanded) : null,
  ];
}

/** Jobs that need a look first (failed, running, queued), then the latest. */
export function jobs(model, creatorId, limit = 6) {
  const order = { failed: 0, running: 1, retrying: 1, queued: 2 };
  const rows = model.jobs().filter((j) => creatorId === undefined || str(j.creator) === creatorId)
    .map((j, i) => ({ j, i })).sort((a, b) => (order[str(a.j.state)] ?? 3) - (order[str(b.j.state)] ?? 3) || a.i - b.i).slice(0, limit).map(({ j }) => j);
  if (rows.length === 0) return [empty('No jobs.')];
  return [h('ul', { class: 'jobs' }, ...rows.map((j) => h('li', { ...(str(j.creator) ? { 'data-creator': str(j.creator) } : {}) },
    badge(j.state), ' ', h('span', { class: 'job-type' }, str(j.type)), ' ', h('span', { class: 'muted small' }, str(j.creator) ? `${str(j.creator)} · ` : '', `try ${fmtNum(j.attempts)}/${fmtNum(j.maxAttempts)} · `, time(j.updatedAt)),
    str(j.error) ? h('span', { class: 'error-text small job-error' }, str(j.error)) : null)))];
}
