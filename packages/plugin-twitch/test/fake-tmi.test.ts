/**
 * The fake Twitch chat server against an unmodified tmi.js 1.8.5 client: if
 * tmi.js is happy, the fake speaks the protocol closely enough.
 */
import type tmi from 'tmi.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeTwitchChat, startFakeTwitchChat } from '../src/testing.js';
import { deadline, nextEvent, tmiClient } from './fake-helpers.js';

let fake: FakeTwitchChat;
const clients: tmi.Client[] = [];

beforeEach(async () => {
  fake = await startFakeTwitchChat();
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.removeAllListeners();
  await fake.close();
});

/** Connects a tmi client and waits until tmi reports it joined #alice itself. */
async function connectedClient(overrides: Parameters<typeof tmiClient>[1] = {}): Promise<tmi.Client> {
  const client = tmiClient(fake, overrides);
  clients.push(client);
  const joined = new Promise<void>((resolve) =>
    client.on('join', (channel, _user, self) => {
      if (self && channel === '#alice') resolve();
    }),
  );
  await deadline(client.connect(), 5000, 'tmi connect');
  await deadline(joined, 5000, 'tmi self join');
  return client;
}

describe('tmi.js 1.8.5 against the fake', () => {
  it('connects, authenticates and joins; the fake saw the real handshake', async () => {
    const client = await connectedClient();
    expect(client.readyState()).toBe('OPEN');
    expect(client.getChannels()).toEqual(['#alice']);
    expect(fake.received().slice(0, 4)).toEqual([
      'CAP REQ :twitch.tv/tags twitch.tv/commands twitch.tv/membership',
      'PASS oauth:x',
      'NICK bot',
      'JOIN #alice',
    ]);
    expect(fake.clients()).toEqual([
      expect.objectContaining({ nick: 'bot', registered: true, channels: ['alice'], capabilities: ['twitch.tv/tags', 'twitch.tv/commands', 'twitch.tv/membership'] }),
    ]);
    expect(fake.connections()).toBe(1);
    await client.disconnect();
  });

  it('delivers say() messages with a full tag set that tmi parses', async () => {
    const client = await connectedClient();
    const message = nextEvent<[string, tmi.ChatUserstate, string, boolean]>(client, 'message');
    const id = fake.say('alice', { login: 'viewer1', displayName: 'Viewer One', role: 'moderator' }, 'hello bot');
    const [channel, tags, text, self] = await message;
    expect({ channel, text, self }).toEqual({ channel: '#alice', text: 'hello bot', self: false });
    expect(tags['display-name']).toBe('Viewer One');
    expect(tags.username).toBe('viewer1');
    expect(tags.id).toBe(id);
    expect(tags.badges).toEqual({ moderator: '1' });
    expect(tags.mod).toBe(true);
    expect(tags['room-id']).toBe(fake.roomId('alice'));
    expect(tags['message-type']).toBe('chat');

    const action = nextEvent<[string, tmi.ChatUserstate, string, boolean]>(client, 'message');
    fake.say('#alice', 'viewer2', '/me waves', { id: 'fixed-id', 'first-msg': 1 });
    const [, actionTags, actionText] = await action;
    expect(actionText).toBe('waves');
    expect(actionTags['message-type']).toBe('action');
    expect(actionTags.id).toBe('fixed-id');
    expect(actionTags['first-msg']).toBe(true);
    await client.disconnect();
  });

  it('records what the bot sends and echoes USERSTATE with the configured role', async () => {
    fake.setBotRole('alice', 'moderator');
    const client = await connectedClient();
    expect(client.isMod('#alice', 'bot')).toBe(true);
    await client.say('#alice', 'hi chat');
    await fake.until(() => fake.sent('alice').length === 1);
    expect(fake.sent('alice')).toEqual(['hi chat']);
    expect(fake.sentMessages('#alice')[0]).toMatchObject({ nick: 'bot', channel: 'alice', text: 'hi chat', id: expect.any(String) });
    await client.disconnect();
  });

  it('rejects an unknown token with the real NOTICE and tmi disconnects without retrying', async () => {
    fake.setValidTokens(['good']);
    const client = tmiClient(fake, { password: 'oauth:bad' });
    clients.push(client);
    const disconnected = nextEvent<[string]>(client, 'disconnected');
    await expect(deadline(client.connect(), 5000, 'tmi connect')).rejects.toBe('Login authentication failed');
    expect(await disconnected).toEqual(['Login authentication failed']);
    await fake.until(() => fake.clients().length === 0);
    expect(fake.connections()).toBe(1);

    // The right token is accepted on the next attempt (what a token refresh does).
    const ok = tmiClient(fake, { password: 'oauth:good' });
    clients.push(ok);
    await deadline(ok.connect(), 5000, 'tmi connect');
    expect(fake.connections()).toBe(2);
    await ok.disconnect();
  });

  it('disconnectAll() looks like a network drop to tmi', async () => {
    const client = await connectedClient();
    const disconnected = nextEvent<[string]>(client, 'disconnected');
    fake.disconnectAll();
    await disconnected;
    expect(client.readyState()).toBe('CLOSED');
    await fake.until(() => fake.clients().length === 0);
  });

  it('sendReconnect(): tmi reconnects and rejoins', async () => {
    const client = await connectedClient();
    const rejoined = new Promise<void>((resolve) =>
      client.on('join', (_c, _u, self) => {
        if (self && fake.connections() === 2) resolve();
      }),
    );
    fake.sendReconnect({ closeAfterMs: 5000 });
    await deadline(rejoined, 10_000, 'rejoin after RECONNECT');
    expect(fake.received().filter((l) => l === 'JOIN #alice')).toHaveLength(2);
    await client.disconnect();
  });

  it('answers tmi PING with a PONG tmi accepts, and stallPongs() trips tmi`s ping timeout', async () => {
    const client = await connectedClient({ timeout: 300 });
    const [latency] = await deadline(client.ping(), 5000, 'tmi ping');
    expect(latency).toBeGreaterThanOrEqual(0);

    fake.stallPongs(true);
    const disconnected = nextEvent<[string]>(client, 'disconnected');
    await expect(client.ping()).rejects.toBe('No response from Twitch.');
    await disconnected;
  });

  it('records tmi`s PONG to the server`s PING', async () => {
    await connectedClient();
    fake.ping();
    await fake.until(() => fake.pongs().length === 1);
    expect(fake.received()).toContain('PONG');
  });

  it('works the same when several lines share one frame', async () => {
    fake.setFraming('batch');
    const client = await connectedClient();
    const message = nextEvent<[string, tmi.ChatUserstate, string]>(client, 'message');
    fake.say('alice', 'viewer1', 'batched');
    expect((await message)[2]).toBe('batched');
    await client.disconnect();
  });
});
