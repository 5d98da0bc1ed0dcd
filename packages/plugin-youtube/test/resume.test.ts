import { MemoryStateStore } from '@streamsuites/defaults';
import { ManualClock, type PlatformConnectionEvent } from '@streamsuites/kernel';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startFakeYouTubeApi, type FakeRequestRecord, type FakeYouTubeApi } from '../src/testing.js';
import { CHANNEL, setup, T0, texts, until } from './session-helpers.js';

const VIDEO = 'resumeVid01';
const chatCalls = (records: FakeRequestRecord[]) => records.filter((r) => r.endpoint === 'liveChatMessages.list' || r.endpoint === 'liveChatMessages.streamList');

async function fakeOn(clock: ManualClock, transport: 'poll' | 'stream'): Promise<FakeYouTubeApi> {
  const fake = await startFakeYouTubeApi({ now: () => clock.now(), streamSupported: transport === 'stream' });
  onTestFinished(() => fake.close());
  return fake;
}

/**
 * A first process reads the chat (20 messages delivered, the position saved),
 * stops; `whileDown` changes the world (YouTube forgets the position...);
 * a second process starts with the same state store.
 */
async function restartScenario(transport: 'poll' | 'stream', whileDown: (ctx: { clock: ManualClock; fake: FakeYouTubeApi }) => Promise<FakeYouTubeApi>) {
  const clock = new ManualClock(T0);
  const store = new MemoryStateStore();
  const fake1 = await fakeOn(clock, transport);
  const first = await setup({ store, clock, fake: fake1, transport });
  fake1.goLive({ channelId: CHANNEL, videoId: VIDEO });
  fake1.say({ author: 'old', text: 'history before the first start' });
  first.session.start();
  await until('the first page', () => chatCalls(fake1.requests()).length >= 1);
  for (let i = 1; i <= 20; i++) fake1.say({ author: 'anna', text: `first run ${i}` });
  await until('20 messages in the first run', () => texts(first.t).length === 20);
  await first.session.stop();
  await first.t.stop();

  clock.advance(5 * 60_000); // five minutes down
  const fake2 = await whileDown({ clock, fake: fake1 });
  const second = await setup({ store, clock, fake: fake2, transport });
  const arrivals = new Map<string, number>();
  second.t.bus.on('chat.message', (m) => void arrivals.set(m.text, clock.now()));
  const mark = fake2.requests().length;
  const restartedAt = clock.now();
  second.session.start();
  return { clock, fake: fake2, second, arrivals, mark, restartedAt };
}

