import { readFileSync } from 'node:fs';
import type { EventName } from '@streamsuites/kernel';
import { describe, expect, it } from 'vitest';
import { MemoryStateStore } from '@streamsuites/defaults';
import type { LiveChatItem } from '../src/types.js';
import { CHANNEL, setup, texts, until } from './session-helpers.js';

describe('discovery', () => {
  it('costs at most 2 units per check without search, and finds the stream when it goes live', async () => {
    const { fake, t, session } = await setup();
    fake.addVideo({ channelId: CHANNEL, title: 'yesterday' });
    session.start();
    await until('5 discovery checks', () => fake.calls()['videos.list'] >= 5);
    const checks = fake.calls()['feeds.videos'];
    expect(fake.unitsUsed()).toBeLessThanOrEqual(2 * checks);
    expect(fake.calls()['search.list']).toBe(0);
    const live = fake.goLive({ channelId: CHANNEL, title: 'Speedrun night' });
    const online = await t.events.waitFor('stream.online');
    expect(online).toMatchObject({ creatorId: 'daniel', platform: 'youtube', channel: CHANNEL, title: 'Speedrun night', streamId: live.videoId });
  });
});

describe('reading chat', () => {
  it('never replays the backlog on start, delivers what comes after, and stops with the chat', async () => {
    const { fake, t, session } = await setup();
    fake.goLive({ channelId: CHANNEL });
    for (let i = 0; i < 10; i++) fake.say({ author: `early${i}`, text: `before we started ${i}` });
    session.start();
    await t.events.waitFor('stream.online');
    await until('the backlog page', () => fake.calls()['liveChatMessages.list'] >= 1);
    fake.say({ author: 'anna', text: 'hello' });
    fake.say({ author: 'ben', text: 'gg' });
    await until('two messages', () => texts(t).length >= 2);
    fake.endStream();
    const offline = await t.events.waitFor('stream.offline');
    expect(offline).toMatchObject({ creatorId: 'daniel', platform: 'youtube' });
    expect(texts(t)).toEqual(['hello', 'gg']);
  });

  it('a restart resumes after the last page: no history replayed, nothing delivered twice', async () => {
    const store = new MemoryStateStore();
    const first = await setup({ store });
    first.fake.goLive({ channelId: CHANNEL, liveChatId: 'Cg0KC2xpdmVjaGF0MDAx' });
    first.fake.say({ author: 'old', text: 'backlog' });
    first.session.start();
    await until('backlog read', () => first.fake.calls()['liveChatMessages.list'] >= 1);
    first.fake.say({ author: 'anna', text: 'one' });
    await until('one', () => texts(first.t).includes('one'));
    await first.session.stop();
    const items = first.fake.chatItems();

    // A second process, same store, same chat (items re-pushed into a fresh fake, same ids).
    const second = await setup({ store, config: { liveChatId: 'Cg0KC2xpdmVjaGF0MDAx' } });
    second.fake.goLive({ channelId: CHANNEL, liveChatId: 'Cg0KC2xpdmVjaGF0MDAx' });
    for (const item of items) second.fake.push(item as LiveChatItem);
    second.fake.say({ author: 'ben', text: 'two (while it was down)' });
    second.session.start();
    await until('two', () => texts(second.t).length >= 1);
    second.fake.say({ author: 'cy', text: 'three' });
    await until('three', () => texts(second.t).includes('three'));
    expect(texts(second.t)).toEqual(['two (while it was down)', 'three']);
  });

  it('puts every event type on the bus: messages, Super Chats, notices, deletions, bans, chat end', async () => {
    const { fake, t, session } = await setup({ transport: 'stream' });
    fake.goLive({ channelId: CHANNEL });
    session.start();
    await until('the stream open', () => fake.openStreams() === 1);
    const superChat = JSON.parse(readFileSync(new URL('../../../fixtures/youtube/liveChatMessage.item.superChat.brianlough-2021.json', import.meta.url), 'utf8')) as LiveChatItem;
    fake.push(superChat);
    fake.say({ author: { displayName: 'Mod Maria', isChatModerator: true }, text: 'keep it friendly' });
    const constructed = JSON.parse(readFileSync(new URL('../../../fixtures/youtube/constructed-from-docs/liveChatMessages.list.event-types.constructed.json', import.meta.url), 'utf8')) as { items: LiveChatItem[] };
    for (const item of constructed.items) fake.push(item);
    await t.events.waitFor('stream.offline');
    const names = (n: EventName) => t.events.of(n).length;
    expect({ messages: names('chat.message'), notices: names('chat.notice'), deleted: names('chat.deleted'), bans: names('chat.user-timeout') }).toEqual({ messages: 3, notices: 4, deleted: 1, bans: 1 });
    const [paid, , sticker] = t.events.of('chat.message');
    expect(paid!.monetary).toMatchObject({ amountMicros: expect.any(Number), currency: expect.any(String) });
    expect(sticker!.monetary).toBeDefined();
    expect(t.events.of('chat.message')[1]!.author.roles).toContain('moderator');
  });
});

