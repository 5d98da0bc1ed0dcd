import diagnostics from 'node:diagnostics_channel';
import { definePlugin, busRef, clockRef, type AnyPlugin } from '@streamsuites/kernel';
import { startTestKernel, type TestKernel } from '@streamsuites/testing';
import { onTestFinished } from 'vitest';
import pilledPlugin from '../src/index.js';

/**
 * Counts every way out to the network for the rest of the test: calls of
 * globalThis.fetch (wrapped, still going through), client sockets opened
 * (Node's `net.client.socket` channel: net, http, https, ws and fetch's
 * undici all publish there) and servers starting to listen
 * (`net.server.listen`). The test kernel itself opens none.
 */
export function countNetwork(): { fetches: string[]; sockets: number; listens: number } {
  const seen = { fetches: [] as string[], sockets: 0, listens: 0 };
  const realFetch = globalThis.fetch;
  globalThis.fetch = ((input: Parameters<typeof fetch>[0], init?: RequestInit) => {
    seen.fetches.push(String(input instanceof Request ? input.url : input));
    return realFetch(input, init);
  }) as typeof fetch;
  const onSocket = (): void => void (seen.sockets += 1);
  const onListen = (): void => void (seen.listens += 1);
  diagnostics.subscribe('net.client.socket', onSocket);
  diagnostics.subscribe('tracing:net.server.listen:asyncStart', onListen);
  onTestFinished(() => {
    globalThis.fetch = realFetch;
    diagnostics.unsubscribe('net.client.socket', onSocket);
    diagnostics.unsubscribe('tracing:net.server.listen:asyncStart', onListen);
  });
  return seen;
}

/** A stand-in platform plugin that only reports itself connected, to show pilled's failure leaves it alone. */
export const otherPlatform = definePlugin({
  id: 'other',
  version: '0.0.0',
  kernel: '^0.2.0',
  register(reg) {
    reg.onInit({
      deps: { bus: busRef, clock: clockRef },
      start({ creator, deps }) {
        deps.bus.emit('platform.connection', { creatorId: creator.id, platform: 'other', state: 'connected', attempt: 1, at: deps.clock.now() });
      },
    });
  },
});

export interface PilledKernelOptions {
  /** creator id → { enable, pilled config, triggers } */
  creators: Record<string, { enable?: string[]; channel?: string; pilled?: Record<string, unknown>; triggers?: unknown[] }>;
  /** The pilled plugin to load (default: the package's default export, no transport). */
  plugin?: AnyPlugin;
  extra?: readonly AnyPlugin[];
}

/** A real kernel (with the default plugins) running the pilled plugin and the stand-in `other` platform. */
export function startPilled(options: PilledKernelOptions): Promise<TestKernel> {
  const extra = options.extra ?? [];
  return startTestKernel({
    plugins: [options.plugin ?? pilledPlugin, otherPlatform, ...extra],
    manifest: {
      plugins: { pilled: {}, other: {}, ...Object.fromEntries(extra.map((p) => [p.id, {}])) },
      creators: Object.fromEntries(
        Object.entries(options.creators).map(([id, c]) => [
          id,
          {
            enable: c.enable ?? ['pilled', 'other'],
            config: c.channel === undefined && c.pilled === undefined ? {} : { pilled: { ...(c.channel === undefined ? {} : { channel: c.channel }), ...c.pilled } },
            ...(c.triggers === undefined ? {} : { triggers: c.triggers }),
          },
        ]),
      ),
    },
  });
}
