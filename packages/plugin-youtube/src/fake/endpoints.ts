/** What the fake serves: each endpoint's route and its real quota cost. */
import type { FakeEndpoint } from './types.js';

/** Real Data API costs (streamList: 5 per request). The token endpoint and the feed cost nothing. */
export const DEFAULT_COSTS: Readonly<Record<FakeEndpoint, number>> = Object.freeze({
  'videos.list': 1,
  'liveBroadcasts.list': 1,
  'search.list': 100,
  'liveChatMessages.list': 5,
  'liveChatMessages.streamList': 5,
  'liveChatMessages.insert': 50,
  'liveChatMessages.delete': 50,
  'liveChatBans.insert': 50,
  'oauth.token': 0,
  'feeds.videos': 0,
});

export const ENDPOINTS = Object.keys(DEFAULT_COSTS) as FakeEndpoint[];
/** The Data API endpoints: the ones an injected failure without an endpoint applies to. */
export const API_ENDPOINTS: ReadonlySet<FakeEndpoint> = new Set(ENDPOINTS.filter((e) => e !== 'oauth.token' && e !== 'feeds.videos'));
/** Endpoints that need an OAuth access token (an API key is not enough). */
export const OAUTH_ONLY: ReadonlySet<FakeEndpoint> = new Set(['liveBroadcasts.list', 'liveChatMessages.insert', 'liveChatMessages.delete', 'liveChatBans.insert']);

const ROUTES: Record<string, FakeEndpoint> = {
  'GET /youtube/v3/videos': 'videos.list',
  'GET /youtube/v3/liveBroadcasts': 'liveBroadcasts.list',
  'GET /youtube/v3/search': 'search.list',
  'GET /youtube/v3/liveChat/messages': 'liveChatMessages.list',
  'POST /youtube/v3/liveChat/messages': 'liveChatMessages.insert',
  'DELETE /youtube/v3/liveChat/messages': 'liveChatMessages.delete',
  'POST /youtube/v3/liveChat/bans': 'liveChatBans.insert',
  'GET /youtube/v3/liveChat/messages/stream': 'liveChatMessages.streamList',
  'POST /token': 'oauth.token',
  'GET /feeds/videos.xml': 'feeds.videos',
};

/** The endpoint a method and path name, or null (answered 404). */
export const routeOf = (method: string, pathname: string): FakeEndpoint | null => ROUTES[`${method} ${pathname}`] ?? null;
