import { realpath, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { join, resolve } from 'node:path';
import { defaultAssetsDir } from './assets.js';
import {
  SS_ERR_DASHBOARD_ASSETS_MISSING,
  SS_ERR_DASHBOARD_LISTEN_FAILED,
  SS_ERR_DASHBOARD_OPTION_INVALID,
  SS_ERR_DASHBOARD_PORT_IN_USE,
  SS_ERR_DASHBOARD_REMOTE_REFUSED,
  SS_ERR_DASHBOARD_ROOT_INVALID,
} from './errors.js';
import { tokenDigest } from './access.js';
import { createHandler } from './handler.js';
import { isLoopbackHost, urlHost } from './hosts.js';

export interface DashboardServerOptions {
  /** The exports root: the folder holding `runtime/` and `shared/`. */
  root: string;
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  /**
   * Address to bind; default `127.0.0.1`. An address that is not loopback
   * (`0.0.0.0`, a LAN address) is refused unless `allowRemote` is true.
   */
  host?: string;
  /**
   * Allow binding a non-loopback `host`. Remote requests then get the page and
   * public files; dashboard-only files and clip media only with `token`.
   */
  allowRemote?: boolean;
  /**
   * Bearer token (16 characters or more) remote clients send as
   * `Authorization: Bearer <token>` to read dashboard-only files and clip
   * media. Kept only as a SHA-256 digest; never logged or returned.
   */
  token?: string;
  /** The page's folder; defaults to the package's `assets/`. */
  assetsDir?: string;
}

export interface DashboardServer {
  /** `http://<host>:<port>/` */
  url: string;
  port: number;
  host: string;
  /** The real path of the state root being served. */
  root: string;
  /** What is served to whom, one human line each (for the CLI to print at start). */
  exposure: string[];
  /** Stops listening and drops open connections. Idempotent. */
  close(): Promise<void>;
}

/**
 * Serves the read-only dashboard: the page at `/`, its files at `/assets/*`
 * and the JSON snapshots under `root` at `/state/*`. node:http only.
 */
export async function startDashboardServer(options: DashboardServerOptions): Promise<DashboardServer> {
  const { port = 0, host = '127.0.0.1', allowRemote = false, token } = options;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new SS_ERR_DASHBOARD_OPTION_INVALID('port', 'must be an integer from 0 to 65535', { details: { port } });
  }
  if (typeof host !== 'string' || host === '') throw new SS_ERR_DASHBOARD_OPTION_INVALID('host', 'must be a non-empty string');
  if (typeof allowRemote !== 'boolean') throw new SS_ERR_DASHBOARD_OPTION_INVALID('allowRemote', 'must be true or false');
  const digest = token === undefined ? undefined : tokenDigest(checkedToken(token));
  const loopback = isLoopbackHost(host);
  if (!loopback && !allowRemote) throw new SS_ERR_DASHBOARD_REMOTE_REFUSED(host, { details: { host } });
  const rootReal = await realDirectory(options.root);
  const assetsReal = await assetsDirectory(options.assetsDir ?? defaultAssetsDir);
  const handler = createHandler({ rootReal, assetsReal, loopbackOnly: loopback, remote: !loopback, tokenDigest: digest });
  const server = createServer((req, res) => void handler(req, res));
  const bound = await listen(server, host, port);
  const url = `http://${urlHost(host, bound)}/`;
  let closing: Promise<void> | undefined;
  return {
    url,
    port: bound,
    host,
    root: rootReal,
    exposure: exposureLines(url, host, bound, loopback, digest !== undefined),
    close: () =>
      (closing ??= new Promise<void>((done) => {
        server.close(() => done());
        // Browsers keep connections alive; without this close() waits for them.
        server.closeAllConnections();
      })),
  };
}

const TOKEN_MIN_LENGTH = 16;

/** The token, checked; errors never repeat it (nor its length). */
function checkedToken(token: unknown): string {
  const hint = 'Use 16 or more random ASCII characters without spaces, e.g. from `openssl rand -base64 32`.';
  if (typeof token !== 'string' || token === '') throw new SS_ERR_DASHBOARD_OPTION_INVALID('token', 'must be a non-empty string', { hint });
  if (token.length < TOKEN_MIN_LENGTH) {
    throw new SS_ERR_DASHBOARD_OPTION_INVALID('token', `must be at least ${TOKEN_MIN_LENGTH} characters`, { hint });
  }
  // It travels in an Authorization header, which Node reads as latin1: printable ASCII only, no spaces.
  if (!/^[\x21-\x7e]+$/.test(token)) {
    throw new SS_ERR_DASHBOARD_OPTION_INVALID('token', 'must be printable ASCII without spaces or control characters', { hint });
  }
  return token;
}

const PUBLIC_FILES = 'page and public files (clips, polls, tallies, scoreboards, metadata)';
const WILDCARDS = new Set(['0.0.0.0', '::', '0:0:0:0:0:0:0:0']);

/** What is served to whom, for people: the CLI prints these at start. Never mentions the token's value. */
function exposureLines(url: string, host: string, port: number, loopback: boolean, hasToken: boolean): string[] {
  if (loopback) {
    return [`${url} — page, public and dashboard-only files and clip media to this machine only (internal-only files never)`];
  }
  // Bound to every address, this machine can also come in over loopback and gets everything.
  const local = WILDCARDS.has(host) ? ` (and to this machine at http://localhost:${port}/)` : '';
  return [
    `${url} — ${PUBLIC_FILES} to anyone who can reach this address`,
    hasToken
      ? `dashboard-only files and clip media: only with the bearer token${local}`
      : WILDCARDS.has(host)
        ? `dashboard-only files and clip media: to this machine only (http://localhost:${port}/)`
        : 'dashboard-only files and clip media: to no one (no token is set, and this address is not loopback)',
    'internal-only files: never served',
  ];
}

async function realDirectory(root: unknown): Promise<string> {
  if (typeof root !== 'string' || root === '') throw new SS_ERR_DASHBOARD_OPTION_INVALID('root', 'must be a non-empty path');
  const absolute = resolve(root);
  let real: string;
  try {
    real = await realpath(absolute);
  } catch (error) {
    throw new SS_ERR_DASHBOARD_ROOT_INVALID(absolute, 'does not exist', { cause: error, details: { root: absolute } });
  }
  if (!(await stat(real)).isDirectory()) {
    throw new SS_ERR_DASHBOARD_ROOT_INVALID(absolute, 'is not a directory', { details: { root: absolute } });
  }
  return real;
}

async function assetsDirectory(dir: string): Promise<string> {
  try {
    const real = await realpath(dir);
    if ((await stat(join(real, 'index.html'))).isFile()) return real;
  } catch {
    // reported below
  }
  throw new SS_ERR_DASHBOARD_ASSETS_MISSING(dir, { details: { dir } });
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolveListen, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.close();
      reject(
        error.code === 'EADDRINUSE'
          ? new SS_ERR_DASHBOARD_PORT_IN_USE(host, port, { cause: error, details: { host, port } })
          : new SS_ERR_DASHBOARD_LISTEN_FAILED(host, port, error.code ?? error.message, { cause: error, details: { host, port } }),
      );
    };
    server.once('error', onError);
    server.listen({ port, host }, () => {
      server.off('error', onError);
      const address = server.address();
      resolveListen(typeof address === 'object' && address !== null ? address.port : port);
    });
  });
}
