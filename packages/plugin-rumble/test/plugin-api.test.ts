import type { ChatMessage } from '@streamsuites/kernel';
import { describe, expect, it } from 'vitest';
import { fakeApi, lines, startRumble, tempDir, until } from './helpers.js';

const KEY = 'k3yForDanielsChannel_0123456789abcdef';

describe('plugin-rumble API mode against the local Live Stream API', () => {
  it('goes online with the stream title and start, reads chat, rants and new followers/subscribers, and goes offline both ways', async () => {
    const fake = await fakeApi();
    const channel = fake.addChannel(KEY, { username: 'DanielLive' });
    const startedAt = Date.parse('2026-12-05T09:00:00Z');
    const t = await startRumble({ fake, creators: { daniel: { key: KEY } } });
    await fake.waitForRequests(1, { key: KEY });
    expect(t.events.of('stream.online')).toEqual([]); // not live: no online, and no offline either

    const { id } = channel.goLive({ title: 'Saturday speedrun', createdOn: startedAt });
    const online = await t.events.waitFor('stream.online');
    expect(online).toMatchObject({ creatorId: 'daniel', platform: 'rumble', channel: 'DanielLive', title: 'Saturday speedrun', startedAt, streamId: id, category: 'Gaming' });

    channel.say({ username: 'Anna', text: 'hello 🎉', badges: ['premium', 'moderator'] });
    channel.say({ username: 'DanielLive', text: 'welcome!' });
    channel.rant({ username: 'Bob', text: 'take my money', amountCents: 250 });
    channel.follow('Carol');
    channel.subscribe('Dave', 500);
    await until('2 messages and a rant', () => t.events.of('chat.message').length === 3);
    await until('2 notices', () => t.events.of('chat.notice').length === 2);

    const [anna, daniel, bob] = t.events.of('chat.message');
    expect(anna).toMatchObject({ platform: 'rumble', creatorId: 'daniel', channel: 'DanielLive', text: 'hello 🎉', isAction: false });
    expect(anna!.author).toEqual({ id: 'anna', login: 'anna', displayName: 'Anna', roles: ['moderator'], badges: { premium: '1', moderator: '1' } });
    expect(daniel!.author.roles).toEqual(['broadcaster']); // the streamer's own username
    expect(bob!.monetary).toEqual({ kind: 'rant', amountMicros: 2_500_000, currency: 'USD', display: '$2.50' });
    expect(Math.abs(anna!.sentAt - Date.now())).toBeLessThan(5000); // created_on parsed (second precision)
    const notices = t.events.of('chat.notice');
    expect(notices.map((n) => [n.kind, n.author?.login])).toEqual([
      ['follow', 'carol'],
      ['sub', 'dave'],
    ]);
    expect(notices[1]!.monetary).toMatchObject({ amountMicros: 5_000_000, currency: 'USD' });

    channel.goOffline();
    const offline = await t.events.waitFor('stream.offline');
    expect(offline).toMatchObject({ creatorId: 'daniel', platform: 'rumble', streamId: id });

    // Back live, then ended while still listed (is_live: false): offline again.
    channel.goLive({ id: 'newstream1' });
    await until('second online', () => t.events.of('stream.online').length === 2);
    channel.goOffline({ keepListed: true });
    await until('second offline', () => t.events.of('stream.offline').length === 2);
    expect(t.events.of('stream.offline')[1]!.streamId).toBe('newstream1');
    expect(t.events.of('platform.connection').map((e) => e.state)).toEqual(['connecting', 'offline', 'connected', 'offline', 'connected', 'offline']);
    await t.stop();
  });

  it('delivers every chat message and rant exactly once over 100 overlapping polls and a restart, identical repeats included', async () => {
    const fake = await fakeApi();
    const channel = fake.addChannel(KEY, { username: 'DanielLive' });
    const { id } = channel.goLive();
    channel.say({ username: 'old', text: 'said before we ever watched', at: Date.now() - 60_000 });
    const dataDir = tempDir();
    const storeSqlite = (await import('@streamsuites/store-sqlite')).default;
    const expected: string[] = [];
    let n = 0;
    const base = Date.now();
    // 0-3 entries per poll; every 7th a rant; every 5th an identical repeat in the same second (a real "gg" "gg").
    const sayBatch = (round: number) => {
      for (let i = 0; i < round % 4; i++) {
        n += 1;
        const at = base + n * 200;
        if (n % 7 === 0) {
          channel.rant({ username: 'bob', text: `rant ${n}`, amountCents: 100 * (n % 5) + 100, at });
          expected.push(`bob: rant ${n}`);
        } else if (n % 5 === 0) {
          channel.say({ username: 'anna', text: 'gg', at });
          channel.say({ username: 'anna', text: 'gg', at });
          expected.push('anna: gg', 'anna: gg');
        } else {
          channel.say({ username: 'anna', text: `message ${n}`, at });
          expected.push(`anna: message ${n}`);
        }
      }
    };
    const polls = async (count: number) => {
      for (let round = 0; round < count; round++) {
        sayBatch(round);
        await fake.waitForRequests(fake.requestCount(KEY) + 1, { key: KEY });
      }
    };

    const first = await startRumble({ fake, dataDir, plugins: [storeSqlite], creators: { daniel: { key: KEY } } });
    await fake.waitForRequests(1, { key: KEY });
    await polls(60);
    await until('the first run caught up', () => lines(first).length === expected.length);
    const firstRun = first.events.of('chat.message');
    await first.stop();

    sayBatch(3); // while the runtime is down
    sayBatch(2);
    const second = await startRumble({ fake, dataDir, plugins: [storeSqlite], creators: { daniel: { key: KEY } } });
    await polls(40);
    await until('the second run caught up', () => firstRun.length + lines(second).length === expected.length);
    const all: ChatMessage[] = [...firstRun, ...second.events.of('chat.message')];
    // Exactly once each. Order is by Rumble's created_on, which has second precision: a rant and a message
    // within the same second cannot be ordered, so compare as multisets and check the time order.
    expect(all.map((m) => `${m.author.login}: ${m.text}`).sort()).toEqual([...expected].sort());
    for (let i = 1; i < firstRun.length; i++) expect(firstRun[i]!.sentAt).toBeGreaterThanOrEqual(firstRun[i - 1]!.sentAt);
    expect(new Set(all.map((m) => m.id)).size).toBe(all.length);
    expect(expected.length).toBeGreaterThan(140); // 100 polls really carried traffic
    expect(fake.requestCount(KEY)).toBeGreaterThanOrEqual(100);
    expect(lines(first).concat(lines(second))).not.toContain('old: said before we ever watched');
    for (const m of all.filter((x) => x.text.startsWith('rant'))) {
      const k = Number(m.text.split(' ')[1]);
      expect(m.monetary).toMatchObject({ kind: 'rant', amountMicros: (100 * (k % 5) + 100) * 10_000, currency: 'USD' });
    }
    // The second run saw the first run's stream still live: online again (a new process), same stream id.
    expect(second.events.of('stream.online')[0]?.streamId).toBe(id);
    await second.stop();
  });

  it("the first poll replays nothing said before the runtime started, on Rumble's clock even when it is 10 minutes ahead, and nothing said since is lost", async () => {
    const skew = 10 * 60_000;
    const fake = await fakeApi({ now: () => Date.now() + skew });
    const channel = fake.addChannel(KEY, { username: 'DanielLive' });
    channel.goLive();
    channel.say({ username: 'old', text: 'a minute before the start', at: Date.now() + skew - 60_000 });
    channel.follow('OldFollower', Date.now() + skew - 3_600_000);
    const t = await startRumble({ fake, creators: { daniel: { key: KEY } } });
    channel.say({ username: 'anna', text: 'right after the start' }); // maybe in the first body, maybe in the next
    channel.follow('NewFollower');
    await until('the new message', () => lines(t).length === 1);
    await until('the new follower', () => t.events.of('chat.notice').length === 1);
    await fake.waitForRequests(fake.requestCount(KEY) + 3, { key: KEY });
    expect(lines(t)).toEqual(['anna: right after the start']);
    expect(t.events.of('chat.notice').map((n) => n.author?.login)).toEqual(['newfollower']);
    await t.stop();
  });

  it("Rumble's clock jumping back and forth between polls changes nothing: every message once", async () => {
    let skew = 0;
    const fake = await fakeApi({ now: () => Date.now() + skew });
    const channel = fake.addChannel(KEY, { username: 'DanielLive' });
    channel.goLive();
    const t = await startRumble({ fake, creators: { daniel: { key: KEY } } });
    await fake.waitForRequests(1, { key: KEY });
    const said: string[] = [];
    for (const [i, jump] of [0, -3_600_000, 7_200_000, -86_400_000, 0].entries()) {
      skew = jump;
      channel.say({ username: 'anna', text: `message ${i}` }); // stamped with the jumped clock
      said.push(`anna: message ${i}`);
      await fake.waitForRequests(fake.requestCount(KEY) + 2, { key: KEY });
    }
    await until('every message', () => lines(t).length === said.length);
    await fake.waitForRequests(fake.requestCount(KEY) + 3, { key: KEY });
    expect([...lines(t)].sort()).toEqual(said);
    await t.stop();
  });
});
