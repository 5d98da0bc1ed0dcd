/** Writing the fake's answers: Google's JSON and error envelopes, its 404 page, and the status in each request record. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type GoogleError, googleJson } from './errors.js';
import type { FakeEndpoint, FakeRequestRecord } from './types.js';

/** One request to a known endpoint, as the handlers see it. */
export interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  endpoint: FakeEndpoint;
  rec: FakeRequestRecord;
  /** Errors on the streaming endpoint are wrapped in a JSON array. */
  streaming: boolean;
}

/** The record of each response, so whichever path answers sets its status. */
const records = new WeakMap<ServerResponse, FakeRequestRecord>();

export function recordResponse(res: ServerResponse, rec: FakeRequestRecord): void {
  records.set(res, rec);
}

/** writeHead, and the status into the request record (synchronously, before the client can see it). */
export function writeHead(res: ServerResponse, status: number, headers: Record<string, string | number>): void {
  const rec = records.get(res);
  if (rec !== undefined) rec.status = status;
  res.writeHead(status, headers);
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = googleJson(body);
  writeHead(res, status, {
    'content-type': 'application/json; charset=UTF-8',
    'content-length': Buffer.byteLength(text),
    vary: 'Origin, X-Origin, Referer',
    'cache-control': 'private',
    server: 'ESF',
  });
  res.end(text);
}

export function sendOk(ex: Exchange, body: unknown): void {
  sendJson(ex.res, 200, body);
}

export function sendError(ex: Exchange, error: GoogleError): void {
  ex.rec.reason = error.errors[0]?.reason;
  sendJson(ex.res, error.code, ex.streaming ? [{ error }] : { error });
}

/** An HTML body (the feed's and the 404 page's content type). */
export function sendHtml(res: ServerResponse, status: number, body: string): void {
  writeHead(res, status, { 'content-type': 'text/html; charset=UTF-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

const notFoundHtml = (path: string): string =>
  `<!DOCTYPE html>\n<html lang=en>\n  <meta charset=utf-8>\n  <title>Error 404 (Not Found)!!1</title>\n  <p><b>404.</b> <ins>That’s an error.</ins>\n  <p>The requested URL <code>${path.replace(/[<>&"]/g, '')}</code> was not found on this server.  <ins>That’s all we know.</ins>\n`;

export function sendNotFound(res: ServerResponse, path: string): void {
  sendHtml(res, 404, notFoundHtml(path));
}
