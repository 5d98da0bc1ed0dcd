import { streamSourcesExtensionPoint } from '@streamsuites/kernel';
import { extensionProbe } from '@streamsuites/testing';
import { describe, expect, it } from 'vitest';
import { fakeApi, startRumble } from './helpers.js';

const KEY = 'streamSourceKey_0123456789';

describe('the Rumble stream source (embed metadata → HLS)', () => {
  it('resolves the live stream to its HLS URL with a Referer; says why when it cannot', async () => {
    const fake = await fakeApi();
    const channel = fake.addChannel(KEY);
    const probe = extensionProbe(streamSourcesExtensionPoint);
    const t = await startRumble({ fake, plugins: [probe.plugin], creators: { maya: { key: KEY } } });
    const resolve = (creatorId = 'maya') => probe.values().find((s) => s.platform === 'rumble')!.resolve(creatorId, { signal: AbortSignal.timeout(5000) });

    await fake.waitForRequests(1, { key: KEY });
    await expect(resolve()).rejects.toMatchObject({ code: 'SS_ERR_RUMBLE_NOT_LIVE', message: expect.stringContaining('lists no live stream') });
    await expect(resolve('nobody')).rejects.toMatchObject({ code: 'SS_ERR_RUMBLE_NOT_LIVE' });

    const { id } = channel.goLive();
    await t.events.waitFor('stream.online');
    await expect(resolve()).rejects.toMatchObject({ code: 'SS_ERR_RUMBLE_STREAM_UNRESOLVED', message: expect.stringContaining(`does not know embed v${id}`) });

    fake.setStreamUrl(id, undefined);
    await expect(resolve()).rejects.toMatchObject({ message: expect.stringContaining('lists no HLS rendition') });
    fake.setStreamUrl(id, 'https://hls.example.invalid/live/playlist.m3u8?token=abc', { live: 1 });
    await expect(resolve()).rejects.toMatchObject({ message: expect.stringContaining('not live (live=1)') });

    const hls = 'https://hls.example.invalid/live/playlist.m3u8?token=t0kenValue123';
    fake.setStreamUrl(id, hls);
    await expect(resolve()).resolves.toEqual({ url: hls, headers: { Referer: 'https://rumble.com/' }, via: 'rumble embed' });
    const embedRequests = fake.requests().filter((r) => r.key === undefined);
    expect(embedRequests.length).toBe(4);
    await t.stop();
  });
});
