import type { Platform, SecretRegistry, StreamSource } from '@streamsuites/kernel';
import { streamlinkOptions, type StreamlinkConfig } from './config.js';
import type { ResolveStreamUrlOptions } from './resolve.js';
import { streamlinkSource } from './source.js';

/** What a stream source needs of the SecretRegistry: resolved URLs carry tokens. */
export type SourceSecrets = Pick<SecretRegistry, 'add' | 'redactString'>;

/** The resolve options of a plugin's `streamlink` config, with streamlink's output redacted of known secrets. */
export function sourceSettings(config: Partial<StreamlinkConfig>, secrets: SourceSecrets | undefined): Omit<ResolveStreamUrlOptions, 'signal'> {
  return { ...streamlinkOptions(config), ...(secrets === undefined ? {} : { redact: (text: string) => secrets.redactString(text) }) };
}

/**
 * The stream source of a platform where each creator's stream is one
 * channel page (Twitch, Kick): the plugin registers `source` in
 * register(), gives it its `streamlink` config and the SecretRegistry in
 * init() (`configure`) and each creator's channel in start() (`serve`); a
 * creator it does not serve (not started, or stopped) gets
 * SS_ERR_STREAMLINK_NOT_LIVE. Every URL resolved is registered as a secret:
 * playback URLs carry the platform's token, and whatever logs them later
 * masks them.
 */
export class ChannelStreamSource {
  readonly #channels = new Map<string, string>();
  #config: Partial<StreamlinkConfig> = {};
  #secrets: SourceSecrets | undefined;
  readonly source: StreamSource;

  constructor(platform: Platform, pageUrl: (channel: string) => string) {
    this.source = streamlinkSource({
      platform,
      pageUrl: (creatorId) => {
        const channel = this.#channels.get(creatorId);
        return channel === undefined ? undefined : pageUrl(channel);
      },
      settings: () => sourceSettings(this.#config, this.#secrets),
      onResolved: (input) => this.#secrets?.add(input.url),
    });
  }

  configure(config: Partial<StreamlinkConfig>, secrets?: SourceSecrets): void {
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
