import type { ChatAuthor, ChatMessage, ChatRole } from '@streamsuites/kernel';
import { MAX_BODY_LENGTH, MAX_TAGS_LENGTH, unescapeTagValue } from '../irc/parse.js';
import { parseEmotes, parseEmotesIn } from './emotes.js';
import { parseBadges, parseBadgesIn, parseIntIn, parseIntTag, sameAt, unwrapAction, wellFormed } from './tags.js';
import type { NormalizeContext } from './types.js';

/**
 * The fast path for the line Twitch sends most: a tagged PRIVMSG in its
 * usual shape (`@tags :nick!user@host PRIVMSG #channel :text`). It reads the
 * tags a chat message uses in one pass over the line, comparing keys in
 * place and slicing only the values it keeps, so no tag object is built
 * (the general path slices and stores ~18 keys and values per line; that
 * was the largest cost of the whole inbound pipeline).
 *
 * Returns `undefined` for anything outside that shape (no tags, no `id`
 * tag, extra spaces, a nick-less prefix, a lowercase command, lines over
 * the length limits...): the caller then runs the general parser and
 * normalizer, which decide those cases. When it returns a message, it is
 * the one `normalizePrivmsg(parseIrcLine(line))` gives (same fields, same
 * key order); test/normalize-fast-path.test.ts checks that on every
 * captured line and on mutated ones.
 */
