/**
 * Zero-loss chat with two connections per creator, against the local Twitch
 * server, which never re-sends anything: a message said while a client is
 * down reaches only the clients still connected, as on Twitch. What reaches
 * the bus exactly once is what at least one connection had; a window in
 * which none had chat is a `chat.gap`.
 */
import { createRateLimitGovernor } from '@streamsuites/defaults';
import { EventBus, systemClock, type ChatMessage, type EventPayload } from '@streamsuites/kernel';
import { afterEach, describe, expect, it } from 'vitest';
import type { TwitchChat } from '../src/chat.js';
import { startFakeTwitchChat, type FakeTwitchChat } from '../src/testing.js';
import { twitchChat } from './chat-helpers.js';

const fakes: FakeTwitchChat[] = [];
const chats: TwitchChat[] = [];
afterEach(async () => {
  for (const chat of chats.splice(0)) await chat.stop();
  for (const fake of fakes.splice(0)) await fake.close();
});

/** Both connections of a chat on a fresh fake, with what reaches the bus recorded. */
async function setup(redundancy: number) {
  const fake = await startFakeTwitchChat();
  fakes.push(fake);
  const bus = new EventBus();
  const counts = new Map<string, number>();
  bus.on('chat.message', (m: ChatMessage) => void counts.set(m.id, (counts.get(m.id) ?? 0) + 1));
  const gaps: EventPayload<'chat.gap'>[] = [];
  bus.on('chat.gap', (g) => void gaps.push(g));
  const states: EventPayload<'platform.connection'>[] = [];
  bus.on('platform.connection', (e) => void states.push(e));
  const chat = twitchChat(fake, bus, { redundancy });
  chats.push(chat);
  await chat.start();
  await fake.until(() => joinedClients(fake).length === redundancy, { message: `${redundancy} connections joined` });
  let n = 0;
  /** Says `count` messages now, returns their ids. */
  const say = (count: number) => Array.from({ length: count }, () => fake.say('alice', `user${n % 97}`, `message ${n++}`));
  const delivered = (ids: readonly string[]) => fake.until(() => ids.every((id) => counts.has(id)), { timeoutMs: 15_000, message: `${ids.filter((id) => !counts.has(id)).length} of ${ids.length} messages not delivered` });
  return { fake, bus, chat, counts, gaps, states, say, delivered, redundancy };
}

const joinedClients = (fake: FakeTwitchChat) => fake.clients().filter((c) => c.registered && c.channels.includes('alice'));
/** Lets the event loop run `ms` while traffic flows (pacing the stream, not synchronising on anything). */
const pace = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('redundancy 2: no loss when one connection drops', () => {
  it('one connection down for 5 s mid-stream, no re-send: 5,000 messages, every one exactly once, no gap', async () => {
    // Checked with setup(1) (one connection, the one dropped): the ~3,000 messages said during the 5 s are missing.
    const t = await setup(2);
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) {
      ids.push(...t.say(100));
      await pace(50);
    }
    // Drop one connection and keep it out (its reconnects are refused) for 5 s while chat goes on.
    const [victim, survivor] = joinedClients(t.fake);
    t.fake.refuseConnections(true);
    expect(t.fake.disconnect(victim!.id)).toBe(true);
    const droppedAt = Date.now();
    while (Date.now() - droppedAt < 5000 && ids.length < 4500) {
      ids.push(...t.say(50));
      await pace(75);
    }
    const refusedAttempts = t.fake.refusedConnections();
    t.fake.refuseConnections(false);
    // The dropped connection comes back beside the one that carried the chat.
    while (joinedClients(t.fake).length < t.redundancy && ids.length < 4900) {
      ids.push(...t.say(20));
      await pace(20);
    }
    await t.fake.until(() => joinedClients(t.fake).length === t.redundancy, { timeoutMs: 10_000, message: 'the dropped connection rejoined' });
    ids.push(...t.say(5000 - ids.length));
    await t.delivered(ids);

    expect(ids).toHaveLength(5000);
    expect(t.counts.size).toBe(5000);
    expect([...t.counts.values()].every((n) => n === 1)).toBe(true);
    expect(t.gaps).toEqual([]);
    // It was a real outage: the survivor stayed, the victim's reconnects were refused while it was out.
    expect(joinedClients(t.fake).map((c) => c.id)).toContain(survivor!.id);
    expect(refusedAttempts).toBeGreaterThan(0);
    // Never degraded for the creator: connected throughout, one link of two while the victim was out.
    expect(t.states.map((e) => e.state).filter((s) => s !== 'connecting' && s !== 'connected')).toEqual([]);
    expect(t.states.map((e) => e.links?.up)).toContain(1);
    expect(t.states.at(-1)).toMatchObject({ state: 'connected', links: { up: 2, total: 2 } });
    // Both connections carried the chat when both were up: every such message came twice and was dropped once.
    expect(t.chat.stats.duplicates).toBeGreaterThanOrEqual(500);
  }, 60_000);

  it('ten drops of one connection at a time, no re-send: every message exactly once, no gap', async () => {
    const t = await setup(2);
    const ids: string[] = [];
    for (let drop = 0; drop < 10; drop++) {
      ids.push(...t.say(100));
      const [victim] = joinedClients(t.fake);
      const before = t.fake.connections();
      t.fake.disconnect(victim!.id);
      ids.push(...t.say(100)); // said while one connection is down
      await t.fake.until(() => t.fake.connections() > before && joinedClients(t.fake).length === 2, { timeoutMs: 10_000, message: `rejoin after drop ${drop + 1}` });
    }
    ids.push(...t.say(100));
    await t.delivered(ids);
    expect(t.counts.size).toBe(ids.length);
    expect([...t.counts.values()].every((n) => n === 1)).toBe(true);
    expect(t.gaps).toEqual([]);
    expect(t.fake.connections()).toBe(12);
  }, 60_000);
});

