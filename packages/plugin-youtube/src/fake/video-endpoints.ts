/** videos.list, liveBroadcasts.list and search.list: what is live, upcoming or over, as the Data API lists it. */
import type { AccountState } from './auth.js';
import { customError, invalidValue } from './errors.js';
import { type Exchange, sendError, sendOk } from './reply.js';
import { maxResultsOf, multi, partsOf } from './request.js';
import { renderBroadcast, renderSearchResult, renderVideo } from './state.js';
import { etagOf } from './wire.js';
import type { FakeWorld } from './world.js';

const VIDEO_PARTS = new Set([
  'id',
  'snippet',
  'liveStreamingDetails',
  'status',
  'contentDetails',
  'statistics',
  'player',
  'topicDetails',
  'recordingDetails',
  'localizations',
]);
const BROADCAST_PARTS = new Set(['id', 'snippet', 'status', 'contentDetails', 'statistics', 'monetizationDetails']);
const SEARCH_PARTS = new Set(['id', 'snippet']);

export function serveVideosList(ex: Exchange, world: FakeWorld): void {
  const parts = partsOf(ex, VIDEO_PARTS);
  if (parts === undefined) return;
  const ids = multi(ex.url, 'id');
  if (ids.length === 0 && !ex.url.searchParams.has('id')) {
    return sendError(ex, customError(400, 'missingRequiredParameter', 'No filter selected. Expected one of: id, chart, myRating', { location: 'parameters.', locationType: 'other' }));
  }
  if (ids.length > 50) return sendError(ex, invalidValue('id', 'The request specifies more than 50 video ids.'));
  const items = ids.flatMap((id) => {
    const v = world.video(id);
    return v === undefined ? [] : [renderVideo(v, parts, world.channelTitle(v.channelId))];
  });
  sendOk(ex, {
    kind: 'youtube#videoListResponse',
    etag: etagOf(items),
    items,
    pageInfo: { totalResults: items.length, resultsPerPage: items.length },
  });
}

/** Exactly one filter (`id`, `mine`, `broadcastStatus`), and only the caller's own broadcasts. */
export function serveBroadcastsList(ex: Exchange, world: FakeWorld, account: AccountState): void {
  const parts = partsOf(ex, BROADCAST_PARTS);
  if (parts === undefined) return;
  const sp = ex.url.searchParams;
  const filters = ['id', 'mine', 'broadcastStatus'].filter((f) => sp.has(f));
  if (filters.length === 0) {
    return sendError(ex, customError(400, 'missingRequiredParameter', 'No filter selected. Expected one of: id, mine, broadcastStatus', { location: 'parameters.', locationType: 'other' }));
  }
  if (filters.length > 1) {
    return sendError(ex, customError(400, 'incompatibleParameters', `Incompatible parameters specified in the request: ${filters.join(', ')}`, { domain: 'youtube.parameter', location: 'parameters.', locationType: 'other' }));
  }
  const max = maxResultsOf(ex, 5, 0, 50);
  if (max === undefined) return;
  const status = sp.get('broadcastStatus');
  if (status !== null && !['active', 'all', 'completed', 'upcoming'].includes(status)) {
    return sendError(ex, invalidValue('broadcastStatus', `Invalid value '${status}'. Expected one of: active, all, completed, upcoming`));
  }
  const ids = new Set(multi(ex.url, 'id'));
  const mine = [...world.videos()]
    .filter((v) => v.broadcast !== undefined && v.channelId === account.channelId)
    .filter((v) => {
      const s = v.broadcast!.state;
      if (ids.size > 0) return ids.has(v.videoId);
      if (status === 'active') return s === 'live';
      if (status === 'upcoming') return s === 'upcoming';
      if (status === 'completed') return s === 'complete';
      return true;
    })
    .sort((a, b) => (b.broadcast!.actualStartTime ?? b.publishedAt) - (a.broadcast!.actualStartTime ?? a.publishedAt));
  const items = mine.slice(0, max).map((v) => renderBroadcast(v, parts));
  sendOk(ex, {
    kind: 'youtube#liveBroadcastListResponse',
    etag: etagOf(items),
    pageInfo: { totalResults: mine.length, resultsPerPage: max },
    items,
  });
}

export function serveSearchList(ex: Exchange, world: FakeWorld): void {
  const parts = partsOf(ex, SEARCH_PARTS);
  if (parts === undefined) return;
  const sp = ex.url.searchParams;
  const max = maxResultsOf(ex, 5, 0, 50);
  if (max === undefined) return;
  const types = multi(ex.url, 'type');
  const eventType = sp.get('eventType');
  if (eventType !== null) {
    if (types.length !== 1 || types[0] !== 'video') {
      return sendError(
        ex,
        customError(
          400,
          'invalidSearchFilter',
          'The request contains an invalid combination of search filters and/or restrictions. Note that you must set the type parameter to video if you set either the forContentOwner, forDeveloper, or forMine parameters to true. You must also set the type parameter to video if you set a value for the eventType, videoCaption, videoCategoryId, videoDefinition, videoDimension, videoDuration, videoEmbeddable, videoLicense, videoSyndicated, or videoType parameters.',
          { domain: 'youtube.search', location: 'type', locationType: 'parameter' },
        ),
      );
    }
    if (!['live', 'upcoming', 'completed'].includes(eventType)) {
      return sendError(ex, invalidValue('eventType', `Invalid value '${eventType}'. Expected one of: completed, live, upcoming`));
    }
  }
  const channelId = sp.get('channelId');
  const wantsVideos = types.length === 0 || types.includes('video');
  const found = [...world.videos()]
    .filter((v) => wantsVideos && (channelId === null || v.channelId === channelId))
    .filter((v) => {
      if (eventType === null) return true;
      const s = v.broadcast?.state;
      return eventType === 'live' ? s === 'live' : eventType === 'upcoming' ? s === 'upcoming' : s === 'complete';
    })
    .sort((a, b) => b.publishedAt - a.publishedAt);
  const items = found.slice(0, max).map((v) => {
    const r = renderSearchResult(v, world.channelTitle(v.channelId));
    if (!parts.has('snippet')) delete r.snippet;
    return r;
  });
  sendOk(ex, {
    kind: 'youtube#searchListResponse',
    etag: etagOf(items),
    regionCode: 'US',
    pageInfo: { totalResults: found.length, resultsPerPage: max },
    items,
  });
}
