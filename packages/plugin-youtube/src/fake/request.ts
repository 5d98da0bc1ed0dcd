/** Reading a request: the body, and the query parameters every list endpoint validates alike. */
import type { IncomingMessage } from 'node:http';
import { customError, invalidValue, requiredParameter, unknownPart } from './errors.js';
import { type Exchange, sendError } from './reply.js';

const MAX_BODY = 1 << 20;

/** Repeated and comma-separated values (`part=id&part=snippet` or `part=id,snippet`). */
export function multi(url: URL, name: string): string[] {
  return url.searchParams
    .getAll(name)
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v.length > 0);
}

/** The `part` parameter: required, every value known; undefined after answering 400. */
export function partsOf(ex: Exchange, allowed: ReadonlySet<string>): Set<string> | undefined {
  const parts = multi(ex.url, 'part');
  if (parts.length === 0) {
    sendError(ex, requiredParameter('part'));
    return undefined;
  }
  const unknown = parts.find((p) => !allowed.has(p));
  if (unknown !== undefined) {
    sendError(ex, unknownPart(unknown));
    return undefined;
  }
  return new Set(parts);
}

/** `maxResults` within [min, max], `fallback` when absent; undefined after answering 400. */
export function maxResultsOf(ex: Exchange, fallback: number, min: number, max: number): number | undefined {
  const raw = ex.url.searchParams.get('maxResults');
  if (raw === null) return fallback;
  const n = /^\d{1,6}$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= min && n <= max)) {
    sendError(ex, invalidValue('maxResults', `Invalid value '${raw}'. Values must be within the range: [${min}, ${max}]`));
    return undefined;
  }
  return n;
}

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new Error('body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * The JSON body of an insert (a chat message, a ban): its `snippet` with a
 * non-empty `snippet.liveChatId`; undefined after answering 400 as YouTube
 * does (parseError, required parameter).
 */
export async function liveChatSnippetOf(ex: Exchange): Promise<{ snippet: Record<string, unknown>; liveChatId: string } | undefined> {
  let body: unknown;
  try {
    body = JSON.parse((await readBody(ex.req)).toString('utf8'));
  } catch {
    sendError(ex, customError(400, 'parseError', 'Parse Error'));
    return undefined;
  }
  const snippet = (body as { snippet?: Record<string, unknown> } | null)?.snippet;
  const liveChatId = snippet?.liveChatId;
  if (snippet === undefined || typeof liveChatId !== 'string' || liveChatId.length === 0) {
    sendError(ex, requiredParameter('snippet.liveChatId'));
    return undefined;
  }
  return { snippet, liveChatId };
}