describe('every connection down: the gap is reported, never silent', () => {
  it('both dropped at once: messages said meanwhile are lost and a chat.gap covers them', async () => {
    // Checked by removing the emit in TwitchChat.#endGap: no chat.gap.
    const t = await setup(2);
    const startedAt = Date.now();
    const before = t.say(300);
    await t.delivered(before);
    t.fake.refuseConnections(true);
    t.fake.disconnectAll();
    await t.fake.until(() => t.chat.state === 'reconnecting', { message: 'the chat noticed both drops' });
    const lostFrom = Date.now();
    const lost = t.say(100);
    const lostTo = Date.now();
    t.fake.refuseConnections(false);
    const gap = await t.bus.waitFor('chat.gap', undefined, { timeout: 10_000 });
    await t.fake.until(() => joinedClients(t.fake).length === 2, { timeoutMs: 10_000, message: 'both connections back' });
    const after = t.say(300);
    await t.delivered(after);

    expect(gap).toMatchObject({ creatorId: 'alice', platform: 'twitch', channel: 'alice', resumed: true, reason: expect.any(String) });
    // The window covers the lost messages and starts no earlier than chat was flowing.
    expect(gap.from).toBeGreaterThanOrEqual(startedAt);
    expect(gap.from).toBeLessThanOrEqual(lostFrom);
    expect(gap.to).toBeGreaterThanOrEqual(lostTo);
    expect(t.gaps).toHaveLength(1);
    expect(lost.filter((id) => t.counts.has(id))).toEqual([]);
    expect([...before, ...after].every((id) => t.counts.get(id) === 1)).toBe(true);
    expect(t.states.map((e) => e.state)).toContain('reconnecting');
  }, 30_000);

  it('stopped while every connection is down: the open window is reported as not resumed', async () => {
    const t = await setup(2);
    await t.delivered(t.say(10));
    t.fake.refuseConnections(true);
    t.fake.disconnectAll();
    await t.fake.until(() => t.chat.state === 'reconnecting', { message: 'the chat noticed both drops' });
    await t.chat.stop();
    expect(t.gaps).toEqual([expect.objectContaining({ resumed: false })]);
    expect(t.gaps[0]!.to).toBeGreaterThanOrEqual(t.gaps[0]!.from);
  });
});

describe('RECONNECT is make-before-break', () => {
  it('one connection, RECONNECT mid-stream: nothing lost, no gap, never reconnecting', async () => {
    // Checked by dropping `reconnectRequested` from TwitchChat's listener (the connection leaves first, then
    // comes back): the messages said between the two are missing and a chat.gap is reported.
    const t = await setup(1);
    const ids: string[] = [];
    ids.push(...t.say(200));
    t.fake.sendReconnect({ closeAfterMs: 3000 });
    // Chat goes on while the replacement connects, joins and the old connection is let go.
    while (t.fake.connections() < 2 || joinedClients(t.fake).length !== 1 || t.fake.clients().length !== 1) {
      ids.push(...t.say(20));
      await pace(10);
      if (ids.length > 20_000) throw new Error('the old connection was never let go');
    }
    ids.push(...t.say(200));
    await t.delivered(ids);
    expect(t.counts.size).toBe(ids.length);
    expect([...t.counts.values()].every((n) => n === 1)).toBe(true);
    expect(t.gaps).toEqual([]);
    expect(t.states.map((e) => e.state)).toEqual(['connecting', 'connected']);
    expect(t.chat.links).toHaveLength(1);
  }, 30_000);
});

