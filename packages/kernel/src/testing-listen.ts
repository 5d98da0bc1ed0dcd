import type { Server } from 'node:http';

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