describe('restart with a rejected page token', () => {
  for (const transport of ['poll', 'stream'] as const) {
    it(`${transport}: the token is dropped at once — messages within one poll interval, no burst of backlog, nothing delivered twice`, async () => {
      const { clock, fake, second, arrivals, mark, restartedAt } = await restartScenario(transport, async ({ fake }) => {
        fake.say({ author: 'ben', text: 'said while it was down' });
        fake.expirePageTokens(); // YouTube no longer accepts the saved token
        return fake;
      });
      try { await until("the message said while down", () => arrivals.has("said while it was down"), 1000); } catch (e) { console.log(JSON.stringify(fake.requests().slice(mark), null, 0)); console.log(second.t.logs.text().slice(-3000)); throw e; }
      // Read again at once: no wait at all between the restart and the catch-up page.
      expect(arrivals.get('said while it was down')).toBe(restartedAt);
      const calls = chatCalls(fake.requests().slice(mark));
      expect(calls[0]).toMatchObject({ status: 400, reason: 'invalidPageToken' });
      expect(calls[0]!.query.pageToken).toBeDefined();
      expect(calls[1]!.query.pageToken).toBeUndefined();
      expect(calls[1]!.status).toBe(200);

      // A message said after the restart comes with the next page: within one polling interval.
      const sleepsBefore = second.sleeps.length;
      const saidAt = clock.now();
      fake.say({ author: 'cy', text: 'after the restart' });
      await until('the message after the restart', () => arrivals.has('after the restart'));
      const interval = transport === 'stream' ? 0 : second.sleeps[sleepsBefore]!;
      expect(arrivals.get('after the restart')! - saidAt).toBeLessThanOrEqual(interval);
      expect(second.sleeps.slice(0, sleepsBefore + 1).every((ms) => ms < 60_000)).toBe(true);

      // The first run's 20 messages and the history are in the catch-up page, and none of them is emitted again.
      expect(texts(second.t)).toEqual(['said while it was down', 'after the restart']);
      const states = second.t.events.of('platform.connection').map((e: PlatformConnectionEvent) => e.state);
      expect(states).not.toContain('reconnecting');
      const warnings = second.t.logs.lines.filter((l) => String(l.msg).includes('invalidPageToken'));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]!.level).toBe(40);
      expect(second.t.logs.text()).not.toContain(String(calls[0]!.query.pageToken));
    });
  }

  it('a restarted YouTube that forgot the chat (the demo: a fresh fake, same chat id): no 60 s wait, new chat delivered, old ids not confused with new ones', async () => {
    const { second, arrivals, fake, mark, restartedAt } = await restartScenario('poll', async ({ clock }) => {
      const fresh = await fakeOn(clock, 'poll');
      fresh.goLive({ channelId: CHANNEL, videoId: VIDEO }); // same video, same liveChatId, an empty chat
      for (let i = 1; i <= 3; i++) fresh.say({ author: 'dee', text: `new world ${i}` });
      return fresh;
    });
    await until('the new chat', () => arrivals.size === 3);
    expect(texts(second.t)).toEqual(['new world 1', 'new world 2', 'new world 3']);
    expect([...arrivals.values()].every((at) => at === restartedAt)).toBe(true);
    expect(chatCalls(fake.requests().slice(mark))[0]).toMatchObject({ status: 400, reason: 'invalidPageToken' });
    expect(second.sleeps.every((ms) => ms < 60_000)).toBe(true);
  });

  it('items no longer among the saved ids (the list keeps the last 5,000) but older than the saved position are history: not replayed', async () => {
    const clock = new ManualClock(T0);
    const store = new MemoryStateStore();
    const fake = await fakeOn(clock, 'poll');
    const first = await setup({ store, clock, fake });
    fake.goLive({ channelId: CHANNEL, videoId: VIDEO });
    first.session.start();
    await until('the first page', () => chatCalls(fake.requests()).length >= 1);
    for (let i = 1; i <= 5; i++) fake.say({ author: 'anna', text: `old ${i}` });
    await until('old messages', () => texts(first.t).length === 5);
    clock.advance(10 * 60_000);
    const recent = fake.say({ author: 'anna', text: 'recent' });
    await until('recent', () => texts(first.t).includes('recent'));
    await first.session.stop();
    // As if thousands of messages later: only the newest id is still in the saved list.
    const cursor = (await store.get<{ seen: string[] }>('youtube.chat', 'daniel'))!;
    await store.set('youtube.chat', 'daniel', { ...cursor, seen: [recent] });

    fake.say({ author: 'ben', text: 'said while it was down' });
    fake.expirePageTokens();
    const second = await setup({ store, clock, fake });
    second.session.start();
    await until('the message said while down', () => texts(second.t).length >= 1);
    expect(texts(second.t)).toEqual(['said while it was down']);
  });

  it('a saved position of another live chat (a new broadcast) is never sent', async () => {
    const clock = new ManualClock(T0);
    const store = new MemoryStateStore();
    const fake = await fakeOn(clock, 'poll');
    const first = await setup({ store, clock, fake });
    fake.goLive({ channelId: CHANNEL, videoId: 'broadcast01' });
    first.session.start();
    await until('the first page', () => chatCalls(fake.requests()).length >= 1);
    fake.say({ author: 'anna', text: 'old broadcast' });
    await until('delivered', () => texts(first.t).length === 1);
    await first.session.stop();
    fake.endStream();

    clock.advance(3_600_000);
    const next = fake.goLive({ channelId: CHANNEL, videoId: 'broadcast02' });
    fake.say({ author: 'ben', text: 'backlog of the new broadcast' });
    const second = await setup({ store, clock, fake });
    const mark = fake.requests().length;
    second.session.start();
    await until('the first page of the new chat', () => chatCalls(fake.requests().slice(mark)).length >= 1);
    fake.say({ author: 'cy', text: 'live on the new broadcast' });
    await until('live message', () => texts(second.t).length === 1);
    const calls = chatCalls(fake.requests().slice(mark));
    expect(calls[0]!.query).toMatchObject({ liveChatId: next.liveChatId });
    expect(calls[0]!.query.pageToken).toBeUndefined();
    expect(calls.every((c) => c.status === 200)).toBe(true);
    expect(texts(second.t)).toEqual(['live on the new broadcast']);
    expect(second.t.logs.text()).toContain('for another live chat');
  });
});

describe('degraded states', () => {
  it('reconnecting (with the reason) from the first failure until the next page arrives, then connected', async () => {
    const { fake, t, session, sleeps } = await setup();
    fake.goLive({ channelId: CHANNEL });
    session.start();
    await t.events.waitFor('stream.online');
    await until('polling', () => fake.calls()['liveChatMessages.list'] >= 2);
    const mark = t.events.of('platform.connection').length;
    fake.failNext('backendError', { endpoint: 'liveChatMessages.list', count: 2 });
    await until('two backoffs', () => sleeps.join(',').includes('2000,4000'));
    fake.say({ author: 'anna', text: 'back' });
    await until('back', () => texts(t).includes('back'));
    const changes = t.events.of('platform.connection').slice(mark).map((e: PlatformConnectionEvent) => `${e.state}${e.reason === undefined ? '' : `:${e.reason}`}`);
    // One reconnecting for both failures (no connected between the retries), connected with the next page.
    expect(changes).toEqual(['reconnecting:backendError', 'connected']);
  });

  it('a wait for the quota is reconnecting with the reason', async () => {
    const { fake, t, session } = await setup();
    fake.goLive({ channelId: CHANNEL });
    session.start();
    await t.events.waitFor('stream.online');
    fake.failNext('quotaExceeded', { endpoint: 'liveChatMessages.list' });
    const event = await t.events.waitFor('platform.connection', (e) => e.state === 'reconnecting');
    expect(event).toMatchObject({ creatorId: 'daniel', platform: 'youtube', reason: 'quotaExceeded' });
  });
});
