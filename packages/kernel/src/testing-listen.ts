import type { Server } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';

/**
 * Starts `server` listening on `host:port` (default 127.0.0.1, a free port)
 * and resolves once it does; rejects with the listen error (EADDRINUSE...)
 * instead of throwing it as an unhandled `error` event. For the local fake
 * platform servers.
 */
export function listenLocal(server: Server, options: { port?: number; host?: string } = {}): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/**
 * A 127.0.0.1 port that was free a moment ago: the OS picks it, the probe
 * closes at once, and the caller binds it (another process may take it in
 * between: callers that can, retry).
 */
export function freeLocalPort(): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
