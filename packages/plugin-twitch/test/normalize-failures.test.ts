/**
 * Normalizer failures are counted and reported, never silent (issue 14):
 * the real normalizer's catch turns a throw into `failed` (not `ignored`),
 * and a ChatConnection on the fake Twitch server counts it, emits a coded
 * `platform.normalize-failed` with a redacted, truncated sample, and keeps
 * going; malformed bytes on the live socket are counted as ignored, not
 * failed, and the connection survives them.
 */
import { readFileSync } from 'node:fs';
import { createLogger, EventBus, SecretRegistry, systemClock, type ChatMessage, type EventPayload } from '@streamsuites/kernel';
import { afterEach, describe, expect, it } from 'vitest';
import { NORMALIZE_SAMPLE_LENGTH } from '@streamsuites/kernel';
import type { TwitchChat } from '../src/chat.js';
import { twitchChat } from './chat-helpers.js';
import { parseIrcLine } from '../src/irc/index.js';
import { createWebSocketTransport, MessageIdLru, normalizeLine, type NormalizedLine } from '../src/index.js';
import { normalizeIrcMessage } from '../src/normalize/index.js';
import { startFakeTwitchChat, type FakeTwitchChat } from '../src/testing.js';
import { FIXTURES } from './fake-helpers.js';

const TOKEN = 'abcdefghijklmnopqrstuvwxyz0123';
const SECRET = 'Zq7-very-secret-value-Zq7';
const ctx = { creatorId: 'alice', receivedAt: 1_700_000_000_000 };
/** privmsg.irc:3, a real captured PRIVMSG. */
const REAL = readFileSync(new URL('privmsg.irc', FIXTURES), 'utf8').split('\n')[2]!;

/** The parsed real line, but reading any tag throws (stands in for a normalizer bug; the real catch handles it). */
function hostile(line: string) {
  const msg = parseIrcLine(line)!;
  return { ...msg, tags: new Proxy(msg.tags, { get: () => { throw new Error(`tag store exploded near ${SECRET}`); } }) };
}

describe('normalizeIrcMessage', () => {
  it('a throw inside the normalizer comes back as failed, not ignored, with the reason and command', () => {
    // Broke it once: the catch returned { kind: 'ignored', reason: 'normalization failed' } (the old code) → this failed.
    expect(normalizeIrcMessage(hostile(REAL), ctx)).toEqual({ kind: 'failed', reason: `tag store exploded near ${SECRET}`, command: 'PRIVMSG' });
    // A message whose command cannot be read is still reported, without a command.
    const worse = Object.defineProperty({ ...hostile(REAL) }, 'command', { get: () => { throw new Error('no command'); } });
    expect(normalizeIrcMessage(worse, ctx)).toEqual({ kind: 'failed', reason: 'no command' });
  });
});

