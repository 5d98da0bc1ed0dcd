/**
 * @streamsuites/streamlink — a creator's live stream (Twitch, YouTube, and
 * every other site streamlink supports) as an HLS URL ffmpeg can read, by
 * running the external `streamlink` program: `resolveStreamUrl()` for one
 * page, `streamlinkSource()` as a kernel StreamSource.
 */
export { DEFAULT_TIMEOUT_MS, lastMeaningfulLine, redactOutput, resolveStreamUrl } from './resolve.js';
export type { ResolvedStream, ResolveStreamUrlOptions } from './resolve.js';
export { streamlinkSource } from './source.js';
export { ChannelStreamSource, sourceSettings } from './channel-source.js';
export type { SourceSecrets } from './channel-source.js';
export type { StreamlinkSourceOptions } from './source.js';
export { streamlinkConfigSchema, streamlinkOptions } from './config.js';
export type { StreamlinkConfig } from './config.js';
export * from './errors.js';
