import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseIrcLine } from '../src/irc/index.js';
import { normalizeLine } from '../src/normalize/index.js';

// The captured payloads vendored at the repository root (fixtures/, see SOURCES.md).
const dir = new URL('../../../fixtures/twitch/', import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith('.irc')).sort();
const lines = files.flatMap((file) =>
  readFileSync(new URL(file, dir), 'utf8')
    .split('\n')
    .map((text, i) => ({ file, n: i + 1, text }))
    .filter((l) => l.text.length > 0),
);
const ctx = { creatorId: 'c1', receivedAt: 1_700_000_000_000 };

describe('every captured Twitch line', () => {
  it('finds the fixture files', () => {
    expect(files).toEqual(expect.arrayContaining(['privmsg.irc', 'usernotice.irc', 'moderation.irc', 'state.irc', 'notice.irc', 'connection.irc']));
    expect(lines.length).toBeGreaterThanOrEqual(150);
  });

  it.each(lines.map((l) => [`${l.file}:${l.n}`, l.text] as const))('%s parses and normalizes', (_where, text) => {
    const msg = parseIrcLine(text);
    expect(msg).toBeDefined();
    // With CRLF as on the wire, the same message.
    expect(parseIrcLine(`${text}\r\n`)).toEqual(msg);
    const result = normalizeLine(text, ctx);
    expect(result).toBeDefined();
    expect(typeof result.kind).toBe('string');
    expect(result.kind).not.toBe('failed'); // the normalizer's catch never fires on a real line
    // Plain JSON, as every bus payload must be.
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });

  it('each file gives its kind', () => {
    const kinds = (file: string) => new Set(lines.filter((l) => l.file === file).map((l) => normalizeLine(l.text, ctx).kind));
    expect(kinds('usernotice.irc')).toEqual(new Set(['notice']));
    expect(kinds('notice.irc')).toEqual(new Set(['server-notice']));
    expect(kinds('moderation.irc')).toEqual(new Set(['deleted', 'cleared', 'user-timeout']));
    expect(kinds('state.irc')).toEqual(new Set(['room-state', 'user-state', 'global-user-state']));
    // privmsg.irc:18 has no sender nick (`:tmi.twitch.tv PRIVMSG`): ignored, everything else is a message.
    expect(lines.filter((l) => l.file === 'privmsg.irc' && normalizeLine(l.text, ctx).kind !== 'message').map((l) => l.n)).toEqual([18]);
  });
});

