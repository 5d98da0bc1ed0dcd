import { afterEach, describe, expect, it } from 'vitest';
import { loadYouTubeFixtureItems, simulateYouTubeChat, startFakeYouTubeApi, type FakeYouTubeApi } from '../src/testing.js';

const fakes: FakeYouTubeApi[] = [];
afterEach(async () => {
  for (const fake of fakes.splice(0)) await fake.close();
});

describe('simulateYouTubeChat', () => {
  it('plays captured items with fresh ids plus scripted lines, then stops after one pass', async () => {
    const items = await loadYouTubeFixtureItems(new URL('../../../fixtures/youtube/', import.meta.url));
    expect(items.length).toBeGreaterThanOrEqual(4); // the captured text pages and the Super Chat item
    const typed = items.filter((i) => typeof i.snippet?.type === 'string').length; // items without a type are skipped
    const fake = await startFakeYouTubeApi();
    fakes.push(fake);
    fake.goLive({ channelId: 'UCstreamsuitesSimulated00' });
    const stop = simulateYouTubeChat(fake, { items, ratePerSec: 200, script: [{ author: 'Anna', text: '!hello' }], scriptEvery: 2 });
    const sent = await stop.done;
    const chat = fake.chatItems();
    expect(chat).toHaveLength(sent);
    expect(sent).toBe(typed + Math.floor(typed / 2));
    expect(new Set(chat.map((i) => i.id)).size).toBe(sent);
    expect(chat.filter((i) => i.snippet?.displayMessage === '!hello' || i.snippet?.textMessageDetails?.messageText === '!hello')).toHaveLength(Math.floor(typed / 2));
    expect(() => simulateYouTubeChat(fake, { items: [], ratePerSec: 1 })).toThrow('no items and no script');
  });
});
