import * as fs from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** The file operations a write needs; tests swap in a failing layer (ENOSPC). */
export interface ExportFs {
  mkdir(path: string, options: { recursive: true }): Promise<unknown>;
  open(path: string, flags: string, mode?: number): Promise<fs.FileHandle>;
  rename(from: string, to: string): Promise<void>;
  rm(path: string, options: { force: true }): Promise<void>;
}

export const nodeFs: ExportFs = fs;

let counter = 0;

/**
 * Writes a file so readers only ever see the old or the new content: a temp
 * file in the same directory, fsync, rename over the target, then fsync the
 * directory so the rename itself survives a crash. On failure the temp file
 * is removed and the target is untouched.
 */
export async function writeFileAtomic(file: string, data: string, layer: ExportFs = nodeFs): Promise<void> {
  const dir = dirname(file);
  await layer.mkdir(dir, { recursive: true });
  const temp = join(dir, `.${basename(file)}.${process.pid}.${++counter}.tmp`);
  try {
    const handle = await layer.open(temp, 'w', 0o644);
    try {
      await handle.writeFile(data, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await layer.rename(temp, file);
  } catch (error) {
    await layer.rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
  await syncDirectory(dir, layer);
}

async function syncDirectory(dir: string, layer: ExportFs): Promise<void> {
  // Directories cannot be opened for fsync on Windows; the rename is still atomic there.
  if (process.platform === 'win32') return;
  const handle = await layer.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Temp files `writeFileAtomic` names `.<file>.<pid>.<n>.tmp`. */
const TEMP_FILE = /^\..+\.(\d+)\.\d+\.tmp$/;

/**
 * Removes the temp files a writer killed mid-write left under `root` (they
 * end in `.tmp`, so nothing reads them as exports, but they pile up).
 * `keep(pid)` spares the temp files of a writer that may still be writing:
 * by default this process's own (for the holder of the root's lock, every
 * other writer's temp file is stale); for a mirror root, which no lock
 * guards, pass the pids still running. Returns the removed paths, sorted.
 */
export async function removeStaleTemps(root: string, keep: (pid: number) => boolean = (pid) => pid === process.pid): Promise<string[]> {
  const removed: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await fs.readdir(dir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? [] : Promise.reject(error)));
    for (const entry of entries) {
      const path = join(dir, entry.name);
      const pid = TEMP_FILE.exec(entry.name)?.[1];
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile() && pid !== undefined && !keep(Number(pid))) {
        await fs.rm(path, { force: true });
        removed.push(path);
      }
    }
  };
  await walk(root);
  return removed.sort();
}
