/**
 * Our IRC-over-WebSocket transport against the fake Twitch chat server: the
 * login, every line unchanged and in order, PING/PONG, how a connection ends,
 * and that a connection never outlives the ChatConnection that made it.
 */
import { readFileSync, readdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createLogger, EventBus, systemClock } from '@streamsuites/kernel';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { joined, twitchChat } from './chat-helpers.js';
import { createWebSocketTransport, MessageIdLru, normalizeLine, type TransportOptions, type TwitchTransport } from '../src/index.js';
import { startFakeTwitchChat, type FakeTwitchChat } from '../src/testing.js';
import { FIXTURES } from './fake-helpers.js';

const TOKEN = 'abcdefghijklmnopqrstuvwxyz0123';
const fakes: FakeTwitchChat[] = [];
const transports: TwitchTransport[] = [];
afterEach(async () => {
  for (const t of transports.splice(0)) t.terminate();
  for (const fake of fakes.splice(0)) await fake.close();
});

async function fakeChat() {
  const fake = await startFakeTwitchChat();
  fakes.push(fake);
  return fake;
}

/** A transport that records its lines and close reasons. */
function open(options: Partial<TransportOptions> & { url: string }) {
  const transport = createWebSocketTransport({ login: 'ssbot', token: TOKEN, channels: ['alice'], ...options });
  transports.push(transport);
  const lines: string[] = [];
  const closes: string[] = [];
  transport.onLine((line) => void lines.push(line));
  transport.onClose((reason) => void closes.push(reason));
  return { transport, lines, closes };
}


