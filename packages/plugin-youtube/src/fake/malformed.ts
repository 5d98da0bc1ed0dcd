/** Malformed `200` bodies (`malformNext`): a good answer, rendered, then broken the way a proxy, a cut connection or a bug would. */
import type { ServerResponse } from 'node:http';
import { googleJson } from './errors.js';
import { type Exchange, sendHtml, writeHead } from './reply.js';
import type { FakeMalformedBody } from './types.js';

/** What a captive portal or a misrouted proxy answers with `200`. */
export const NOT_JSON_PAGE = '<!DOCTYPE html>\n<html><head><title>Sign in to the network</title></head><body><p>Please sign in to continue.</p></body></html>\n';

/** A streamList array element that is not valid JSON (a trailing comma): brackets balance, the parse fails. */
export const BAD_STREAM_ELEMENT = '{"kind": "youtube#liveChatMessageListResponse", "items": [{"id": "x",}]}';

interface Captured {
  status: number;
  headers: Record<string, string | number>;
  body: string;
}

/**
 * Serves `kind` for a plain (not streamed) endpoint: `serve` answers into a
 * capturing response; an error answer is sent as it is, a `200` is broken.
 */
export async function serveMalformed(ex: Exchange, kind: FakeMalformedBody, serve: (ex: Exchange) => void | Promise<void>): Promise<void> {
  const captured: Captured = { status: 0, headers: {}, body: '' };
  const res = {
    headersSent: false,
    writeHead(status: number, headers: Record<string, string | number>) {
      captured.status = status;
      captured.headers = headers;
      return res;
    },
    end(chunk?: string | Buffer) {
      if (chunk !== undefined) captured.body += chunk.toString();
      return res;
    },
  };
  await serve({ ...ex, res: res as unknown as ServerResponse });
  if (captured.status !== 200) return send(ex.res, captured.status, captured.headers, captured.body);
  if (kind === 'not-json') return sendHtml(ex.res, 200, NOT_JSON_PAGE);
  if (kind === 'truncated') return send(ex.res, 200, captured.headers, captured.body.slice(0, Math.floor(captured.body.length / 2)));
  send(ex.res, 200, captured.headers, googleJson(malformedPage(kind, JSON.parse(captured.body))));
}

/** A good page with `items` broken (`items-not-array`) or a `null` in the middle of it (`bad-item`, `bad-element`). */
export function malformedPage(kind: Exclude<FakeMalformedBody, 'not-json' | 'truncated'>, page: { items?: unknown[] }): unknown {
  const items = [...(page.items ?? [])];
  if (kind === 'items-not-array') return { ...page, items: Object.fromEntries(items.map((item, i) => [String(i), item])) };
  items.splice(Math.floor(items.length / 2), 0, null);
  return { ...page, items };
}

function send(res: ServerResponse, status: number, headers: Record<string, string | number>, body: string): void {
  writeHead(res, status, { ...headers, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
