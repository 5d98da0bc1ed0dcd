import { SS_ERR_MANIFEST_SCHEMA, SS_ERR_PLUGIN_NOT_INSTALLED } from '../errors.js';
import { importPluginPackage } from '../plugin-loader.js';
import type { AnyPlugin } from '../plugin.js';
import type { ManifestIssue } from './issues.js';
import { isObject } from './object.js';
import { installedPackages, suggestPackages, type PluginCatalog } from './packages.js';
import { didYouMean } from './suggest.js';

/**
 * The plugins by id: the host's first, then each manifest entry's package,
 * imported from the manifest's folder, then the default plugins the
 * manifest did not replace. Entries the host (or a default) provides need
 * no package; an entry with a package replaces the default of its id.
 */
export async function loadPluginPackages(
  entries: [string, unknown][],
  hostPlugins: readonly AnyPlugin[],
  defaultPlugins: readonly AnyPlugin[],
  baseDir: string,
  catalog: PluginCatalog,
  issues: ManifestIssue[],
): Promise<{ plugins: Map<string, AnyPlugin>; failed: Set<string>; defaults: Set<string> }> {
  const plugins = new Map<string, AnyPlugin>();
  const failed = new Set<string>();
  const defaults = new Set<string>();
  let installed: string[] | undefined;
  for (const plugin of hostPlugins) if (!plugins.has(plugin.id)) plugins.set(plugin.id, plugin);
  const replaced = new Set(entries.filter(([, entry]) => isObject(entry) && entry.package !== undefined).map(([id]) => id));
  for (const plugin of defaultPlugins) {
    if (plugins.has(plugin.id) || replaced.has(plugin.id)) continue;
    plugins.set(plugin.id, plugin);
    defaults.add(plugin.id);
  }
  for (const [id, entry] of entries) {
    if (plugins.has(id)) continue;
    // From here on, an entry that does not end up in `plugins` has had its problem reported (or the schema's).
    failed.add(id);
    if (!isObject(entry)) continue;
    if (typeof entry.package !== 'string') {
      issues.push({
        code: SS_ERR_MANIFEST_SCHEMA.code,
        path: `/plugins/${id}`,
        message: `plugin "${id}" has no "package" and the host did not provide it`,
        hint: 'Add "package": "<npm package name>".',
      });
      continue;
    }
    const loaded = await importPluginPackage(entry.package, baseDir);
    if (!loaded.ok) {
      let hint: string;
      if (loaded.code !== SS_ERR_PLUGIN_NOT_INSTALLED.code) {
        hint = 'Check that the package is a StreamSuites plugin (its default export is definePlugin(...)) and is installed completely; reinstall it if in doubt.';
      } else if (catalog.packages.includes(entry.package)) {
        hint = `Install it next to the manifest: pnpm add ${entry.package}`;
      } else {
        // Never an install command for a name that is not known: a misspelt name may be a typosquat.
        installed ??= installedPackages(baseDir);
        const mean = didYouMean(suggestPackages(entry.package, installed, catalog.packages));
        hint =
          mean === ''
            ? 'Check the spelling: this is not a known StreamSuites package, and a third-party plugin must be installed next to the manifest first.'
            : `Check the spelling. ${mean}`;
      }
      issues.push({ code: loaded.code, path: `/plugins/${id}/package`, message: `plugin package "${entry.package}" ${loaded.message}`, hint });
    } else if (loaded.plugin.id !== id) {
      issues.push({
        code: SS_ERR_MANIFEST_SCHEMA.code,
        path: `/plugins/${id}`,
        message: `package "${entry.package}" is the plugin "${loaded.plugin.id}", not "${id}"`,
        hint: `Rename the key to "${loaded.plugin.id}".`,
      });
    } else {
      plugins.set(id, loaded.plugin);
      failed.delete(id);
    }
  }
  return { plugins, failed, defaults };
}
