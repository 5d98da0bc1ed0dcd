import type { IrcMessage, IrcPrefix } from './message.external.js';

/**
 * The longest tag section we accept, in UTF-16 units (IRCv3 allows 8,191 bytes
 * of tags; Twitch stays below it). Longer lines are dropped, not parsed.
 */
export const MAX_TAGS_LENGTH = 8191;
/**
 * The longest non-tag part we accept, in UTF-16 units. IRC says 512 bytes,
 * but Twitch sends 500 characters of text that may be 4 UTF-8 bytes each, so
 * we allow up to 8 KiB before dropping the line.
 */
export const MAX_BODY_LENGTH = 8192;

const SPACE = 32;
const COLON = 58;
const AT = 64;
const BACKSLASH = 92;

/**
 * Unescapes an IRCv3 tag value: `\s` space, `\:` `;`, `\\` backslash, `\r`,
 * `\n`; a trailing lone backslash is dropped and an unknown escape keeps the
 * escaped character (`\b` → `b`).
 */
export function unescapeTagValue(value: string): string {
  let i = value.indexOf('\\');
  if (i === -1) return value;
  let out = value.slice(0, i);
  const n = value.length;
  while (i < n) {
    const c = value.charCodeAt(i);
    if (c !== BACKSLASH) {
      const next = value.indexOf('\\', i);
      if (next === -1) {
        out += value.slice(i);
        break;
      }
      out += value.slice(i, next);
      i = next;
      continue;
    }
    if (i + 1 >= n) break; // trailing lone backslash: dropped
    const e = value.charCodeAt(i + 1);
    switch (e) {
      case 115: out += ' '; break; // s
      case COLON: out += ';'; break;
      case BACKSLASH: out += '\\'; break;
      case 114: out += '\r'; break; // r
      case 110: out += '\n'; break; // n
      default: out += value[i + 1]; // unknown escape: keep the character
    }
    i += 2;
  }
  return out;
}

/** Escapes a tag value for the wire (the inverse of {@link unescapeTagValue}). */
export function escapeTagValue(value: string): string {
  if (!/[\\; \r\n]/.test(value)) return value;
  return value.replace(/[\\; \r\n]/g, (c) => (c === '\\' ? '\\\\' : c === ';' ? '\\:' : c === ' ' ? '\\s' : c === '\r' ? '\\r' : '\\n'));
}

function parseTags(line: string, start: number, end: number): Record<string, string> {
  const tags: Record<string, string> = {};
  let i = start;
  while (i < end) {
    let semi = line.indexOf(';', i);
    if (semi === -1 || semi > end) semi = end;
    if (semi > i) {
      let eq = line.indexOf('=', i);
      let key: string;
      let value: string;
      if (eq === -1 || eq > semi) {
        key = line.slice(i, semi);
        value = '';
      } else {
        key = line.slice(i, eq);
        value = eq + 1 === semi ? '' : line.slice(eq + 1, semi);
        if (value.indexOf('\\') !== -1) value = unescapeTagValue(value);
      }
      // `__proto__` would replace the prototype of the tag object; no real tag has that name.
      if (key.length > 0 && key !== '__proto__') tags[key] = value;
    }
    i = semi + 1;
  }
  return tags;
}

function parsePrefix(raw: string): IrcPrefix {
  const bang = raw.indexOf('!');
  const at = raw.indexOf('@', bang === -1 ? 0 : bang);
  if (bang === -1 && at === -1) {
    // `tmi.twitch.tv` is a server; `jtv` (no dot) is a nick.
    return raw.indexOf('.') === -1 ? { nick: raw } : { host: raw };
  }
  const prefix: IrcPrefix = {};
  const nickEnd = bang !== -1 ? bang : at;
  if (nickEnd > 0) prefix.nick = raw.slice(0, nickEnd);
  if (bang !== -1) {
    const user = raw.slice(bang + 1, at === -1 ? raw.length : at);
    if (user.length > 0) prefix.user = user;
  }
  if (at !== -1 && at + 1 < raw.length) prefix.host = raw.slice(at + 1);
  return prefix;
}

/**
 * Parses one IRC line (with or without its CR LF). Total: never throws. Returns
 * `undefined` for lines that are not IRC at all (empty, only tags, no
 * command, tags over {@link MAX_TAGS_LENGTH} or a body over
 * {@link MAX_BODY_LENGTH}); anything else gives a best-effort message.
 */
export function parseIrcLine(line: string): IrcMessage | undefined {
  if (typeof line !== 'string') return undefined;
  let end = line.length;
  // Strip the line terminator(s).
  while (end > 0) {
    const c = line.charCodeAt(end - 1);
    if (c !== 10 && c !== 13) break;
    end--;
  }
  if (end === 0) return undefined;
  let pos = 0;
  let tags: Record<string, string>;
  if (line.charCodeAt(0) === AT) {
    const space = line.indexOf(' ');
    if (space === -1 || space >= end) return undefined; // only tags
    if (space - 1 > MAX_TAGS_LENGTH) return undefined;
    tags = parseTags(line, 1, space);
    pos = space + 1;
  } else {
    tags = {};
  }
  if (end - pos > MAX_BODY_LENGTH) return undefined;
  while (pos < end && line.charCodeAt(pos) === SPACE) pos++;

  let prefix: IrcPrefix | undefined;
  if (line.charCodeAt(pos) === COLON) {
    const space = line.indexOf(' ', pos);
    if (space === -1 || space >= end) return undefined; // prefix without command
    prefix = parsePrefix(line.slice(pos + 1, space));
    pos = space + 1;
    while (pos < end && line.charCodeAt(pos) === SPACE) pos++;
  }

  let space = line.indexOf(' ', pos);
  if (space === -1 || space > end) space = end;
  if (space === pos) return undefined; // no command
  let command = line.slice(pos, space);
  // Commands are case-insensitive; Twitch sends them uppercase, so only scan.
  for (let k = 0; k < command.length; k++) {
    const c = command.charCodeAt(k);
    if (c >= 97 && c <= 122) {
      command = command.toUpperCase();
      break;
    }
  }
  pos = space + 1;

  const params: string[] = [];
  let trailing: string | undefined;
  while (pos < end) {
    const c = line.charCodeAt(pos);
    if (c === SPACE) {
      pos++;
      continue;
    }
    if (c === COLON) {
      trailing = line.slice(pos + 1, end);
      break;
    }
    let next = line.indexOf(' ', pos);
    if (next === -1 || next > end) next = end;
    params.push(line.slice(pos, next));
    pos = next + 1;
  }
  return { tags, prefix, command, params, trailing };
}
