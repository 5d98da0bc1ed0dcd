import type { PluginCatalog } from '@streamsuites/kernel';

/**
 * The packages this repository publishes (every packages/<name>/package.json
 * name; test/catalog.test.ts checks the list against them). The
 * manifest loader only ever hints `pnpm add <name>` for a name in this list:
 * suggesting to install a misspelt name would invite a typosquat.
 */
export const OFFICIAL_PACKAGES: readonly string[] = Object.freeze([
  '@streamsuites/cli',
  '@streamsuites/config',
  '@streamsuites/dashboard',
  '@streamsuites/defaults',
  '@streamsuites/kernel',
  '@streamsuites/ops',
  '@streamsuites/plugin-chatlog',
  '@streamsuites/plugin-clips',
  '@streamsuites/plugin-discord',
  '@streamsuites/plugin-engagement',
  '@streamsuites/plugin-exports',
  '@streamsuites/plugin-kick',
  '@streamsuites/plugin-pilled',
  '@streamsuites/plugin-rumble',
  '@streamsuites/plugin-twitch',
  '@streamsuites/plugin-x',
  '@streamsuites/plugin-youtube',
  '@streamsuites/scale-redis',
  '@streamsuites/sqlite',
  '@streamsuites/store-sqlite',
  '@streamsuites/streamlink',
  '@streamsuites/testing',
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
 * (test/catalog.test.ts runs each plugin's register() to check it).
 * Used for hints: `clip.create` in a manifest without the clips plugin gets
 * "declare plugin "clips" (@streamsuites/plugin-clips)".
 */
export const OFFICIAL_PLUGINS: ReadonlyMap<string, OfficialPlugin> = new Map<string, OfficialPlugin>([
  ['chatlog', { package: '@streamsuites/plugin-chatlog', actions: [], triggers: [] }],
  ['clips', { package: '@streamsuites/plugin-clips', actions: ['clip.create'], triggers: [] }],
  ['discord', { package: '@streamsuites/plugin-discord', actions: [], triggers: [] }],
  ['engagement', { package: '@streamsuites/plugin-engagement', actions: ['poll.open', 'poll.close', 'tally.add', 'score.add'], triggers: [] }],
  ['exports', { package: '@streamsuites/plugin-exports', actions: [], triggers: [] }],
  ['kick', { package: '@streamsuites/plugin-kick', actions: [], triggers: [] }],
  ['pilled', { package: '@streamsuites/plugin-pilled', actions: [], triggers: [] }],
  ['rumble', { package: '@streamsuites/plugin-rumble', actions: [], triggers: [] }],
  ['scale', { package: '@streamsuites/scale-redis', actions: [], triggers: [] }],
  ['store-sqlite', { package: '@streamsuites/store-sqlite', actions: [], triggers: [] }],
  ['twitch', { package: '@streamsuites/plugin-twitch', actions: ['twitch.redemption.fulfill', 'twitch.redemption.cancel'], triggers: [] }],
  ['x', { package: '@streamsuites/plugin-x', actions: [], triggers: [] }],
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
 * The official list as the kernel takes it for its manifest hints
 * (`createKernel({ catalog })`; `withDefaults()` passes it).
 */
export const officialCatalog: PluginCatalog = Object.freeze({
  packages: OFFICIAL_PACKAGES,
  plugins: Object.freeze(Object.fromEntries([...OFFICIAL_PLUGINS].map(([id, plugin]) => [id, plugin.package]))),
});
