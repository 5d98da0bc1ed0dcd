/** The recorded-traffic simulator the demo uses, checked through a real tmi.js client. */
import type tmi from 'tmi.js';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { type FakeTwitchChat, loadFixtureLines, retargetPrivmsg, simulateChat, startFakeTwitchChat } from '../src/testing.js';
import { deadline, FIXTURES, tmiClient } from './fake-helpers.js';

let fake: FakeTwitchChat;
beforeEach(async () => {
  fake = await startFakeTwitchChat();
});
afterEach(() => fake.close());

it('retargets a captured PRIVMSG: new channel, fresh id, room-id and timestamp; every other byte kept', () => {
  const line =
    '@badge-info=;badges=;color=#0000FF;display-name=JuN1oRRRR;emotes=;flags=;id=e9d998c3-36f1-430f-89ec-6b887c28af36;mod=0;room-id=11148817;subscriber=0;tmi-sent-ts=1594545155039;turbo=0;user-id=29803735;user-type= :jun1orrrr!jun1orrrr@jun1orrrr.tmi.twitch.tv PRIVMSG #pajlada :dank cam';
  const out = retargetPrivmsg(line, 'alice', '42', 1_700_000_000_000);
  expect(out).toMatch(
    /^@badge-info=;badges=;color=#0000FF;display-name=JuN1oRRRR;emotes=;flags=;id=[0-9a-f-]{36};mod=0;room-id=42;subscriber=0;tmi-sent-ts=1700000000000;turbo=0;user-id=29803735;user-type= :jun1orrrr!jun1orrrr@jun1orrrr.tmi.twitch.tv PRIVMSG #alice :dank cam$/,
  );
  expect(out).not.toContain('e9d998c3');
  // A line without tags gets the three tags it needs.
  expect(retargetPrivmsg(':a!a@a.tmi.twitch.tv PRIVMSG #x :hi', 'alice', '42', 5)).toMatch(/^@id=[0-9a-f-]{36};room-id=42;tmi-sent-ts=5 :a!a@a.tmi.twitch.tv PRIVMSG #alice :hi$/);
});

it('replays every fixture PRIVMSG plus scripted lines into one channel, each with a unique id', async () => {
  const { privmsg = [] } = await loadFixtureLines(FIXTURES, ['privmsg.irc']);
  expect(privmsg).toHaveLength(37);

  const client: tmi.Client = tmiClient(fake);
  const seen: { channel: string; id: string | undefined; text: string }[] = [];
  // raw_message, not 'message': tmi reports bits as 'cheer' and jtv lines as 'hosted'.
  client.on('raw_message', (_copy, msg) => {
    if (msg.command !== 'PRIVMSG') return;
    const params = msg.params as string[];
    seen.push({ channel: params[0] ?? '', id: (msg.tags as { id?: string }).id, text: params[1] ?? '' });
  });
  const joined = new Promise<void>((resolve) => client.on('join', (_c, _u, self) => self && resolve()));
  await deadline(client.connect(), 5000, 'tmi connect');
  await deadline(joined, 5000, 'join');

  const stop = simulateChat(fake, {
    channel: '#alice',
    lines: privmsg,
    ratePerSec: 2000,
    script: [{ user: 'viewer1', text: '!clip' }],
    scriptEvery: 10,
  });
  const count = await deadline(stop.done, 10_000, 'simulation end');
  expect(count).toBe(37 + 3);
  await fake.until(() => seen.length === count, { message: `tmi saw ${seen.length} of ${count}` });
  expect(new Set(seen.map((m) => m.channel))).toEqual(new Set(['#alice']));
  expect(new Set(seen.map((m) => m.id)).size).toBe(count);
  expect(seen.filter((m) => m.text === '!clip')).toHaveLength(3);
  expect(seen.map((m) => m.text)).toContain('dank cam');
  await client.disconnect();
});

it('loops until stopped', async () => {
  const { privmsg = [] } = await loadFixtureLines(FIXTURES, ['privmsg']);
  const stop = simulateChat(fake, { channel: 'alice', lines: privmsg.slice(0, 2), ratePerSec: 1000, loop: true });
  await fake.until(() => stop.count() > 10);
  stop();
  expect(await stop.done).toBeGreaterThan(10);
});