describe('the WebSocket transport', () => {
  it('logs in as Twitch expects: CAP REQ, PASS, NICK, then JOIN at the welcome', async () => {
    const fake = await fakeChat();
    const { transport } = open({ url: fake.url });
    await transport.connect();
    await fake.until(joined(fake));
    expect(fake.received().slice(0, 4)).toEqual([
      'CAP REQ :twitch.tv/tags twitch.tv/commands',
      `PASS oauth:${TOKEN}`,
      'NICK ssbot',
      'JOIN #alice',
    ]);
    expect(fake.clients()).toEqual([expect.objectContaining({ nick: 'ssbot', registered: true, channels: ['alice'], capabilities: ['twitch.tv/tags', 'twitch.tv/commands'] })]);
    expect(transport.isOpen()).toBe(true);
  });

  it.each(['line', 'batch'] as const)('hands every line to onLine unchanged and in order (%s framing)', async (framing) => {
    const fake = await fakeChat();
    fake.setFraming(framing);
    const { transport, lines } = open({ url: fake.url });
    await transport.connect();
    await fake.until(() => lines.some((l) => l.endsWith('ROOMSTATE #alice')), { message: 'the JOIN answer' });
    // Every captured line that survives UTF-8 (a lone surrogate cannot) and has no CR/LF inside.
    const captured = readdirSync(FIXTURES).filter((f) => f.endsWith('.irc')).sort()
      .flatMap((f) => readFileSync(new URL(f, FIXTURES), 'utf8').split('\n'))
      .filter((l) => l.length > 0 && !l.includes('\r') && Buffer.from(l, 'utf8').toString('utf8') === l);
    expect(captured.length).toBeGreaterThanOrEqual(150);
    const before = lines.length;
    fake.replay(captured, { to: 'all' });
    await fake.until(() => lines.length >= before + captured.length, { message: `${lines.length - before} of ${captured.length} lines` });
    // (The fixtures' 001 makes us JOIN again; its answer comes after them.)
    expect(lines.slice(before, before + captured.length)).toEqual(captured);
  });

  it('answers the server PING with a PONG carrying its token', async () => {
    const fake = await fakeChat();
    const { transport } = open({ url: fake.url });
    await transport.connect();
    await fake.until(joined(fake));
    fake.ping();
    await fake.until(() => fake.pongs().length === 1);
    expect(fake.pongs()[0]).toMatchObject({ arg: 'tmi.twitch.tv' });
    expect(fake.received()).toContain('PONG :tmi.twitch.tv');
  });

  it('terminate(reason): onClose once with that reason, and say() refuses the dead socket', async () => {
    const fake = await fakeChat();
    const { transport, closes } = open({ url: fake.url });
    await transport.connect();
    await fake.until(joined(fake));
    await transport.say('alice', 'hi');
    await fake.until(() => fake.sent('alice').length === 1);
    transport.terminate('Twitch asked to reconnect');
    await fake.until(() => closes.length === 1 && fake.clients().length === 0);
    expect(closes).toEqual(['Twitch asked to reconnect']);
    expect(transport.isOpen()).toBe(false);
    await expect(transport.say('alice', 'lost')).rejects.toThrow('not open');
    transport.sendRaw('PING :nobody'); // dropped, not thrown
    await transport.close();
    expect(closes).toHaveLength(1);
  });

  it('close() ends the connection cleanly; a server drop reads as a lost connection', async () => {
    const fake = await fakeChat();
    const a = open({ url: fake.url });
    await a.transport.connect();
    await fake.until(joined(fake));
    await a.transport.close();
    expect(a.closes).toEqual(['closed']);
    await fake.until(() => fake.clients().length === 0);

    const b = open({ url: fake.url });
    await b.transport.connect();
    await fake.until(joined(fake));
    fake.disconnectAll();
    await fake.until(() => b.closes.length === 1);
    expect(b.closes).toEqual(['connection lost (1006)']);
  });

  it('a refused connection: connect() resolves and onClose names the error', async () => {
    const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    const { transport, closes } = open({ url: `ws://127.0.0.1:${port}` });
    await transport.connect();
    await expect.poll(() => closes).toEqual([expect.stringContaining('ECONNREFUSED')]);

    // A URL ws cannot use fails the same way, not with an exception.
    const bad = open({ url: 'ws://not a host' });
    await bad.transport.connect();
    expect(bad.closes).toEqual([expect.stringContaining('Invalid URL')]);
  });

  it('a server that never welcomes the login is dropped after loginTimeoutMs', async () => {
    const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    try {
      await new Promise((resolve) => server.once('listening', resolve));
      const { port } = server.address() as AddressInfo;
      const { transport, closes } = open({ url: `ws://127.0.0.1:${port}`, loginTimeoutMs: 200 });
      await transport.connect();
      await expect.poll(() => closes, { timeout: 3000 }).toEqual(['no welcome from Twitch after login']);
    } finally {
      for (const client of server.clients) client.terminate();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('one connection at a time', () => {
  it('a server RECONNECT is make-before-break: the new connection joins, then exactly one stays, and none after stop', async () => {
    const fake = await fakeChat();
    const bus = new EventBus();
    const states: string[] = [];
    bus.on('platform.connection', (e) => void states.push(e.state));
    const chat = twitchChat(fake, bus, { seen: new MessageIdLru(1000), backoff: { initialMs: 50, maxMs: 400, factor: 2, jitter: 0 } });
    await chat.start();
    await fake.until(joined(fake));
    // The server keeps the old socket open 5 s after RECONNECT: both are open until ours lets the old one go.
    fake.sendReconnect({ closeAfterMs: 5000 });
    await fake.until(() => fake.clients().length === 2, { message: 'the replacement opened beside the old connection' });
    await fake.until(() => fake.connections() === 2 && joined(fake)() && fake.clients().length === 1, { message: 'moved to the new connection' });
    // Never degraded: no reconnecting state, the old connection was let go only after the new one joined.
    expect(states).toEqual(['connecting', 'connected']);
    expect(chat.links).toHaveLength(1);
    expect(chat.retryPending).toBe(false);
    await chat.stop();
    await fake.until(() => fake.clients().length === 0, { message: 'no socket left after stop' });
    expect(chat.retryPending).toBe(false);
  });
});
