/**
 * Wire helpers for the fake Twitch chat server: a deliberately tiny parser for
 * what *clients* send, and IRCv3 tag formatting for what the server sends.
 *
 * Why a separate parser from `src/irc`: the fake is the reference the real
 * parser is tested against, so it must not share code (and bugs) with it.
 */

/** One line a client sent, split just enough for the server to act on it. */
export interface ClientLine {
  raw: string;
  tags: Record<string, string>;
  command: string;
  params: string[];
}

/** Parses `[@tags ][:prefix ]COMMAND params [:trailing]`; null for an empty line. */
export function parseClientLine(raw: string): ClientLine | null {
  let rest = raw;
  const tags: Record<string, string> = {};
  if (rest.startsWith('@')) {
    const space = rest.indexOf(' ');
    if (space === -1) return null;
    for (const pair of rest.slice(1, space).split(';')) {
      const eq = pair.indexOf('=');
      if (eq === -1) tags[pair] = '';
      else tags[pair.slice(0, eq)] = unescapeTag(pair.slice(eq + 1));
    }
    rest = rest.slice(space + 1).trimStart();
  }
  if (rest.startsWith(':')) {
    const space = rest.indexOf(' ');
    if (space === -1) return null;
    rest = rest.slice(space + 1).trimStart();
  }
  const params: string[] = [];
  let command = '';
  while (rest.length > 0) {
    if (command && rest.startsWith(':')) {
      params.push(rest.slice(1));
      break;
    }
    const space = rest.indexOf(' ');
    const word = space === -1 ? rest : rest.slice(0, space);
    if (!command) command = word.toUpperCase();
    else params.push(word);
    rest = space === -1 ? '' : rest.slice(space + 1).replace(/^ +/, '');
  }
  return command ? { raw, tags, command, params } : null;
}

/** Splits one WebSocket frame into lines (clients may batch several per frame). */
export function splitFrame(data: string): string[] {
  return data.split(/\r?\n/).filter((l) => l.length > 0);
}

const TAG_ESCAPES: Record<string, string> = { '\\': '\\\\', ';': '\\:', ' ': '\\s', '\r': '\\r', '\n': '\\n' };
const TAG_UNESCAPES: Record<string, string> = { '\\': '\\', ':': ';', s: ' ', r: '\r', n: '\n' };

/** IRCv3 tag-value escaping, so display names with spaces etc. stay one token. */
export function escapeTag(value: string): string {
  return value.replace(/[\\; \r\n]/g, (c) => TAG_ESCAPES[c] ?? c);
}

export function unescapeTag(value: string): string {
  return value.replace(/\\(.?)/g, (_m, c: string) => (c === '' ? '' : (TAG_UNESCAPES[c] ?? c)));
}

/** A tag set; `null`/`undefined` values mean "leave this tag out" (for overrides). */
export type TagSet = Record<string, string | number | boolean | null | undefined>;

/** `@a=1;b=x` in alphabetical key order (the real server sorts tags), or '' when empty. */
export function formatTags(tags: TagSet): string {
  const parts: string[] = [];
  for (const key of Object.keys(tags).sort()) {
    const value = tags[key];
    if (value === null || value === undefined) continue;
    const text = typeof value === 'boolean' ? (value ? '1' : '0') : String(value);
    parts.push(`${key}=${escapeTag(text)}`);
  }
  return parts.length > 0 ? `@${parts.join(';')}` : '';
}

/** A server line: optional tag block, then the rest. */
export function withTags(tags: TagSet, rest: string): string {
  const block = formatTags(tags);
  return block ? `${block} ${rest}` : rest;
}

/** Drops a leading tag block, for clients that did not request `twitch.tv/tags`. */
export function stripTags(line: string): string {
  if (!line.startsWith('@')) return line;
  const space = line.indexOf(' ');
  return space === -1 ? line : line.slice(space + 1);
}

/**
 * The command and channel of a server line, used to route `replay()` lines.
 * Returns `channel: null` when the first parameter is not a `#channel`.
 */
export function routeOf(line: string): { command: string; channel: string | null } {
  const parsed = parseClientLine(line);
  if (!parsed) return { command: '', channel: null };
  const first = parsed.params[0];
  // Numerics such as 353 put the channel later (`353 nick = #chan`); JOIN/PRIVMSG first.
  const candidate = /^\d{3}$/.test(parsed.command) ? parsed.params.find((p) => p.startsWith('#')) : first;
  return { command: parsed.command, channel: candidate?.startsWith('#') ? normalizeChannel(candidate) : null };
}

/** `#Alice`, `alice` → `alice` (the key every API here uses). */
export function normalizeChannel(channel: string): string {
  return channel.replace(/^#/, '').toLowerCase();
}
