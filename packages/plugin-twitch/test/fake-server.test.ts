/** The fake Twitch chat server at the wire level, with a bare WebSocket client. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeTwitchChat, loadFixtureLines, startFakeTwitchChat } from '../src/testing.js';
import { FIXTURES, RawClient } from './fake-helpers.js';

let fake: FakeTwitchChat;
const raws: RawClient[] = [];

async function raw(): Promise<RawClient> {
  const client = await RawClient.connect(fake.url);
  raws.push(client);
  return client;
}

beforeEach(async () => {
  fake = await startFakeTwitchChat();
});
afterEach(async () => {
  for (const r of raws.splice(0)) r.close();
  await fake.close();
});

describe('handshake and JOIN', () => {
  it('listens on loopback with a free port', () => {
    expect(fake.port).toBeGreaterThan(0);
    expect(fake.url).toBe(`ws://127.0.0.1:${fake.port}`);
  });

  it('sends CAP ACK, the real welcome and GLOBALUSERSTATE, one line per frame', async () => {
    const c = await raw();
    await c.login('Bot');
    const lines = c.lines();
    expect(lines.slice(0, 8)).toEqual([
      ':tmi.twitch.tv CAP * ACK :twitch.tv/tags twitch.tv/commands twitch.tv/membership',
      ':tmi.twitch.tv 001 bot :Welcome, GLHF!',
      ':tmi.twitch.tv 002 bot :Your host is tmi.twitch.tv',
      ':tmi.twitch.tv 003 bot :This server is rather new',
      ':tmi.twitch.tv 004 bot :-',
      ':tmi.twitch.tv 375 bot :-',
      ':tmi.twitch.tv 372 bot :You are in a maze of twisty passages, all alike.',
      ':tmi.twitch.tv 376 bot :>',
    ]);
    await c.waitFor((ls) => ls.length === 9, 'GLOBALUSERSTATE');
    expect(c.lines()[8]).toMatch(/^@badge-info=;badges=;color=#[0-9A-F]{6};display-name=bot;emote-sets=0;user-id=\d+;user-type= :tmi.twitch.tv GLOBALUSERSTATE$/);
    expect(c.frames.every((f) => f.toString().endsWith('\r\n') && f.toString().split('\r\n').length === 2)).toBe(true);
  });

  it('answers JOIN (comma lists too) with JOIN, 353, 366, USERSTATE and ROOMSTATE', async () => {
    fake.configureChannel('alice', { roomId: '1234', botRole: 'broadcaster' });
    const c = await raw();
    await c.login();
    const before = c.lines().length;
    c.send('JOIN #alice,#bob');
    await c.waitFor((ls) => ls.filter((l) => l.includes('ROOMSTATE')).length === 2, 'two ROOMSTATEs');
    const lines = c.lines().slice(before);
    expect(lines.slice(0, 5)).toEqual([
      ':bot!bot@bot.tmi.twitch.tv JOIN #alice',
      ':bot.tmi.twitch.tv 353 bot = #alice :bot',
      ':bot.tmi.twitch.tv 366 bot #alice :End of /NAMES list',
      expect.stringMatching(/^@badge-info=;badges=broadcaster\/1;color=#\w+;display-name=bot;emote-sets=0;mod=0;subscriber=0;user-type= :tmi.twitch.tv USERSTATE #alice$/),
      '@emote-only=0;followers-only=-1;r9k=0;room-id=1234;slow=0;subs-only=0 :tmi.twitch.tv ROOMSTATE #alice',
    ]);
    expect(lines[5]).toBe(':bot!bot@bot.tmi.twitch.tv JOIN #bob');
    expect(lines[8]).toMatch(/badges=;.*mod=0;.* USERSTATE #bob$/);
    expect(fake.clients()[0]?.channels).toEqual(['alice', 'bob']);

    c.send('PART #bob');
    await c.waitFor((ls) => ls.includes(':bot!bot@bot.tmi.twitch.tv PART #bob'), 'PART echo');
    expect(fake.clients()[0]?.channels).toEqual(['alice']);
  });

  it('without the tags/commands capabilities it sends no tags and no Twitch commands', async () => {
    const c = await raw();
    c.send('PASS oauth:x', 'NICK bot', 'JOIN #alice');
    await c.waitFor((ls) => ls.some((l) => l.includes(' 366 ')), 'NAMES end');
    fake.say('alice', 'viewer', 'plain');
    await c.waitFor((ls) => ls.some((l) => l.endsWith('PRIVMSG #alice :plain')), 'PRIVMSG');
    expect(c.lines().some((l) => l.startsWith('@') || /USERSTATE|ROOMSTATE/.test(l))).toBe(false);
    expect(c.lines().at(-1)).toBe(':viewer!viewer@viewer.tmi.twitch.tv PRIVMSG #alice :plain');
  });

  it('rejects a bad token with NOTICE * and closes; counts every attempt', async () => {
    fake.setValidTokens(['oauth:good']);
    const bad = await raw();
    bad.send('CAP REQ :twitch.tv/tags twitch.tv/commands', 'PASS oauth:bad', 'NICK bot');
    expect(await bad.closed()).toBe(1000);
    expect(bad.lines()).toEqual([
      ':tmi.twitch.tv CAP * ACK :twitch.tv/tags twitch.tv/commands',
      ':tmi.twitch.tv NOTICE * :Login authentication failed',
    ]);
    const malformed = await raw();
    malformed.send('PASS nooauthprefix', 'NICK bot');
    expect(await malformed.closed()).toBe(1000);
    expect(malformed.lines()).toEqual([':tmi.twitch.tv NOTICE * :Improperly formatted auth']);
    const good = await raw();
    await good.login('bot', 'oauth:good');
    const anon = await raw();
    anon.send('NICK justinfan12345');
    await anon.waitFor((ls) => ls.some((l) => l.includes(' 376 ')), 'anonymous welcome');
    expect(fake.connections()).toBe(4);
    expect(fake.clients().map((c) => c.anonymous)).toEqual([false, true]);
  });
});

describe('PING / PONG', () => {
  it('answers PING with and without an argument, records PONGs, and stalls on request', async () => {
    const c = await raw();
    await c.login();
    c.send('PING :abc');
    await c.waitFor((ls) => ls.includes(':tmi.twitch.tv PONG tmi.twitch.tv :abc'), 'PONG with arg');
    c.send('PING');
    await c.waitFor((ls) => ls.includes('PONG :tmi.twitch.tv'), 'bare PONG');

    fake.ping();
    await c.waitFor((ls) => ls.includes('PING :tmi.twitch.tv'), 'server PING');
    c.send('PONG :tmi.twitch.tv');
    await fake.until(() => fake.pongs().length === 1);
    expect(fake.pongs()[0]).toMatchObject({ arg: 'tmi.twitch.tv' });

    fake.stallPongs(true);
    c.send('PING :stalled', 'PING :marker-after-stall');
    await fake.until(() => fake.received().includes('PING :marker-after-stall'));
    fake.stallPongs(false);
    c.send('PING :resumed');
    await c.waitFor((ls) => ls.some((l) => l.endsWith(':resumed')), 'PONG after resume');
    expect(c.lines().some((l) => l.includes('stall'))).toBe(false);
  });

  it('sends its own PING on the configured interval', async () => {
    await fake.close();
    fake = await startFakeTwitchChat({ pingIntervalMs: 30 });
    const c = await raw();
    await c.login();
    await c.waitFor((ls) => ls.filter((l) => l === 'PING :tmi.twitch.tv').length >= 2, 'two server PINGs');
  });
});

describe('chat from the bot', () => {
  async function joined(nick = 'bot'): Promise<RawClient> {
    const c = await raw();
    await c.login(nick);
    c.send('JOIN #alice');
    await c.waitFor((ls) => ls.some((l) => l.includes('ROOMSTATE #alice')), 'ROOMSTATE');
    return c;
  }

  it('echoes USERSTATE with the message id to the bot and relays the PRIVMSG to others', async () => {
    fake.setBotRole('alice', 'moderator');
    const bot = await joined('bot');
    const viewer = await joined('viewer');
    bot.send('@reply-parent-msg-id=parent-1 PRIVMSG #alice :hello there');
    await fake.until(() => fake.sent('alice').length === 1);
    const [sent] = fake.sentMessages('alice');
    expect(sent).toMatchObject({ nick: 'bot', text: 'hello there', tags: { 'reply-parent-msg-id': 'parent-1' } });
    await bot.waitFor((ls) => ls.some((l) => l.includes(`id=${sent?.id};`) && l.endsWith('USERSTATE #alice')), 'USERSTATE echo');
    await viewer.waitFor((ls) => ls.some((l) => l.endsWith('PRIVMSG #alice :hello there')), 'relay');
    const relayed = viewer.lines().find((l) => l.endsWith('PRIVMSG #alice :hello there')) ?? '';
    expect(relayed).toContain(`id=${sent?.id};`);
    expect(relayed).toContain('badges=moderator/1;');
    expect(relayed).toContain('reply-parent-msg-id=parent-1;');
    expect(bot.lines().some((l) => l.includes('PRIVMSG'))).toBe(false);
  });

  it('answers msg_ratelimit past the configured rate (off by default)', async () => {
    const bot = await joined();
    bot.send('PRIVMSG #alice :a', 'PRIVMSG #alice :b', 'PRIVMSG #alice :c');
    await fake.until(() => fake.sent('alice').length === 3);
    fake.configureChannel('alice', { rateLimit: { max: 4, windowMs: 30_000 } });
    bot.send('PRIVMSG #alice :d', 'PRIVMSG #alice :e');
    await bot.waitFor((ls) => ls.some((l) => l.includes('msg_ratelimit')), 'msg_ratelimit');
    expect(bot.lines().filter((l) => l.includes('NOTICE'))).toEqual([
      '@msg-id=msg_ratelimit :tmi.twitch.tv NOTICE #alice :Your message was not sent because you are sending messages too quickly.',
    ]);
    expect(fake.sent('alice')).toEqual(['a', 'b', 'c', 'd']);
    expect(fake.sentMessages('alice').at(-1)).toMatchObject({ text: 'e', rejected: 'msg_ratelimit' });
  });

  it('answers msg_duplicate for the same text within 30 s (off by default)', async () => {
    const bot = await joined();
    bot.send('PRIVMSG #alice :same', 'PRIVMSG #alice :same');
    await fake.until(() => fake.sent('alice').length === 2);
    fake.configureChannel('alice', { rejectDuplicates: true });
    bot.send('PRIVMSG #alice :same', 'PRIVMSG #alice :other');
    await fake.until(() => fake.sentMessages('alice').length === 4);
    await bot.waitFor((ls) => ls.some((l) => l.startsWith('@msg-id=msg_duplicate :tmi.twitch.tv NOTICE #alice :')), 'msg_duplicate');
    expect(fake.sent('alice')).toEqual(['same', 'same', 'other']);
  });

  it('answers msg_slowmode in a slow room unless the bot is a moderator', async () => {
    fake.configureChannel('alice', { roomState: { slow: 30 } });
    const bot = await joined();
    expect(bot.lines().find((l) => l.includes('ROOMSTATE'))).toContain(';slow=30;');
    bot.send('PRIVMSG #alice :one', 'PRIVMSG #alice :two');
    await bot.waitFor((ls) => ls.some((l) => l.includes('msg_slowmode')), 'msg_slowmode');
    fake.setBotRole('alice', 'moderator');
    bot.send('PRIVMSG #alice :three');
    await fake.until(() => fake.sent('alice').length === 2);
    expect(fake.sent('alice')).toEqual(['one', 'three']);
  });
});

describe('replay and framing', () => {
  it('delivers every fixture line byte for byte, routed by channel', async () => {
    const fixtures = await loadFixtureLines(FIXTURES);
    expect(Object.keys(fixtures)).toEqual(['connection', 'legacy-and-whisper', 'moderation', 'notice', 'privmsg', 'state', 'usernotice']);
    const all = Object.values(fixtures).flat();
    expect(all.length).toBeGreaterThanOrEqual(150);

    const c = await raw();
    await c.login();
    const channels = new Set(all.flatMap((l) => [...l.matchAll(/ #([^ ]+)/g)].map((m) => m[1]?.toLowerCase())));
    c.send(`JOIN ${[...channels].map((ch) => `#${ch}`).join(',')}`);
    await c.waitFor((ls) => ls.filter((l) => l.includes(' ROOMSTATE #')).length === channels.size, 'all joins');
    const start = c.frames.length;

    expect(fake.replay(all)).toBe(all.length);
    await c.waitFor(() => c.frames.length - start === all.length, 'replayed frames');
    const got = c.frames.slice(start);
    all.forEach((line, i) => expect(got[i]?.equals(Buffer.from(`${line}\r\n`, 'utf8'))).toBe(true));
  });

  it('routes a channel line only to clients in that channel, unless told to send to all', async () => {
    const inAlice = await raw();
    await inAlice.login('one');
    inAlice.send('JOIN #alice');
    const elsewhere = await raw();
    await elsewhere.login('two');
    await fake.until(() => fake.clients().some((c) => c.channels.includes('alice')));
    fake.replay([':tmi.twitch.tv CLEARCHAT #alice', ':tmi.twitch.tv RECONNECT']);
    await elsewhere.waitFor((ls) => ls.includes(':tmi.twitch.tv RECONNECT'), 'channel-less line');
    await inAlice.waitFor((ls) => ls.includes(':tmi.twitch.tv CLEARCHAT #alice'), 'channel line');
    expect(elsewhere.lines()).not.toContain(':tmi.twitch.tv CLEARCHAT #alice');
    fake.replay([':tmi.twitch.tv CLEARCHAT #bob'], { to: 'all' });
    await elsewhere.waitFor((ls) => ls.includes(':tmi.twitch.tv CLEARCHAT #bob'), 'forced line');
  });

  it('batch framing joins several CRLF-terminated lines in one frame', async () => {
    fake.setFraming('batch');
    const c = await raw();
    await c.login();
    expect(c.frames[1]?.toString()).toMatch(/^:tmi.twitch.tv 001 bot :Welcome, GLHF!\r\n(.+\r\n){6}@.+GLOBALUSERSTATE\r\n$/);
    const frames = c.frames.length;
    fake.replay(['PING :tmi.twitch.tv', ':tmi.twitch.tv RECONNECT']);
    await c.waitFor(() => c.frames.length === frames + 1, 'one batched frame');
    expect(c.frames.at(-1)?.toString()).toBe('PING :tmi.twitch.tv\r\n:tmi.twitch.tv RECONNECT\r\n');
  });
});

describe('faults and observation', () => {
  it('disconnectAll() drops sockets (1006) or closes with a code', async () => {
    const a = await raw();
    fake.disconnectAll();
    expect(await a.closed()).toBe(1006);
    const b = await raw();
    fake.disconnectAll({ code: 4000, reason: 'bye' });
    expect(await b.closed()).toBe(4000);
  });

  it('sendReconnect() sends RECONNECT and closes after the delay', async () => {
    const c = await raw();
    await c.login();
    fake.sendReconnect({ closeAfterMs: 20 });
    await c.waitFor((ls) => ls.includes(':tmi.twitch.tv RECONNECT'), 'RECONNECT');
    expect(await c.closed()).toBe(1000);
  });

  it('received() keeps every raw line, including several per client frame', async () => {
    const c = await raw();
    c.ws.send('CAP REQ :twitch.tv/tags\r\nPASS oauth:x\r\nNICK bot\r\n');
    await c.waitFor((ls) => ls.some((l) => l.includes(' 376 ')), 'welcome');
    expect(fake.received()).toEqual(['CAP REQ :twitch.tv/tags', 'PASS oauth:x', 'NICK bot']);
    expect(fake.receivedLines()[0]).toMatchObject({ clientId: 1 });
  });

  it('until() rejects at its deadline', async () => {
    await expect(fake.until(() => false, { timeoutMs: 20, message: 'never' })).rejects.toThrow(/timed out after 20 ms: never/);
  });
});
