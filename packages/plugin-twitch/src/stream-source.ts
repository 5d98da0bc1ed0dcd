import type { SecretRegistry, StreamSource } from '@streamsuites/kernel';
import { streamlinkOptions, streamlinkSource, type StreamlinkConfig } from '@streamsuites/streamlink';

/** The page streamlink opens for a Twitch channel. */
export function twitchPageUrl(channel: string): string {
  return `https://www.twitch.tv/${encodeURIComponent(channel.toLowerCase())}`;
}

/**
 * The Twitch stream source: a creator's live stream, resolved with
 * streamlink from the page of the channel they configured. The plugin
 * registers the source in register(), learns its settings in init() and
 * each creator's channel in start(); a creator it does not serve (not
 * started, or stopped) gets SS_ERR_STREAMLINK_NOT_LIVE.
 */
export class TwitchStreamSource {
  readonly #channels = new Map<string, string>();
  #config: Partial<StreamlinkConfig> = {};
  #secrets: Pick<SecretRegistry, 'add' | 'redactString'> | undefined;

  readonly source: StreamSource = streamlinkSource({
    platform: 'twitch',
    pageUrl: (creatorId) => {
      const channel = this.#channels.get(creatorId);
      return channel === undefined ? undefined : twitchPageUrl(channel);
    },
    settings: () => ({
      ...streamlinkOptions(this.#config),
      ...(this.#secrets === undefined ? {} : { redact: (text: string) => this.#secrets!.redactString(text) }),
    }),
    // The URL carries Twitch's playback token: whatever logs it later masks it.
    onResolved: (input) => this.#secrets?.add(input.url),
  });

  configure(config: Partial<StreamlinkConfig>, secrets?: Pick<SecretRegistry, 'add' | 'redactString'>): void {
    this.#config = config;
    this.#secrets = secrets;
  }

  /** The creator's channel; the returned function forgets it (creator stopped). */
  serve(creatorId: string, channel: string): () => void {
    this.#channels.set(creatorId, channel);
    return () => {
      if (this.#channels.get(creatorId) === channel) this.#channels.delete(creatorId);
    };
  }
}
