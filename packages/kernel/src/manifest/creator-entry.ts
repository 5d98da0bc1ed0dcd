import type { TSchema } from 'typebox';
import {
  SS_ERR_CONFIG_INVALID,
  SS_ERR_CREATOR_ID_INVALID,
  SS_ERR_MANIFEST_SCHEMA,
  SS_ERR_MANIFEST_UNKNOWN_KEY,
  SS_ERR_MANIFEST_UNKNOWN_PLUGIN,
} from '../errors.js';
import type { AnyPlugin } from '../plugin.js';
import { applyDefaults } from './defaults.js';
import { fieldName, pointer, schemaIssues, unknownKeyHint, valueHint, type ManifestIssue, type SchemaProblem } from './issues.js';
import { isObject } from './object.js';
import { catalogPackage, EMPTY_CATALOG, type PluginCatalog } from './packages.js';
import { resolveSections, type SectionClaims } from './sections.js';
import { didYouMean, suggest } from './suggest.js';
import { CREATOR_ID, CREATOR_ID_PATTERN, CREATOR_KEYS, CreatorManifestSchema, type CreatorManifest, type ResolvedCreator } from './schema.js';

/**
 * Validates one creator entry (from the manifest, or given to addCreator):
 * id, schema (unless already checked), enabled plugins, each enabled
 * plugin's creator config with defaults applied.
 */
export function resolveCreatorEntry(
  id: string,
  entry: unknown,
  plugins: ReadonlyMap<string, AnyPlugin>,
  sections: SectionClaims,
  issues: ManifestIssue[],
  basePath: string[],
  options: {
    skipShape?: boolean;
    /** Declared plugins whose package failed to load: already reported, so `enable` and `config` may name them. */
    failedPlugins?: ReadonlySet<string>;
    /** Known packages, for the hint of an undeclared plugin. */
    catalog?: PluginCatalog;
    /** Receives the entry as far as it resolved (its valid sections), even when it has problems. */
    partial?: (creator: ResolvedCreator) => void;
  } = {},
): ResolvedCreator | undefined {
  const failed = options.failedPlugins ?? new Set<string>();
  const declared = [...plugins.keys(), ...failed];
  const undeclared = (pluginId: string) => !plugins.has(pluginId) && !failed.has(pluginId);
  const before = issues.length;
  if (!CREATOR_ID.test(id)) {
    issues.push({
      code: SS_ERR_CREATOR_ID_INVALID.code,
      path: pointer(basePath),
      message: `invalid creator id "${id}"`,
      hint: `Creator ids match ${CREATOR_ID_PATTERN}: lowercase letters, digits, "_" and "-", 1-64 characters.`,
    });
  }
  if (!options.skipShape) {
    issues.push(
      ...schemaIssues(CreatorManifestSchema, entry, basePath, {
        schema: SS_ERR_MANIFEST_SCHEMA.code,
        unknownKey: SS_ERR_MANIFEST_UNKNOWN_KEY.code,
        hint: schemaHint(basePath, MANIFEST_SCHEMA_HINT),
      }),
    );
  }
  if (!isObject(entry)) return undefined;
  const creator = entry as CreatorManifest;
  const enable = Array.isArray(creator.enable) ? creator.enable.filter((p): p is string => typeof p === 'string') : [];
  const configs = isObject(creator.config) ? creator.config : {};
  const reported = new Set<string>();
  (Array.isArray(creator.enable) ? (creator.enable as unknown[]) : []).forEach((pluginId, index) => {
    if (typeof pluginId !== 'string' || pluginId === '' || !undeclared(pluginId) || reported.has(pluginId)) return;
    reported.add(pluginId);
    issues.push({
      code: SS_ERR_MANIFEST_UNKNOWN_PLUGIN.code,
      path: pointer([...basePath, 'enable', index]),
      message: `plugin "${pluginId}" is not declared in "plugins"`,
      hint: undeclaredPluginHint(pluginId, declared, Object.hasOwn(configs, pluginId) ? ' here and in "config"' : '', options.catalog ?? EMPTY_CATALOG),
    });
  });
  for (const pluginId of Object.keys(configs)) {
    // An id already reported in `enable` is one mistake, reported once.
    if (!undeclared(pluginId) || reported.has(pluginId)) continue;
    const mean = didYouMean(suggest(pluginId, declared));
    issues.push({
      code: SS_ERR_MANIFEST_UNKNOWN_PLUGIN.code,
      path: pointer([...basePath, 'config', pluginId]),
      message: `config given for plugin "${pluginId}", which is not declared in "plugins"`,
      hint: mean === '' ? 'Remove this config block, or declare the plugin in "plugins".' : `Check the key. ${mean}`,
    });
  }
  const resolvedSections = resolveSections(entry, CREATOR_KEYS, 'creator', sections, basePath, issues);
  const config: Record<string, Record<string, unknown>> = {};
  for (const pluginId of new Set(enable)) {
    const plugin = plugins.get(pluginId);
    if (plugin === undefined) continue;
    config[pluginId] = validateConfig(plugin.creatorConfigSchema, configs[pluginId] ?? {}, [...basePath, 'config', pluginId], issues, configHint(pluginId));
  }
  const resolved: ResolvedCreator = {
    id,
    ...(creator.displayName === undefined ? {} : { displayName: creator.displayName }),
    enable,
    config,
    sections: resolvedSections,
  };
  options.partial?.(resolved);
  return issues.length > before ? undefined : resolved;
}

export function validateConfig(
  schema: TSchema | undefined,
  value: unknown,
  path: (string | number)[],
  issues: ManifestIssue[],
  hint: string,
): Record<string, unknown> {
  if (schema === undefined) return isObject(value) ? { ...value } : {};
  const withDefaults = applyDefaults(schema, value);
  issues.push(...schemaIssues(schema, withDefaults, path, { schema: SS_ERR_CONFIG_INVALID.code, unknownKey: SS_ERR_MANIFEST_UNKNOWN_KEY.code, hint }));
  return isObject(withDefaults) ? withDefaults : {};
}

/**
 * The hint of a schema problem at `basePath`: the field and what it should be
 * (or the did-you-mean of an unknown key), then where it is documented.
 */
export function schemaHint(basePath: readonly (string | number)[], docs: string): (problem: SchemaProblem) => string {
  const base = basePath.length === 0 ? '' : pointer(basePath);
  return (problem) =>
    problem.kind === 'unknown-key'
      ? unknownKeyHint(problem.key, problem.known)
      : `${valueHint(problem, (at) => fieldName(`${base}${at}`) || 'The manifest')} ${docs}`;
}

export const MANIFEST_SCHEMA_HINT = 'See the "Manifest" section of the @streamsuites/kernel README for the expected keys and values.';

export function configHint(pluginId: string, packageName?: string): string {
  const from = packageName === undefined ? `plugin "${pluginId}"` : `${packageName} (plugin "${pluginId}")`;
  return `Check the configuration reference in the README of ${from}.`;
}

/** The hint for an id in `enable` that no plugin entry declares: a close declared id, or how to declare it. */
function undeclaredPluginHint(pluginId: string, declared: readonly string[], alsoIn: string, catalog: PluginCatalog): string {
  const mean = didYouMean(suggest(pluginId, declared));
  if (mean !== '') return `Check the id${alsoIn}. ${mean}`;
  const packageName = catalogPackage(catalog, pluginId) ?? '<npm package>';
  return `Add "${pluginId}": { "package": "${packageName}" } to "plugins", or fix the id${alsoIn}.`;
}

