/** The fake's world: channels, videos (uploads and broadcasts), chats, and how they render. */
import type { youtube_v3 } from '@googleapis/youtube';
import type { LiveChatItem, LiveChatPage } from '../types.js';
import type { FakeBroadcast, FakeBroadcastState } from './types.js';
import { apiTime, encodePageToken, etagOf } from './wire.js';

export interface ChannelState {
  channelId: string;
  title: string;
  /** Video ids, oldest first. */
  videos: string[];
}

export interface BroadcastState {
  liveChatId: string;
  state: FakeBroadcastState;
  scheduledStartTime?: number;
  actualStartTime?: number;
  actualEndTime?: number;
  concurrentViewers: number;
  chat: ChatState;
}

export interface VideoState {
  videoId: string;
  channelId: string;
  title: string;
  publishedAt: number;
  broadcast?: BroadcastState;
}

/** One live chat: its items in order; a position is the number of items a client has seen. */
export class ChatState {
  readonly items: LiveChatItem[] = [];
  /** Set when the broadcast ended (the chatEndedEvent is the last item then). */
  offlineAt: number | undefined;
  /** Last successful `list` (for `enforcePollingInterval`). */
  lastListAt: number | undefined;
  /** Tokens of an older generation are rejected (`expirePageTokens`). */
  tokenGeneration = 0;
  readonly #listeners = new Set<() => void>();

  constructor(
    readonly liveChatId: string,
    readonly videoId: string,
    readonly channelId: string,
  ) {}

  get ended(): boolean {
    return this.offlineAt !== undefined;
  }

  append(item: LiveChatItem): void {
    this.items.push(item);
    this.#notify();
  }

