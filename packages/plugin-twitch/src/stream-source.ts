import { ChannelStreamSource } from '@streamsuites/streamlink';

/** The page streamlink opens for a Twitch channel. */
export function twitchPageUrl(channel: string): string {
  return `https://www.twitch.tv/${encodeURIComponent(channel.toLowerCase())}`;
}

/**
 * The Twitch stream source: a creator's live stream, resolved with
 * streamlink from the page of the channel they configured (see
 * ChannelStreamSource of @streamsuites/streamlink for its life cycle).
 */
export class TwitchStreamSource extends ChannelStreamSource {
  constructor() {
    super('twitch', twitchPageUrl);
  }
}
