import type { Logger } from '@streamsuites/kernel';
import type { youtube_v3 } from '@googleapis/youtube';
import type { YouTubeApi } from './api/client.js';

/** A live broadcast with its chat. */
export interface LiveTarget {
  videoId?: string;
  liveChatId: string;
  title?: string;
  /** actualStartTime (ms), when known. */
  startedAt?: number;
}

export interface DiscoveryOptions {
  api: YouTubeApi;
  logger: Logger;
  channelId?: string;
  videoId?: string;
  liveChatId?: string;
  feedUrl: string;
  useSearch: boolean;
  fetch?: typeof fetch;
}

/**
 * Finds the creator's live chat for as few quota units as possible, in this
 * order: a configured liveChatId (free); a configured video (videos.list,
 * 1 unit); with OAuth, the channel's own active broadcast
 * (liveBroadcasts.list, 1 unit); the channel's public upload feed (free)
 * then one videos.list for its newest videos (1 unit); and only when
 * enabled, search.list (100 units). A check without search costs at most
 * 2 units.
 */
export class LiveDiscovery {
  readonly #o: DiscoveryOptions;

  constructor(options: DiscoveryOptions) {
    this.#o = options;
  }

  async find(): Promise<LiveTarget | undefined> {
    const o = this.#o;
    if (o.liveChatId !== undefined) return { liveChatId: o.liveChatId, ...(o.videoId === undefined ? {} : { videoId: o.videoId }) };
    if (o.videoId !== undefined) return liveOf(await o.api.videos([o.videoId]));
    if (o.api.hasOAuth) {
      const broadcast = (await o.api.activeBroadcasts()).find((b) => typeof b.snippet?.liveChatId === 'string');
      if (broadcast !== undefined) {
        const startedAt = Date.parse(broadcast.snippet?.actualStartTime ?? '');
        return {
          liveChatId: broadcast.snippet!.liveChatId!,
          ...(typeof broadcast.id === 'string' ? { videoId: broadcast.id } : {}),
          ...(typeof broadcast.snippet?.title === 'string' ? { title: broadcast.snippet.title } : {}),
          ...(Number.isFinite(startedAt) ? { startedAt } : {}),
        };
      }
    }
    if (o.channelId !== undefined) {
      const ids = await this.#feedVideoIds(o.channelId);
      const live = ids.length === 0 ? undefined : liveOf(await o.api.videos(ids.slice(0, 15)));
      if (live !== undefined) return live;
      if (o.useSearch) {
        const found = await o.api.searchLive(o.channelId);
        if (found.length > 0) return liveOf(await o.api.videos(found));
      }
    }
    return undefined;
  }

  /** The newest video ids of the channel's public feed (no quota). A failed feed is not fatal. */
  async #feedVideoIds(channelId: string): Promise<string[]> {
    const url = `${this.#o.feedUrl}?channel_id=${encodeURIComponent(channelId)}`;
    try {
      const response = await (this.#o.fetch ?? fetch)(url, { signal: AbortSignal.timeout(10_000) });
      if (!response.ok) {
        this.#o.logger.debug({ status: response.status }, 'YouTube channel feed unavailable');
        return [];
      }
      const xml = (await response.text()).slice(0, 2_000_000);
      return [...xml.matchAll(/<yt:videoId>([A-Za-z0-9_-]{6,20})<\/yt:videoId>/g)].map((m) => m[1]!);
    } catch (error) {
      this.#o.logger.debug({ err: error }, 'YouTube channel feed failed');
      return [];
    }
  }
}

/**
 * The first video that is live now: started (`actualStartTime`), not ended,
 * with an active chat. An upcoming broadcast already has a chat (its waiting
 * room) but is not live yet.
 */
export function liveOf(videos: readonly youtube_v3.Schema$Video[]): LiveTarget | undefined {
  for (const video of videos) {
    if (typeof video !== 'object' || video === null) continue;
    const details = video.liveStreamingDetails;
    const chat = details?.activeLiveChatId;
    if (typeof chat !== 'string' || chat.length === 0 || !details?.actualStartTime || details.actualEndTime) continue;
    const startedAt = Date.parse(details?.actualStartTime ?? '');
    return {
      liveChatId: chat,
      ...(typeof video.id === 'string' ? { videoId: video.id } : {}),
      ...(typeof video.snippet?.title === 'string' ? { title: video.snippet.title } : {}),
      ...(Number.isFinite(startedAt) ? { startedAt } : {}),
    };
  }
  return undefined;
}
