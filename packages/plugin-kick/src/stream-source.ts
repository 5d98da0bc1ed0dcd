import type { SecretRegistry, StreamSource } from '@streamsuites/kernel';
import { streamlinkOptions, streamlinkSource, type StreamlinkConfig } from '@streamsuites/streamlink';

/** The page streamlink opens for a Kick channel (streamlink has a kick.com plugin). */
export function kickPageUrl(channel: string): string {
  return `https://kick.com/${encodeURIComponent(channel.toLowerCase())}`;
}

/**
 * The Kick stream source: a creator's live stream resolved with streamlink
 * from https://kick.com/<channel>. Registered in register(), configured in
 * init(), each creator's channel learnt in start(); a creator it does not
 * serve gets SS_ERR_STREAMLINK_NOT_LIVE.
 */
export class KickStreamSource {
  readonly #channels = new Map<string, string>();
  #config: Partial<StreamlinkConfig> = {};
  #secrets: Pick<SecretRegistry, 'add' | 'redactString'> | undefined;

  readonly source: StreamSource = streamlinkSource({
    platform: 'kick',
    pageUrl: (creatorId) => {
      const channel = this.#channels.get(creatorId);
      return channel === undefined ? undefined : kickPageUrl(channel);
    },
    settings: () => ({
      ...streamlinkOptions(this.#config),
      ...(this.#secrets === undefined ? {} : { redact: (text: string) => this.#secrets!.redactString(text) }),
    }),
    // The playback URL carries a token: whatever logs it later masks it.
    onResolved: (input) => this.#secrets?.add(input.url),
  });

  configure(config: Partial<StreamlinkConfig>, secrets?: Pick<SecretRegistry, 'add' | 'redactString'>): void {
    this.#config = config;
    this.#secrets = secrets;
  }

  serve(creatorId: string, channel: string): () => void {
    this.#channels.set(creatorId, channel);
    return () => {
      if (this.#channels.get(creatorId) === channel) this.#channels.delete(creatorId);
    };
  }
}
