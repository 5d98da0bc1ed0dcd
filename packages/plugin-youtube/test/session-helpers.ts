import { MemoryStateStore } from '@streamsuites/defaults';
import { ManualClock, quotaRegistryRef, stateStoreRef, type ChatMessage, type SecretRegistry, type StateStore } from '@streamsuites/kernel';
import { startTestKernel, type TestKernel } from '@streamsuites/testing';
import { afterEach } from 'vitest';
import { YouTubeApi } from '../src/api/client.js';
import { BudgetGovernor } from '../src/budget/governor.js';
import { LiveDiscovery } from '../src/discovery.js';
import { YOUTUBE_QUOTA_DEFAULT } from '../src/limits.js';
import { normalizeItem } from '../src/normalize/index.js';
import { ChatSession } from '../src/session.js';
import { startFakeYouTubeApi, type FakeYouTubeApi } from '../src/testing.js';

export const CHANNEL = 'UCstreamsuitesDanielChan0';
export const T0 = Date.UTC(2026, 10, 27, 18); // 10:00 in Los Angeles: the quota day has 14 h left

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

/** Runs `close` after the test, after everything set up later (closers run last-in, first-out). */
export const onCleanup = (close: () => Promise<void>): void => {
  closers.push(close);
};

/**
 * A chat session against the local fake API on a virtual clock: every wait
 * advances the clock (shared with the fake and the kernel's quota tracker)
 * and returns at once, so hours of polling take milliseconds.
 */
export async function setup(
  options: {
    transport?: 'auto' | 'stream' | 'poll';
    /** The state store (default: a fresh MemoryStateStore); the caller closes one it passes. */
    store?: StateStore;
    quota?: number;
    reserve?: number;
    oauth?: boolean;
    config?: { videoId?: string; liveChatId?: string; useSearch?: boolean };
    onAdvance?: (now: number) => void;
    /** Share a clock (and with it the fake's time) between sessions: a restart of the process, not of time. */
    clock?: ManualClock;
    /** Use this fake API (the caller closes it): a restart of the process while YouTube stays the same. */
    fake?: FakeYouTubeApi;
    /** The session's normalizer (default: the real normalizeItem). */
    normalize?: typeof normalizeItem;
    secrets?: SecretRegistry;
    /** The fake's `quotaOverLimit` (default 'refuse', as Google). */
    quotaOverLimit?: 'refuse' | 'count';
    /** The governor's `expectedStreamHours` (default 8). */
    expectedStreamHours?: number;
    /**
     * A wait that would reach this time moves the clock to it and then lasts
     * until the session stops: the session is parked there (`parked()`),
     * e.g. for a restart or at the end of a day, with nothing after it.
     */
    pauseAt?: number;
  } = {},
) {
  const clock = options.clock ?? new ManualClock(T0);
  const fake = options.fake ?? (await startFakeYouTubeApi({ now: () => clock.now(), streamSupported: options.transport !== 'poll', quotaOverLimit: options.quotaOverLimit ?? 'refuse' }));
  if (options.fake === undefined) closers.push(() => fake.close());
  const store = options.store ?? new MemoryStateStore();
  const t = await startTestKernel({
    clock,
    services: [{ ref: stateStoreRef, factory: () => store }],
    manifest: { creators: { daniel: { enable: [], ...(options.quota === undefined ? {} : { quotas: { youtube: { daily: options.quota, buffer: 50 } } }) } } },
  });
  closers.push(() => t.stop());
  // The plugin contributes this default to the quota registry; the session is tested without the plugin.
  const tracker = t.kernel.resolve(quotaRegistryRef).tracker('daniel', 'youtube', YOUTUBE_QUOTA_DEFAULT);
  const api = new YouTubeApi({
    apiUrl: fake.url,
    tracker,
    ...(options.oauth
      ? { oauth: { clientId: fake.credentials.clientId, clientSecret: fake.credentials.clientSecret, refreshToken: fake.credentials.refreshToken, tokenUrl: fake.tokenUrl } }
      : { apiKey: fake.credentials.apiKey }),
  });
  const sleeps: number[] = [];
  let parked = false;
  const session = new ChatSession({
    creatorId: 'daniel',
    channel: CHANNEL,
    api,
    discovery: new LiveDiscovery({ api, logger: t.kernel.logger, channelId: CHANNEL, feedUrl: fake.feedUrl, useSearch: false, ...options.config }),
    tracker,
    store,
    bus: t.bus,
    clock,
    logger: t.kernel.logger,
    governor: new BudgetGovernor({ expectedStreamHours: options.expectedStreamHours ?? 8, pollCost: 5, reserveUnits: options.reserve ?? 600, ...(options.reserve === undefined ? {} : { stopUnits: 0 }), minIntervalMs: 1000, maxIntervalMs: 60_000 }),
    normalize: options.normalize ?? normalizeItem,
    ...(options.secrets === undefined ? {} : { secrets: options.secrets }),
    transport: options.transport ?? 'poll',
    discoveryIntervalMs: 120_000,
    sleep: async (ms, signal) => {
      sleeps.push(ms);
      if (options.pauseAt !== undefined && clock.now() + ms >= options.pauseAt) {
        clock.advance(Math.max(0, options.pauseAt - clock.now()));
        options.onAdvance?.(clock.now());
        parked = true;
        return new Promise((_, reject) => {
          if (signal.aborted) reject(signal.reason);
          else signal.addEventListener('abort', () => reject(signal.reason), { once: true });
        });
      }
      clock.advance(ms);
      options.onAdvance?.(clock.now());
      await new Promise((resolve) => setImmediate(resolve));
    },
  });
  closers.push(() => session.stop());
  return { clock, fake, t, tracker, session, sleeps, store, parked: () => parked };
}

export const until = async (what: string, check: () => boolean, timeoutMs = 5000) => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};
export const texts = (t: TestKernel) => t.events.of('chat.message').map((m: ChatMessage) => m.text);