export function normalizeTaggedPrivmsg(line: string, ctx: NormalizeContext): ChatMessage | undefined {
  let end = line.length;
  while (end > 0) {
    const c = line.charCodeAt(end - 1);
    if (c !== 10 && c !== 13) break;
    end--;
  }
  const tagsEnd = line.indexOf(' ');
  if (tagsEnd <= 1 || tagsEnd >= end || tagsEnd - 1 > MAX_TAGS_LENGTH || end - tagsEnd - 1 > MAX_BODY_LENGTH) return undefined;
  // One search for a backslash in the whole tag section: most lines have none, and then no value needs checking for escapes.
  const backslash = line.indexOf('\\', 1);
  const esc = backslash !== -1 && backslash < tagsEnd;

  // Prefix: `:nick!...` then one space.
  let pos = tagsEnd + 1;
  if (line.charCodeAt(pos) !== COLON) return undefined;
  const prefixEnd = line.indexOf(' ', pos);
  if (prefixEnd === -1 || prefixEnd >= end) return undefined;
  const bang = line.indexOf('!', pos);
  if (bang <= pos + 1 || bang > prefixEnd) return undefined; // no nick: the general path looks for a login tag
  pos = prefixEnd + 1;
  if (!line.startsWith('PRIVMSG ', pos)) return undefined;
  pos += 8;
  // Channel, then ` :` and the text.
  const channelEnd = line.indexOf(' ', pos);
  if (channelEnd === -1 || channelEnd >= end || channelEnd === pos || line.charCodeAt(channelEnd + 1) !== COLON) return undefined;
  const channelStart = line.charCodeAt(pos) === HASH ? pos + 1 : pos;
  if (channelStart === channelEnd) return undefined; // `#` alone: the general path decides

  // One pass over the tags: remember where each value we use starts and ends.
  let id = -1, idEnd = 0;
  let ts = -1, tsEnd = 0;
  let firstMsg = -1, firstMsgEnd = 0;
  let parent = -1, parentEnd = 0;
  let parentLogin = -1, parentLoginEnd = 0;
  let parentBody = -1, parentBodyEnd = 0;
  let emotes = -1, emotesEnd = 0;
  let bits = -1, bitsEnd = 0;
  let badges = -1, badgesEnd = 0;
  let display = -1, displayEnd = 0;
  let userId = -1, userIdEnd = 0;
  let color = -1, colorEnd = 0;
  let mod = false, vip = false, sub = false;
  let i = 1;
  while (i < tagsEnd) {
    let semi = line.indexOf(';', i);
    if (semi === -1 || semi > tagsEnd) semi = tagsEnd;
    // The key is told by its first character and its length (the character
    // after it must be `=` or the end of the tag): one search per tag.
    switch (line.charCodeAt(i)) {
      case 98: // b
        if (keyIs(line, i, semi, 'badges')) { badges = valueAt(line, i, 6, semi); badgesEnd = semi; }
        else if (keyIs(line, i, semi, 'bits')) { bits = valueAt(line, i, 4, semi); bitsEnd = semi; }
        break;
      case 99: // c
        if (keyIs(line, i, semi, 'color')) { color = valueAt(line, i, 5, semi); colorEnd = semi; }
        break;
      case 100: // d
        if (keyIs(line, i, semi, 'display-name')) { display = valueAt(line, i, 12, semi); displayEnd = semi; }
        break;
      case 101: // e
        if (keyIs(line, i, semi, 'emotes')) { emotes = valueAt(line, i, 6, semi); emotesEnd = semi; }
        break;
      case 102: // f
        if (keyIs(line, i, semi, 'first-msg')) { firstMsg = valueAt(line, i, 9, semi); firstMsgEnd = semi; }
        break;
      case 105: // i
        if (keyIs(line, i, semi, 'id')) { id = valueAt(line, i, 2, semi); idEnd = semi; }
        break;
      case 109: // m
        if (keyIs(line, i, semi, 'mod')) mod = isOne(line, valueAt(line, i, 3, semi), semi, esc);
        break;
      case 114: // r
        if (keyIs(line, i, semi, 'reply-parent-msg-id')) { parent = valueAt(line, i, 19, semi); parentEnd = semi; }
        else if (keyIs(line, i, semi, 'reply-parent-msg-body')) { parentBody = valueAt(line, i, 21, semi); parentBodyEnd = semi; }
        else if (keyIs(line, i, semi, 'reply-parent-user-login')) { parentLogin = valueAt(line, i, 23, semi); parentLoginEnd = semi; }
        break;
      case 115: // s
        if (keyIs(line, i, semi, 'subscriber')) sub = isOne(line, valueAt(line, i, 10, semi), semi, esc);
        break;
      case 116: // t
        if (keyIs(line, i, semi, 'tmi-sent-ts')) { ts = valueAt(line, i, 11, semi); tsEnd = semi; }
        break;
      case 117: // u
        if (keyIs(line, i, semi, 'user-id')) { userId = valueAt(line, i, 7, semi); userIdEnd = semi; }
        break;
      case 118: // v
        if (keyIs(line, i, semi, 'vip')) vip = isOne(line, valueAt(line, i, 3, semi), semi, esc);
        break;
    }
    i = semi + 1;
  }
  // Without an id the general path hashes the message's identity; rare enough to leave to it.
  const messageId = id === -1 ? '' : valueOf(line, id, idEnd, esc);
  if (messageId.length === 0) return undefined;

  const channel = line.slice(channelStart, channelEnd);
  const login = line.slice(tagsEnd + 2, bang);
  const raw = line.slice(channelEnd + 2, end);
  const { text: unwrapped, isAction } = unwrapAction(raw);
  const text = wellFormed(unwrapped);
  const sentTs = ts === -1 ? undefined : (esc && escaped(line, ts, tsEnd)) ? parseIntTag(valueOf(line, ts, tsEnd, esc)) : parseIntIn(line, ts, tsEnd);
  const badgeMap = badges === -1 ? {} : (esc && escaped(line, badges, badgesEnd)) ? parseBadges(valueOf(line, badges, badgesEnd, esc)) : parseBadgesIn(line, badges, badgesEnd);
  const displayName = display === -1 ? '' : valueOf(line, display, displayEnd, esc);
  const author: ChatAuthor = {
    id: (userId === -1 ? '' : valueOf(line, userId, userIdEnd, esc)) || login,
    login,
    displayName: displayName.length > 0 ? displayName : login,
    roles: rolesFrom(badgeMap, mod, vip, sub),
    badges: badgeMap,
  };
  if (color !== -1) {
    const value = valueOf(line, color, colorEnd, esc);
    if (value.length > 0) author.color = value;
  }
  const message: ChatMessage = {
    id: messageId,
    platform: 'twitch',
    creatorId: ctx.creatorId,
    channel,
    receivedAt: ctx.receivedAt,
    sentAt: sentTs ?? ctx.receivedAt,
    author,
    text,
    isAction,
  };
  if (firstMsg !== -1) message.firstMessage = isOne(line, firstMsg, firstMsgEnd, esc);
  if (parent !== -1) {
    const parentId = valueOf(line, parent, parentEnd, esc);
    if (parentId.length > 0) {
      message.reply = { messageId: parentId, authorLogin: parentLogin === -1 ? '' : valueOf(line, parentLogin, parentLoginEnd, esc) };
      if (parentBody !== -1) message.reply.text = wellFormed(valueOf(line, parentBody, parentBodyEnd, esc));
    }
  }
  if (emotes !== -1) {
    const parsed = (esc && escaped(line, emotes, emotesEnd)) ? parseEmotes(valueOf(line, emotes, emotesEnd, esc), text) : parseEmotesIn(line, emotes, emotesEnd, text);
    if (parsed !== undefined) message.emotes = parsed;
  }
  if (bits !== -1) {
    const amount = (esc && escaped(line, bits, bitsEnd)) ? parseIntTag(valueOf(line, bits, bitsEnd, esc)) : parseIntIn(line, bits, bitsEnd);
    if (amount !== undefined && amount > 0) message.monetary = { kind: 'bits', amountMicros: amount * 1_000_000, currency: 'BITS' };
  }
  return message;
}

