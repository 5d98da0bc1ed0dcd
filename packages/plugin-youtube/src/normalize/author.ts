import type { ChatAuthor, ChatRole } from '@streamsuites/kernel';
import { booleanField, type Field, isObject, type Json, MAX_ID_LENGTH, MAX_NAME_LENGTH, stringField } from './strings.js';

/**
 * `authorDetails` → `ChatAuthor`. YouTube has no login: `id` and `login` are
 * both the author's channel id, `displayName` is the name shown in chat.
 * Roles, most privileged first: chat owner → `broadcaster`, moderator →
 * `moderator`, channel member (sponsor) → `member`. A verified channel gets
 * the badge `verified: '1'`.
 *
 * Without `authorDetails` (a request with `part=snippet` only) the author is
 * built from `snippet.authorChannelId` with no roles. `value: undefined`
 * means the item names no author at all.
 */
export function authorOf(snippet: Json, details: unknown): Field<ChatAuthor> {
  const fallback = stringField(snippet, 'authorChannelId', MAX_ID_LENGTH, 'snippet');
  if (!fallback.ok) return fallback;
  if (details === undefined || details === null) {
    const id = fallback.value;
    if (id === undefined || id.length === 0) return { ok: true, value: undefined };
    return { ok: true, value: { id, login: id, displayName: id, roles: [], badges: {} } };
  }
  if (!isObject(details)) return { ok: false, problem: 'authorDetails is not an object' };
  const channelId = stringField(details, 'channelId', MAX_ID_LENGTH, 'authorDetails');
  if (!channelId.ok) return channelId;
  const id = channelId.value || fallback.value;
  if (id === undefined || id.length === 0) return { ok: false, problem: 'authorDetails has no channelId' };
  const name = stringField(details, 'displayName', MAX_NAME_LENGTH, 'authorDetails');
  if (!name.ok) return name;
  const flags: Record<string, boolean | undefined> = {};
  for (const key of ['isChatOwner', 'isChatModerator', 'isChatSponsor', 'isVerified']) {
    const f = booleanField(details, key, 'authorDetails');
    if (!f.ok) return f;
    flags[key] = f.value;
  }
  const roles: ChatRole[] = [];
  if (flags.isChatOwner === true) roles.push('broadcaster');
  if (flags.isChatModerator === true) roles.push('moderator');
  if (flags.isChatSponsor === true) roles.push('member');
  const badges: Record<string, string> = {};
  if (flags.isVerified === true) badges.verified = '1';
  return { ok: true, value: { id, login: id, displayName: name.value || id, roles, badges } };
}
