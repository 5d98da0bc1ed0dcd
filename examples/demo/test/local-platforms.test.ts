// The local-platforms plugin on its own (what `streamsuites run` uses): it
// starts the local servers itself, and a port that is taken is a coded boot
// error naming the setting to change, with nothing left listening.
import { createServer, type Server } from 'node:net';
import { startTestKernel } from '@streamsuites/testing';
import { describe, expect, it, onTestFinished } from 'vitest';
import { localPlatformsPlugin, SS_ERR_DEMO_PORT_IN_USE } from '../src/local-platforms.js';

async function listening(port = 0): Promise<Server> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port }, resolve);
  });
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return server;
}
const portOf = (server: Server) => (server.address() as { port: number }).port;

/** Free ports for the five servers (taken and released at once: the plugin then listens on them). */
async function freePorts(): Promise<number[]> {
  const servers = await Promise.all([0, 0, 0, 0, 0].map(() => listening()));
  const ports = servers.map(portOf);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

describe('local-platforms', () => {
  it('a taken Rumble port is SS_ERR_DEMO_PORT_IN_USE naming plugins.local-platforms.config.rumble.port, and the servers it already started are closed', async () => {
    // Held before the free ports are taken and released, so none of them can be this one.
    const taken = await listening();
    const [twitch, twitchEventSub, youtube, discord] = await freePorts();
    const rumble = portOf(taken);
    const t = await startTestKernel({
      plugins: [localPlatformsPlugin()],
      manifest: {
        plugins: { 'local-platforms': { config: { twitch: { port: twitch }, twitchEventSub: { port: twitchEventSub }, youtube: { port: youtube }, discord: { port: discord }, rumble: { port: rumble } } } },
        creators: { sol: { enable: ['local-platforms'] } },
      },
    });
    const failed = t.events.of('kernel.plugin.failed').filter((e) => e.pluginId === 'local-platforms');
    expect(failed.map((e) => e.phase), JSON.stringify(failed)).toEqual(['init']);
    expect(failed[0]!.error.cause).toMatchObject({
      code: SS_ERR_DEMO_PORT_IN_USE.code,
      message: `The local Rumble Live Stream API could not listen on 127.0.0.1:${rumble}: the port is in use`,
      hint: expect.stringContaining('plugins.local-platforms.config.rumble.port'),
    });
    // The Twitch chat and EventSub, YouTube and Discord servers started before it were closed again.
    for (const port of [twitch!, twitchEventSub!, youtube!, discord!]) await listening(port);
  });

  it('a taken Twitch EventSub port names plugins.local-platforms.config.twitchEventSub.port', async () => {
    // Held before the free ports are taken and released, so none of them can be this one.
    const taken = await listening();
    const [twitch, youtube, discord, rumble] = await freePorts();
    const t = await startTestKernel({
      plugins: [localPlatformsPlugin()],
      manifest: {
        plugins: { 'local-platforms': { config: { twitch: { port: twitch }, twitchEventSub: { port: portOf(taken) }, youtube: { port: youtube }, discord: { port: discord }, rumble: { port: rumble } } } },
        creators: { daniel: { enable: ['local-platforms'] } },
      },
    });
    const failed = t.events.of('kernel.plugin.failed').filter((e) => e.pluginId === 'local-platforms');
    expect(failed[0]?.error.cause, JSON.stringify(failed)).toMatchObject({
      code: SS_ERR_DEMO_PORT_IN_USE.code,
      message: `The local Twitch EventSub server could not listen on 127.0.0.1:${portOf(taken)}: the port is in use`,
      hint: expect.stringContaining('plugins.local-platforms.config.twitchEventSub.port'),
    });
    await listening(twitch);
  });
});
