import { secretsRef, streamSourcesExtensionPoint } from '@streamsuites/kernel';
import { writeStandInStreamlink } from '@streamsuites/streamlink/testing';
import { extensionProbe } from '@streamsuites/testing';
import { expect, it } from 'vitest';
import { kickPageUrl } from '../src/index.js';
import { fakeKick, startKick, tempDir } from './helpers.js';

// Kick's playback URLs carry a token in the query and path.
const STREAM = 'https://fa723fc1b171.us-west-2.playback.live-video.net/api/video/v1/us-west-2.channel.playbacktoken98765.m3u8';
const signal = () => new AbortController().signal;

it('kickPageUrl is the channel page, lower-cased', () => {
  expect(kickPageUrl('Daniel_Live')).toBe('https://kick.com/daniel_live');
});

it('contributes a Kick stream source that resolves a creator with streamlink on kick.com/<channel>', async () => {
  const fake = await fakeKick();
  const channel = fake.addChannel({ slug: 'Daniel_Live', broadcasterUserId: 42 });
  const streamlink = writeStandInStreamlink(tempDir(), { prints: STREAM });
  const probe = extensionProbe(streamSourcesExtensionPoint);
  const { t } = await startKick({
    fake,
    plugins: [probe.plugin],
    extraPlugins: { probe: {} },
    plugin: { streamlink: { path: streamlink.path, quality: '720p60,best' } },
    creators: { daniel: { channel, enable: ['kick', 'probe'] } },
  });
  const kick = probe.contributions().filter((s) => s.pluginId === 'kick');
  expect(kick).toHaveLength(1);
  const source = kick[0]!.value;
  expect(source.platform).toBe('kick');
  await expect(source.resolve('daniel', { signal: signal() })).resolves.toEqual({ url: STREAM, via: 'streamlink' });
  expect(streamlink.calls()).toEqual([['--stream-url', 'https://kick.com/daniel_live', '720p60,best']]);
  expect(t.kernel.resolve(secretsRef).redactString(`capturing ${STREAM}`)).not.toContain('playbacktoken98765');
  // A creator the plugin does not run has no page to open.
  await expect(source.resolve('nobody', { signal: signal() })).rejects.toMatchObject({ code: 'SS_ERR_STREAMLINK_NOT_LIVE' });
});
