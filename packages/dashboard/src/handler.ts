import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { accessLevel, refusalFor, WWW_AUTHENTICATE, type AccessLevel } from './access.js';
import { assetType } from './assets.js';
import { bytesETag, notModified } from './conditional.js';
import { hostHeaderName, isLoopbackHost } from './hosts.js';
import { isMediaPath, MEDIA_PREFIX, mediaType, sendMedia } from './media.js';
import { decodeRequestPath, resolveInside } from './paths.js';
import { baseHeaders, PAGE_CSP, send, sendError, sendNotModified } from './respond.js';
import { INTERNAL_ONLY_PATHS, readStateFile } from './state-file.js';

export interface HandlerOptions {
  /** Real path of the state root. */
  rootReal: string;
  /** Real path of the page's assets folder. */
  assetsReal: string;
  /** Refuse Host headers that are not loopback names (set when bound to loopback). */
  loopbackOnly: boolean;
  /**
   * Bound to a non-loopback address with allowRemote: requests that are not
   * local get the page and public files, and more only with the token.
   */
  remote?: boolean;
  /** SHA-256 of the bearer token (never the token itself); undefined: no token configured. */
  tokenDigest?: Buffer;
}

const ALLOW = 'GET, HEAD';

/** CORS preflight answer for /state/ paths: what a cross-origin GET may send. */
const PREFLIGHT = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, HEAD',
  'Access-Control-Allow-Headers': 'Authorization, If-None-Match, Range',
  'Access-Control-Max-Age': '600',
  Allow: 'GET, HEAD, OPTIONS',
};

/** The whole request handler: GET/HEAD of `/`, `/assets/*`, `/state/*.json` and `/state/runtime/media/*`. Read-only. */
export function createHandler(options: HandlerOptions) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      await route(req, res, options);
    } catch {
      if (!res.headersSent) sendError(req, res, 500, 'internal', 'the dashboard server failed to answer');
      else res.destroy();
    }
  };
}

async function route(req: IncomingMessage, res: ServerResponse, options: HandlerOptions): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'OPTIONS') {
    sendError(req, res, 405, 'method-not-allowed', `${req.method ?? '?'} is not allowed: the dashboard is read-only`, { Allow: ALLOW });
    return;
  }
  if (options.loopbackOnly) {
    const name = hostHeaderName(req.headers.host);
    if (name === undefined || !isLoopbackHost(name)) {
      sendError(req, res, 403, 'host-not-allowed', 'this dashboard only answers requests addressed to a loopback host');
      return;
    }
  }
  const target = req.url ?? '';
  const query = target.indexOf('?');
  const decoded = decodeRequestPath(query === -1 ? target : target.slice(0, query));
  if (!decoded.ok) {
    sendError(req, res, decoded.status, decoded.status === 400 ? 'bad-path' : 'not-found', decoded.reason);
    return;
  }
  const [first, ...rest] = decoded.segments;
  if (req.method === 'OPTIONS') {
    // Only the files a dashboard elsewhere reads have a CORS preflight; the rest stays 405.
    if (first === 'state' && decoded.segments.length > 1) {
      res.writeHead(204, baseHeaders(PREFLIGHT));
      res.end();
    } else {
      sendError(req, res, 405, 'method-not-allowed', 'OPTIONS is only answered for /state/ files (CORS preflight)', { Allow: ALLOW });
    }
    return;
  }
  if (decoded.segments.length === 1 && (first === '' || first === 'index.html')) return servePage(req, res, options.assetsReal);
  if (first === 'assets') return serveAsset(req, res, options.assetsReal, rest);
  if (first === 'state') {
    const level = accessLevel(req, options.remote === true, options.tokenDigest);
    // On a remote-enabled server the answer depends on the token.
    const vary: Record<string, string> = options.remote === true ? { Vary: 'Authorization' } : {};
    if (isMediaPath(rest)) return serveMediaFile(req, res, options, rest, level, vary);
    return serveState(req, res, options, rest, level, vary);
  }
  sendError(req, res, 404, 'not-found', 'no such page');
}

/** Sends bytes with a strong ETag, or 304 when the client's copy matches. */
function sendTagged(req: IncomingMessage, res: ServerResponse, bytes: Buffer, headers: Record<string, string>): void {
  const tagged = { ...headers, ETag: bytesETag(bytes) };
  if (notModified(req, tagged.ETag)) sendNotModified(res, tagged);
  else send(req, res, 200, bytes, tagged);
}

