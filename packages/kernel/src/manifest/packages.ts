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

/** What an official plugin is: its package and the action and trigger types its register() adds. */
export interface OfficialPlugin {
  package: string;
  actions: readonly string[];
  triggers: readonly string[];
}

/**
 * The official plugins by id: the one place that says which package a plugin
 * id comes from and which action and trigger types it adds
 * (test/official-plugins.test.ts runs each plugin's register() to check it).
 * Used for hints: `clip.create` in a manifest without the clips plugin gets
 * "declare plugin "clips" (@streamsuites/plugin-clips)".
 */
export const OFFICIAL_PLUGINS: ReadonlyMap<string, OfficialPlugin> = new Map<string, OfficialPlugin>([
  ['chatlog', { package: '@streamsuites/plugin-chatlog', actions: [], triggers: [] }],
  ['clips', { package: '@streamsuites/plugin-clips', actions: ['clip.create'], triggers: [] }],
  ['engagement', { package: '@streamsuites/plugin-engagement', actions: ['poll.open', 'poll.close', 'tally.add', 'score.add'], triggers: [] }],
  ['exports', { package: '@streamsuites/plugin-exports', actions: [], triggers: [] }],
  ['store-sqlite', { package: '@streamsuites/store-sqlite', actions: [], triggers: [] }],
  ['twitch', { package: '@streamsuites/plugin-twitch', actions: [], triggers: [] }],
  ['youtube', { package: '@streamsuites/plugin-youtube', actions: [], triggers: [] }],
]);

/** The official package of a plugin id (`clips` → `@streamsuites/plugin-clips`), undefined for any other id. */
export function officialPluginPackage(pluginId: string): string | undefined {
  const found = OFFICIAL_PLUGINS.get(pluginId)?.package;
  // Only names this repository publishes ever reach a hint.
  return found !== undefined && isOfficialPackage(found) ? found : undefined;
}

/** The official plugin that adds an action or trigger type (`clip.create` → `clips`), if one does. */
export function officialPluginOfType(kind: 'action' | 'trigger', type: string): string | undefined {
  for (const [id, plugin] of OFFICIAL_PLUGINS) if ((kind === 'action' ? plugin.actions : plugin.triggers).includes(type)) return id;
  return undefined;
}

/** Every action or trigger type the official plugins add. */
export function officialTypes(kind: 'action' | 'trigger'): string[] {
  return [...OFFICIAL_PLUGINS.values()].flatMap((plugin) => (kind === 'action' ? plugin.actions : plugin.triggers));
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
