import { join } from 'node:path';
import { quotaRegistryRef, type ChatMessage } from '@streamsuites/kernel';
import { createTempDirs } from '@streamsuites/kernel/testing';
import storeSqlite from '@streamsuites/store-sqlite';
import { startTestKernel, type TestKernel } from '@streamsuites/testing';
import { afterEach, describe, expect, it } from 'vitest';
import youtubePlugin from '../src/index.js';
import { FAKE_BOT_ACCOUNT, startFakeYouTubeApi, type FakeYouTubeApi } from '../src/testing.js';

const fakes: FakeYouTubeApi[] = [];
const temp = createTempDirs('ss-yt-moderation-');
afterEach(async () => {
  for (const fake of fakes.splice(0)) await fake.close();
  temp.removeAll();
});

const CHANNEL = 'UCstreamsuitesDanielChan0';

async function fake(): Promise<FakeYouTubeApi> {
  const f = await startFakeYouTubeApi();
  fakes.push(f);
  return f;
}

function start(f: FakeYouTubeApi, extra: { creator?: Record<string, unknown>; sqliteFile?: string } = {}): Promise<TestKernel> {
  const { clientId, clientSecret, refreshToken } = f.credentials;
  return startTestKernel({
    plugins: [youtubePlugin, ...(extra.sqliteFile === undefined ? [] : [storeSqlite])],
    env: { YT_SECRET: clientSecret, YT_REFRESH: refreshToken },
    manifest: {
      plugins: {
        youtube: { config: { apiUrl: f.url, tokenUrl: f.tokenUrl, feedUrl: f.feedUrl } },
        ...(extra.sqliteFile === undefined ? {} : { 'store-sqlite': { config: { file: extra.sqliteFile } } }),
      },
      creators: {
        daniel: {
          enable: ['youtube'],
          config: { youtube: { channelId: CHANNEL, transport: 'stream', clientId, clientSecret: '${env:YT_SECRET}', refreshToken: '${env:YT_REFRESH}' } },
          ...extra.creator,
        },
      },
    },
  });
}

/** Live, and the chat stream open: what is said now reaches the kernel. */
async function live(f: FakeYouTubeApi, t: TestKernel): Promise<void> {
  await t.events.waitFor('stream.online');
  const deadline = Date.now() + 5000;
  while (f.openStreams() === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
}

async function until(predicate: () => boolean | Promise<boolean>, message: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${message}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('chat.delete and chat.timeout on YouTube (Data API, local fake)', () => {
  it('banned phrases from chat: liveChatMessages.delete and a temporary liveChatBans.insert by the bot, 50 units each on the quota tracker; a $5 Super Chat reaches tier 2', async () => {
    const f = await fake();
    f.addModerator(FAKE_BOT_ACCOUNT.channelId);
    f.goLive({ channelId: CHANNEL, title: 'Live!' });
    const t = await start(f, {
      creator: {
        chatBehaviour: {
          bannedPhrases: [
            { phrase: 'buy followers', action: 'delete' },
            { phrase: 'scam', action: 'timeout', timeoutSec: 300 },
          ],
        },
        monetization: {
          currency: 'USD',
          rates: { EUR: 1.1 },
          rules: [
            { kinds: ['superchat'], min: 1, actions: [{ type: 'chat.reply', params: { text: 'thanks {user}' } }] },
            { kinds: ['superchat'], min: 5, actions: [{ type: 'chat.reply', params: { text: 'tier 2 {user}: {amount} {currency}' } }] },
          ],
        },
      },
    });
    await live(f, t);
    const tracker = t.kernel.resolve(quotaRegistryRef).tracker('daniel', 'youtube');
    const spamId = f.say({ author: 'Spammer', text: 'BUY followers here' });
    await until(() => f.moderationCalls().length === 1, 'the delete');
    const usedAfterDelete = (await tracker.snapshot()).used;
    f.say({ author: 'Scammer', text: 'not a scam, promise' });
    await until(() => f.moderationCalls().length === 2, 'the timeout');
    const scammer = (await t.events.waitFor('chat.message', (m: ChatMessage) => m.author.displayName === 'Scammer')).author.id;
    f.superChat({ author: 'Fan', amountMicros: 5_000_000, currency: 'USD', comment: 'gg' });
    await until(() => f.inserted().length === 1, 'the thanks');
    await t.kernel.idle();
    expect(f.moderationCalls()).toEqual([
      { action: 'delete', liveChatId: expect.any(String), messageId: spamId, by: FAKE_BOT_ACCOUNT.channelId, at: expect.any(Number) },
      { action: 'timeout', liveChatId: expect.any(String), channelId: scammer, duration: 300, by: FAKE_BOT_ACCOUNT.channelId, at: expect.any(Number) },
    ]);
    expect(f.inserted().map((m) => m.text)).toEqual(['tier 2 Fan: 5.00 USD']);
    // Each call charged 50 units to the creator's tracker (the fake charged the same).
    expect((await tracker.snapshot()).used - usedAfterDelete).toBe(50 + 50);
    expect(f.requests().filter((r) => r.endpoint === 'liveChatMessages.delete' || r.endpoint === 'liveChatBans.insert').map((r) => [r.endpoint, r.status, r.units])).toEqual([
      ['liveChatMessages.delete', 204, 50],
      ['liveChatBans.insert', 200, 50],
    ]);
    // YouTube shows the deletion in the chat: it comes back as a chat event.
    await t.events.waitFor('chat.deleted');
    expect(t.events.of('action.failed')).toEqual([]);
    await t.stop();
  });

  it('an account that does not moderate the chat: forbidden, action.failed; chat goes on', async () => {
    const f = await fake();
    f.goLive({ channelId: CHANNEL, title: 'Live!' });
    const t = await start(f, { creator: { chatBehaviour: { bannedPhrases: [{ phrase: 'spam', action: 'delete' }] } } });
    await live(f, t);
    f.say({ author: 'Spammer', text: 'spam spam' });
    const failed = await t.events.waitFor('action.failed');
    expect(failed.error).toMatchObject({ code: 'SS_ERR_ACTION_FAILED', cause: { code: 'SS_ERR_YOUTUBE_API' } });
    expect(f.moderationCalls()).toEqual([]);
    await t.stop();
  });

  it('first-time greeting once per person, across a restart with the SQLite state store', async () => {
    const f = await fake();
    f.goLive({ channelId: CHANNEL, title: 'Live!' });
    const sqliteFile = join(temp.make(), 'state.db');
    const creator = { chatBehaviour: { firstTimeGreeting: { text: 'Welcome {user}!' } } };
    const first = await start(f, { creator, sqliteFile });
    await live(f, first);
    f.say({ author: 'Anna', text: 'hi' });
    f.say({ author: 'Anna', text: 'hi again' });
    await until(() => f.inserted().length === 1, 'greeted');
    // The greeting comes back in the chat as the bot's message: not a first-timer to greet.
    await first.events.waitFor('chat.message', (m: ChatMessage) => m.text === 'Welcome Anna!');
    await first.kernel.idle();
    await first.stop();

    const second = await start(f, { creator, sqliteFile });
    await live(f, second);
    f.say({ author: 'Anna', text: 'back' });
    f.say({ author: 'Bo', text: 'first time' });
    await until(() => f.inserted().length === 2, 'Bo greeted');
    await second.kernel.idle();
    expect(f.inserted().map((m) => m.text)).toEqual(['Welcome Anna!', 'Welcome Bo!']);
    await second.stop();
  });
});
