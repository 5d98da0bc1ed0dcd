import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { actionTypesExtensionPoint, triggerTypesExtensionPoint } from '../src/index.js';
import { OFFICIAL_PACKAGES, OFFICIAL_PLUGINS, officialPluginOfType, officialPluginPackage } from '../src/manifest/packages.js';
import { isPluginDefinition } from '../src/plugin.js';
import { runRegister } from '../src/registration.js';

const packagesDir = fileURLToPath(new URL('../../', import.meta.url));

/** Each official package whose entry point's default export is a plugin, with what its register() declares. */
async function officialPlugins() {
  const found: { id: string; package: string; actions: string[]; triggers: string[] }[] = [];
  for (const dir of readdirSync(packagesDir)) {
    const manifest = join(packagesDir, dir, 'package.json');
    const entry = join(packagesDir, dir, 'src', 'plugin.ts');
    if (!existsSync(manifest) || !existsSync(entry) || dir === 'kernel') continue;
    const name = (JSON.parse(readFileSync(manifest, 'utf8')) as { name: string }).name;
    const module = (await import(pathToFileURL(join(packagesDir, dir, 'src', 'index.ts')).href)) as { default: unknown };
    if (!isPluginDefinition(module.default)) continue;
    const registration = runRegister(module.default);
    const declared = (pointId: string) =>
      registration.contributions.filter((c) => c.point.id === pointId).map((c) => (c.value as { type: string }).type);
    found.push({
      id: module.default.id,
      package: name,
      actions: declared(actionTypesExtensionPoint.id),
      triggers: declared(triggerTypesExtensionPoint.id),
    });
  }
  return found;
}

describe('OFFICIAL_PLUGINS', () => {
  it('is exactly the plugins of this repository: id, package, and the action and trigger types register() declares', async () => {
    const plugins = await officialPlugins();
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
  });
});
