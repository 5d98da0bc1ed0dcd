import { readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { suggest } from './suggest.js';

/**
 * What the host knows of published plugins, for hints only: the package
 * names it trusts (only these ever get a `pnpm add` hint — suggesting to
 * install a misspelt name would invite a typosquat) and the package of each
 * known plugin id. The kernel knows no plugin by name; the CLI passes the
 * official list (`officialCatalog` from @streamsuites/defaults).
 */
export interface PluginCatalog {
  packages: readonly string[];
  plugins: Readonly<Record<string, string>>;
}

export const EMPTY_CATALOG: PluginCatalog = Object.freeze({ packages: [], plugins: {} });

/** The trusted package of a plugin id (`clips` → `@streamsuites/plugin-clips`), undefined for any other id. */
export function catalogPackage(catalog: PluginCatalog, pluginId: string): string | undefined {
  const found = Object.hasOwn(catalog.plugins, pluginId) ? catalog.plugins[pluginId] : undefined;
  return found !== undefined && catalog.packages.includes(found) ? found : undefined;
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
 * The package names a misspelt one most likely meant: from the known
 * packages and the packages installed next to the manifest, by edit distance
 * on the whole name or on its core (`@streamsuites/twitch` and
 * `streamsuites-plugin-twitch` both find `@streamsuites/plugin-twitch`).
 */
export function suggestPackages(name: string, installed: readonly string[], known: readonly string[]): string[] {
  const candidates = [...known, ...installed];
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
