// The PRIVMSG fast path (src/normalize/privmsg-line.ts) must give exactly what
// the general parser + normalizer give: checked on every captured line and on
// thousands of mutated ones (tag order, duplicates, escapes, odd shapes).
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseIrcLine } from '../src/irc/parse.js';
import { normalizeIrcMessage, normalizeLine } from '../src/normalize/line.js';
import { normalizeTaggedPrivmsg } from '../src/normalize/privmsg-line.js';
import type { NormalizedLine } from '../src/normalize/types.js';

const ctx = { creatorId: 'c1', receivedAt: 1_700_000_000_000 };
const dir = new URL('../../../fixtures/twitch/', import.meta.url);
const captured = readdirSync(dir)
  .filter((f) => f.endsWith('.irc'))
  .flatMap((f) => readFileSync(new URL(f, dir), 'utf8').split('\n'))
  .filter((l) => l.length > 0);

/** What normalizeLine gave before the fast path existed. */
function general(line: string): NormalizedLine {
  const msg = parseIrcLine(line);
  return msg === undefined ? { kind: 'ignored', reason: 'not an IRC line' } : normalizeIrcMessage(msg, ctx);
}

let seed = 2026;
const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;

const odd = ['', '1', '0', '10', '01', 'true', '\\', '\\s', 'a\\sb', '\\:', '\\\\', 'x\\', '\\1', '1\\', '\\n\\r', 'é', '🎉', '=', 'a=b'];
const keys = ['id', 'mod', 'vip', 'subscriber', 'first-msg', 'color', 'display-name', 'user-id', 'badges', 'emotes', 'bits', 'tmi-sent-ts', 'room-id', 'login', 'reply-parent-msg-id', 'reply-parent-user-login', 'reply-parent-msg-body', 'flags', 'turbo', '__proto__', 'ids', 'mods'];
const badgeValues = ['broadcaster/1,subscriber/12', 'moderator/1', 'vip/1', 'founder/0', 'subscriber/3012,premium/1', 'x', ',,', '/1', 'sub-gifter/10,bits/100', '__proto__/1'];
const emoteValues = ['25:0-4', '25:0-4,6-10', '1902:6-10/25:0-4', '25:1-5', '80481_/3:0-4', 'x', '25:0-999', '25:', ''];

/** One random change to a line: what the fast path has to get right or leave to the general path. */
function mutate(line: string): string {
  const space = line.indexOf(' ');
  const hasTags = line.startsWith('@') && space > 0;
  const tags = hasTags ? line.slice(1, space).split(';') : [];
  const rest = hasTags ? line.slice(space + 1) : line;
  const kind = Math.floor(rand() * 12);
  switch (kind) {
    case 0: // shuffle the tags
      tags.sort(() => rand() - 0.5);
      break;
    case 1: // a tag set twice (the last wins)
      tags.push(`${pick(keys)}=${pick(odd)}`);
      break;
    case 2: { // an odd value for a known key
      const key = pick(keys);
      tags.push(`${key}=${pick(key === 'badges' ? badgeValues : key === 'emotes' ? emoteValues : odd)}`);
      break;
    }
    case 3: // a key without '='
      tags.push(pick(keys));
      break;
    case 4: // drop a tag
      tags.splice(Math.floor(rand() * tags.length), 1);
      break;
    case 5: // a reply
      tags.push('reply-parent-msg-id=p1', `reply-parent-user-login=${pick(['bob', ''])}`, `reply-parent-msg-body=${pick(['hi\\sthere', '', 'a\\:b'])}`);
      break;
    case 6:
      return `${line}\r\n`;
    case 7: // the text: an action, an emoji, empty
      return line.replace(/ :([^ ]*)$/, pick([' :\u0001ACTION waves\u0001', ' :🎉 Kappa', ' :', ' :a b', ' :\u0001ACTION\u0001', ' :\uD800x']));
    case 8: // shape: extra spaces, lowercase command, no '#'
      return line.replace(pick([' PRIVMSG ', ' #', ':', '!']), pick([' privmsg ', '  PRIVMSG ', ' ', '@', ' PRIVMSG  ', '#']));
    case 9:
      tags.push(`badges=${pick(badgeValues)}`, `emotes=${pick(emoteValues)}`);
      break;
    case 10: // no tags at all, or an empty tag section
      return pick([rest, `@ ${rest}`, `@;; ${rest}`]);
    default:
      tags.push(`bits=${pick(['100', '0', '-5', 'x', '99999999999999999'])}`, `tmi-sent-ts=${pick(['1', 'x', '', '-1'])}`);
  }
  return hasTags || tags.length > 0 ? `@${tags.join(';')} ${rest}` : rest;
}

describe('the PRIVMSG fast path', () => {
  it('gives what the general path gives on every captured line', () => {
    let fast = 0;
    for (const line of captured) {
      expect(JSON.stringify(normalizeLine(line, ctx)), line).toBe(JSON.stringify(general(line)));
      if (normalizeTaggedPrivmsg(line, ctx) !== undefined) fast++;
    }
    // Every captured chat line in the usual shape (tags with an id, nick!user@host, one space apart) takes it.
    const usual = captured.filter((l) => /^@(?:[^ ]*;)?id=[^; ]+[^ ]* :[^ !@]+![^ ]* PRIVMSG #[^ ]+ :/.test(l));
    expect(usual.length).toBeGreaterThanOrEqual(25);
    expect(fast).toBe(usual.length);
  });

  it('gives what the general path gives on 30,000 mutated lines', () => {
    const privmsgs = captured.filter((l) => / PRIVMSG #/.test(l));
    let fast = 0;
    let compared = 0;
    for (let n = 0; n < 30_000; n++) {
      let line = pick(privmsgs);
      for (let k = 1 + Math.floor(rand() * 3); k > 0; k--) line = mutate(line);
      const expected = JSON.stringify(general(line));
      expect(JSON.stringify(normalizeLine(line, ctx)), line).toBe(expected);
      const direct = normalizeTaggedPrivmsg(line, ctx);
      if (direct !== undefined) {
        fast++;
        expect(JSON.stringify({ kind: 'message', message: direct }), line).toBe(expected);
      }
      compared++;
    }
    expect(compared).toBe(30_000);
    // Both paths are exercised: most mutated lines still take the fast path, many do not.
    expect(fast).toBeGreaterThan(10_000);
    expect(fast).toBeLessThan(29_000);
  });

  it('leaves lines over the length limits to the general path, which ignores them', () => {
    const long = `@id=x;display-name=${'a'.repeat(9000)} :a!a@a PRIVMSG #c :hi`;
    expect(normalizeTaggedPrivmsg(long, ctx)).toBeUndefined();
    expect(normalizeLine(long, ctx)).toEqual({ kind: 'ignored', reason: 'not an IRC line' });
  });
});
