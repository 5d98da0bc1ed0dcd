import type { IncomingMessage, ServerResponse } from 'node:http';

// Every answer: no MIME sniffing, no referrer leaks of the state-root URL.
const BASE_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
} as const;

/**
 * The page may fetch a state root on another origin (`?stateRoot=`), so
 * connect-src allows http(s); scripts, styles and images stay same-origin.
 */
export const PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self' http: https:; " +
  "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

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
