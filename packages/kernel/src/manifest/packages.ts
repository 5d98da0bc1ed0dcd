import { readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { suggest } from './suggest.js';

/**
 * The packages this repository publishes (every packages/<name>/package.json
 * name; test/manifest-suggest.test.ts checks the list against them). The
 * manifest loader only ever hints `pnpm add <name>` for a name in this list:
 * suggesting to install a misspelt name would invite a typosquat.
 */
export const OFFICIAL_PACKAGES: readonly string[] = Object.freeze([
  '@streamsuites/cli',
  '@streamsuites/dashboard',
  '@streamsuites/kernel',
  '@streamsuites/plugin-chatlog',
  '@streamsuites/plugin-clips',
  '@streamsuites/plugin-engagement',
  '@streamsuites/plugin-exports',
  '@streamsuites/plugin-twitch',
  '@streamsuites/plugin-youtube',
  '@streamsuites/sqlite',
  '@streamsuites/store-sqlite',
]);

export function isOfficialPackage(name: string): boolean {
  return OFFICIAL_PACKAGES.includes(name);
}

/**
 * The package names Node would find from `fromDir`: the entries (and scoped
 * entries) of every node_modules folder from `fromDir` up to the root.
 * Unreadable folders are skipped. Only read when a package is not found.
 */
export function installedPackages(fromDir: string): string[] {
  const names = new Set<string>();
  for (let dir = resolve(fromDir); ; dir = dirname(dir)) {
    const modules = join(dir, 'node_modules');
    for (const entry of list(modules)) {
      if (entry.startsWith('.')) continue;
      if (entry.startsWith('@')) for (const scoped of list(join(modules, entry))) names.add(`${entry}/${scoped}`);
      else names.add(entry);
    }
    if (dirname(dir) === dir) break;
  }
  return [...names].sort();
}

function list(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory() || e.isSymbolicLink())
      .map((e) => e.name);
  } catch {
    return [];
  }
}

/**
 * The package names a misspelt one most likely meant: from the official
 * packages and the packages installed next to the manifest, by edit distance
 * on the whole name or on its core (`@streamsuites/twitch` and
 * `streamsuites-plugin-twitch` both find `@streamsuites/plugin-twitch`).
 */
export function suggestPackages(name: string, installed: readonly string[]): string[] {
  const candidates = [...OFFICIAL_PACKAGES, ...installed];
  const whole = suggest(name, candidates);
  if (whole.length > 0) return whole;
  return suggest(name, candidates, { key: packageCore });
}

/** `@streamsuites/plugin-twitch` → `twitch`: no scope, no `streamsuites-` or `plugin-` prefix. */
export function packageCore(name: string): string {
  return name
    .toLowerCase()
    .replace(/^@[^/]*\//, '')
    .replace(/^streamsuites-/, '')
    .replace(/^plugin-/, '');
}
