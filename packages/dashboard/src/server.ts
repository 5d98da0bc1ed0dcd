import { realpath, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { join, resolve } from 'node:path';
import { defaultAssetsDir } from './assets.js';
import {
  SS_ERR_DASHBOARD_ASSETS_MISSING,
  SS_ERR_DASHBOARD_LISTEN_FAILED,
  SS_ERR_DASHBOARD_OPTION_INVALID,
  SS_ERR_DASHBOARD_PORT_IN_USE,
  SS_ERR_DASHBOARD_ROOT_INVALID,
} from './errors.js';
import { createHandler } from './handler.js';
import { isLoopbackHost, urlHost } from './hosts.js';

export interface DashboardServerOptions {
  /** The exports root: the folder holding `runtime/` and `shared/`. */
  root: string;
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  /** Address to bind; default `127.0.0.1`. Anything not loopback exposes dashboard-only state. */
  host?: string;
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
  /** Stops listening and drops open connections. Idempotent. */
  close(): Promise<void>;
}

/**
 * Serves the read-only dashboard: the page at `/`, its files at `/assets/*`
 * and the JSON snapshots under `root` at `/state/*`. node:http only.
 */
export async function startDashboardServer(options: DashboardServerOptions): Promise<DashboardServer> {
  const { port = 0, host = '127.0.0.1' } = options;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new SS_ERR_DASHBOARD_OPTION_INVALID('port', 'must be an integer from 0 to 65535', { details: { port } });
  }
  if (typeof host !== 'string' || host === '') throw new SS_ERR_DASHBOARD_OPTION_INVALID('host', 'must be a non-empty string');
  const rootReal = await realDirectory(options.root);
  const assetsReal = await assetsDirectory(options.assetsDir ?? defaultAssetsDir);
  const handler = createHandler({ rootReal, assetsReal, loopbackOnly: isLoopbackHost(host) });
  const server = createServer((req, res) => void handler(req, res));
  const bound = await listen(server, host, port);
  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost(host, bound)}/`,
    port: bound,
    host,
    root: rootReal,
    close: () =>
      (closing ??= new Promise<void>((done) => {
        server.close(() => done());
        // Browsers keep connections alive; without this close() waits for them.
        server.closeAllConnections();
      })),
  };
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
