import { dirname, resolve as resolvePath } from 'node:path';
import type { ManifestReader } from './document.js';
import { documentSource, readerFor, withIncludes, type IssueLocation, type ManifestSource } from './include.js';
import satisfies from 'semver/functions/satisfies.js';
import validRange from 'semver/ranges/valid.js';
import type { StreamSuitesError } from '../coded-error.js';
import { SS_ERR_KERNEL_VERSION, SS_ERR_MANIFEST_SCHEMA, SS_ERR_MANIFEST_UNKNOWN_KEY, SS_ERR_PLUGIN_DEPENDENCY_MISSING } from '../errors.js';
import { checkPlugins } from '../plugin-graph.js';
import type { AnyPlugin } from '../plugin.js';
import { collectSecrets, SecretRegistry } from '../redact.js';
import { KERNEL_VERSION } from '../version.js';
import { MANIFEST_SCHEMA_HINT, resolveCreatorEntry, schemaHint, validateConfig, configHint } from './creator-entry.js';
import { substituteEnv } from './env.js';
import { parsePointer, schemaIssues, type ManifestIssue } from './issues.js';
import { isObject } from './object.js';
import { applyOverrides, type ManifestOverrides } from './overrides.js';
import { loadPluginPackages } from './plugin-packages.js';
import { catalogPackage, EMPTY_CATALOG, type PluginCatalog } from './packages.js';
import { readManifestFile } from './read.js';
import { dropEnvFollowOns, manifestInvalid, placeIssues } from './report.js';
import { collectSectionClaims, resolveSections, type SectionClaims } from './sections.js';
import { DEFAULT_TIMEOUTS, MANIFEST_KEYS, ManifestSchema, type ManifestInput, type ResolvedCreator, type ResolvedManifest } from './schema.js';

// The pieces of loading that kernel.ts and the public API reach through this module.
export { formatIssue, manifestInvalid, placeIssues } from './report.js';
export { resolveCreatorEntry } from './creator-entry.js';
export type { ManifestOverrides } from './overrides.js';

export interface LoadManifestOptions {
  /** Plugins given directly by the host (embedding); manifest packages are imported. */
  plugins?: readonly AnyPlugin[];
  /**
   * Default plugins (`@streamsuites/defaults`): always loaded, configurable
   * under `plugins.<id>.config` without a package, and replaceable — by a
   * manifest entry of the same id with a `package`, or service by service:
   * a service a default plugin provides yields to another plugin's provider
   * of the same ref, and so does a manifest section it claims.
   */
  defaults?: readonly AnyPlugin[];
  /** Published plugins the host knows (for install and did-you-mean hints only). */
  catalog?: PluginCatalog;
  /** Environment for `${env:NAME}` (default `process.env`). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Base for relative paths of an inline manifest (default cwd). */
  baseDir?: string;
  /** Receives every secret found (substituted env values, values under secret keys). */
  secrets?: SecretRegistry;
  /** Applied over the manifest before it is validated (replays, one-off runs). */
  overrides?: ManifestOverrides;
  /**
   * Readers of other configuration formats (a reference-style
   * `shared/config` folder): a manifest path one of them accepts is read
   * through it, and so is each entry of a manifest's `include`.
   */
  readers?: readonly ManifestReader[];
}

export interface ManifestInspection {
  /** Every problem found, with paths (and positions when read from a file). */
  issues: ManifestIssue[];
  /** Present when there are no issues. */
  manifest: ResolvedManifest | undefined;
  /**
   * The manifest as far as it resolved, even with issues: every creator
   * entry with its valid sections. Lets createKernel report the problems
   * only plugins find (a creator's triggers) together with the loader's.
   */
  partial: ResolvedManifest;
  /** Plugins by id: the host's plus those imported from the manifest. */
  plugins: AnyPlugin[];
  /** Ids of the default plugins in effect (not replaced by the manifest). */
  defaults: ReadonlySet<string>;
  /** The manifest sections the plugins claim. */
  sections: SectionClaims;
  /** The plugin-graph problems among `issues`, as errors (boot errors). */
  bootErrors: StreamSuitesError[];
  /** The file, line and column of a JSON pointer (file undefined: the manifest itself; undefined for inline manifests). */
  locate(path: string): IssueLocation | undefined;
  /** Every file the manifest was read from (the manifest, included files, a folder's files): what `--watch` watches. */
  files: string[];
}

