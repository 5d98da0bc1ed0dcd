import { mkdirSync } from 'node:fs';
import { createTempDirs } from '@streamsuites/testing';
import { afterEach } from 'vitest';

const temp = createTempDirs('ss-sqlite-');
afterEach(() => temp.removeAll());

/** A temporary folder, removed after the test. */
export const tempDir = (): string => temp.make();

/**
 * A temporary directory inside the package's node_modules (git-ignored), for
 * child processes that must find tsx from their working directory.
 */
export function tempDirInPackage(): string {
  const parent = new URL('../node_modules/.tmp/', import.meta.url).pathname;
  mkdirSync(parent, { recursive: true });
  return temp.make(parent);
}

export const fixture = (name: string) => new URL(`./fixtures/${name}`, import.meta.url).pathname;
