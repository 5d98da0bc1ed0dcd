import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Kernel } from '@streamsuites/kernel';
import { ConnectionTracker } from './connections.js';
import { SS_ERR_OPS_HOST_NOT_LOOPBACK, SS_ERR_OPS_LISTEN } from './errors.js';
import { healthReport, type HealthReport } from './health.js';
import { isLoopbackHost } from './loopback.js';
import { createMetrics, type CreateMetricsOptions, type OpsMetrics } from './metrics.js';

/** The port `streamsuites run` uses when none is given. */
export const DEFAULT_OPS_PORT = 9477;

export interface StartOpsServerOptions extends CreateMetricsOptions {
  kernel: Kernel;
  /** Default 127.0.0.1. Anything but a loopback address needs `allowRemote`. */
  host?: string;
  /** Default DEFAULT_OPS_PORT; 0 picks a free port. */
  port?: number;
  /** Listen on a non-loopback host (the endpoints have no authentication). Default false. */
  allowRemote?: boolean;
}

export interface OpsServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly metrics: OpsMetrics;
  /** The health report now (what /healthz answers). */
  health(): HealthReport;
  close(): Promise<void>;
}

/**
 * Serves `/healthz` (JSON, 200 when ready else 503), `/healthz/live`,
 * `/healthz/ready` and `/metrics` (Prometheus text) for a kernel. Start it
 * before `kernel.start()` so the counters see the first events and a
 * supervisor can tell "starting" from "dead". Rejects with
 * SS_ERR_OPS_LISTEN when the port is taken.
 */
export async function startOpsServer(options: StartOpsServerOptions): Promise<OpsServer> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? DEFAULT_OPS_PORT;
  if (!isLoopbackHost(host) && options.allowRemote !== true) throw new SS_ERR_OPS_HOST_NOT_LOOPBACK(host, { details: { host } });
  const { kernel } = options;
  const loopbackOnly = isLoopbackHost(host);
  const connections = new ConnectionTracker(kernel);
  const metrics = createMetrics(kernel, options);
  const health = () => healthReport(kernel, connections);

  const server = createServer((req, res) => void handle(req, res).catch((error: unknown) => {
    kernel.logger.error({ err: error, path: req.url }, 'ops endpoint failed');
    if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', 'internal error\n');
    else res.destroy();
  }));
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://ops').pathname;
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain; charset=utf-8', 'only GET\n', { allow: 'GET, HEAD' });
    // Bound to loopback: a request naming another host is a web page whose domain was re-pointed at 127.0.0.1 (DNS rebinding).
    if (loopbackOnly && !isLoopbackHost(hostHeaderName(req.headers.host) ?? '')) {
      return send(res, 403, 'text/plain; charset=utf-8', 'only requests addressed to a loopback host are answered\n');
    }
    if (path === '/metrics') return send(res, 200, metrics.contentType, await metrics.text());
    if (path === '/healthz' || path === '/healthz/') {
      const report = health();
      return send(res, report.ready ? 200 : 503, 'application/json', `${JSON.stringify(report)}\n`);
    }
    if (path === '/healthz/live' || path === '/healthz/ready') {
      const report = health();
      const ok = path.endsWith('live') ? report.live : report.ready;
      return send(res, ok ? 200 : 503, 'application/json', `${JSON.stringify({ status: report.status, live: report.live, ready: report.ready })}\n`);
    }
    if (path === '/') return send(res, 200, 'text/plain; charset=utf-8', 'StreamSuites operations: /healthz /healthz/live /healthz/ready /metrics\n');
    return send(res, 404, 'text/plain; charset=utf-8', 'not found: /healthz, /healthz/live, /healthz/ready, /metrics\n');
  }

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    metrics.close();
    connections.close();
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new SS_ERR_OPS_LISTEN(`${host}:${port}`, code === 'EADDRINUSE' ? 'the port is in use' : `${code}: ${(error as Error).message}`, {
      cause: error,
      details: { host, port, errno: code },
    });
  }
  // Keep-alive sockets from a scraper must not hold close() open.
  server.keepAliveTimeout = 5_000;
  const bound = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${bound}`,
    host,
    port: bound,
    metrics,
    health,
    close() {
      closing ??= new Promise<void>((resolve) => {
        metrics.close();
        connections.close();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

/** The hostname a request's Host header names (without the port), or undefined. */
function hostHeaderName(header: string | undefined): string | undefined {
  if (header === undefined || header === '') return undefined;
  try {
    return new URL(`http://${header}/`).hostname;
  } catch {
    return undefined;
  }
}

function send(res: ServerResponse, status: number, type: string, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'content-length': Buffer.byteLength(body), ...headers });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}
