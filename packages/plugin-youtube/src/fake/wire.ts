/** Ids, etags and time formats shaped like the real API's. */
import { createHash } from 'node:crypto';

const digest = (input: string): Buffer => createHash('sha256').update(input).digest();

/** Unquoted 27-character etag (the format since 2020; older responses quoted theirs). */
export const etagOf = (value: unknown): string => digest(JSON.stringify(value) ?? '').toString('base64url').slice(0, 27);

/** `UC` + 22 characters, stable for a name. */
export const channelIdFor = (name: string): string => `UC${digest(`channel:${name}`).toString('base64url').slice(0, 22)}`;

/** 11 characters like a real video id. */
export const videoIdFor = (seed: string): string => digest(`video:${seed}`).toString('base64url').slice(0, 11);

/** Live chat ids are base64 protobufs naming the video and the channel (`Cg0KC...`); so are these. */
export const liveChatIdFor = (videoId: string, channelId: string): string =>
  Buffer.from(`\n\r\n\u000b${videoId}*'\n\u0018${channelId}\u0012\u000b${videoId}`, 'latin1').toString('base64url');

/**
 * `LCC.` + base64, stable per chat, position and time. Real ids are unique
 * for all time: two fake servers (a demo run and the next one) that give a
 * chat the same id must not reuse message ids, so the time is part of it.
 */
export const messageIdFor = (liveChatId: string, seq: number, at: number): string =>
  `LCC.${digest(`${liveChatId}#${seq}@${at}`).toString('base64url').slice(0, 40)}`;

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

function parts(ms: number): { date: string; time: string; millis: string } {
  const d = new Date(ms);
  return {
    date: `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`,
    time: `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`,
    millis: pad(d.getUTCMilliseconds(), 3),
  };
}

/** Chat `publishedAt` as the API sends it today: microseconds and a numeric offset (`2021-06-09T15:40:52.765983+00:00`). */
export function chatTime(ms: number): string {
  const p = parts(ms);
  return `${p.date}T${p.time}.${p.millis}000+00:00`;
}

/** Video / broadcast times: whole seconds, `Z` (`2022-07-12T15:59:30Z`). */
export function apiTime(ms: number): string {
  const p = parts(ms);
  return `${p.date}T${p.time}Z`;
}

/** Feed times: `2024-05-01T18:00:00+00:00`. */
export function feedTime(ms: number): string {
  const p = parts(ms);
  return `${p.date}T${p.time}+00:00`;
}

/** What a page token says: a position in one chat, the chat's token generation and when it was issued. */
export interface PageTokenContent {
  position: number;
  generation: number;
  issuedAt: number;
}

/** Page tokens: opaque, but they encode the chat, a position in it, the token generation and the issue time. */
export function encodePageToken(liveChatId: string, position: number, generation = 0, issuedAt = 0): string {
  return Buffer.from(`${digest(liveChatId).toString('base64url').slice(0, 8)}:${position}:${generation}:${Math.max(0, Math.floor(issuedAt))}`).toString('base64url');
}

/** What a token names, or undefined when it is malformed or for another chat. */
export function decodePageToken(liveChatId: string, token: string): PageTokenContent | undefined {
  if (token.length > 200 || !/^[A-Za-z0-9_-]+$/.test(token)) return undefined;
  const m = /^([A-Za-z0-9_-]{8}):(\d{1,9}):(\d{1,9}):(\d{1,16})$/.exec(Buffer.from(token, 'base64url').toString('latin1'));
  if (m === null || m[1] !== digest(liveChatId).toString('base64url').slice(0, 8)) return undefined;
  return { position: Number(m[2]), generation: Number(m[3]), issuedAt: Number(m[4]) };
}

export const escapeXml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