describe('transport', () => {
  it('auto: uses server streaming when offered, and falls back to polling when the API answers 404', async () => {
    const streaming = await setup({ transport: 'auto' });
    streaming.fake.goLive({ channelId: CHANNEL });
    streaming.session.start();
    await until('a stream', () => streaming.fake.openStreams() === 1);
    streaming.fake.say({ author: 'anna', text: 'streamed' });
    await until('streamed', () => texts(streaming.t).includes('streamed'));
    expect(streaming.fake.calls()['liveChatMessages.list']).toBe(0);

    const polling = await setup({ transport: 'auto' });
    polling.fake.setStreamSupported(false);
    polling.fake.goLive({ channelId: CHANNEL });
    polling.session.start();
    await until('polling', () => polling.fake.calls()['liveChatMessages.list'] >= 1);
    polling.fake.say({ author: 'ben', text: 'polled' });
    await until('polled', () => texts(polling.t).includes('polled'));
    expect(polling.fake.calls()['liveChatMessages.streamList']).toBe(1); // tried once, never again
  });
});

describe('stream reconnects', () => {
  /** A live session reading chat through streamList; `mark` is how many sleeps happened before. */
  async function streaming() {
    const started = await setup({ transport: 'stream' });
    started.fake.goLive({ channelId: CHANNEL });
    started.session.start();
    await started.t.events.waitFor('stream.online');
    return { ...started, mark: started.sleeps.length };
  }

  it('a server that keeps closing the stream at once is reopened with growing waits, never a tight loop', async () => {
    const { fake, sleeps, mark } = await streaming();
    for (let i = 1; i <= 4; i++) {
      await until(`stream ${i} open`, () => fake.openStreams() === 1);
      fake.closeStreams();
      await until(`stream ${i} closed and waited`, () => sleeps.length >= mark + i);
    }
    const waits = sleeps.slice(mark, mark + 4);
    for (const wait of waits) expect(wait).toBeGreaterThanOrEqual(2000);
    expect(waits[3]!).toBeGreaterThan(waits[0]!);
    expect(fake.calls()['liveChatMessages.streamList']).toBeLessThanOrEqual(5);
  });

  it('a server that ends each stream after about 10 s (as YouTube does) is reopened at the budget pace, counted from the opening, never backing off', async () => {
    const { fake, sleeps, clock, mark, t } = await streaming();
    for (let i = 1; i <= 4; i++) {
      await until(`stream ${i} open`, () => fake.openStreams() === 1);
      clock.advance(10_000);
      fake.closeStreams();
      await until(`stream ${i} closed and waited`, () => sleeps.length >= mark + i);
    }
    const waits = sleeps.slice(mark, mark + 4);
    // 8 h on ~9,400 spendable units: a connection every ~15.3 s, so ~5.3 s after a 10 s stream closed (with 30 s as
    // a quick end, the waits were 2 s, 4 s, 8 s, 16 s... up to 5 minutes).
    for (const wait of waits) {
      expect(wait).toBeGreaterThanOrEqual(1000);
      expect(wait).toBeLessThan(7000);
    }
    expect(Math.max(...waits) - Math.min(...waits)).toBeLessThan(1000);
    await until('stream 5 open', () => fake.openStreams() === 1);
    expect(fake.calls()['liveChatMessages.streamList']).toBe(5);
    expect(t.events.of('platform.connection').map((e) => e.state)).not.toContain('reconnecting');
  });
});

