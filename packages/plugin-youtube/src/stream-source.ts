import type { EventBus, StreamSource } from '@streamsuites/kernel';
import { sourceSettings, streamlinkSource, type SourceSecrets, type StreamlinkConfig } from '@streamsuites/streamlink';

/** What a creator's config says to watch (the fields of creators.<id>.config.youtube that name a page). */
export interface YouTubeWatchTarget {
  channelId?: string | undefined;
  videoId?: string | undefined;
}

/**
 * The page streamlink opens: the live video when we know it (found by
 * discovery, or configured), else the channel's `/live` page, which YouTube
 * redirects to the channel's current live broadcast. Undefined when neither
 * is known (a creator configured with a liveChatId only, before discovery).
 */
export function youtubePageUrl(target: YouTubeWatchTarget, liveVideoId?: string): string | undefined {
  const videoId = liveVideoId ?? target.videoId;
  if (videoId !== undefined) return `https://www.youtube.com/watch?v=${encodeURIComponent(videoId)}`;
  if (target.channelId !== undefined) return `https://www.youtube.com/channel/${encodeURIComponent(target.channelId)}/live`;
  return undefined;
}

/**
 * The YouTube stream source: a creator's live stream resolved with
 * streamlink. The plugin registers the source in register(), gives it its
 * settings and the bus in init() and each creator's target in start(). The
 * live video id comes from the plugin's own `stream.online` (discovery found
 * the broadcast) and is forgotten on `stream.offline`; a resolve that runs
 * before it arrives opens the channel's `/live` page, which leads to the
 * same broadcast.
 */
export class YouTubeStreamSource {
  readonly #targets = new Map<string, YouTubeWatchTarget>();
  readonly #live = new Map<string, string>();
  #config: Partial<StreamlinkConfig> = {};
  #secrets: SourceSecrets | undefined;

  readonly source: StreamSource = streamlinkSource({
    platform: 'youtube',
    pageUrl: (creatorId) => {
      const target = this.#targets.get(creatorId);
      return target === undefined ? undefined : youtubePageUrl(target, this.#live.get(creatorId));
    },
    settings: () => sourceSettings(this.#config, this.#secrets),
    // googlevideo URLs carry their signature in the path: whatever logs it later masks it.
    onResolved: (input) => this.#secrets?.add(input.url),
  });

  /** Settings, secrets, and the bus the plugin's sessions announce live broadcasts on. Returns the unsubscribe. */
  configure(config: Partial<StreamlinkConfig>, bus: Pick<EventBus, 'on'>, secrets?: SourceSecrets): () => void {
    this.#config = config;
    this.#secrets = secrets;
    const offOnline = bus.on('stream.online', (e) => {
      if (e.platform === 'youtube' && e.streamId !== undefined && this.#targets.has(e.creatorId)) this.#live.set(e.creatorId, e.streamId);
    });
    const offOffline = bus.on('stream.offline', (e) => {
      if (e.platform === 'youtube') this.#live.delete(e.creatorId);
    });
    return () => {
      offOnline();
      offOffline();
    };
  }

  /** What the creator watches; the returned function forgets the creator (stopped). */
  serve(creatorId: string, target: YouTubeWatchTarget): () => void {
    const own = { channelId: target.channelId, videoId: target.videoId };
    this.#targets.set(creatorId, own);
    return () => {
      if (this.#targets.get(creatorId) !== own) return;
      this.#targets.delete(creatorId);
      this.#live.delete(creatorId);
    };
  }
}
