import { describe, expect, it, onTestFinished } from 'vitest';
import { startFakeRumbleChatPage, type FakeChatPageOptions, type FakeRumbleChatPage } from '../src/testing.js';
import { fakeApi, lines, startRumble, tempDir, until } from './helpers.js';

const KEY = 'browserModeKey_0123456789abc';

async function chatPage(options?: FakeChatPageOptions): Promise<FakeRumbleChatPage> {
  const page = await startFakeRumbleChatPage(options);
  onTestFinished(() => page.close());
  return page;
}

/** A creator reading both the API and the page, replying to !hello. */
async function both(page: FakeRumbleChatPage, pageTimeoutMs = 5000) {
  const fake = await fakeApi();
  const channel = fake.addChannel(KEY, { username: 'MayaLive' });
  channel.goLive();
  const t = await startRumble({
    fake,
    plugin: { browser: { pageTimeoutMs } },
    creators: {
      maya: {
        key: KEY,
        config: { mode: 'both', browser: { chatUrl: page.url, profileDir: tempDir() } },
        triggers: [{ type: 'command', params: { command: '!hello' }, actions: [{ type: 'chat.reply', params: { text: 'hi {user}!' } }] }],
      },
    },
  });
  return { fake, channel, t };
}

describe('plugin-rumble browser mode in real Chromium, beside API mode', () => {
  it('each message reaches the bus once whichever source reads it first, and a reply is typed into the page', async () => {
    const page = await chatPage();
    const { fake, channel, t } = await both(page);
    await t.events.waitFor('rumble.browser', (e) => e.state === 'running', 20_000);

    // Said once on Rumble: the API and the page both see it.
    const said = ['hello from the page 👋', 'gg', 'gg', 'third'];
    for (const text of said) {
      channel.say({ username: 'Anna', text });
      await page.append({ username: 'Anna', text });
    }
    channel.rant({ username: 'Bob', text: 'for the stream', amountCents: 200 });
    await page.append({ username: 'Bob', text: 'for the stream', rant: { price: '$2' } });
    await until('both sources read everything', () => t.events.of('chat.message').length >= 5);
    await fake.waitForRequests(fake.requestCount(KEY) + 3, { key: KEY }); // later polls repeat the same window
    expect(lines(t)).toEqual(['anna: hello from the page 👋', 'anna: gg', 'anna: gg', 'anna: third', 'bob: for the stream']);
    expect(t.events.of('chat.message').every((m) => m.channel === 'MayaLive')).toBe(true);
    const rant = t.events.of('chat.message').find((m) => m.author.login === 'bob');
    expect(rant!.monetary).toMatchObject({ kind: 'rant', amountMicros: 2_000_000, currency: 'USD' });

    await page.append({ username: 'Carol', text: '!hello' }); // read from the page only: the trigger answers through it
    expect(await page.waitForTyped(1, 10_000)).toEqual(['hi Carol!']);
    // The reply shows up in the page, and a poll later in the API: both are the bot's own echo, not chat.
    channel.say({ username: 'streamsuites-bot', text: 'hi Carol!' });
    channel.say({ username: 'Dave', text: 'after the reply' });
    await page.append({ username: 'Dave', text: 'after the reply' });
    await until('the line after the reply', () => lines(t).includes('dave: after the reply'));
    await fake.waitForRequests(fake.requestCount(KEY) + 2, { key: KEY });
    expect(lines(t).filter((l) => l.startsWith('streamsuites-bot'))).toEqual([]);
    expect(lines(t).filter((l) => l === 'dave: after the reply')).toHaveLength(1);
    await t.stop();
    expect(t.events.of('rumble.browser').map((e) => e.state)).toEqual(['starting', 'running', 'stopped']);
  });

  it('a page that changed shape is SS_ERR_RUMBLE_SELECTOR_MISSING naming the selector, and API mode keeps reading', async () => {
    const page = await chatPage({ variant: 'renamed-list' });
    const { channel, t } = await both(page, 3000);
    const failed = await t.events.waitFor('rumble.browser', (e) => e.state === 'failed', 20_000);
    expect(failed.error).toMatchObject({ code: 'SS_ERR_RUMBLE_SELECTOR_MISSING', message: expect.stringContaining('"chatList"') });
    channel.say({ username: 'Anna', text: 'the API still works' });
    await until('API chat', () => lines(t).includes('anna: the API still works'));
    await t.stop();
  });
});
