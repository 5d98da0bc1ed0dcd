import { quotaRegistryRef } from '@streamsuites/kernel';
import { startTestKernel } from '@streamsuites/testing';
import { describe, expect, it } from 'vitest';
import { YOUTUBE_QUOTA_DEFAULT, youtubeChatPoll, youtubePlugin } from '../src/index.js';

describe('YouTube limits', () => {
  it('polling follows the server interval, never below the floor', () => {
    expect(youtubeChatPoll(5_300)).toEqual({ capacity: 1, windowMs: 5_300 });
    expect(youtubeChatPoll(500)).toEqual({ capacity: 1, windowMs: 2_000 });
    expect(youtubeChatPoll(500, { minIntervalMs: 250 })).toEqual({ capacity: 1, windowMs: 500 });
    expect(youtubeChatPoll(Number.NaN)).toEqual({ capacity: 1, windowMs: 2_000 });
  });

  it('the plugin teaches the kernel the Data API quota: 10,000 units a day, reset at Pacific midnight', async () => {
    expect(YOUTUBE_QUOTA_DEFAULT).toEqual({ daily: 10_000, buffer: 500, timeZone: 'America/Los_Angeles' });
    // Declared, not even enabled: a tracker for `youtube` gets the default; the manifest's fields win.
    const t = await startTestKernel({
      plugins: [youtubePlugin],
      manifest: { creators: { maya: { enable: [], quotas: { youtube: { daily: 3_000 } } } } },
      start: false,
    });
    const quotas = t.kernel.resolve(quotaRegistryRef);
    expect((await quotas.tracker('sol', 'youtube').snapshot())).toMatchObject({ daily: 10_000, buffer: 500, timeZone: 'America/Los_Angeles' });
    quotas.configure('maya', 'youtube', { daily: 3_000 });
    expect((await quotas.tracker('maya', 'youtube').snapshot())).toMatchObject({ daily: 3_000, timeZone: 'America/Los_Angeles' });
    await t.stop();
  });
});
