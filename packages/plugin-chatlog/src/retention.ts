import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { dayOf, parseFileName } from './format.js';

/**
 * Deletes the log files of days more than `retentionDays` before `now`
 * (UTC days, from the file names; other files are left alone). Returns the
 * names removed. `retentionDays` 0 keeps everything.
 */
export async function pruneChatLogs(dir: string, retentionDays: number, now: number): Promise<string[]> {
  if (retentionDays <= 0) return [];
  const cutoff = dayOf(now - retentionDays * 86_400_000);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const removed: string[] = [];
  for (const name of names.sort()) {
    const parsed = parseFileName(name);
    if (parsed === undefined || parsed.day >= cutoff) continue;
    await rm(join(dir, name), { force: true });
    removed.push(name);
  }
  return removed;
}