describe('a TwitchChat on the fake Twitch server', () => {
  const fakes: FakeTwitchChat[] = [];
  const chats: TwitchChat[] = [];
  afterEach(async () => {
    for (const chat of chats.splice(0)) await chat.stop();
    for (const fake of fakes.splice(0)) await fake.close();
  });

  async function connect(normalize: (line: string, c: typeof ctx) => NormalizedLine = normalizeLine) {
    const fake = await startFakeTwitchChat();
    fakes.push(fake);
    const bus = new EventBus();
    const secrets = new SecretRegistry();
    secrets.add(SECRET);
    const messages: ChatMessage[] = [];
    const failures: EventPayload<'platform.normalize-failed'>[] = [];
    bus.on('chat.message', (m) => void messages.push(m));
    bus.on('platform.normalize-failed', (e) => void failures.push(e));
    const chat = twitchChat(fake, bus, { token: TOKEN, normalize, seen: new MessageIdLru(1000), backoff: { initialMs: 50, maxMs: 400, factor: 2, jitter: 0 }, secrets });
    chats.push(chat);
    await chat.start();
    await fake.until(() => fake.clients().some((c) => c.registered && c.channels.includes('alice')), { message: 'joined' });
    // A first message through: every line of the login and JOIN before it has been handled.
    const first = fake.say('alice', 'viewer', 'first');
    await fake.until(() => messages.some((m) => m.id === first), { message: 'the first message' });
    return { fake, chat, messages, failures };
  }

  it('a throwing normalizer: counted once per line, a coded event with a redacted, truncated sample, and the next line flows', async () => {
    // The seam: ChatConnection's `normalize` option (the plugin passes normalizeLine). Every line goes through the
    // real normalizer; the marked lines reach the real normalizeIrcMessage with a message whose tags throw (its
    // catch reports `failed`), or throw in the normalize function itself (the connection's own safety net).
    const { fake, chat, messages, failures } = await connect((line, c) => {
      if (line.includes(';x-pad=')) return normalizeIrcMessage(hostile(line), c);
      if (line.includes('x-throw=1')) throw new Error(`normalize blew up on ${SECRET}`);
      return normalizeLine(line, c);
    });
    // The creator's token early in the line; the secret straddling the 300-character cut, so that truncating
    // before redacting would leak its first characters.
    const head = `@x-token=${TOKEN};x-pad=`;
    const pad = 'p'.repeat(295 - head.length - ';x-key='.length);
    const bad = `${head}${pad};x-key=${SECRET};${REAL.slice(1)}`;
    expect(bad.indexOf(SECRET)).toBe(295);
    const before = chat.stats;
    expect(before.normalizeFailed).toBe(0);
    fake.replay([bad, `@x-throw=1;${REAL.slice(1)}`], { to: 'all' }); // (the real line is for #alca)
    const after = fake.say('alice', 'viewer', 'still flowing');
    await fake.until(() => messages.some((m) => m.id === after), { message: 'the line after the failures' });

    // Broke it once: #onLine returned on `failed` without counting or emitting → normalizeFailed 0, no events.
    expect(chat.stats.normalizeFailed).toBe(2);
    expect(chat.stats.lines - before.lines).toBe(3);
    expect(failures).toHaveLength(2);
    const [inside, outside] = failures;
    expect(inside).toMatchObject({
      creatorId: 'alice', platform: 'twitch', code: 'SS_ERR_TWITCH_NORMALIZE_FAILED',
      message: 'A Twitch PRIVMSG line could not be normalized and was skipped: tag store exploded near [redacted]',
    });
    expect(inside!.at).toBeTypeOf('number');
    expect(inside!.sample.length).toBe(NORMALIZE_SAMPLE_LENGTH);
    expect(inside!.sample.startsWith('@x-token=[redacted];x-pad=ppp')).toBe(true);
    // Broke it once: truncated before redacting → the sample ended with the secret's first five characters.
    expect(inside!.sample).not.toContain(SECRET.slice(0, 5));
    expect(inside!.sample).not.toContain(TOKEN);
    expect(outside).toMatchObject({ code: 'SS_ERR_TWITCH_NORMALIZE_FAILED', message: 'A Twitch IRC line could not be normalized and was skipped: normalize blew up on [redacted]' });
    expect(outside!.sample.startsWith('@x-throw=1;badge-info=subscriber/21;badges=broadcaster/1')).toBe(true);
    expect(JSON.stringify(failures)).not.toContain(SECRET);
    // Still the one connection.
    expect(chat.state).toBe('connected');
    expect(fake.connections()).toBe(1);
  });

  it('malformed bytes over the live socket: ignored (not failed), the connection survives, later lines arrive', async () => {
    const { fake, chat, messages, failures } = await connect();
    const before = chat.stats;
    // Each is one line the transport hands on and the normalizer skips on purpose (ignored):
    const ignored = [
      '\u0000\u0001\u0002 \u0003 :\u0004', // control bytes: an unknown command
      '@badges=;color=;id=1', // only tags
      ':nick!u@h', // a prefix without a command
      'PRIVMSG', // no channel
      `@id=big :a!a@a PRIVMSG #alice :${'x'.repeat(20 * 1024)}`, // over MAX_BODY_LENGTH
      '@display-name=\\;emotes=\\\\\\;id=\\ :tmi.twitch.tv CLEARMSG #alice :x', // broken escaping, no target-msg-id
    ];
    // Several in one frame, with empty lines and a bare CR between them (the transport skips empty lines).
    expect(fake.sendFrame(`${ignored.slice(0, 3).join('\r\n')}\r\n\r\n\r\n`)).toBe(1);
    for (const line of ignored.slice(3)) fake.sendFrame(`${line}\r\n`);
    // Bytes that are not UTF-8 in a binary frame: Twitch sends text frames only; the transport drops it unread.
    fake.sendFrame(Uint8Array.from([0xff, 0xfe, 0x00, 0xc0, 0x80, 0x0d, 0x0a]), { binary: true });
    // A lone surrogate cannot cross the wire as UTF-16: it arrives as U+FFFD and is a normal message.
    fake.sendFrame(`@id=lone-surrogate;user-id=9 :viewer!viewer@viewer.tmi.twitch.tv PRIVMSG #alice :\uD800\r\n`);
    const after = fake.say('alice', 'viewer', 'after the noise');
    await fake.until(() => messages.some((m) => m.id === after), { message: 'the line after the malformed bytes' });

    // Broke it once: the 'ignored' case no longer counted → 0 instead of 6.
    expect(chat.stats.ignored - before.ignored).toBe(ignored.length);
    // Zero failures: the normalizer is total on all of it.
    expect(chat.stats.normalizeFailed).toBe(0);
    expect(failures).toEqual([]);
    expect(chat.stats.lines - before.lines).toBe(ignored.length + 2);
    expect(messages.find((m) => m.id === 'lone-surrogate')?.text).toBe('\uFFFD');
    expect(chat.state).toBe('connected');
    expect(chat.connections).toBe(1);
    expect(fake.connections()).toBe(1);
  });
});