describe('errors and quota', () => {
  it('quotaExceeded from YouTube pauses polling until the quota day resets (fake clock)', async () => {
    const { fake, t, session, sleeps, tracker, clock } = await setup();
    fake.goLive({ channelId: CHANNEL });
    session.start();
    await t.events.waitFor('stream.online');
    await until('polling', () => fake.calls()['liveChatMessages.list'] >= 2);
    const { resetsAt } = await tracker.snapshot();
    fake.failNext('quotaExceeded', { endpoint: 'liveChatMessages.list' });
    await until('a long wait', () => sleeps.some((ms) => ms >= 3_600_000));
    const wait = sleeps.find((ms) => ms >= 3_600_000)!;
    expect(clock.now()).toBeGreaterThanOrEqual(resetsAt); // the wait reached the reset
    expect(wait).toBeGreaterThan(10 * 3_600_000); // 14 h to midnight in Los Angeles
    fake.say({ author: 'anna', text: 'after the reset' });
    await until('chat again', () => texts(t).includes('after the reset'));
  });

  it('the kernel tracker refuses the call when the daily cap is reached: no call made, quota.exceeded', async () => {
    // No reserve in the governor: only the tracker stands between polling and the cap (buffer 50 is for essential calls).
    const { fake, t, session } = await setup({ quota: 120, reserve: 0 });
    fake.goLive({ channelId: CHANNEL });
    session.start();
    await t.events.waitFor('quota.exceeded', undefined, 5000);
    const calls = fake.calls()['liveChatMessages.list'];
    expect(fake.unitsUsed()).toBeLessThanOrEqual(120);
    expect(calls * 5).toBeLessThanOrEqual(120);
  });

  it('rate limits and server errors back off (never a tight loop); an ended chat goes offline and discovery resumes', async () => {
    const { fake, t, session, sleeps } = await setup();
    fake.goLive({ channelId: CHANNEL });
    session.start();
    await t.events.waitFor('stream.online');
    const before = sleeps.length;
    fake.failNext('rateLimitExceeded', { endpoint: 'liveChatMessages.list' });
    await until('backoff after rate limit', () => sleeps.slice(before).some((ms) => ms >= 10_000));
    // A good poll after the backoff resets the failure count (injecting the next failures earlier would make them 4 s, 8 s, 16 s).
    const list = () => fake.requests().filter((r) => r.endpoint === 'liveChatMessages.list');
    await until('a good poll after the backoff', () => list().slice(list().findIndex((r) => r.reason === 'rateLimitExceeded')).some((r) => r.status === 200));
    const mark = sleeps.length;
    fake.failNext('backendError', { endpoint: 'liveChatMessages.list', count: 3 });
    // Three failures in a row: 2 s, 4 s, 8 s before each next attempt.
    await until('three growing backoffs', () => sleeps.slice(mark).join(',').includes('2000,4000,8000'));
    fake.failNext('liveChatEnded', { endpoint: 'liveChatMessages.list' });
    await t.events.waitFor('stream.offline');
    const connection = t.events.of('platform.connection').map((e) => e.state);
    expect(connection).toContain('reconnecting'); // the backoffs
    // A chat that ended is offline (not live), not a fault; found again, it is connected.
    expect(t.events.of('platform.connection').at(-1)).toMatchObject({ state: 'offline', reason: 'liveChatEnded' });
    await until('rediscovery', () => t.events.of('stream.online').length >= 2);
    await until('connected again', () => t.events.of('platform.connection').at(-1)?.state === 'connected');
  });

  // checked by removing `this.#markFinished()` from ChatSession.stop(): fails (a session never started never finishes)
  it('finished settles after stop(), for a session never started too', async () => {
    for (const started of [true, false]) {
      const { fake, session } = await setup();
      fake.goLive({ channelId: CHANNEL });
      if (started) session.start();
      let finished = false;
      void session.finished.then(() => (finished = true));
      await session.stop();
      await until(`finished (started: ${started})`, () => finished);
    }
  });

  it('a revoked refresh token stops the creator with SS_ERR_YOUTUBE_AUTH and platform.auth-failed', async () => {
    const { fake, t, session, sleeps } = await setup({ oauth: true });
    fake.goLive({ channelId: CHANNEL });
    fake.revokeRefreshToken(fake.credentials.refreshToken);
    session.start();
    const failed = await t.events.waitFor('platform.auth-failed');
    expect(failed).toMatchObject({ creatorId: 'daniel', platform: 'youtube', error: { code: 'SS_ERR_YOUTUBE_AUTH' } });
    // Stopped for good by itself (not by stop()): the loop ends, so no retry or wait is left pending.
    // checked by removing `this.#controller.abort()` after platform.auth-failed in ChatSession#onError: fails (the loop retries, never finishes)
    let finished = false;
    void session.finished.then(() => (finished = true));
    await until('the session loop finished', () => finished);
    const calls = fake.calls()['oauth.token'];
    const waits = sleeps.length;
    await session.stop();
    expect(fake.calls()['oauth.token']).toBe(calls); // no more attempts
    expect(sleeps.length).toBe(waits);
    expect(t.events.of('platform.connection').at(-1)).toMatchObject({ state: 'auth-failed' });
    expect(t.logs.text()).not.toContain(fake.credentials.refreshToken);
  });
});
