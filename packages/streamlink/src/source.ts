import type { LiveStreamInput, Platform, StreamSource } from '@streamsuites/kernel';
import { SS_ERR_STREAMLINK_NOT_LIVE } from './errors.js';
import { resolveStreamUrl, type ResolveStreamUrlOptions } from './resolve.js';

export interface StreamlinkSourceOptions extends Omit<ResolveStreamUrlOptions, 'signal'> {
  /** The platform whose streams this resolves (matched against `stream.online`). */
  platform: Platform;
  /**
   * The page streamlink opens for a creator (`https://www.twitch.tv/<channel>`),
   * or undefined when there is none to open: the creator does not enable the
   * platform, or is known not to be live. May throw its own coded error.
   */
  pageUrl: (creatorId: string) => string | undefined;
  /**
   * Options read at every resolve, over the ones given here: for plugins
   * whose config is only known after register() (a plugin's `init`).
   */
  settings?: (() => Omit<ResolveStreamUrlOptions, 'signal'>) | undefined;
  /** Called with every URL resolved, e.g. to register it with the SecretRegistry. */
  onResolved?: ((input: LiveStreamInput) => void) | undefined;
}

/**
 * A {@link StreamSource} that resolves a creator's live stream with
 * streamlink: platform plugins contribute it with
 * `reg.extend(streamSourcesExtensionPoint, streamlinkSource({...}))`.
 * Rejects with SS_ERR_STREAMLINK_NOT_LIVE when `pageUrl` gives nothing, else
 * with the errors of {@link resolveStreamUrl}.
 */
export function streamlinkSource(options: StreamlinkSourceOptions): StreamSource {
  const { platform, pageUrl, settings, onResolved, ...resolveOptions } = options;
  return {
    platform,
    async resolve(creatorId, { signal }): Promise<LiveStreamInput> {
      const page = pageUrl(creatorId);
      if (page === undefined) {
        throw new SS_ERR_STREAMLINK_NOT_LIVE(platform, creatorId, 'no page to open (the creator does not enable this platform, or is not live)', {
          details: { platform, creatorId },
        });
      }
      const { url, headers } = await resolveStreamUrl(page, { ...resolveOptions, ...settings?.(), signal });
      const input: LiveStreamInput = { url, ...(headers === undefined ? {} : { headers }), via: 'streamlink' };
      onResolved?.(input);
      return input;
    },
  };
}
