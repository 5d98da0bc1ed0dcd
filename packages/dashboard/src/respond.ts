import type { IncomingMessage, ServerResponse } from 'node:http';

// Every answer: no MIME sniffing, no referrer leaks of the state-root URL.
const BASE_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
} as const;

/**
 * The page may fetch a state root on another origin (`?stateRoot=`), so
 * connect-src allows http(s), and so do media-src and img-src: clip videos and
 * poster frames come from the state root, wherever it is (and from blob: URLs
 * when a token-protected server's media had to be fetched with its header).
 * Scripts and styles stay same-origin.
 */
export const PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob: http: https:; media-src 'self' blob: http: https:; " +
  "connect-src 'self' http: https:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export function send(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  body: Buffer | string,
  headers: Record<string, string>,
): void {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  res.writeHead(status, { ...BASE_HEADERS, ...headers, 'Content-Length': String(bytes.length) });
  // HEAD: the same headers as GET, no body.
  res.end(req.method === 'HEAD' ? undefined : bytes);
}

// What a 304 repeats of the 200 it stands for (RFC 9110 §15.4.5): validators,
// caching and the headers a CORS read of the cached body needs.
const NOT_MODIFIED_HEADERS = ['ETag', 'Cache-Control', 'Vary', 'Access-Control-Allow-Origin', 'Accept-Ranges'];

/** 304: the client's copy (its If-None-Match) is current. No body, no Content-Length. */
export function sendNotModified(res: ServerResponse, headers: Record<string, string>): void {
  const kept: Record<string, string> = {};
  for (const name of NOT_MODIFIED_HEADERS) if (headers[name] !== undefined) kept[name] = headers[name];
  res.writeHead(304, { ...BASE_HEADERS, ...kept });
  res.end();
}

/** Headers every answer gets (no sniffing, no referrer). */
export function baseHeaders(headers: Record<string, string | number>): Record<string, string | number> {
  return { ...BASE_HEADERS, ...headers };
}

/** A JSON error body `{ error: { status, code, message } }`; never cached, never a stack. */
export function sendError(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): void {
  const body = `${JSON.stringify({ error: { status, code, message } })}\n`;
  send(req, res, status, body, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers });
}
