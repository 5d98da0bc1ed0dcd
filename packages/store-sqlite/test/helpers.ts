import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A temporary directory, removed after the test. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ss-sqlite-'));
  dirs.push(dir);
  return dir;
}

/**
 * A temporary directory inside the package's node_modules (git-ignored), for
 * child processes that must find tsx from their working directory.
 */
export function tempDirInPackage(): string {
  const parent = new URL('../node_modules/.tmp/', import.meta.url).pathname;
  mkdirSync(parent, { recursive: true });
  const dir = mkdtempSync(parent);
  dirs.push(dir);
  return dir;
}

export const fixture = (name: string) => new URL(`./fixtures/${name}`, import.meta.url).pathname;
