import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AnyPlugin, ChatMessage } from '@streamsuites/kernel';
import { startTestKernel, type TestKernel } from '@streamsuites/testing';
import { onTestFinished } from 'vitest';
import rumblePlugin from '../src/index.js';
import { startFakeRumbleApi, type FakeRumbleApi, type StartFakeRumbleApiOptions } from '../src/testing.js';

/** A fake Live Stream API closed when the test ends. */
export async function fakeApi(options?: StartFakeRumbleApiOptions): Promise<FakeRumbleApi> {
  const fake = await startFakeRumbleApi(options);
  onTestFinished(() => fake.close());
  return fake;
}

/** A temp folder removed when the test ends. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ss-rumble-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true, maxRetries: 5 }));
  return dir;
}

/** Polls `predicate` every 5 ms until it holds; rejects after the deadline with `what`. */
export async function until(what: string, predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export interface RumbleRuntimeOptions {
  fake: FakeRumbleApi;
  /** creator id → rumble creator config (apiUrl filled in from `keys`). */
  creators: Record<string, { key?: string; config?: Record<string, unknown>; enable?: string[]; other?: Record<string, unknown>; triggers?: unknown[] }>;
  plugin?: Record<string, unknown>;
  plugins?: readonly AnyPlugin[];
  extraPlugins?: Record<string, unknown>;
  dataDir?: string;
}

/** A kernel with the Rumble plugin polling the fake fast (50 ms, quick backoff); keyed URLs come in through ${env:...}. */
export async function startRumble(options: RumbleRuntimeOptions): Promise<TestKernel> {
  const env: Record<string, string> = {};
  const creators: Record<string, unknown> = {};
  for (const [id, c] of Object.entries(options.creators)) {
    const name = `RUMBLE_API_URL_${id.toUpperCase()}`;
    if (c.key !== undefined) env[name] = options.fake.keyedUrl(c.key);
    creators[id] = {
      enable: c.enable ?? ['rumble'],
      config: { rumble: { ...(c.key === undefined ? {} : { apiUrl: `\${env:${name}}` }), ...c.config }, ...c.other },
      ...(c.triggers === undefined ? {} : { triggers: c.triggers }),
    };
  }
  return startTestKernel({
    plugins: [rumblePlugin, ...(options.plugins ?? [])],
    env,
    manifest: {
      ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
      plugins: {
        rumble: { config: { apiOrigin: options.fake.origin, pollIntervalSec: 0.05, requestsPerMinute: 6000, backoff: { initialMs: 100, maxMs: 400 }, ...options.plugin } },
        ...options.extraPlugins,
      },
      creators,
    },
  });
}

/** Chat messages of a creator as `author: text` lines, in arrival order. */
export function lines(t: TestKernel, creatorId?: string): string[] {
  return t.events
    .of('chat.message')
    .filter((m: ChatMessage) => creatorId === undefined || m.creatorId === creatorId)
    .map((m: ChatMessage) => `${m.author.login}: ${m.text}`);
}