describe('moderation and room modes reach the bus once, whichever connection brought them', () => {
  it('CLEARMSG, CLEARCHAT (clear and timeout) and a ROOMSTATE change over two connections: one event each', async () => {
    // Checked by emitting CLEARCHAT without its key and every ROOMSTATE (no RoomStates): two of each.
    const t = await setup(2);
    // Both connections read past their JOIN (and the room's full state after it) before the test's lines.
    const duplicates = t.chat.stats.duplicates;
    await t.delivered(t.say(1));
    await t.fake.until(() => t.chat.stats.duplicates > duplicates, { message: 'the second connection read the first message' });
    const events: string[] = [];
    for (const name of ['chat.deleted', 'chat.cleared', 'chat.user-timeout', 'chat.room-state'] as const) t.bus.on(name, () => void events.push(name));
    const room = t.fake.roomId('alice');
    const linesBefore = t.chat.links.map((link) => link.stats.lines);
    const lines = [
      `@login=viewer;room-id=${room};target-msg-id=6cd1d6b8-2f4a-4ba0-9bb0-7dd5b0c9b3e1;tmi-sent-ts=1700000000001 :tmi.twitch.tv CLEARMSG #alice :bad words`,
      `@ban-duration=60;room-id=${room};target-user-id=123;tmi-sent-ts=1700000000002 :tmi.twitch.tv CLEARCHAT #alice :spammer`,
      `@room-id=${room};tmi-sent-ts=1700000000003 :tmi.twitch.tv CLEARCHAT #alice`,
      `@room-id=${room};slow=30 :tmi.twitch.tv ROOMSTATE #alice`,
    ];
    expect(t.fake.replay(lines)).toBe(8); // each line to both connections
    // The same timeout again later (a new tmi-sent-ts) is a new event.
    t.fake.replay([`@ban-duration=60;room-id=${room};target-user-id=123;tmi-sent-ts=1700000000009 :tmi.twitch.tv CLEARCHAT #alice :spammer`]);
    const marker = t.say(1);
    await t.delivered(marker);
    // Each connection reads in order: once both have read the marker, both have read every line before it.
    await t.fake.until(() => t.chat.links.every((link, i) => link.stats.lines >= linesBefore[i]! + 6), { message: 'both connections read the lines' });
    expect(events.sort()).toEqual(['chat.cleared', 'chat.deleted', 'chat.room-state', 'chat.user-timeout', 'chat.user-timeout']);
    expect(t.chat.stats.duplicates).toBeGreaterThanOrEqual(5);
  });
});

describe("the bot's own replies", () => {
  it('a reply sent on one connection comes back on the other as chat from the bot: dropped, counted, never on the bus', async () => {
    // Checked by not consuming echoes in ChatConnection: the reply reaches the bus as a chat.message from ssbot.
    const t = await setup(2);
    const authors: string[] = [];
    t.bus.on('chat.message', (m) => void authors.push(m.author.login));
    const secondCopies = () => t.chat.stats.duplicates + t.chat.stats.ownEchoes;
    const before = secondCopies();
    await t.chat.say('thanks for the raid!');
    await t.fake.until(() => t.fake.sent('alice').length === 1, { message: 'the reply reached the server' });
    // The same account typing on Twitch (the broadcaster using the bot's account) is still chat.
    const typed = t.fake.say('alice', 'ssbot', 'typed by hand');
    await t.delivered([typed]);
    // Second copies: the echo, the typed line's and a viewer marker's (each read by both connections; the
    // second connection's join ROOMSTATE may add one). The echo precedes the other two on the second connection.
    await t.delivered(t.say(1));
    await t.fake.until(() => secondCopies() >= before + 3, { message: 'both connections read every line' });
    expect(t.chat.stats.ownEchoes).toBe(1);
    expect(authors.filter((a) => a === 'ssbot')).toEqual(['ssbot']); // the typed line only
  });
});

describe('logins go through the rate-limit governor', () => {
  it('three connections, two logins allowed per window: the third logs in only once the window has room; stop ends its wait', async () => {
    // Checked by not passing beforeLogin: the third connection logs in at once (its gap to the first is ~0 ms).
    const fake = await startFakeTwitchChat();
    fakes.push(fake);
    const governor = createRateLimitGovernor({ clock: systemClock });
    governor.configure('auth', { capacity: 2, windowMs: 1500 });
    const chat = twitchChat(fake, new EventBus(), { redundancy: 3, beforeLogin: (signal) => governor.acquire('auth', { signal }) });
    chats.push(chat);
    await chat.start();
    await fake.until(() => joinedClients(fake).length === 3, { timeoutMs: 10_000, message: 'three connections joined' });
    const at = fake.clients().map((c) => c.connectedAt).sort((a, b) => a - b);
    expect(at[2]! - at[0]!).toBeGreaterThanOrEqual(1400);

    // A login waiting for the governor is abandoned at stop: nothing left queued, no fourth connection.
    governor.configure('auth', { capacity: 1, windowMs: 60_000 });
    fake.disconnectAll();
    await fake.until(() => governor.snapshot()[0]!.waiting > 0, { message: 'a reconnect waits for the governor' });
    const accepted = fake.connections();
    await chat.stop();
    expect(governor.snapshot()[0]!.waiting).toBe(0);
    expect(fake.connections()).toBe(accepted);
  });
});
