import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AnyPlugin } from '@streamsuites/kernel';
import { startTestKernel, type TestKernel } from '@streamsuites/testing';
import { onTestFinished } from 'vitest';
import kickPlugin from '../src/index.js';
import { startFakeKick, type FakeKick, type FakeKickChannel } from '../src/testing.js';

/** A fake Kick closed when the test ends. */
export async function fakeKick(): Promise<FakeKick> {
  const fake = await startFakeKick();
  onTestFinished(() => fake.close());
  return fake;
}

/** A temp folder removed when the test ends. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ss-kick-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true, maxRetries: 5 }));
  return dir;
}

export interface KickRuntime {
  t: TestKernel;
  /** Where the plugin's webhook endpoint listens. */
  webhookUrl: string;
}

export interface KickRuntimeOptions {
  fake: FakeKick;
  creators: Record<string, { channel: FakeKickChannel; config?: Record<string, unknown>; triggers?: unknown[]; enable?: string[]; other?: Record<string, unknown> }>;
  plugin?: Record<string, unknown>;
  plugins?: readonly AnyPlugin[];
  extraPlugins?: Record<string, unknown>;
  dataDir?: string;
}

/** A kernel with the Kick plugin on the fake (client secret through ${env:...}, webhook on a free loopback port). */
export async function startKick(options: KickRuntimeOptions): Promise<KickRuntime> {
  const { fake } = options;
  const creators: Record<string, unknown> = {};
  for (const [id, c] of Object.entries(options.creators)) {
    creators[id] = {
      enable: c.enable ?? ['kick'],
      config: { kick: { channel: c.channel.slug, ...c.config }, ...c.other },
      ...(c.triggers === undefined ? {} : { triggers: c.triggers }),
    };
  }
  const t = await startTestKernel({
    plugins: [kickPlugin, ...(options.plugins ?? [])],
    env: { KICK_CLIENT_SECRET: fake.clientSecret },
    manifest: {
      ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
      plugins: {
        kick: {
          config: {
            clientId: fake.clientId,
            clientSecret: '${env:KICK_CLIENT_SECRET}',
            apiOrigin: fake.origin,
            idOrigin: fake.origin,
            ...options.plugin,
            webhook: { port: 0, ...(options.plugin?.webhook as object | undefined) },
          },
        },
        ...options.extraPlugins,
      },
      creators,
    },
  });
  const listening = await t.events.waitFor('kick.webhook', (e) => e.state === 'listening');
  return { t, webhookUrl: listening.url };
}