const COLON = 58;
const EQUALS = 61;
const BACKSLASH = 92;
const HASH = 35;

/** Whether the tag at `i` (ending at `semi`) has the key `key`: the key, then `=` or the tag's end. */
function keyIs(line: string, i: number, semi: number, key: string): boolean {
  const after = i + key.length;
  return (after === semi || (after < semi && line.charCodeAt(after) === EQUALS)) && sameAt(line, i, key);
}

/** Where the value of the tag at `i` with a key of `keyLength` starts (`semi` for a key without `=`). */
function valueAt(line: string, i: number, keyLength: number, semi: number): number {
  return i + keyLength === semi ? semi : i + keyLength + 1;
}

/** A tag value, unescaped like the general parser does. */
function valueOf(line: string, start: number, end: number, esc: boolean): string {
  if (start === end) return '';
  const value = line.slice(start, end);
  return esc && escaped(line, start, end) ? unescapeTagValue(value) : value;
}

/** Whether `line[start, end)` has a backslash (an escape to undo). Values are short: a loop beats a search call. */
function escaped(line: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (line.charCodeAt(i) === BACKSLASH) return true;
  return false;
}

/** Whether the (unescaped) value is `1`, without slicing the common one-character case. */
function isOne(line: string, start: number, end: number, esc: boolean): boolean {
  if (end - start === 1) return line.charCodeAt(start) === 49;
  return end - start > 1 && esc && valueOf(line, start, end, esc) === '1';
}

/** rolesOf() with the three flag tags already read. */
function rolesFrom(badges: Record<string, string>, mod: boolean, vip: boolean, sub: boolean): ChatRole[] {
  const roles: ChatRole[] = [];
  if (badges.broadcaster !== undefined) roles.push('broadcaster');
  if (mod || badges.moderator !== undefined) roles.push('moderator');
  if (badges.vip !== undefined || vip) roles.push('vip');
  if (badges.subscriber !== undefined || badges.founder !== undefined || sub) roles.push('subscriber');
  return roles;
}
