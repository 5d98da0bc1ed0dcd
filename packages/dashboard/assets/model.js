// What the views read: the loaded state files behind small accessors, so a
// missing or malformed file reads as "nothing" rather than throwing.
import { arr, obj, str } from './dom.js';

/** State files the page reads, by key (paths under the state root; FILES.md). */
export const FILES = {
  snapshot: 'shared/state/runtime_snapshot.json',
  quotas: 'shared/state/quotas.json',
  metrics: 'shared/state/metrics.json',
  jobs: 'shared/state/jobs.json',
  rateLimits: 'runtime/admin/rate_limits.json',
  creators: 'runtime/admin/creators.json',
  clips: 'runtime/exports/clips.json',
  polls: 'runtime/exports/polls.json',
  tallies: 'runtime/exports/tallies.json',
  scoreboards: 'runtime/exports/scoreboards.json',
  chat: 'runtime/signals/chat_events.json',
  events: 'runtime/signals/events.json',
};

const byTimeDesc = (key) => (a, b) => (Date.parse(str(b[key])) || 0) - (Date.parse(str(a[key])) || 0);

/** @param {Map<string, { state: string, data?: object }>} loaded */
export function createModel(loaded) {
  const data = (key) => (loaded.get(key)?.state === 'ok' ? obj(loaded.get(key).data) : {});
  const list = (key, field) => arr(data(key)[field]).map(obj);
  const forCreator = (rows, creatorId, field = 'creator') => (creatorId === undefined ? rows : rows.filter((row) => str(row[field]) === creatorId));

  const names = new Map(list('creators', 'creators').map((c) => [str(c.id), str(c.displayName)]));
  const snapshotCreators = list('snapshot', 'creators').map((c) => ({ id: str(c.id), platforms: arr(c.platforms).map(obj) })).filter((c) => c.id !== '');
  // Creators known only from other files (snapshot not written yet) still get a view.
  const known = new Set(snapshotCreators.map((c) => c.id));
  const extra = new Set();
  for (const [key, field, creatorField] of [['clips', 'clips', 'creator'], ['polls', 'polls', 'creator'], ['quotas', 'quotas', 'creatorId'], ['creators', 'creators', 'id']]) {
    for (const row of list(key, field)) {
      const id = str(row[creatorField]);
      if (id !== '' && !known.has(id)) extra.add(id);
    }
  }
  const creators = [...snapshotCreators, ...[...extra].sort().map((id) => ({ id, platforms: [] }))].map((c) => ({ ...c, name: names.get(c.id) || c.id }));
  const chatRows = list('metrics', 'chat').map((row) => ({ creator: str(row.creator), platform: str(row.platform), buckets: arr(row.buckets).map(obj) }));
  const polls = list('polls', 'polls').sort(byTimeDesc('openedAt'));

  return {
    has: (key) => loaded.get(key)?.state === 'ok',
    runtime: () => obj(data('snapshot').runtime),
    creators: () => creators,
    creator: (id) => creators.find((c) => c.id === id),
    metricsChat: () => chatRows,
    /** Messages per minute of one creator's platform, oldest first (empty without metrics). */
    chatSeries: (creatorId, platform) => chatRows.find((row) => row.creator === creatorId && row.platform === platform)?.buckets.map((b) => (typeof b.messages === 'number' ? b.messages : 0)) ?? [],
    quotas: () => list('quotas', 'quotas'),
    quotaSamples: (creatorId, platform) => arr(list('metrics', 'quota').find((q) => str(q.creator) === creatorId && str(q.platform) === platform)?.samples).map(obj),
    rateLimits: () => list('rateLimits', 'limits'),
    polls: (creatorId) => forCreator(polls, creatorId),
    tallies: (creatorId) => forCreator(list('tallies', 'tallies'), creatorId),
    scoreboards: (creatorId) => forCreator(list('scoreboards', 'scoreboards'), creatorId),
    clips: () => list('clips', 'clips'),
    chat: () => list('chat', 'events'),
    events: () => list('events', 'events'),
    jobs: () => list('jobs', 'jobs'),
  };
}
