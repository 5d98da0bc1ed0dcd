import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { SS_ERR_EXPORTS_ROOT_LOCKED } from './errors.js';

/** The lock file in the exports root: not `.json`, so nothing reads it as an export. */
export const LOCK_FILE = '.exports.lock';

export interface LockHolder {
  pid: number;
  host: string;
  startedAt: string;
}

export interface RootLock {
  readonly file: string;
  readonly holder: LockHolder;
  /** Removes the lock if it is still ours. Idempotent. */
  release(): Promise<void>;
}

/**
 * Takes the exports root for this process: one writer per root, so two
 * runtimes never interleave their files. The lock file holds `{ pid, host,
 * startedAt }` and appears with its content in one step (written to a temp
 * file, then hard-linked to the lock name, which fails if it exists). A lock
 * left by a process that is gone (same host, pid not running) or that cannot
 * be read is stale and taken over; a live holder, or one on another host
 * (its pid cannot be checked from here), is `SS_ERR_EXPORTS_ROOT_LOCKED`.
 * Not proof against two processes taking over the same stale lock in the
 * same instant; it is there for a second runtime started by mistake.
 */
export async function lockExportsRoot(root: string, options: { pid?: number; host?: string; now?: () => number } = {}): Promise<RootLock> {
  const holder: LockHolder = {
    pid: options.pid ?? process.pid,
    host: options.host ?? hostname(),
    startedAt: new Date((options.now ?? Date.now)()).toISOString(),
  };
  const text = `${JSON.stringify(holder)}\n`;
  const file = join(root, LOCK_FILE);
  await fs.mkdir(root, { recursive: true });
  for (let attempt = 0; ; attempt++) {
    if (await create(file, text)) break;
    const current = await fs.readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? undefined : Promise.reject(error)));
    if (current === undefined) continue; // released in between: try again
    const other = parse(current);
    if (attempt < 3 && (other === undefined || (other.host === holder.host && !running(other.pid)))) {
      await fs.rm(file, { force: true });
      continue;
    }
    throw other === undefined
      ? new SS_ERR_EXPORTS_ROOT_LOCKED(root, 'an unreadable lock', file)
      : new SS_ERR_EXPORTS_ROOT_LOCKED(root, `pid ${other.pid} on ${other.host} (since ${other.startedAt})`, file);
  }
  let released = false;
  return {
    file,
    holder,
    async release() {
      if (released) return;
      released = true;
      const current = await fs.readFile(file, 'utf8').catch(() => undefined);
      if (current === text) await fs.rm(file, { force: true });
    },
  };
}

/** Creates `file` with `text` unless it exists; true when created. */
async function create(file: string, text: string): Promise<boolean> {
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await fs.writeFile(temp, text, { mode: 0o644 });
  try {
    await fs.link(temp, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await fs.rm(temp, { force: true });
  }
}

function parse(text: string): LockHolder | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockHolder>;
    if (Number.isInteger(value.pid) && typeof value.host === 'string' && typeof value.startedAt === 'string') return value as LockHolder;
  } catch {
    // fall through: unreadable
  }
  return undefined;
}

/** Whether a process with this pid exists on this host (EPERM: it does, owned by another user). */
export function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
