import { describe, expect, it } from 'vitest';
import { definePlugin, quotaDefaultsExtensionPoint, quotaRegistryRef, type QuotaExceededEvent } from '@streamsuites/kernel';
import { startTestKernel } from './helpers/kernel.js';

describe('the default quota registry in a kernel', () => {
  it('resolves as a default service over the default state store; events reach the kernel bus', async () => {
    const t = await startTestKernel();
    const registry = t.kernel.resolve(quotaRegistryRef);
    expect(t.kernel.resolve(quotaRegistryRef)).toBe(registry);
    const yt = registry.tracker('daniel', 'youtube', { daily: 10, buffer: 2 });
    await yt.charge(8);
    await expect(yt.charge(1)).rejects.toMatchObject({ code: 'SS_ERR_QUOTA_BUFFER_RESERVED' });
    expect(t.events.of('quota.warning')).toMatchObject([{ creatorId: 'daniel', used: 8, status: 'buffer' }]);
    expect((t.events.of('quota.exceeded') as QuotaExceededEvent[]).map((e) => e.requested)).toEqual([1]);
    expect(await registry.snapshot()).toMatchObject([{ creatorId: 'daniel', platform: 'youtube', used: 8 }]);
    await t.stop();
  });

  it('a plugin charges in start(); the creator\'s manifest quotas section (applied when the creator starts) wins over its default', async () => {
    const charged: number[] = [];
    const poller = definePlugin({
      id: 'poller',
      version: '1.0.0',
      kernel: '^0.2.0',
      register(reg) {
        // A platform plugin's default policy: the manifest's fields win over it, the rest is kept.
        reg.extend(quotaDefaultsExtensionPoint, { platform: 'youtube', policy: { daily: 10_000, buffer: 500, timeZone: 'America/Los_Angeles' } });
        reg.onInit({
          deps: { quotas: quotaRegistryRef },
          async start({ deps, creator }) {
            const tracker = deps.quotas.tracker(creator.id, 'youtube');
            await tracker.charge(5, { reason: 'liveChatMessages.list' });
            charged.push((await tracker.snapshot()).daily);
          },
        });
      },
    });
    const t = await startTestKernel({
      plugins: [poller],
      manifest: { creators: { daniel: { enable: ['poller'], quotas: { youtube: { daily: 3_000, buffer: 100 } } } } },
    });
    expect(charged).toEqual([3_000]);
    expect(await t.kernel.resolve(quotaRegistryRef).snapshot()).toMatchObject([
      { creatorId: 'daniel', platform: 'youtube', daily: 3_000, buffer: 100, used: 5, timeZone: 'America/Los_Angeles' },
    ]);
    await t.stop();
  });
});