/**
 * Reads, parses and validates a manifest: JSON syntax, duplicate keys,
 * `${env:...}`, the manifest schema, plugin packages, the plugin graph, and
 * every plugin's config and creator config. Collects ALL problems; throws
 * only when the file cannot be read or is not JSON.
 */
export async function inspectManifest(
  input: string | ManifestInput | Record<string, unknown>,
  options: LoadManifestOptions = {},
): Promise<ManifestInspection> {
  const secrets = options.secrets ?? new SecretRegistry();
  const catalog = options.catalog ?? EMPTY_CATALOG;
  const env = options.env ?? process.env;
  const issues: ManifestIssue[] = [];
  let source = '<inline>';
  let baseDir = resolvePath(options.baseDir ?? process.cwd());
  const readers = options.readers ?? [];
  let main: ManifestSource = { value: input, locate: () => undefined, files: [] };

  if (typeof input === 'string') {
    source = resolvePath(input);
    const reader = await readerFor(source, readers);
    if (reader !== undefined) {
      const document = await reader.read(source);
      baseDir = resolvePath(document.baseDir);
      main = documentSource(document, issues);
    } else {
      baseDir = dirname(source);
      const parsed = await readManifestFile(source, issues);
      main = { value: parsed.value, locate: (path) => parsed.positionOf(parsePointer(path)), files: [source] };
    }
  }
  const merged = await withIncludes(main, baseDir, readers, issues);
  const raw = merged.value;

  const envStart = issues.length;
  const substituted = applyOverrides(substituteEnv(raw, env, secrets, issues), options.overrides) as ManifestInput;
  // A value whose ${env:...} could not be resolved is '' (or partly so): its own schema errors are follow-ons.
  const envProblems = issues.slice(envStart);
  collectSecrets(substituted, secrets);
  issues.push(...schemaIssues(ManifestSchema, substituted, [], { schema: SS_ERR_MANIFEST_SCHEMA.code, unknownKey: SS_ERR_MANIFEST_UNKNOWN_KEY.code, hint: schemaHint([], MANIFEST_SCHEMA_HINT) }));
  const manifest = isObject(substituted) ? substituted : ({ creators: {} } as ManifestInput);

  issues.push(...kernelRangeIssues(manifest.kernel));

  const entries = isObject(manifest.plugins) ? Object.entries(manifest.plugins) : [];
  const hostPlugins = options.plugins ?? [];
  const { plugins, failed, defaults } = await loadPluginPackages(entries, hostPlugins, options.defaults ?? [], baseDir, catalog, issues);
  const allPlugins = [...hostPlugins, ...[...plugins.values()].filter((p) => !hostPlugins.includes(p))];
  const sections = collectSectionClaims(allPlugins, defaults, issues);
  // A plugin that needs a declared plugin whose package failed: the package problem is the one to fix.
  const bootErrors = checkPlugins(allPlugins, KERNEL_VERSION).filter(
    (error) => !(SS_ERR_PLUGIN_DEPENDENCY_MISSING.is(error) && failed.has(String(error.details.dependency))),
  );
  for (const error of bootErrors) {
    const pluginId = error.details.pluginId;
    issues.push({
      code: error.code,
      path: typeof pluginId === 'string' && entries.some(([id]) => id === pluginId) ? `/plugins/${pluginId}` : '/plugins',
      message: error.message,
      hint: bootErrorHint(error, catalog),
    });
  }

  // Plugin-wide config.
  const resolvedPlugins: ResolvedManifest['plugins'] = {};
  for (const plugin of plugins.values()) {
    const entry = isObject(manifest.plugins) ? manifest.plugins[plugin.id] : undefined;
    const config = validateConfig(plugin.configSchema, entry?.config ?? {}, ['plugins', plugin.id, 'config'], issues, configHint(plugin.id, entry?.package));
    resolvedPlugins[plugin.id] = { ...(entry?.package === undefined ? {} : { package: entry.package }), config };
  }

  const rootSections = resolveSections(manifest as Record<string, unknown>, MANIFEST_KEYS, 'manifest', sections, [], issues);

  // Creators.
  const creators: Record<string, ResolvedCreator> = {};
  const partialCreators: Record<string, ResolvedCreator> = {};
  if (isObject(manifest.creators)) {
    for (const [id, creator] of Object.entries(manifest.creators)) {
      const partial = (entry: ResolvedCreator) => void (partialCreators[id] = entry);
      const resolved = resolveCreatorEntry(id, creator, plugins, sections, issues, ['creators', id], { skipShape: true, failedPlugins: failed, catalog, partial });
      if (resolved !== undefined) creators[id] = resolved;
    }
  }

  dropEnvFollowOns(issues, envProblems);
  placeIssues(issues, merged.locate);

  const resolved: ResolvedManifest = {
    source,
    ...(manifest.kernel === undefined ? {} : { kernel: manifest.kernel }),
    dataDir: resolvePath(baseDir, typeof manifest.dataDir === 'string' ? manifest.dataDir : './data'),
    logLevel: manifest.logLevel ?? 'info',
    onBootFailure: manifest.onBootFailure ?? 'continue',
    timeouts: { ...DEFAULT_TIMEOUTS, ...manifest.timeouts },
    sections: rootSections,
    plugins: resolvedPlugins,
    creators,
  };
  const partial = { ...resolved, creators: partialCreators };
  return { issues, manifest: issues.length > 0 ? undefined : resolved, partial, plugins: allPlugins, defaults, sections, bootErrors, locate: merged.locate, files: merged.files };
}

