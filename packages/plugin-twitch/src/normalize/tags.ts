import { stableHash, wellFormed } from '@streamsuites/kernel';

export { stableHash, wellFormed };
import type { ChatAuthor, ChatRole } from '@streamsuites/kernel';

/** Strict non-negative/negative integer of up to 15 digits, or undefined. */
export function parseIntTag(value: string | undefined): number | undefined {
  return value === undefined ? undefined : parseIntIn(value, 0, value.length);
}

/** {@link parseIntTag} of `value[from, to)`, without slicing it out. */
export function parseIntIn(value: string, from: number, to: number): number | undefined {
  const length = to - from;
  if (length <= 0 || length > 16) return undefined;
  const negative = value.charCodeAt(from) === 45; // '-'
  let i = negative ? from + 1 : from;
  if (i === to) return undefined;
  let n = 0;
  for (; i < to; i++) {
    const d = value.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return undefined;
    n = n * 10 + d;
  }
  return negative ? -n : n;
}

/**
 * Badge names Twitch sends on most lines, kept as constants: a name that is
 * one of them is compared in place and not sliced out of the line again.
 */
const COMMON_BADGES = ['subscriber', 'premium', 'moderator', 'broadcaster', 'sub-gifter', 'vip', 'founder', 'bits', 'turbo', 'partner', 'staff', 'glhf-pledge', 'no_audio', 'no_video', 'bits-leader', 'sub-gift-leader', 'artist-badge', 'predictions'];
/** One-character versions (`0`-`9`), the usual ones, as constants. */
const DIGITS = Array.from({ length: 10 }, (_, d) => String(d));

function badgeName(value: string, from: number, to: number): string {
  const length = to - from;
  for (const name of COMMON_BADGES) if (name.length === length && sameAt(value, from, name)) return name;
  return value.slice(from, to);
}

/** `value.startsWith(name, from)` by hand (the builtin call costs more than comparing a few characters). */
export function sameAt(value: string, from: number, name: string): boolean {
  for (let k = 0; k < name.length; k++) if (value.charCodeAt(from + k) !== name.charCodeAt(k)) return false;
  return true;
}

/** `broadcaster/1,subscriber/12` → `{ broadcaster: '1', subscriber: '12' }` (a badge without `/` gets `''`). */
export function parseBadges(value: string | undefined): Record<string, string> {
  return value === undefined ? {} : parseBadgesIn(value, 0, value.length);
}

/** {@link parseBadges} of `value[from, to)`, without slicing it out. */
export function parseBadgesIn(value: string, from: number, to: number): Record<string, string> {
  const badges: Record<string, string> = {};
  let i = from;
  const n = to;
  while (i < n) {
    let comma = value.indexOf(',', i);
    if (comma === -1 || comma > n) comma = n;
    if (comma > i) {
      let slash = value.indexOf('/', i);
      if (slash === -1 || slash > comma) slash = comma;
      const name = badgeName(value, i, slash);
      let version = '';
      if (slash + 1 < comma) {
        const d = value.charCodeAt(slash + 1) - 48;
        version = slash + 2 === comma && d >= 0 && d <= 9 ? DIGITS[d]! : value.slice(slash + 1, comma);
      }
      if (name.length > 0 && name !== '__proto__') badges[name] = version;
    }
    i = comma + 1;
  }
  return badges;
}

/**
 * Roles from badges and tags, most privileged first. Moderator: `mod=1` or a
 * moderator badge; VIP: `vip` badge or `vip=1`; subscriber: `subscriber` or
 * `founder` badge, or `subscriber=1`. Twitch has no `member` role.
 */
export function rolesOf(tags: Record<string, string>, badges: Record<string, string>): ChatRole[] {
  const roles: ChatRole[] = [];
  if (badges.broadcaster !== undefined) roles.push('broadcaster');
  if (tags.mod === '1' || badges.moderator !== undefined) roles.push('moderator');
  if (badges.vip !== undefined || tags.vip === '1') roles.push('vip');
  if (badges.subscriber !== undefined || badges.founder !== undefined || tags.subscriber === '1') roles.push('subscriber');
  return roles;
}

/** The author of a PRIVMSG / USERNOTICE. `login` comes from the prefix nick or the `login` tag. */
export function authorOf(tags: Record<string, string>, login: string): ChatAuthor {
  const badges = parseBadges(tags.badges);
  const displayName = tags['display-name'];
  const author: ChatAuthor = {
    // Old tag sets (no user-id) fall back to the login so per-user state still works.
    id: tags['user-id'] || login,
    login,
    displayName: displayName !== undefined && displayName.length > 0 ? displayName : login,
    roles: rolesOf(tags, badges),
    badges,
  };
  const color = tags.color;
  if (color !== undefined && color.length > 0) author.color = color;
  return author;
}

/** `#channel` → `channel`; `undefined` when there is no channel parameter. */
export function channelOf(param: string | undefined): string | undefined {
  if (param === undefined || param.length === 0) return undefined;
  return param.charCodeAt(0) === 35 ? param.slice(1) : param;
}



const ACTION_PREFIX = '\u0001ACTION';

/** Unwraps a CTCP ACTION (`/me`): `\u0001ACTION text\u0001` → `{ text, isAction: true }`. */
export function unwrapAction(text: string): { text: string; isAction: boolean } {
  if (text.charCodeAt(0) !== 1 || !text.startsWith(ACTION_PREFIX)) return { text, isAction: false };
  const after = text.charCodeAt(ACTION_PREFIX.length);
  // `\u0001ACTIONS...` is not an action.
  if (!Number.isNaN(after) && after !== 32 && after !== 1) return { text, isAction: false };
  let end = text.length;
  if (end > ACTION_PREFIX.length && text.charCodeAt(end - 1) === 1) end--;
  const start = after === 32 ? ACTION_PREFIX.length + 1 : ACTION_PREFIX.length;
  return { text: start >= end ? '' : text.slice(start, end), isAction: true };
}
