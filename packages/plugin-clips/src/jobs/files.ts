import { lstatSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The deterministic output name of a clip: `<id>.mp4` (the reference's `clips/output/{clip_id}.mp4`). */
export const clipFileName = (id: string): string => `${id}.mp4`;

/** The clip's JPEG poster frame, next to its mp4: `<id>.jpg`. */
export const posterFileName = (id: string): string => `${id}.jpg`;

export function ensureDir(dir: string): void {
  mkdirSync(dir, { recursive: true });
}

/**
 * Removes a clip's files from the output folder: `<id>.mp4` (unless
 * `keepFinal`), its poster `<id>.jpg`, and every partial or temporary name an encoder may have used
 * (`<id>.mp4.part`, `<id>.<n>.tmp`, `.<id>...`). Ids are fixed-length, so a
 * name starting with one id can never be another clip's. Returns the names removed.
 */
export function removeClipFiles(dir: string, id: string, keepFinal = false): string[] {
  const final = clipFileName(id);
  const owned = new RegExp(`^\\.?${id}(?![a-z0-9])`);
  const removed: string[] = [];
  for (const name of listNames(dir)) {
    if (!owned.test(name) || (keepFinal && name === final)) continue;
    if (removeFile(join(dir, name))) removed.push(name);
  }
  return removed;
}

/**
 * Removes every entry of the output folder that is not in `keep` (the final
 * files of live clips): orphans of deleted rows, partial outputs of
 * interrupted encodes, files of failed or expired clips. Sub-folders are left
 * alone. The output folder belongs to the engine.
 */
export function sweepOutputDir(dir: string, keep: ReadonlySet<string>): string[] {
  const removed: string[] = [];
  for (const name of listNames(dir)) {
    if (keep.has(name)) continue;
    if (removeFile(join(dir, name))) removed.push(name);
  }
  return removed;
}

/** The size of a regular file, or undefined when it is missing (or not a file). */
export function fileSize(path: string): number | undefined {
  try {
    const stats = statSync(path);
    return stats.isFile() ? stats.size : undefined;
  } catch {
    return undefined;
  }
}

/** Deletes a file (a symlink itself, never its target); false if it was not there or is a folder. */
export function removeFile(path: string): boolean {
  try {
    if (lstatSync(path).isDirectory()) return false;
    rmSync(path, { force: true });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

function listNames(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}
