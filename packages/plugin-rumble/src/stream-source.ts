import type { LiveStreamInput } from '@streamsuites/kernel';
import { SS_ERR_RUMBLE_NOT_LIVE, SS_ERR_RUMBLE_STREAM_UNRESOLVED } from './errors.js';

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Rumble's embed ids are the video id with a `v` prefix. */
export function embedIdOf(livestreamId: string): string {
  return livestreamId.startsWith('v') ? livestreamId : `v${livestreamId}`;
}

/**
 * The HLS playlist of a Rumble live stream from the public embed metadata
 * (`embedJS/u3/?request=video&ver=2&v=<embed id>`): `live` is 2 while it is
 * live, and `ua.hls` lists renditions (`auto` is the adaptive master
 * playlist). Rejects with SS_ERR_RUMBLE_STREAM_UNRESOLVED saying why.
 */
export async function resolveEmbedHls(options: {
  creatorId: string;
  livestreamId: string | undefined;
  embedUrl: string;
  signal: AbortSignal;
  timeoutMs?: number;
}): Promise<LiveStreamInput> {
  const { creatorId, livestreamId } = options;
  if (livestreamId === undefined) throw new SS_ERR_RUMBLE_NOT_LIVE(creatorId, 'the Live Stream API lists no live stream');
  const url = new URL(options.embedUrl);
  url.searchParams.set('request', 'video');
  url.searchParams.set('ver', '2');
  url.searchParams.set('v', embedIdOf(livestreamId));
  let data: unknown;
  try {
    const response = await fetch(url, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.any([options.signal, AbortSignal.timeout(options.timeoutMs ?? 15_000)]),
    });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    data = JSON.parse(await response.text());
  } catch (error) {
    if (options.signal.aborted) throw options.signal.reason;
    throw new SS_ERR_RUMBLE_STREAM_UNRESOLVED(creatorId, `the embed metadata could not be read (${(error as Error).message.slice(0, 200)})`);
  }
  if (!isObject(data)) throw new SS_ERR_RUMBLE_STREAM_UNRESOLVED(creatorId, `Rumble does not know embed ${embedIdOf(livestreamId)}`);
  if (data.live !== 2) throw new SS_ERR_RUMBLE_STREAM_UNRESOLVED(creatorId, `the embed metadata says the stream is not live (live=${JSON.stringify(data.live ?? null)})`);
  const hls = hlsUrl(data);
  if (hls === undefined) throw new SS_ERR_RUMBLE_STREAM_UNRESOLVED(creatorId, 'the embed metadata lists no HLS rendition');
  return { url: hls, headers: { Referer: 'https://rumble.com/' }, via: 'rumble embed' };
}

/** `ua.hls.auto.url`, else the first `ua.hls.<height>.url`, else the older `u.hls.url`. */
function hlsUrl(data: Json): string | undefined {
  const renditions = isObject(data.ua) && isObject(data.ua.hls) ? data.ua.hls : undefined;
  const candidates: unknown[] = [];
  if (renditions !== undefined) {
    if (isObject(renditions.auto)) candidates.push(renditions.auto.url);
    for (const value of Object.values(renditions)) if (isObject(value)) candidates.push(value.url);
  }
  if (isObject(data.u) && isObject(data.u.hls)) candidates.push(data.u.hls.url);
  return candidates.find((c): c is string => typeof c === 'string' && /^https?:\/\//.test(c));
}