  end(at: number): void {
    this.offlineAt = at;
    this.#notify();
  }

  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #notify(): void {
    for (const l of [...this.#listeners]) l();
  }

  /**
   * A LiveChatMessageListResponse with the items after `from` (at most
   * `max`), the token of the new position (issued `now`), and `offlineAt` once ended.
   */
  page(from: number, max: number, parts: ReadonlySet<string>, pollingIntervalMillis: number | undefined, now: number): { body: LiveChatPage; next: number } {
    const slice = this.items.slice(from, from + max).map((item) => renderChatItem(item, parts));
    const next = from + slice.length;
    const body: LiveChatPage = { kind: 'youtube#liveChatMessageListResponse' };
    const rest: LiveChatPage = { nextPageToken: encodePageToken(this.liveChatId, next, this.tokenGeneration, now) };
    if (pollingIntervalMillis !== undefined) rest.pollingIntervalMillis = pollingIntervalMillis;
    if (this.offlineAt !== undefined) rest.offlineAt = apiTime(this.offlineAt);
    rest.pageInfo = { totalResults: this.items.length, resultsPerPage: slice.length };
    rest.items = slice;
    Object.assign(body, { etag: etagOf([this.liveChatId, from, next, this.offlineAt]) }, rest);
    return { body, next };
  }
}

/** An item with only the requested parts (`kind`, `etag` and `id` always). */
export function renderChatItem(item: LiveChatItem, parts: ReadonlySet<string>): LiveChatItem {
  const out: LiveChatItem = { kind: item.kind ?? 'youtube#liveChatMessage', etag: item.etag ?? etagOf(item) };
  if (item.id != null) out.id = item.id;
  if (parts.has('snippet') && item.snippet !== undefined) out.snippet = item.snippet;
  if (parts.has('authorDetails') && item.authorDetails !== undefined) out.authorDetails = item.authorDetails;
  return out;
}

export function snapshotOf(v: VideoState): FakeBroadcast {
  const b = v.broadcast!;
  const out: FakeBroadcast = {
    videoId: v.videoId,
    liveChatId: b.liveChatId,
    channelId: v.channelId,
    title: v.title,
    state: b.state,
    concurrentViewers: b.concurrentViewers,
  };
  if (b.scheduledStartTime !== undefined) out.scheduledStartTime = b.scheduledStartTime;
  if (b.actualStartTime !== undefined) out.actualStartTime = b.actualStartTime;
  if (b.actualEndTime !== undefined) out.actualEndTime = b.actualEndTime;
  return out;
}

function thumbnails(videoId: string, live: boolean): youtube_v3.Schema$ThumbnailDetails {
  const suffix = live ? '_live' : '';
  return {
    default: { url: `https://i.ytimg.com/vi/${videoId}/default${suffix}.jpg`, width: 120, height: 90 },
    medium: { url: `https://i.ytimg.com/vi/${videoId}/mqdefault${suffix}.jpg`, width: 320, height: 180 },
    high: { url: `https://i.ytimg.com/vi/${videoId}/hqdefault${suffix}.jpg`, width: 480, height: 360 },
  };
}

const liveBroadcastContent = (v: VideoState): string => (v.broadcast?.state === 'live' ? 'live' : v.broadcast?.state === 'upcoming' ? 'upcoming' : 'none');

function videoSnippet(v: VideoState, channelTitle: string): youtube_v3.Schema$VideoSnippet {
  const content = liveBroadcastContent(v);
  return {
    publishedAt: apiTime(v.publishedAt),
    channelId: v.channelId,
    title: v.title,
    description: '',
    thumbnails: thumbnails(v.videoId, content !== 'none'),
    channelTitle,
    categoryId: '20',
    liveBroadcastContent: content,
    localized: { title: v.title, description: '' },
  };
}

/**
 * `liveStreamingDetails` as the API shows it: scheduledStartTime when
 * planned; actualStartTime, concurrentViewers (a string) and activeLiveChatId
 * while live; actualEndTime and no activeLiveChatId once over.
 */
function liveStreamingDetails(b: BroadcastState): youtube_v3.Schema$VideoLiveStreamingDetails {
  const d: youtube_v3.Schema$VideoLiveStreamingDetails = {};
  if (b.actualStartTime !== undefined) d.actualStartTime = apiTime(b.actualStartTime);
  if (b.actualEndTime !== undefined) d.actualEndTime = apiTime(b.actualEndTime);
  if (b.scheduledStartTime !== undefined) d.scheduledStartTime = apiTime(b.scheduledStartTime);
  if (b.state === 'live') d.concurrentViewers = String(b.concurrentViewers);
  if (b.state !== 'complete') d.activeLiveChatId = b.liveChatId;
  return d;
}

export function renderVideo(v: VideoState, parts: ReadonlySet<string>, channelTitle: string): youtube_v3.Schema$Video {
  const out: youtube_v3.Schema$Video = { kind: 'youtube#video', etag: '', id: v.videoId };
  if (parts.has('snippet')) out.snippet = videoSnippet(v, channelTitle);
  if (parts.has('liveStreamingDetails') && v.broadcast !== undefined) out.liveStreamingDetails = liveStreamingDetails(v.broadcast);
  if (parts.has('status')) out.status = { uploadStatus: v.broadcast?.state === 'complete' || v.broadcast === undefined ? 'processed' : 'uploaded', privacyStatus: 'public', embeddable: true, madeForKids: false };
  out.etag = etagOf(out);
  return out;
}

export function renderBroadcast(v: VideoState, parts: ReadonlySet<string>): youtube_v3.Schema$LiveBroadcast {
  const b = v.broadcast!;
  const out: youtube_v3.Schema$LiveBroadcast = { kind: 'youtube#liveBroadcast', etag: '', id: v.videoId };
  if (parts.has('snippet')) {
    const s: youtube_v3.Schema$LiveBroadcastSnippet = {
      publishedAt: apiTime(v.publishedAt),
      channelId: v.channelId,
      title: v.title,
      description: '',
      thumbnails: thumbnails(v.videoId, b.state !== 'complete'),
      scheduledStartTime: apiTime(b.scheduledStartTime ?? v.publishedAt),
      isDefaultBroadcast: false,
    };
    if (b.actualStartTime !== undefined) s.actualStartTime = apiTime(b.actualStartTime);
    if (b.actualEndTime !== undefined) s.actualEndTime = apiTime(b.actualEndTime);
    if (b.state !== 'complete') s.liveChatId = b.liveChatId;
    out.snippet = s;
  }
  if (parts.has('status')) {
    out.status = {
      lifeCycleStatus: b.state === 'live' ? 'live' : b.state === 'complete' ? 'complete' : 'ready',
      privacyStatus: 'public',
      recordingStatus: b.state === 'live' ? 'recording' : b.state === 'complete' ? 'recorded' : 'notRecording',
      madeForKids: false,
      selfDeclaredMadeForKids: false,
    };
  }
  if (parts.has('contentDetails')) out.contentDetails = { enableAutoStart: true, enableAutoStop: true, enableDvr: true, latencyPreference: 'normal' };
  if (parts.has('statistics') && b.state === 'live') out.statistics = { concurrentViewers: String(b.concurrentViewers) };
  out.etag = etagOf(out);
  return out;
}

export function renderSearchResult(v: VideoState, channelTitle: string): youtube_v3.Schema$SearchResult {
  const content = liveBroadcastContent(v);
  const out: youtube_v3.Schema$SearchResult = {
    kind: 'youtube#searchResult',
    etag: '',
    id: { kind: 'youtube#video', videoId: v.videoId },
    snippet: {
      publishedAt: apiTime(v.publishedAt),
      channelId: v.channelId,
      title: v.title,
      description: '',
      thumbnails: thumbnails(v.videoId, content !== 'none'),
      channelTitle,
      liveBroadcastContent: content,
    },
  };
  (out.snippet as Record<string, unknown>).publishTime = apiTime(v.publishedAt);
  out.etag = etagOf(out);
  return out;
}
