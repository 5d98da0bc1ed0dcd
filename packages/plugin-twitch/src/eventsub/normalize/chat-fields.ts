/**
 * Reading EventSub chat payloads (snake_case, as Twitch sends them) into the
 * kernel shapes the IRC normalizer gives: authors from `chatter_*` and
 * `badges`, emotes from `emote` fragments, `/me` from the CTCP wrapper that
 * `message.text` keeps. A missing or mistyped field throws {@link Malformed},
 * which the record in `chat.ts` turns into `{ kind: 'failed', reason }`.
 */
import type { ChatAuthor, ChatEmote } from '@streamsuites/kernel';
import { rolesOf, unwrapAction, wellFormed } from '../../normalize/tags.js';

export const PLATFORM = 'twitch';

/** A payload that does not have the documented shape. */
export class Malformed extends Error {
  override name = 'Malformed';
}

export type Obj = Record<string, unknown>;

export function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `obj[key]` as a string; throws when it is missing, not a string, or (unless `allowEmpty`) empty. */
export function str(obj: Obj, key: string, where: string, allowEmpty = false): string {
  const v = obj[key];
  if (typeof v !== 'string' || (!allowEmpty && v.length === 0)) throw new Malformed(`${where}.${key} is ${describe(v)}, not a${allowEmpty ? '' : ' non-empty'} string`);
  return v;
}

/** `obj[key]` as a string, or undefined when absent/null/empty; throws on another type. */
export function optStr(obj: Obj, key: string, where: string): string | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new Malformed(`${where}.${key} is ${describe(v)}, not a string`);
  return v.length === 0 ? undefined : v;
}

/** `obj[key]` as a finite integer, or undefined when absent/null; throws on another type. */
export function optInt(obj: Obj, key: string, where: string): number | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw new Malformed(`${where}.${key} is ${describe(v)}, not an integer`);
  return v;
}

export function int(obj: Obj, key: string, where: string): number {
  const v = optInt(obj, key, where);
  if (v === undefined) throw new Malformed(`${where}.${key} is missing`);
  return v;
}

/** `obj[key]` as a boolean, or undefined when absent/null; throws on another type. */
export function optBool(obj: Obj, key: string, where: string): boolean | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw new Malformed(`${where}.${key} is ${describe(v)}, not a boolean`);
  return v;
}

export function bool(obj: Obj, key: string, where: string): boolean {
  const v = optBool(obj, key, where);
  if (v === undefined) throw new Malformed(`${where}.${key} is missing`);
  return v;
}

/** `obj[key]` as an object, or undefined when absent/null; throws on another type. */
export function optObj(obj: Obj, key: string, where: string): Obj | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (!isObj(v)) throw new Malformed(`${where}.${key} is ${describe(v)}, not an object`);
  return v;
}

export function obj(o: Obj, key: string, where: string): Obj {
  const v = optObj(o, key, where);
  if (v === undefined) throw new Malformed(`${where}.${key} is missing`);
  return v;
}

function describe(v: unknown): string {
  if (v === undefined) return 'missing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string' && v.length === 0) return 'empty';
  const type = typeof v;
  return type === 'object' || type === 'undefined' ? `an ${type}` : `a ${type}`;
}

/**
 * `badges: [{ set_id, id, info }]` → `{ set_id: id }`, as IRC's
 * `badges=name/version` tag gives them (`info`, the sub months, is IRC's
 * `badge-info` tag, which the IRC normalizer does not keep either).
 */
export function badgesOf(value: unknown, where: string): Record<string, string> {
  const badges: Record<string, string> = {};
  if (value === undefined || value === null) return badges;
  if (!Array.isArray(value)) throw new Malformed(`${where}.badges is ${describe(value)}, not an array`);
  for (const badge of value) {
    if (!isObj(badge)) throw new Malformed(`${where}.badges has an entry that is not an object`);
    const setId = str(badge, 'set_id', `${where}.badges[]`);
    const id = str(badge, 'id', `${where}.badges[]`, true);
    if (setId !== '__proto__') badges[setId] = id;
  }
  return badges;
}

/**
 * The chatter as a kernel author. Roles come from the badges only: EventSub
 * has no `mod=1` / `subscriber=1` / `vip=1` tags, and IRC sends those exactly
 * when the badge is there (a hidden badge hides the role on both transports).
 */
export function authorOf(event: Obj, where: string): ChatAuthor {
  const login = str(event, 'chatter_user_login', where);
  const id = str(event, 'chatter_user_id', where);
  const name = optStr(event, 'chatter_user_name', where);
  const badges = badgesOf(event.badges, where);
  const author: ChatAuthor = { id, login, displayName: name ?? login, roles: rolesOf({}, badges), badges };
  const color = optStr(event, 'color', where);
  if (color !== undefined) author.color = color;
  return author;
}

/** Code points in `s` (a surrogate pair counts once, as in Twitch's emote ranges). */
function codePoints(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) i++;
    n++;
  }
  return n;
}

export interface ChatText {
  /** The text without a `/me` wrapper, as IRC's PRIVMSG normalizer gives it. */
  text: string;
  isAction: boolean;
  emotes?: ChatEmote[];
}

/**
 * `message: { text, fragments }` → text, `/me` flag and emotes.
 *
 * `/me`: EventSub has no action flag, but `message.text` keeps the CTCP
 * wrapper (`\u0001ACTION chat test\u0001`) while the fragments hold only
 * `chat test` (a payload captured in navarr/multi-stream-chat#22): the text
 * is unwrapped like an IRC PRIVMSG and `isAction` set.
 *
 * Emotes: each `emote` fragment is found in the unwrapped text from where the
 * previous fragment ended (the fragments are the text in order), and its
 * place counted in code points with an exclusive end, so an emoji before an
 * emote counts once, as in IRC's `emotes` tag. A fragment that is not found
 * in order ends the emote scan (the emotes before it are kept).
 */
export function chatTextOf(message: Obj, where: string): ChatText {
  const raw = str(message, 'text', where, true);
  const { text: unwrapped, isAction } = unwrapAction(raw);
  const text = wellFormed(unwrapped);
  const fragments = message.fragments;
  if (fragments !== undefined && fragments !== null && !Array.isArray(fragments)) throw new Malformed(`${where}.fragments is ${describe(fragments)}, not an array`);
  const emotes: ChatEmote[] = [];
  let cursor = 0; // UTF-16 offset in `text`
  let cursorPoints = 0; // the same place in code points
  for (const fragment of fragments ?? []) {
    if (!isObj(fragment)) throw new Malformed(`${where}.fragments has an entry that is not an object`);
    const type = str(fragment, 'type', `${where}.fragments[]`);
    const ftext = wellFormed(str(fragment, 'text', `${where}.fragments[]`, true));
    if (ftext.length === 0) continue;
    const at = text.indexOf(ftext, cursor);
    if (at === -1) break;
    const start = cursorPoints + codePoints(text.slice(cursor, at));
    const end = start + codePoints(ftext);
    if (type === 'emote') {
      const emote = obj(fragment, 'emote', `${where}.fragments[]`);
      emotes.push({ id: str(emote, 'id', `${where}.fragments[].emote`), name: ftext, start, end });
    }
    cursor = at + ftext.length;
    cursorPoints = end;
  }
  const result: ChatText = { text, isAction };
  if (emotes.length > 0) result.emotes = emotes;
  return result;
}
