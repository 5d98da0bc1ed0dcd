import { createHmac } from 'node:crypto';

/**
 * Replaces the user ids of an event payload with a keyed hash: `author.id`
 * (messages, notices) and a top-level `userId` (timeouts, bans, deletions).
 * Stable per user and salt, so per-user state still works in a replay;
 * not reversible without the salt. Returns a copy; the bus payload is not
 * touched.
 */
export function hashUserIds(data: Record<string, unknown>, salt: string): Record<string, unknown> {
  let out = data;
  const author = data.author;
  if (typeof author === 'object' && author !== null && typeof (author as { id?: unknown }).id === 'string') {
    out = { ...out, author: { ...author, id: hashId((author as { id: string }).id, salt) } };
  }
  if (typeof data.userId === 'string') out = { ...out, userId: hashId(data.userId, salt) };
  return out;
}

export function hashId(id: string, salt: string): string {
  return `h:${createHmac('sha256', salt).update(id).digest('base64url').slice(0, 22)}`;
}
