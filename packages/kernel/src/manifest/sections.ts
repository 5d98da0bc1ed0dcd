import { manifestSectionsExtensionPoint, type ManifestSection, type SectionScope } from '../contracts/sections.js';
import { SS_ERR_MANIFEST_SCHEMA, SS_ERR_MANIFEST_SECTION_DUPLICATE, SS_ERR_MANIFEST_SECTION_UNCLAIMED, SS_ERR_MANIFEST_UNKNOWN_KEY } from '../errors.js';
import type { AnyPlugin } from '../plugin.js';
import { runRegister } from '../registration.js';
import { applyDefaults } from './defaults.js';
import { pointer, schemaIssues, type ManifestIssue } from './issues.js';
import { didYouMean, suggest } from './suggest.js';
import { schemaHint } from './creator-entry.js';

/** The sections claimed by the loaded plugins, by scope and key. */
export interface SectionClaims {
  get(scope: SectionScope, key: string): { pluginId: string; section: ManifestSection } | undefined;
  keys(scope: SectionScope): string[];
}

export const EMPTY_CLAIMS: SectionClaims = { get: () => undefined, keys: () => [] };

/**
 * Collects the sections the plugins claim. register() only declares things,
 * so it is run here on a buffer to read the claims (the kernel runs it again
 * for real; a plugin whose register() throws is reported there). A default
 * plugin's claim yields to another plugin's claim of the same key; two
 * other plugins claiming one key is a problem.
 */
export function collectSectionClaims(plugins: readonly AnyPlugin[], defaults: ReadonlySet<string>, issues: ManifestIssue[]): SectionClaims {
  const claims = new Map<string, { pluginId: string; section: ManifestSection }>();
  const sorted = [...plugins].sort((a, b) => Number(!defaults.has(a.id)) - Number(!defaults.has(b.id)));
  for (const plugin of sorted) {
    let contributions;
    try {
      contributions = runRegister(plugin).contributions;
    } catch {
      continue;
    }
    for (const { point, value } of contributions) {
      if (point.id !== manifestSectionsExtensionPoint.id) continue;
      const section = value as ManifestSection;
      const id = `${section.scope}:${section.key}`;
      const first = claims.get(id);
      if (first !== undefined && !defaults.has(first.pluginId)) {
        issues.push({
          code: SS_ERR_MANIFEST_SECTION_DUPLICATE.code,
          path: '/plugins',
          message: `plugins "${first.pluginId}" and "${plugin.id}" both read the ${section.scope} section "${section.key}"`,
          hint: 'Declare only one of them: each manifest section has one owner.',
        });
        continue;
      }
      claims.set(id, { pluginId: plugin.id, section });
    }
  }
  return {
    get: (scope, key) => claims.get(`${scope}:${key}`),
    keys: (scope) => [...claims.values()].filter((c) => c.section.scope === scope).map((c) => c.section.key),
  };
}

/**
 * Validates the keys of a manifest object (the top level, or a creator entry)
 * beyond the kernel's own `ownKeys`: each must be a claimed section and match
 * its schema and check. Returns the validated values (defaults applied).
 */
export function resolveSections(
  entry: Record<string, unknown>,
  ownKeys: readonly string[],
  scope: SectionScope,
  claims: SectionClaims,
  basePath: readonly (string | number)[],
  issues: ManifestIssue[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(entry)) {
    if (ownKeys.includes(key)) continue;
    const path = [...basePath, key];
    const claim = claims.get(scope, key);
    if (claim === undefined) {
      const mean = didYouMean(suggest(key, [...ownKeys, ...claims.keys(scope)]));
      issues.push({
        code: (mean === '' ? SS_ERR_MANIFEST_SECTION_UNCLAIMED : SS_ERR_MANIFEST_UNKNOWN_KEY).code,
        path: pointer(path),
        message: mean === '' ? `no loaded plugin reads the ${scope} section "${key}"` : `unknown key "${key}"`,
        hint: mean === '' ? `Remove "${key}", or declare the plugin that adds this section in "plugins".` : `Check the key. ${mean}`,
      });
      continue;
    }
    const { section, pluginId } = claim;
    const value = applyDefaults(section.schema, raw);
    const found = schemaIssues(section.schema, value, path, {
      schema: SS_ERR_MANIFEST_SCHEMA.code,
      unknownKey: SS_ERR_MANIFEST_UNKNOWN_KEY.code,
      hint: schemaHint(path, `See the README of the plugin that reads "${key}" ("${pluginId}").`),
    });
    const problems = found.length > 0 ? found : runCheck(section, value, path, pluginId);
    issues.push(...problems);
    // Only a valid section is handed on (a partial manifest's checks never see a broken one).
    if (problems.length === 0) out[key] = value;
  }
  return out;
}

/** A section's own check; one that throws is a problem of that plugin, reported with the others (never a crash of the loader). */
function runCheck(section: ManifestSection, value: unknown, path: (string | number)[], pluginId: string): ManifestIssue[] {
  try {
    return section.check?.(value, path) ?? [];
  } catch (error) {
    return [
      {
        code: SS_ERR_MANIFEST_SCHEMA.code,
        path: pointer(path),
        message: `the check of section "${section.key}" (plugin "${pluginId}") failed: ${error instanceof Error ? error.message : String(error)}`,
        hint: `A bug in plugin "${pluginId}": report it with this message. Removing "${section.key}" avoids it meanwhile.`,
      },
    ];
  }
}