async function servePage(req: IncomingMessage, res: ServerResponse, assetsReal: string): Promise<void> {
  const page = await readFile(`${assetsReal}/index.html`);
  sendTagged(req, res, page, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-cache', 'Content-Security-Policy': PAGE_CSP });
}

async function serveAsset(req: IncomingMessage, res: ServerResponse, assetsReal: string, segments: string[]): Promise<void> {
  const resolved = await resolveInside(assetsReal, segments);
  const type = resolved.ok ? assetType(resolved.file) : undefined;
  if (!resolved.ok || type === undefined) {
    sendError(req, res, 404, 'not-found', 'no such asset');
    return;
  }
  sendTagged(req, res, await readFile(resolved.file), { 'Content-Type': type, 'Cache-Control': 'no-cache' });
}

/** 401 (a token is configured: send it) or 403 (no token: dashboard-only data never leaves this machine). */
function refuseRemote(req: IncomingMessage, res: ServerResponse, options: HandlerOptions, subject: string, vary: Record<string, string>): void {
  const refusal = refusalFor(options.tokenDigest);
  if (refusal.status === 401) {
    sendError(req, res, 401, refusal.code, `${subject} needs the dashboard's bearer token (Authorization: Bearer <token>)`, {
      ...vary,
      'WWW-Authenticate': WWW_AUTHENTICATE,
    });
  } else {
    sendError(req, res, 403, refusal.code, `${subject} is only served to this machine`, vary);
  }
}

async function serveState(
  req: IncomingMessage,
  res: ServerResponse,
  options: HandlerOptions,
  segments: string[],
  level: AccessLevel,
  vary: Record<string, string>,
): Promise<void> {
  if (!(segments.at(-1) ?? '').toLowerCase().endsWith('.json')) {
    sendError(req, res, 403, 'not-json', 'only .json state files are served', vary);
    return;
  }
  const requested = segments.join('/');
  if (INTERNAL_ONLY_PATHS.has(requested.toLowerCase())) {
    sendError(req, res, 403, 'internal-only', `${requested} is internal-only`, vary);
    return;
  }
  const resolved = await resolveInside(options.rootReal, segments);
  if (!resolved.ok) {
    // Readable cross-origin too, so a dashboard using this server as its
    // ?stateRoot= shows a missing file as empty rather than as a fetch failure.
    sendError(req, res, 404, 'not-found', `state file ${requested} not found`, { ...vary, 'Access-Control-Allow-Origin': '*' });
    return;
  }
  // The name was checked before following links; check the real file too.
  if (!resolved.relativePath.toLowerCase().endsWith('.json')) {
    sendError(req, res, 403, 'not-json', 'only .json state files are served', vary);
    return;
  }
  const read = await readStateFile(resolved.file, resolved.relativePath);
  if (!read.ok) {
    sendError(req, res, read.status, read.code, read.message, vary);
    return;
  }
  const isPublic = read.visibility === 'public';
  if (!isPublic && level === 'public') {
    refuseRemote(req, res, options, `dashboard-only file ${requested}`, vary);
    return;
  }
  sendTagged(req, res, read.bytes, {
    ...vary,
    'Content-Type': 'application/json; charset=utf-8',
    // Revalidated on every refresh (If-None-Match): unchanged files cost a 304, no body.
    'Cache-Control': 'no-cache',
    // Public files may be read by a dashboard on another origin (`?stateRoot=`);
    // dashboard-only files stay same-origin so other web pages cannot read them.
    ...(isPublic ? { 'Access-Control-Allow-Origin': '*' } : {}),
  });
}

async function serveMediaFile(
  req: IncomingMessage,
  res: ServerResponse,
  options: HandlerOptions,
  segments: string[],
  level: AccessLevel,
  vary: Record<string, string>,
): Promise<void> {
  const requested = segments.join('/');
  // Media is dashboard-only: refused before anything about the file is looked at.
  if (level === 'public') {
    refuseRemote(req, res, options, `clip media ${requested}`, vary);
    return;
  }
  if (mediaType(requested) === undefined) {
    sendError(req, res, 403, 'not-media', 'only .mp4, .webm, .jpg, .jpeg, .png and .webp files are served from runtime/media/', vary);
    return;
  }
  const resolved = await resolveInside(options.rootReal, segments);
  if (!resolved.ok) {
    sendError(req, res, 404, 'not-found', `media file ${requested} not found`, vary);
    return;
  }
  // Check the real file too: a link in runtime/media/ must not serve a state file as "video".
  const type = mediaType(resolved.relativePath);
  if (type === undefined || !resolved.relativePath.toLowerCase().startsWith(MEDIA_PREFIX)) {
    sendError(req, res, 403, 'not-media', 'only media files inside runtime/media/ are served from it', vary);
    return;
  }
  await sendMedia(req, res, resolved.file, type, vary);
}
