import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { assetType } from './assets.js';
import { hostHeaderName, isLoopbackHost } from './hosts.js';
import { decodeRequestPath, resolveInside } from './paths.js';
import { PAGE_CSP, send, sendError } from './respond.js';
import { INTERNAL_ONLY_PATHS, readStateFile } from './state-file.js';

export interface HandlerOptions {
  /** Real path of the state root. */
  rootReal: string;
  /** Real path of the page's assets folder. */
  assetsReal: string;
  /** Refuse Host headers that are not loopback names (set when bound to loopback). */
  loopbackOnly: boolean;
}

const ALLOW = 'GET, HEAD';

/** The whole request handler: GET/HEAD of `/`, `/assets/*` and `/state/*.json`. Read-only. */
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
  if (req.method !== 'GET' && req.method !== 'HEAD') {
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
  if (decoded.segments.length === 1 && (first === '' || first === 'index.html')) return servePage(req, res, options.assetsReal);
  if (first === 'assets') return serveAsset(req, res, options.assetsReal, rest);
  if (first === 'state') return serveState(req, res, options.rootReal, rest);
  sendError(req, res, 404, 'not-found', 'no such page');
}

async function servePage(req: IncomingMessage, res: ServerResponse, assetsReal: string): Promise<void> {
  const page = await readFile(`${assetsReal}/index.html`);
  send(req, res, 200, page, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-cache', 'Content-Security-Policy': PAGE_CSP });
}

async function serveAsset(req: IncomingMessage, res: ServerResponse, assetsReal: string, segments: string[]): Promise<void> {
  const resolved = await resolveInside(assetsReal, segments);
  const type = resolved.ok ? assetType(resolved.file) : undefined;
  if (!resolved.ok || type === undefined) {
    sendError(req, res, 404, 'not-found', 'no such asset');
    return;
  }
  send(req, res, 200, await readFile(resolved.file), { 'Content-Type': type, 'Cache-Control': 'no-cache' });
}

async function serveState(req: IncomingMessage, res: ServerResponse, rootReal: string, segments: string[]): Promise<void> {
  if (!(segments.at(-1) ?? '').toLowerCase().endsWith('.json')) {
    sendError(req, res, 403, 'not-json', 'only .json state files are served');
    return;
  }
  const requested = segments.join('/');
  if (INTERNAL_ONLY_PATHS.has(requested.toLowerCase())) {
    sendError(req, res, 403, 'internal-only', `${requested} is internal-only`);
    return;
  }
  const resolved = await resolveInside(rootReal, segments);
  if (!resolved.ok) {
    // Readable cross-origin too, so a dashboard using this server as its
    // ?stateRoot= shows a missing file as empty rather than as a fetch failure.
    sendError(req, res, 404, 'not-found', `state file ${requested} not found`, { 'Access-Control-Allow-Origin': '*' });
    return;
  }
  // The name was checked before following links; check the real file too.
  if (!resolved.relativePath.toLowerCase().endsWith('.json')) {
    sendError(req, res, 403, 'not-json', 'only .json state files are served');
    return;
  }
  const read = await readStateFile(resolved.file, resolved.relativePath);
  if (!read.ok) {
    sendError(req, res, read.status, read.code, read.message);
    return;
  }
  send(req, res, 200, read.bytes, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    // Public files may be read by a dashboard on another origin (`?stateRoot=`);
    // dashboard-only files stay same-origin so other web pages cannot read them.
    ...(read.visibility === 'public' ? { 'Access-Control-Allow-Origin': '*' } : {}),
  });
}
