import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stateStoreRef, type AnyPlugin, type JobRecord, type JobRegistry, jobRegistryRef, type StateStore, type StreamStatus } from '@streamsuites/kernel';
import { startTestKernel, type TestKernel } from '@streamsuites/testing';
import { onTestFinished } from 'vitest';
import { authorizeWithLoopback, createXPlugin, parseSecretKey, saveAccount, X_POST_JOB, type XPostRecord } from '../src/index.js';
import { startFakeXApi, type FakeXApi, type StartFakeXApiOptions } from '../src/testing.js';

/** A fresh 32-byte key, base64 (what `openssl rand -base64 32` prints). */
export const newKey = (): string => randomBytes(32).toString('base64');

export async function fakeX(options?: StartFakeXApiOptions): Promise<FakeXApi> {
  const fake = await startFakeXApi(options);
  onTestFinished(() => fake.close());
  return fake;
}

export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ss-x-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true, maxRetries: 5 }));
  return dir;
}

/** Polls `predicate` every 5 ms until it holds; rejects after the deadline with `what`. */
export async function until(what: string, predicate: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * Real tokens from the fake, the way `streamsuites auth x` gets them: the
 * PKCE flow, with fetch playing the browser that follows X's redirect.
 */
export async function authorize(fake: FakeXApi, clientSecret?: string): Promise<{ accessToken: string; refreshToken: string; expiresIn: number; scopes: string[] }> {
  const tokens = await authorizeWithLoopback({
    apiUrl: fake.url,
    authorizeUrl: fake.authorizeUrl,
    clientId: fake.clientId,
    clientSecret,
    port: 0,
    onAuthorizeUrl: (url) => void fetch(url).then((r) => r.text()),
  });
  return { ...tokens, refreshToken: tokens.refreshToken! };
}

/** Stores an authorized account of the fake's user in `store`. */
export async function seedAccount(store: StateStore, fake: FakeXApi, key: string, clientSecret?: string): Promise<{ accessToken: string; refreshToken: string }> {
  const tokens = await authorize(fake, clientSecret);
  const now = Date.now();
  await saveAccount(store, parseSecretKey(key), {
    username: fake.user.username,
    userId: fake.user.id,
    clientId: fake.clientId,
    scopes: tokens.scopes,
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken,
    obtainedAt: now,
    expiresAt: now + tokens.expiresIn * 1000,
  });
  return tokens;
}

export interface XRuntimeOptions {
  fake: FakeXApi;
  key: string;
  /** The key the kernel runs with (default `key`, the one the account was stored with); null: none at all. */
  runKey?: string | null;
  creators?: Record<string, { x?: Record<string, unknown>; enable?: string[]; postingRules?: unknown }>;
  postingRules?: unknown;
  plugin?: Record<string, unknown>;
  plugins?: readonly AnyPlugin[];
  dataDir?: string;
  /** Seed the account before the creators start (default true). */
  seed?: boolean;
  /** Runs on the state store before the kernel starts (after seeding). */
  before?(store: StateStore): Promise<void>;
}

/** A kernel with the X plugin on the fake; the account is authorized first (PKCE against the fake), then creators start. */
export async function startX(options: XRuntimeOptions): Promise<TestKernel & { store: StateStore; jobs: JobRegistry; tokens?: { accessToken: string; refreshToken: string } }> {
  const creators: Record<string, unknown> = {};
  for (const [id, c] of Object.entries(options.creators ?? { daniel: {} })) {
    creators[id] = {
      enable: c.enable ?? ['x'],
      config: { x: { account: options.fake.user.username.toLowerCase(), url: 'https://twitch.tv/daniel', ...c.x } },
      ...(c.postingRules === undefined ? {} : { postingRules: c.postingRules }),
    };
  }
  const t = await startTestKernel({
    plugins: [createXPlugin({ env: {} }), ...(options.plugins ?? [])],
    env: options.runKey === null ? {} : { STREAMSUITES_SECRET_KEY: options.runKey ?? options.key },
    start: false,
    manifest: {
      ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
      ...(options.postingRules === undefined ? {} : { postingRules: options.postingRules }),
      plugins: {
        x: {
          config: {
            apiUrl: options.fake.url,
            clientId: options.fake.clientId,
            ...(options.runKey === null ? {} : { secretKey: '${env:STREAMSUITES_SECRET_KEY}' }),
            backoff: { initialMs: 20, maxMs: 100 },
            ...options.plugin,
          },
        },
      },
      creators,
    },
  });
  const store = t.kernel.resolve(stateStoreRef);
  const tokens = options.seed === false ? undefined : await seedAccount(store, options.fake, options.key, options.plugin?.clientSecret as string | undefined);
  await options.before?.(store);
  await t.kernel.start();
  return Object.assign(t, { store, jobs: t.kernel.resolve(jobRegistryRef), ...(tokens === undefined ? {} : { tokens }) });
}

let streams = 0;
/** A stream.online of a fresh stream (or of `streamId`). */
export function online(overrides: Partial<StreamStatus> = {}): StreamStatus {
  streams += 1;
  return { creatorId: 'daniel', platform: 'twitch', channel: 'daniel', at: Date.now(), startedAt: Date.now(), title: `Stream number ${streams}`, streamId: `stream-${streams}-${Date.now()}`, ...overrides };
}

/** The x.post jobs, oldest first. */
export async function postJobs(jobs: JobRegistry): Promise<JobRecord[]> {
  return (await jobs.list({ type: X_POST_JOB })).reverse();
}

/** Resolves once `count` x.post jobs reached a final state. */
export async function settledJobs(jobs: JobRegistry, count: number, timeoutMs = 10_000): Promise<JobRecord[]> {
  let found: JobRecord[] = [];
  await until(`${count} settled x.post jobs`, async () => {
    found = (await postJobs(jobs)).filter((j) => j.state === 'succeeded' || j.state === 'failed' || j.state === 'cancelled');
    return found.length >= count;
  }, timeoutMs);
  return found;
}

export type { XPostRecord };
