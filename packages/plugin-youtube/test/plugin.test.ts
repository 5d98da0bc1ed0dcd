import { quotaRegistryRef } from '@streamsuites/kernel';
import { startTestKernel } from '@streamsuites/testing';
import { afterEach, describe, expect, it } from 'vitest';
import youtubePlugin from '../src/index.js';
import { startFakeYouTubeApi, type FakeYouTubeApi } from '../src/testing.js';

const fakes: FakeYouTubeApi[] = [];
afterEach(async () => {
  for (const fake of fakes.splice(0)) await fake.close();
});

const CHANNEL = 'UCstreamsuitesDanielChan0';

function manifest(fake: FakeYouTubeApi, youtube: Record<string, unknown>) {
  return {
    plugins: { youtube: { config: { apiUrl: fake.url, tokenUrl: fake.tokenUrl, feedUrl: fake.feedUrl } } },
    creators: {
      daniel: {
        enable: ['youtube'],
        config: { youtube: { channelId: CHANNEL, transport: 'stream', ...youtube } },
        triggers: [{ type: 'command', params: { command: '!hello' }, actions: [{ type: 'chat.reply', params: { text: 'hi {user}!' } }] }],
      },
    },
  };
}

/** A runtime whose creator reads the fake's chat with the fake's OAuth client (secrets through `${env:…}`). */
function startWithOAuth(fake: FakeYouTubeApi) {
  const { clientId, clientSecret, refreshToken } = fake.credentials;
  return startTestKernel({
    plugins: [youtubePlugin],
    env: { YT_SECRET: clientSecret, YT_REFRESH: refreshToken },
    manifest: manifest(fake, { clientId, clientSecret: '${env:YT_SECRET}', refreshToken: '${env:YT_REFRESH}' }),
  });
}

describe('plugin-youtube end to end', () => {
  it('chat from the API reaches the triggers, and the reply is inserted into the live chat (50 units charged first)', async () => {
    const fake = await startFakeYouTubeApi();
    fakes.push(fake);
    const live = fake.goLive({ channelId: CHANNEL, title: 'Live!' });
    const { clientSecret, refreshToken } = fake.credentials;
    const t = await startWithOAuth(fake);
    try {
      await t.events.waitFor('stream.online');
      const deadline = Date.now() + 5000;
      while (fake.openStreams() === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
      fake.say({ author: 'Anna', text: '!hello' });
      const message = await t.events.waitFor('chat.message');
      expect(message).toMatchObject({ platform: 'youtube', creatorId: 'daniel', channel: CHANNEL, text: '!hello', author: { displayName: 'Anna' } });
      await t.events.waitFor('action.dispatched');
      while (fake.inserted().length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
      expect(fake.inserted().map((m) => [m.liveChatId, m.text])).toEqual([[live.liveChatId, 'hi Anna!']]);
      const [quota] = await t.kernel.resolve(quotaRegistryRef).snapshot();
      expect(quota).toMatchObject({ creatorId: 'daniel', platform: 'youtube' });
      expect(quota!.used).toBe(fake.unitsUsed()); // our tracker and the server agree on every unit
      expect(quota!.used).toBeGreaterThanOrEqual(50 + 1 + 5);
      expect(t.logs.text()).not.toContain(refreshToken);
      expect(t.logs.text()).not.toContain(clientSecret);
    } finally {
      await t.stop();
    }
  });

  it('a hot standby does not read the chat (no units spent) until promoted, then reads it', async () => {
    const fake = await startFakeYouTubeApi();
    fakes.push(fake);
    fake.goLive({ channelId: CHANNEL, title: 'Live!' });
    const t = await startWithOAuth(fake);
    try {
      await t.kernel.stopCreator('daniel');
      const connectionEvents = t.events.of('platform.connection').length;
      const used = fake.unitsUsed();
      await t.kernel.startCreator('daniel', { standby: true });
      // Reading starts synchronously with a `connecting` state: a standby shows none, and spent nothing.
      expect(t.events.of('platform.connection').slice(connectionEvents)).toEqual([]);
      expect(fake.unitsUsed()).toBe(used);
      t.kernel.promoteCreator('daniel');
      expect(t.events.of('platform.connection').slice(connectionEvents)).toEqual([expect.objectContaining({ creatorId: 'daniel', state: 'connecting' })]);
      const deadline = Date.now() + 5000;
      while (fake.openStreams() === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
      fake.say({ author: 'Anna', text: 'after the promotion' });
      await t.events.waitFor('chat.message', (m) => m.text === 'after the promotion');
    } finally {
      await t.stop();
    }
  });

  it('bad config is a coded error for that creator, and the runtime keeps running', async () => {
    const fake = await startFakeYouTubeApi();
    fakes.push(fake);
    const t = await startTestKernel({ plugins: [youtubePlugin], manifest: manifest(fake, { clientId: 'only-the-id' }) });
    try {
      const [failure] = t.events.of('kernel.plugin.failed');
      expect(failure).toMatchObject({ pluginId: 'youtube', creatorId: 'daniel', phase: 'start' });
      expect(failure!.error.message).toContain('OAuth needs all of clientId, clientSecret and refreshToken');
      expect(t.kernel.status().state).toBe('running');
    } finally {
      await t.stop();
    }
  });

  it('a reply with an API key only is refused with SS_ERR_YOUTUBE_SEND_NEEDS_OAUTH (no units spent on it)', async () => {
    const fake = await startFakeYouTubeApi();
    fakes.push(fake);
    fake.goLive({ channelId: CHANNEL });
    const t = await startTestKernel({ plugins: [youtubePlugin], env: { YT_KEY: fake.credentials.apiKey }, manifest: manifest(fake, { apiKey: '${env:YT_KEY}' }) });
    try {
      await t.events.waitFor('stream.online');
      const deadline = Date.now() + 5000;
      while (fake.openStreams() === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
      fake.say({ author: 'Ben', text: '!hello' });
      const failed = await t.events.waitFor('action.failed');
      expect(failed.error.cause?.code).toBe('SS_ERR_YOUTUBE_SEND_NEEDS_OAUTH');
      expect(fake.calls()['liveChatMessages.insert']).toBe(0);
      expect(t.logs.text()).not.toContain(fake.credentials.apiKey);
    } finally {
      await t.stop();
    }
  });
});
