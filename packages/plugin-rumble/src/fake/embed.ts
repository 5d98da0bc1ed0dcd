/**
 * The fake's answer to Rumble's public embed metadata,
 * `GET /embedJS/u3/?request=video&ver=2&v=<embedId>`, as yt-dlp's Rumble
 * extractor reads it: `live` (0 not live, 1 upcoming / ended, 2 live now),
 * `ua: { hls: { auto: { url, meta } } }`, `title`, `pubDate`,
 * `author: { name, url }`, `livestream_has_dvr`. Rumble answers the JSON
 * literal `false` (status 200) for an id it does not know.
 */
import { formatUtc, type KnownLivestream } from './api-channel.js';

/** What `setStreamUrl` said for one livestream id. */
export interface EmbedStream {
  hlsUrl: string | undefined;
  live: 0 | 1 | 2;
}

/** The path of the embed endpoint (with its trailing slash, as Rumble's). */
export const EMBED_PATH = '/embedJS/u3/';

/**
 * The livestream id an embed id names: Rumble's embed ids are the id with a
 * `v` prefix (`v6abcde` for `6abcde`); the bare id is accepted too. The
 * prefixed reading wins when both name a set stream.
 */
export function resolveEmbedId(v: string | null, streams: ReadonlyMap<string, EmbedStream>): string | undefined {
  if (v === null || v === '') return undefined;
  if (v.startsWith('v') && streams.has(v.slice(1))) return v.slice(1);
  return streams.has(v) ? v : undefined;
}

/** The body for a set stream; `known` is the livestream when a channel of this fake listed it. */
export function embedBody(id: string, stream: EmbedStream, known: KnownLivestream | undefined, now: number): unknown {
  const w = 1920;
  const h = 1080;
  const author = known?.author ?? 'FakeStreamer';
  return {
    fps: 30,
    w,
    h,
    ua:
      stream.hlsUrl === undefined
        ? {}
        : { hls: { auto: { url: stream.hlsUrl, meta: { bitrate: 4500, size: 0, w, h, live: stream.live === 2 } } } },
    i: `https://example.invalid/thumbs/${id}.jpg`,
    l: `/v${id}-live.html`,
    title: known?.title ?? `Live stream ${id}`,
    author: { name: author, url: `https://rumble.com/c/${encodeURIComponent(author)}` },
    duration: stream.live === 2 ? 0 : null,
    pubDate: formatUtc(known?.createdOn ?? now),
    vid: Number.parseInt(id, 36) || 0,
    live: stream.live,
    live_placeholder: false,
    livestream_has_dvr: true,
  };
}
