/** A channel's public Atom feed (`/feeds/videos.xml?channel_id=`), as youtube.com serves it. */
import { googleError } from './errors.js';
import type { FailureQueue } from './failures.js';
import { type Exchange, sendHtml, sendNotFound, writeHead } from './reply.js';
import type { ChannelState, VideoState } from './state.js';
import { escapeXml, feedTime } from './wire.js';
import type { FakeWorld } from './world.js';

/** The feed lists the 15 most recent videos (uploads, live and upcoming broadcasts), newest first. */
export const FEED_SIZE = 15;

export function renderFeed(channel: ChannelState, videos: VideoState[], now: number): string {
  const id = escapeXml(channel.channelId);
  const title = escapeXml(channel.title);
  const channelUrl = `https://www.youtube.com/channel/${id}`;
  const recent = [...videos].sort((a, b) => b.publishedAt - a.publishedAt).slice(0, FEED_SIZE);
  const published = videos.length > 0 ? Math.min(...videos.map((v) => v.publishedAt)) : now;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<feed xmlns:yt="http://www.youtube.com/xml/schemas/2015" xmlns:media="http://search.yahoo.com/mrss/" xmlns="http://www.w3.org/2005/Atom">',
    ` <link rel="self" href="http://www.youtube.com/feeds/videos.xml?channel_id=${id}"/>`,
    ` <id>yt:channel:${id}</id>`,
    ` <yt:channelId>${id}</yt:channelId>`,
    ` <title>${title}</title>`,
    ` <link rel="alternate" href="${channelUrl}"/>`,
    ' <author>',
    `  <name>${title}</name>`,
    `  <uri>${channelUrl}</uri>`,
    ' </author>',
    ` <published>${feedTime(published)}</published>`,
  ];
  for (const v of recent) {
    const vid = escapeXml(v.videoId);
    const vt = escapeXml(v.title);
    lines.push(
      ' <entry>',
      `  <id>yt:video:${vid}</id>`,
      `  <yt:videoId>${vid}</yt:videoId>`,
      `  <yt:channelId>${id}</yt:channelId>`,
      `  <title>${vt}</title>`,
      `  <link rel="alternate" href="https://www.youtube.com/watch?v=${vid}"/>`,
      '  <author>',
      `   <name>${title}</name>`,
      `   <uri>${channelUrl}</uri>`,
      '  </author>',
      `  <published>${feedTime(v.publishedAt)}</published>`,
      `  <updated>${feedTime(v.broadcast?.actualEndTime ?? v.broadcast?.actualStartTime ?? v.publishedAt)}</updated>`,
      '  <media:group>',
      `   <media:title>${vt}</media:title>`,
      `   <media:content url="https://www.youtube.com/v/${vid}?version=3" type="application/x-shockwave-flash" width="640" height="390"/>`,
      `   <media:thumbnail url="https://i1.ytimg.com/vi/${vid}/hqdefault.jpg" width="480" height="360"/>`,
      '   <media:description></media:description>',
      '   <media:community>',
      '    <media:starRating count="0" average="0.00" min="1" max="5"/>',
      '    <media:statistics views="0"/>',
      '   </media:community>',
      '  </media:group>',
      ' </entry>',
    );
  }
  lines.push('</feed>');
  return lines.join('\n');
}

/** youtube.com's public Atom feed of a channel's recent videos. No key, no quota. */
export function serveFeed(ex: Exchange, world: FakeWorld, failures: FailureQueue, now: () => number): void {
  const failure = failures.find('feeds.videos');
  if (failure !== undefined) {
    failures.use(failure);
    ex.rec.reason = failure.reason;
    const status = googleError(failure.reason).code;
    return sendHtml(ex.res, status, `<!DOCTYPE html><title>Error ${status}</title>`);
  }
  const channelId = ex.url.searchParams.get('channel_id');
  if (channelId === null || channelId.length === 0) return sendHtml(ex.res, 400, '<!DOCTYPE html><title>Error 400 (Bad Request)!!1</title>');
  const channel = world.channel(channelId);
  if (channel === undefined) return sendNotFound(ex.res, ex.url.pathname);
  const xml = renderFeed(channel, channel.videos.map((id) => world.video(id)!), now());
  writeHead(ex.res, 200, { 'content-type': 'text/xml; charset=UTF-8', 'content-length': Buffer.byteLength(xml) });
  ex.res.end(xml);
}
