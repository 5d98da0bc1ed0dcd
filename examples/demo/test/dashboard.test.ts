import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startDemoDashboard, type DemoDashboard } from '../src/dashboard.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function tempRoot(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ss-demo-dashboard-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return join(dir, 'demo-state'); // not created yet: the demo starts before the first snapshots
}

/** Listens on 127.0.0.1 (a free port), standing in for another program on the preferred port. */
async function occupyPort(): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, resolve);
  });
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

async function start(root: string, port: number): Promise<DemoDashboard> {
  const dashboard = await startDemoDashboard({ root, port });
  cleanups.push(() => dashboard.close());
  return dashboard;
}

describe('startDemoDashboard', () => {
  it('uses another free port when the preferred one is taken, and serves the page there', async () => {
    const root = await tempRoot();
    const taken = await occupyPort();
    const dashboard = await start(root, taken);
    expect(dashboard.fellBack).toBe(true);
    expect(dashboard.fallbackReason).toBe(`port ${taken} is in use`);
    expect(dashboard.port).not.toBe(taken);
    expect(dashboard.port).toBeGreaterThan(0);
    expect(dashboard.host).toBe('127.0.0.1');
    expect(dashboard.url).toBe(`http://127.0.0.1:${dashboard.port}/`);
    const page = await fetch(dashboard.url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<html');
  });

  it('uses the preferred port when it is free, and creates the snapshot folder', async () => {
    const root = await tempRoot();
    // Find a free port, release it, then ask for it.
    const probe = createServer();
    const free = await new Promise<number>((resolve) =>
      probe.listen({ host: '127.0.0.1', port: 0 }, () => {
        const address = probe.address();
        probe.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
      }),
    );
    const dashboard = await start(root, free);
    expect(dashboard.fellBack).toBe(false);
    expect(dashboard.port).toBe(free);
    // A snapshot that is not there yet is a 404, not a crash.
    expect((await fetch(`${dashboard.url}state/shared/state/runtime_snapshot.json`)).status).toBe(404);
  });

  it('port 0 picks a free port without calling it a fallback; close() is idempotent', async () => {
    const dashboard = await startDemoDashboard({ root: await tempRoot(), port: 0 });
    expect(dashboard.fellBack).toBe(false);
    await dashboard.close();
    await dashboard.close();
    await expect(fetch(dashboard.url)).rejects.toThrow();
  });
});
