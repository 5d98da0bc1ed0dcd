/** Reading the files a dashboard draws from, on a manual kernel clock, without sleeping: poll until the write of the current clock time is there. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ManualClock, type ChatMessage } from '@streamsuites/kernel';
import { chatMessage } from '@streamsuites/testing';

export const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The body of `file` once a write made at the clock's current time is on
 * disk (`meta.generatedAt` is the kernel time of the write). Advance the
 * clock before the events a check is about, and emit them in the same turn:
 * every write made at the new time then sees them.
 */
export async function writtenAt(root: string, file: string, clock: ManualClock, deadlineMs = 5000): Promise<Record<string, any>> {
  const path = join(root, file);
  const want = iso(clock.now());
  const deadline = Date.now() + deadlineMs;
  let last: Record<string, any> | undefined;
  while (Date.now() < deadline) {
    if (existsSync(path)) {
      last = JSON.parse(readFileSync(path, 'utf8')) as Record<string, any>;
      if (last.meta?.generatedAt === want) return last;
    }
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  throw new Error(`no write of ${file} at ${want} within ${deadlineMs} ms (last: ${last?.meta?.generatedAt ?? 'none'})`);
}

let seq = 0;
/** A chat message received now on the manual clock. */
export function chatAt(clock: ManualClock, creatorId: string, platform = 'twitch', text = `line ${++seq}`, author = 'viewer'): ChatMessage {
  return chatMessage({
    id: `${creatorId}-${platform}-${++seq}`,
    creatorId,
    platform,
    text,
    receivedAt: clock.now(),
    sentAt: clock.now(),
    author: { id: `id-${author}`, login: author, displayName: author.toUpperCase(), roles: ['subscriber'] },
  });
}
