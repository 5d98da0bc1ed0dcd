import { ChannelStreamSource } from '@streamsuites/streamlink';

/** The page streamlink opens for a Kick channel (streamlink has a kick.com plugin). */
export function kickPageUrl(channel: string): string {
  return `https://kick.com/${encodeURIComponent(channel.toLowerCase())}`;
}

/**
 * The Kick stream source: a creator's live stream resolved with streamlink
 * from https://kick.com/<channel> (see ChannelStreamSource of
 * @streamsuites/streamlink for its life cycle).
 */
export class KickStreamSource extends ChannelStreamSource {
  constructor() {
    super('kick', kickPageUrl);
  }
}