describe('malformed input never throws', () => {
  const malformed: [string, string][] = [
    ['empty', ''],
    ['CRLF only', '\r\n'],
    ['only tags', '@badges=;color=;id=1'],
    ['no command', '@a=b :nick!u@h'],
    ['no command after spaces', '@a=b :nick!u@h    '],
    ['broken escaping', '@display-name=\\;emotes=\\\\\\;id=\\ :a!a@a PRIVMSG #c :hi'],
    ['lone trailing backslash everywhere', '@a=\\;b=\\;c=\\ :a!a@a PRIVMSG #c :x\\'],
    ['100 KiB line', `@id=big :a!a@a PRIVMSG #c :${'x'.repeat(100 * 1024)}`],
    ['100 KiB of tags', `@${'a=b;'.repeat(25 * 1024)} :a!a@a PRIVMSG #c :x`],
    ['lone high surrogate', '@id=s1 :a!a@a PRIVMSG #c :\uD800'],
    ['lone low surrogate in tags', '@display-name=\uDC00;id=s2 :a!a@a PRIVMSG #c :hi \uDBFF'],
    ['replacement characters', '@id=r1 :a!a@a PRIVMSG #c :\uFFFD\uFFFD\uFFFD'],
    ['emote ranges out of bounds', '@emotes=25:0-4,5-999999,999-1000/x:1-0/:/25:/25:a-b;id=e1 :a!a@a PRIVMSG #c :Kappa'],
    ['emote tag garbage', '@emotes=////,,,::--;id=e2 :a!a@a PRIVMSG #c :hi'],
    ['PRIVMSG without params', ':a!a@a PRIVMSG'],
    ['PRIVMSG without text', ':a!a@a PRIVMSG #c'],
    ['USERNOTICE without channel', '@msg-id=sub :tmi.twitch.tv USERNOTICE'],
    ['CLEARCHAT without channel', ':tmi.twitch.tv CLEARCHAT'],
    ['CLEARMSG without target', ':tmi.twitch.tv CLEARMSG #c :x'],
    ['ROOMSTATE with junk values', '@slow=abc;followers-only=;r9k=;emote-only=x :tmi.twitch.tv ROOMSTATE #c'],
    ['bits not a number', '@bits=lots;id=b1 :a!a@a PRIVMSG #c :cheer'],
    ['__proto__ tags', '@__proto__=x;constructor=y;msg-param-__proto__=1;id=p1;msg-id=sub :tmi.twitch.tv USERNOTICE #c'],
    ['binary noise', '\u0000\u0001\u0002 \u0003 :\u0004'],
    ['only a colon', ':'],
    ['only an at', '@'],
    ['ACTION unterminated', ':a!a@a PRIVMSG #c :\u0001ACTION'],
  ];
  it.each(malformed)('%s', (_name, text) => {
    expect(() => parseIrcLine(text)).not.toThrow();
    const result = normalizeLine(text, ctx);
    expect(result.kind).toBeTypeOf('string');
    // Skipped on purpose or repaired; never a caught throw (which the connection would count as a failure).
    expect(result.kind).not.toBe('failed');
    expect(() => JSON.stringify(result)).not.toThrow();
  });

  // Zero failures, not just "does not throw": the normalizer catches its own throws and returns `failed`,
  // so a bug would not throw here. Broke it once: `throw` in normalizePrivmsg when the text holds U+FFFD
  // (the mutations insert it) → failures became > 0 and this failed, while "never throws" still passed.
  it('10,000 random mutations of fixture lines never throw and never fail', () => {
    // Deterministic pseudo-random numbers, so a failure can be replayed.
    let seed = 6;
    const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
    const specials = ['\\', ';', '=', ' ', ':', '@', '!', '#', '/', ',', '-', '\u0001', '\r', '\n', '\uD800', '\uDC00', '\uFFFD', '👉', '\u0000', '9'];
    const mutate = (text: string): string => {
      let out = text;
      const edits = 1 + Math.floor(rand() * 4);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(rand() * (out.length + 1));
        switch (Math.floor(rand() * 6)) {
          case 0: out = out.slice(0, at) + pick(specials) + out.slice(at); break; // insert
          case 1: out = out.slice(0, at) + out.slice(at + 1 + Math.floor(rand() * 8)); break; // delete
          case 2: out = out.slice(0, at); break; // truncate
          case 3: out = out.slice(0, at) + String.fromCharCode(Math.floor(rand() * 0x10000)) + out.slice(at + 1); break; // replace
          case 4: out = out.slice(0, at) + out.slice(at).replace(/\d/, String(Math.floor(rand() * 1e6))); break; // grow a number
          default: out = out.slice(at) + out.slice(0, at); // rotate
        }
      }
      return out;
    };
    let messages = 0;
    const failures: string[] = [];
    for (let i = 0; i < 10_000; i++) {
      const text = mutate(pick(lines).text);
      let result;
      try {
        parseIrcLine(text);
        result = normalizeLine(text, ctx);
        JSON.stringify(result);
      } catch (error) {
        throw new Error(`mutation ${i} threw on ${JSON.stringify(text)}: ${String(error)}`);
      }
      if (result.kind === 'failed') failures.push(`mutation ${i}: ${result.reason} on ${JSON.stringify(text).slice(0, 200)}`);
      if (result.kind === 'message') {
        messages++;
        // Emotes always point inside the text.
        const length = [...result.message.text].length;
        for (const e of result.message.emotes ?? []) {
          expect(e.start).toBeGreaterThanOrEqual(0);
          expect(e.end).toBeLessThanOrEqual(length);
          expect(e.end).toBeGreaterThan(e.start);
        }
      }
    }
    expect(messages).toBeGreaterThan(300); // PRIVMSG lines are about a quarter of the fixtures
    expect(failures).toEqual([]);
  });
});
