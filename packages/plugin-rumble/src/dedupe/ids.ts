import { createHash } from 'node:crypto';

/**
 * Rumble's API gives messages no ids, so we derive them: a hash of what
 * identifies a message (its livestream, author, Rumble's own `created_on`
 * string and text) plus an occurrence number, because the same person can
 * send the same text twice within one second. Within one poll body the
 * n-th identical entry is occurrence n; as bodies overlap, the same entries
 * get the same ids again, so a seen-set makes them exactly once.
 */
export function entryHash(parts: readonly string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('base64url').slice(0, 22);
}

/** Gives each entry of one body its id: `hash.n`, n counting identical entries from 1 in body order. */
export function withOccurrenceIds<T>(entries: readonly T[], parts: (entry: T) => readonly string[]): { entry: T; id: string }[] {
  const counts = new Map<string, number>();
  return entries.map((entry) => {
    const hash = entryHash(parts(entry));
    const n = (counts.get(hash) ?? 0) + 1;
    counts.set(hash, n);
    return { entry, id: `${hash}.${n}` };
  });
}
