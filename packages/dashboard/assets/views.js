// The two views: an overview of every creator, and one creator's page
// (#/creator/<id>). Each returns the cards to show; the page swaps them in.
import { empty, fmtNum, h, str } from './dom.js';
import * as r from './render.js';

/** `#/creator/maya` → { view: 'creator', id: 'maya' }; anything else is the overview. */
export function parseRoute(hash) {
  const match = /^#\/creator\/([^/?#]+)$/.exec(hash);
  if (match === null) return { view: 'overview' };
  try {
    return { view: 'creator', id: decodeURIComponent(match[1]) };
  } catch {
    return { view: 'overview' };
  }
}

/** Everything at a glance: who is live, chat pace, quotas, limits, what happened, the latest clips. */
export function overview(model, ui, ctx) {
  const creators = model.creators();
  const runtime = model.runtime();
  const live = creators.flatMap((c) => c.platforms).filter((p) => p.live === true).length;
  return [
    h('h1', { class: 'view-title', tabindex: '-1' }, 'Overview',
      h('span', { class: 'view-sub muted' }, ` ${fmtNum(creators.length)} creators · ${fmtNum(live)} live`, str(runtime.state) ? ` · runtime ${str(runtime.state)}` : '')),
    r.card('creators', 'Creators', creators.length === 0 ? [empty('No creators yet.')] : [h('div', { class: 'creator-grid' }, ...creators.map((c) => r.creatorCard(c, model, ctx.now)))], { wide: true }),
    r.card('activity', 'Chat, messages per minute', r.chatActivity(model, undefined), { cls: 'span-2' }),
    r.card('quotas', 'Quotas today', r.quotas(model, undefined, ctx.now)),
    r.card('events', 'What happened', r.timeline(model, { limit: 7, expandKey: 'events:all', expanded: ui.expanded.has('events:all') })),
    r.card('rate-limits', 'Rate limits', r.rateLimits(model, undefined, { expanded: ui.expanded.has('limits:all') }), { count: model.rateLimits().length }),
    r.card('jobs', 'Jobs', r.jobs(model, undefined, 6)),
    r.card('clips', 'Latest clips', r.clipGallery(model, { limit: 6, mediaUrl: ctx.mediaUrl }), { wide: true, count: model.clips().length }),
  ];
}

/** One creator: current poll large, history collapsed, tallies, scores, clips, chat and events. */
export function creatorView(model, ui, ctx, id) {
  const creator = model.creator(id);
  if (creator === undefined) {
    return [h('h1', { class: 'view-title', tabindex: '-1' }, 'No such creator'), r.card('missing', 'Not found', [h('p', null, `There is no creator “${id}” in this state root. `, h('a', { href: '#/' }, 'Back to the overview'))])];
  }
  // Chips for the platforms this creator's chat came from (a control plane like Discord has none).
  const platforms = [...new Set(model.chat().filter((e) => str(e.creator) === id).map((e) => str(e.platform)))].filter(Boolean).sort();
  const selected = ui.chatPlatforms.get(id) ?? new Set();
  return [
    h('h1', { class: 'view-title', tabindex: '-1', 'data-creator': id }, creator.name, creator.name !== id ? h('span', { class: 'view-sub muted' }, ` ${id}`) : null),
    r.card('status', 'Live now', creator.platforms.length === 0 ? [empty('No platforms enabled.')] : [r.creatorCard(creator, model, ctx.now)], { cls: 'span-2' }),
    r.card('poll', 'Current poll', r.currentPoll(model, id), { cls: 'span-2 tall' }),
    r.card('tallies', 'Tallies', r.tallies(model, id)),
    r.card('poll-history', 'Earlier polls', r.pollHistory(model, id, ui.expanded.has(`polls:${id}`)), { count: Math.max(0, model.polls(id).length - 1) }),
    r.card('scoreboards', 'Scoreboard', r.scoreboards(model, id)),
    r.card('activity', 'Chat, messages per minute', r.chatActivity(model, id)),
    r.card('clips', 'Clips', r.clipGallery(model, { creatorId: id, limit: 8, expandKey: `clips:${id}`, expanded: ui.expanded.has(`clips:${id}`), mediaUrl: ctx.mediaUrl }), { wide: true, count: model.clips().filter((c) => str(c.creator) === id).length }),
    r.card('chat', 'Chat', [r.chatFilters(platforms, selected), ...r.chat(model, id, selected)], { cls: 'span-2' }),
    r.card('events', 'What happened', r.timeline(model, { creatorId: id, limit: 6, expandKey: `events:${id}`, expanded: ui.expanded.has(`events:${id}`) })),
    r.card('quotas', 'Quotas today', r.quotas(model, id, ctx.now)),
    r.card('rate-limits', 'Rate limits', r.rateLimits(model, id, { expanded: ui.expanded.has(`limits:${id}`) })),
    r.card('jobs', 'Jobs', r.jobs(model, id, 5)),
  ];
}
