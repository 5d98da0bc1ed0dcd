import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { actionTypesExtensionPoint, isPluginDefinition, triggerTypesExtensionPoint, type AnyPlugin, type ExtensionPoint, type PluginRegistrar } from '@streamsuites/kernel';
import { isOfficialPackage } from '../src/catalog.js';
import { OFFICIAL_PACKAGES, OFFICIAL_PLUGINS, officialCatalog, officialPluginOfType, officialPluginPackage, officialTypes } from '../src/index.js';

const packagesDir = fileURLToPath(new URL('../../', import.meta.url));

/** The extension contributions a plugin's register() declares (register only declares things, so it is safe to run). */
function contributions(plugin: AnyPlugin): { point: ExtensionPoint<unknown>; value: unknown }[] {
  const found: { point: ExtensionPoint<unknown>; value: unknown }[] = [];
  const reg: PluginRegistrar<unknown, unknown> = {
    pluginId: plugin.id,
    provide() {},
    extend(point, value) {
      found.push({ point: point as ExtensionPoint<unknown>, value });
    },
    onInit() {},
  };
  plugin.register(reg);
  return found;
}

/** Each package of this repository whose entry point's default export is a plugin, with what its register() declares. */
async function repositoryPlugins() {
  const found: { id: string; package: string; actions: string[]; triggers: string[] }[] = [];
  for (const dir of readdirSync(packagesDir)) {
    const manifest = join(packagesDir, dir, 'package.json');
    const entry = join(packagesDir, dir, 'src', 'plugin.ts');
    if (!existsSync(manifest) || !existsSync(entry) || dir === 'kernel') continue;
    const name = (JSON.parse(readFileSync(manifest, 'utf8')) as { name: string }).name;
    const module = (await import(pathToFileURL(join(packagesDir, dir, 'src', 'index.ts')).href)) as { default: unknown };
    if (!isPluginDefinition(module.default)) continue;
    const declared = contributions(module.default as AnyPlugin);
    const types = (pointId: string) => declared.filter((c) => c.point.id === pointId).map((c) => (c.value as { type: string }).type);
    found.push({
      id: module.default.id,
      package: name,
      actions: types(actionTypesExtensionPoint.id),
      triggers: types(triggerTypesExtensionPoint.id),
    });
  }
  return found;
}

describe('OFFICIAL_PACKAGES', () => {
  it('is exactly the names of packages/*/package.json', () => {
    const names = readdirSync(packagesDir)
      .map((dir) => join(packagesDir, dir, 'package.json'))
      .filter((file) => existsSync(file))
      .map((file) => (JSON.parse(readFileSync(file, 'utf8')) as { name: string }).name)
      .sort();
    expect([...OFFICIAL_PACKAGES].sort()).toEqual(names);
    expect(OFFICIAL_PACKAGES).toContain('@streamsuites/defaults');
    expect(isOfficialPackage('@streamsuites/plugin-twitch')).toBe(true);
    expect(isOfficialPackage('@streamsuites/plugin-twich')).toBe(false);
  });
});

describe('OFFICIAL_PLUGINS', () => {
  it('is exactly the plugins of this repository: id, package, and the action and trigger types register() declares', async () => {
    const plugins = await repositoryPlugins();
    expect(plugins.length).toBeGreaterThanOrEqual(6);
    expect(Object.fromEntries(plugins.map(({ id, ...rest }) => [id, rest]))).toEqual(
      Object.fromEntries([...OFFICIAL_PLUGINS].map(([id, plugin]) => [id, { ...plugin, actions: [...plugin.actions], triggers: [...plugin.triggers] }])),
    );
    for (const plugin of OFFICIAL_PLUGINS.values()) expect(OFFICIAL_PACKAGES).toContain(plugin.package);
  }, 60_000);

  it('answers by id and by type, and nothing for ids and types it does not know', () => {
    expect(officialPluginPackage('clips')).toBe('@streamsuites/plugin-clips');
    expect(officialPluginPackage('store-sqlite')).toBe('@streamsuites/store-sqlite');
    expect(officialPluginPackage('clip')).toBeUndefined();
    expect(officialPluginPackage('constructor')).toBeUndefined();
    expect(officialPluginOfType('action', 'clip.create')).toBe('clips');
    expect(officialPluginOfType('action', 'poll.open')).toBe('engagement');
    expect(officialPluginOfType('action', 'chat.reply')).toBeUndefined();
    expect(officialPluginOfType('trigger', 'clip.create')).toBeUndefined();
    expect(officialTypes('action')).toEqual(expect.arrayContaining(['clip.create', 'poll.open', 'score.add']));
  });
});

describe('officialCatalog', () => {
  it('is the list the kernel takes for its hints: every official package, and each official plugin id with its package', () => {
    expect(officialCatalog.packages).toEqual(OFFICIAL_PACKAGES);
    expect(officialCatalog.plugins).toEqual(Object.fromEntries([...OFFICIAL_PLUGINS].map(([id, plugin]) => [id, plugin.package])));
    expect(Object.isFrozen(officialCatalog)).toBe(true);
  });
});
