/** Reading a request: the body, and the query parameters every list endpoint validates alike. */
import type { IncomingMessage } from 'node:http';
import { invalidValue, requiredParameter, unknownPart } from './errors.js';
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
