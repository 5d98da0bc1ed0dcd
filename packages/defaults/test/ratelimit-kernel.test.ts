import { describe, expect, it } from 'vitest';
import { rateLimitGovernorRef } from '@streamsuites/kernel';
import { startTestKernel } from './helpers/kernel.js';

const TWITCH_CHAT_USER = { capacity: 20, windowMs: 30_000 };

describe('rate-limit governor in the kernel', () => {
  it('resolves as a default service, and stopping the kernel rejects pending waiters', async () => {
    const t = await startTestKernel();
    const governor = t.kernel.resolve(rateLimitGovernorRef);
    expect(t.kernel.resolve(rateLimitGovernorRef)).toBe(governor);
    governor.configure('twitch:send:bot', TWITCH_CHAT_USER);
    for (let i = 0; i < 20; i++) await governor.acquire('twitch:send:bot');
    const pending = governor.acquire('twitch:send:bot');
    expect(governor.snapshot()).toMatchObject([{ key: 'twitch:send:bot', used: 20, waiting: 1 }]);
    await t.stop();
    await expect(pending).rejects.toMatchObject({ code: 'SS_ERR_RATE_LIMIT_DISPOSED' });
  });
});