/** Like inspectManifest, but throws SS_ERR_MANIFEST_INVALID (all issues in details) when anything is wrong. */
export async function loadManifest(
  input: string | ManifestInput | Record<string, unknown>,
  options: LoadManifestOptions = {},
): Promise<{ manifest: ResolvedManifest; plugins: AnyPlugin[] }> {
  const inspection = await inspectManifest(input, options);
  if (inspection.manifest === undefined) throw manifestInvalid(typeof input === 'string' ? resolvePath(input) : '<inline>', inspection);
  return { manifest: inspection.manifest, plugins: inspection.plugins };
}

/** Problems of the manifest's `kernel` range: not semver, or not satisfied by this kernel. */
function kernelRangeIssues(range: unknown): ManifestIssue[] {
  if (typeof range !== 'string') return [];
  if (validRange(range) === null) {
    return [
      {
        code: SS_ERR_MANIFEST_SCHEMA.code,
        path: '/kernel',
        message: `"${range}" is not a semver range`,
        hint: `Write a semver range such as "^${KERNEL_VERSION}" (the kernel versions this manifest works with).`,
      },
    ];
  }
  if (!satisfies(KERNEL_VERSION, range, { includePrerelease: true })) {
    return [
      {
        code: SS_ERR_KERNEL_VERSION.code,
        path: '/kernel',
        message: `the manifest requires kernel ${range}, but this kernel is ${KERNEL_VERSION}`,
        hint: 'Upgrade @streamsuites/kernel or relax the range.',
      },
    ];
  }
  return [];
}

/** A plugin-graph problem's hint; a missing dependency the catalog knows gets its package named. */
function bootErrorHint(error: StreamSuitesError, catalog: PluginCatalog): string {
  const dependency = error.details.dependency;
  const known = SS_ERR_PLUGIN_DEPENDENCY_MISSING.is(error) && typeof dependency === 'string' ? catalogPackage(catalog, dependency) : undefined;
  if (known !== undefined) return error.hint!.replace('"<npm package>"', `"${known}"`);
  return error.hint ?? 'Fix the plugin set in "plugins" (see the kernel README, "Writing a plugin").';
}
