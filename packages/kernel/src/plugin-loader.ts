import { pathToFileURL } from 'node:url';
import { resolve as resolveModule } from 'import-meta-resolve';
import { isPluginDefinition, type AnyPlugin } from './plugin.js';

export type PluginLoadResult =
  | { ok: true; plugin: AnyPlugin }
  | { ok: false; code: 'SS_ERR_PLUGIN_NOT_INSTALLED' | 'SS_ERR_PLUGIN_LOAD_FAILED'; message: string; cause?: unknown };

/**
 * Imports a plugin package by name, resolving it the way Node would from
 * `fromDir` (the manifest's directory): the host's node_modules, walking up.
 * The package's default export (or a named `plugin` export) must be a
 * definePlugin() result.
 */
export async function importPluginPackage(packageName: string, fromDir: string): Promise<PluginLoadResult> {
  let url: string;
  try {
    url = resolveModule(packageName, pathToFileURL(`${fromDir.replace(/[\\/]$/, '')}/`).href);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'ERR_INVALID_MODULE_SPECIFIER') {
      return { ok: false, code: 'SS_ERR_PLUGIN_NOT_INSTALLED', message: `not installed (looked from ${fromDir})`, cause: error };
    }
    if (code === 'ERR_PACKAGE_PATH_NOT_EXPORTED') {
      // Installed, but its package.json "exports" has no entry for the name: installing it again would not help.
      return { ok: false, code: 'SS_ERR_PLUGIN_LOAD_FAILED', message: `is installed but exports no entry point for that name: ${describe(error)}`, cause: error };
    }
    return { ok: false, code: 'SS_ERR_PLUGIN_LOAD_FAILED', message: describe(error), cause: error };
  }
  let module: Record<string, unknown>;
  try {
    module = (await import(url)) as Record<string, unknown>;
  } catch (error) {
    return { ok: false, code: 'SS_ERR_PLUGIN_LOAD_FAILED', message: `importing it threw: ${describe(error)}`, cause: error };
  }
  const candidate = module.default ?? module.plugin;
  if (!isPluginDefinition(candidate)) {
    return {
      ok: false,
      code: 'SS_ERR_PLUGIN_LOAD_FAILED',
      message: 'its default export is not a plugin (expected the result of definePlugin())',
    };
  }
  return { ok: true, plugin: candidate };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
