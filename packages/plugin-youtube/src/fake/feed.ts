/** A channel's public Atom feed (`/feeds/videos.xml?channel_id=`), as youtube.com serves it. */
import type { ChannelState, VideoState } from './state.js';
import { escapeXml, feedTime } from './wire.js';

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
