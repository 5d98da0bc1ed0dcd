import { readFile } from 'node:fs/promises';
import { dirname, resolve as resolvePath } from 'node:path';
import type { TSchema } from 'typebox';
import semver from 'semver';
import type { StreamSuitesError } from '../coded-error.js';
import {
  SS_ERR_CONFIG_INVALID,
  SS_ERR_CREATOR_ID_INVALID,
  SS_ERR_KERNEL_VERSION,
  SS_ERR_MANIFEST_DUPLICATE_CREATOR,
  SS_ERR_MANIFEST_DUPLICATE_KEY,
  SS_ERR_MANIFEST_INVALID,
  SS_ERR_MANIFEST_NOT_FOUND,
  SS_ERR_MANIFEST_PARSE,
  SS_ERR_MANIFEST_SCHEMA,
  SS_ERR_MANIFEST_UNKNOWN_KEY,
  SS_ERR_MANIFEST_UNKNOWN_PLUGIN,
  SS_ERR_PLUGIN_DEPENDENCY_MISSING,
  SS_ERR_PLUGIN_NOT_INSTALLED,
  SS_ERR_QUOTA_POLICY_INVALID,
} from '../errors.js';
import { checkPlugins } from '../plugin-graph.js';
import { importPluginPackage } from '../plugin-loader.js';
import type { AnyPlugin } from '../plugin.js';
import type { TriggerDefinition } from '../contracts/triggers.js';
import { collectSecrets, SecretRegistry } from '../redact.js';
import { KERNEL_VERSION } from '../version.js';
import { quotaPolicyProblems } from '../services/quota/policy.js';
import { applyDefaults } from './defaults.js';
import { substituteEnv } from './env.js';
import { fieldName, parsePointer, pointer, schemaIssues, unknownKeyHint, valueHint, type ManifestIssue, type SchemaProblem } from './issues.js';
import { installedPackages, isOfficialPackage, officialPluginPackage, suggestPackages } from './packages.js';
import { didYouMean, suggest } from './suggest.js';
import { isJsonSyntaxError, parseJsonWithPositions, type JsonPosition, type ParsedJson } from './json.js';
import {
  CREATOR_ID,
  CREATOR_ID_PATTERN,
  DEFAULT_TIMEOUTS,
  ManifestSchema,
  CreatorManifestSchema,
  type CreatorManifest,
  type ManifestInput,
  type ResolvedCreator,
  type ResolvedManifest,
} from './schema.js';

export interface LoadManifestOptions {
  /** Plugins given directly by the host (embedding); manifest packages are imported. */
  plugins?: readonly AnyPlugin[];
  /** Environment for `${env:NAME}` (default `process.env`). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Base for relative paths of an inline manifest (default cwd). */
  baseDir?: string;
  /** Receives every secret found (substituted env values, values under secret keys). */
  secrets?: SecretRegistry;
  /** Applied over the manifest before it is validated (replays, one-off runs). */
  overrides?: ManifestOverrides;
}

/** What a host may change in a manifest without editing the file. */
export interface ManifestOverrides {
  /** Replaces `dataDir` (absolute, or relative to the working directory). */
  dataDir?: string;
  /** Replaces the top-level `dryRun`. */
  dryRun?: boolean;
  /** Shallow-merged over `plugins.<id>.config` for the plugins the manifest lists. */
  pluginConfig?: Readonly<Record<string, Record<string, unknown>>>;
}

export interface ManifestInspection {
  /** Every problem found, with paths (and positions when read from a file). */
  issues: ManifestIssue[];
  /** Present when there are no issues. */
  manifest: ResolvedManifest | undefined;
  /** Plugins by id: the host's plus those imported from the manifest. */
  plugins: AnyPlugin[];
  /** The plugin-graph problems among `issues`, as errors (boot errors). */
  bootErrors: StreamSuitesError[];
  /** Line and column of a JSON pointer in the file (undefined for inline manifests). */
  locate(path: string): JsonPosition | undefined;
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
  const env = options.env ?? process.env;
  const issues: ManifestIssue[] = [];
  let source = '<inline>';
  let baseDir = resolvePath(options.baseDir ?? process.cwd());
  let parsed: ParsedJson | undefined;
  let raw: unknown = input;

  if (typeof input === 'string') {
    source = resolvePath(input);
    baseDir = dirname(source);
    let text: string;
    try {
      text = await readFile(source, 'utf8');
    } catch (error) {
      throw new SS_ERR_MANIFEST_NOT_FOUND(source, { cause: error, details: { file: source } });
    }
    const result = parseJsonWithPositions(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    if (isJsonSyntaxError(result)) {
      const { line, column } = result.position;
      throw new SS_ERR_MANIFEST_PARSE(source, line, column, result.problem, { details: { file: source, line, column } });
    }
    parsed = result;
    raw = result.value;
    for (const duplicate of result.duplicates) {
      const isCreator = duplicate.path.length === 2 && duplicate.path[0] === 'creators';
      issues.push({
        code: isCreator ? SS_ERR_MANIFEST_DUPLICATE_CREATOR.code : SS_ERR_MANIFEST_DUPLICATE_KEY.code,
        path: pointer(duplicate.path),
        message: isCreator ? `creator "${duplicate.path[1]}" is defined more than once` : 'the key appears more than once',
        hint: isCreator ? 'Each creator id must appear once; merge the definitions.' : 'Remove the duplicate keys.',
        position: duplicate.position,
      });
    }
  }

  const envStart = issues.length;
  const substituted = applyOverrides(substituteEnv(raw, env, secrets, issues), options.overrides) as ManifestInput;
  // A value whose ${env:...} could not be resolved is '' (or partly so): its own schema errors are follow-ons.
  const envProblems = issues.slice(envStart);
  collectSecrets(substituted, secrets);
  issues.push(...schemaIssues(ManifestSchema, substituted, [], { schema: SS_ERR_MANIFEST_SCHEMA.code, unknownKey: SS_ERR_MANIFEST_UNKNOWN_KEY.code, hint: schemaHint([], MANIFEST_SCHEMA_HINT) }));
  const manifest = isObject(substituted) ? substituted : ({ creators: {} } as ManifestInput);

  if (typeof manifest.kernel === 'string') {
    if (semver.validRange(manifest.kernel) === null) {
      issues.push({
        code: SS_ERR_MANIFEST_SCHEMA.code,
        path: '/kernel',
        message: `"${manifest.kernel}" is not a semver range`,
        hint: `Write a semver range such as "^${KERNEL_VERSION}" (the kernel versions this manifest works with).`,
      });
    } else if (!semver.satisfies(KERNEL_VERSION, manifest.kernel, { includePrerelease: true })) {
      issues.push({
        code: SS_ERR_KERNEL_VERSION.code,
        path: '/kernel',
        message: `the manifest requires kernel ${manifest.kernel}, but this kernel is ${KERNEL_VERSION}`,
        hint: 'Upgrade @streamsuites/kernel or relax the range.',
      });
    }
  }

  const entries = isObject(manifest.plugins) ? Object.entries(manifest.plugins) : [];
  const hostPlugins = options.plugins ?? [];
  const { plugins, failed } = await loadPluginPackages(entries, hostPlugins, baseDir, issues);
  const allPlugins = [...hostPlugins, ...[...plugins.values()].filter((p) => !hostPlugins.includes(p))];
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
      hint: error.hint ?? 'Fix the plugin set in "plugins" (see the kernel README, "Writing a plugin").',
    });
  }

  // Plugin-wide config.
  const resolvedPlugins: ResolvedManifest['plugins'] = {};
  for (const plugin of plugins.values()) {
    const entry = isObject(manifest.plugins) ? manifest.plugins[plugin.id] : undefined;
    const config = validateConfig(plugin.configSchema, entry?.config ?? {}, ['plugins', plugin.id, 'config'], issues, configHint(plugin.id, entry?.package));
    resolvedPlugins[plugin.id] = { ...(entry?.package === undefined ? {} : { package: entry.package }), config };
  }

  // Creators.
  const creators: Record<string, ResolvedCreator> = {};
  if (isObject(manifest.creators)) {
    for (const [id, creator] of Object.entries(manifest.creators)) {
      const resolved = resolveCreatorEntry(id, creator, plugins, issues, ['creators', id], { skipShape: true, failedPlugins: failed });
      if (resolved !== undefined) creators[id] = resolved;
    }
  }

  dropEnvFollowOns(issues, envProblems);
  if (parsed !== undefined) placeIssues(issues, (path) => parsed.positionOf(parsePointer(path)));

  const resolved: ResolvedManifest | undefined =
    issues.length > 0
      ? undefined
      : {
          source,
          ...(manifest.kernel === undefined ? {} : { kernel: manifest.kernel }),
          dataDir: resolvePath(baseDir, manifest.dataDir ?? './data'),
          logLevel: manifest.logLevel ?? 'info',
          onBootFailure: manifest.onBootFailure ?? 'continue',
          timeouts: { ...DEFAULT_TIMEOUTS, ...manifest.timeouts },
          dryRun: manifest.dryRun ?? false,
          plugins: resolvedPlugins,
          creators,
        };
  const locate = (path: string) => parsed?.positionOf(parsePointer(path));
  return { issues, manifest: resolved, plugins: allPlugins, bootErrors, locate };
}

function applyOverrides(manifest: unknown, overrides: ManifestOverrides | undefined): unknown {
  if (overrides === undefined || !isObject(manifest)) return manifest;
  const out: Record<string, unknown> = { ...manifest };
  if (overrides.dataDir !== undefined) out.dataDir = resolvePath(overrides.dataDir);
  if (overrides.dryRun !== undefined) out.dryRun = overrides.dryRun;
  if (overrides.pluginConfig !== undefined && isObject(out.plugins)) {
    const plugins: Record<string, unknown> = { ...out.plugins };
    for (const [id, patch] of Object.entries(overrides.pluginConfig)) {
      const entry = plugins[id];
      if (!isObject(entry)) continue;
      plugins[id] = { ...entry, config: { ...(isObject(entry.config) ? entry.config : {}), ...patch } };
    }
    out.plugins = plugins;
  }
  return out;
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

/**
 * The error thrown for an invalid manifest: when the only problems are plugin
 * graph problems, the first boot error itself (its own code); otherwise
 * SS_ERR_MANIFEST_INVALID listing every issue.
 */
export function manifestInvalid(source: string, inspection: ManifestInspection): StreamSuitesError {
  const first = inspection.bootErrors[0];
  if (first !== undefined && inspection.issues.length === inspection.bootErrors.length) {
    if (inspection.bootErrors.length > 1) Object.assign(first.details, { others: inspection.bootErrors.slice(1).map((e) => e.message) });
    return first;
  }
  const lines = inspection.issues.map(formatIssue);
  const error = new SS_ERR_MANIFEST_INVALID(source, inspection.issues.length, { details: { issues: inspection.issues } });
  error.message += `\n${lines.map((l) => `  - ${l}`).join('\n')}`;
  return error;
}

/** Adds file positions to issues that have none, then sorts them in file order, as an editor would list them. */
export function placeIssues(issues: ManifestIssue[], locate: (path: string) => JsonPosition | undefined): void {
  for (const issue of issues) {
    if (issue.position !== undefined) continue;
    const position = locate(issue.path);
    if (position !== undefined) issue.position = position;
  }
  issues.sort((a, b) => (a.position?.line ?? 0) - (b.position?.line ?? 0) || (a.position?.column ?? 0) - (b.position?.column ?? 0));
}

export function formatIssue(issue: ManifestIssue): string {
  const at = issue.position === undefined ? '' : ` (line ${issue.position.line}, column ${issue.position.column})`;
  return `${issue.path}${at}: ${issue.message} [${issue.code}]`;
}

/**
 * Validates one creator entry (from the manifest, or given to addCreator):
 * id, schema (unless already checked), enabled plugins, each enabled
 * plugin's creator config with defaults applied.
 */
export function resolveCreatorEntry(
  id: string,
  entry: unknown,
  plugins: ReadonlyMap<string, AnyPlugin>,
  issues: ManifestIssue[],
  basePath: string[],
  options: {
    skipShape?: boolean;
    /** Declared plugins whose package failed to load: already reported, so `enable` and `config` may name them. */
    failedPlugins?: ReadonlySet<string>;
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
      hint: undeclaredPluginHint(pluginId, declared, Object.hasOwn(configs, pluginId) ? ' here and in "config"' : ''),
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
  if (isObject(creator.quotas)) {
    for (const [platform, policy] of Object.entries(creator.quotas)) {
      const policyPath = [...basePath, 'quotas', platform];
      // Only what the schema cannot say (buffer < daily, a real time zone), and only once the shape is right.
      if (issues.some((issue) => issue.path.startsWith(pointer(policyPath)))) continue;
      for (const problem of quotaPolicyProblems(policy)) {
        issues.push({
          code: SS_ERR_QUOTA_POLICY_INVALID.code,
          path: pointer(problem.field === '' ? policyPath : [...policyPath, problem.field]),
          message: problem.message,
          hint: QUOTA_HINTS[problem.field] ?? QUOTA_HINTS[''],
        });
      }
    }
  }
  const config: Record<string, Record<string, unknown>> = {};
  for (const pluginId of new Set(enable)) {
    const plugin = plugins.get(pluginId);
    if (plugin === undefined) continue;
    config[pluginId] = validateConfig(plugin.creatorConfigSchema, configs[pluginId] ?? {}, [...basePath, 'config', pluginId], issues, configHint(pluginId));
  }
  if (issues.length > before) return undefined;
  return {
    id,
    ...(creator.displayName === undefined ? {} : { displayName: creator.displayName }),
    enable,
    config,
    triggers: (creator.triggers ?? []).map((trigger) => ({
      ...trigger,
      actions: trigger.actions.map((action) => ({ ...action, params: action.params ?? {} })),
    })) as TriggerDefinition[],
    quotas: creator.quotas ?? {},
    dryRun: creator.dryRun ?? false,
  };
}

/**
 * The plugins by id: the host's first, then each manifest entry's package,
 * imported from the manifest's folder. Entries the host already provides
 * need no package.
 */
async function loadPluginPackages(
  entries: [string, unknown][],
  hostPlugins: readonly AnyPlugin[],
  baseDir: string,
  issues: ManifestIssue[],
): Promise<{ plugins: Map<string, AnyPlugin>; failed: Set<string> }> {
  const plugins = new Map<string, AnyPlugin>();
  const failed = new Set<string>();
  let installed: string[] | undefined;
  for (const plugin of hostPlugins) if (!plugins.has(plugin.id)) plugins.set(plugin.id, plugin);
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
      } else if (isOfficialPackage(entry.package)) {
        hint = `Install it next to the manifest: pnpm add ${entry.package}`;
      } else {
        // Never an install command for a name that is not known: a misspelt name may be a typosquat.
        installed ??= installedPackages(baseDir);
        const mean = didYouMean(suggestPackages(entry.package, installed));
        hint =
          mean === ''
            ? 'Check the spelling: this is not an official StreamSuites package, and a third-party plugin must be installed next to the manifest first.'
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
  return { plugins, failed };
}

function validateConfig(
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
function schemaHint(basePath: readonly (string | number)[], docs: string): (problem: SchemaProblem) => string {
  const base = basePath.length === 0 ? '' : pointer(basePath);
  return (problem) =>
    problem.kind === 'unknown-key'
      ? unknownKeyHint(problem.key, problem.known)
      : `${valueHint(problem, (at) => fieldName(`${base}${at}`) || 'The manifest')} ${docs}`;
}

const MANIFEST_SCHEMA_HINT = 'See the "Manifest" section of the @streamsuites/kernel README for the expected keys and values.';

const QUOTA_HINTS: Record<string, string> = {
  '': 'A quota policy is { "daily": <units per day>, "buffer"?: <units kept for essential calls>, "timeZone"?: <IANA name> }.',
  daily: '"daily" is the platform\'s daily quota in units, a whole number (e.g. 10000).',
  buffer: '"buffer" is the part of "daily" kept for essential calls: a whole number smaller than "daily".',
  timeZone: 'Use the IANA time zone in which the platform\'s quota day starts, such as "America/Los_Angeles".',
};

function configHint(pluginId: string, packageName?: string): string {
  const from = packageName === undefined ? `plugin "${pluginId}"` : `${packageName} (plugin "${pluginId}")`;
  return `Check the configuration reference in the README of ${from}.`;
}

/** The hint for an id in `enable` that no plugin entry declares: a close declared id, or how to declare it. */
function undeclaredPluginHint(pluginId: string, declared: readonly string[], alsoIn: string): string {
  const mean = didYouMean(suggest(pluginId, declared));
  if (mean !== '') return `Check the id${alsoIn}. ${mean}`;
  const packageName = officialPluginPackage(pluginId) ?? '<npm package>';
  return `Add "${pluginId}": { "package": "${packageName}" } to "plugins", or fix the id${alsoIn}.`;
}

/** Problems with a key itself, not with its value: an unresolved `${env:...}` in the value does not explain them. */
const KEY_PROBLEMS: ReadonlySet<string> = new Set([
  SS_ERR_MANIFEST_UNKNOWN_KEY.code,
  SS_ERR_MANIFEST_DUPLICATE_KEY.code,
  SS_ERR_MANIFEST_DUPLICATE_CREATOR.code,
  SS_ERR_CREATOR_ID_INVALID.code,
]);

/**
 * Removes the problems a missing or malformed `${env:...}` causes further on:
 * the value became '' (or lost a part), so its schema, pattern or package
 * errors at the same path (or below) say nothing new. One root cause, one error.
 */
function dropEnvFollowOns(issues: ManifestIssue[], envProblems: readonly ManifestIssue[]): void {
  if (envProblems.length === 0) return;
  const roots = envProblems.map((issue) => issue.path);
  const keep = issues.filter(
    (issue) =>
      envProblems.includes(issue) ||
      KEY_PROBLEMS.has(issue.code) ||
      !roots.some((root) => issue.path === root || issue.path.startsWith(`${root}/`)),
  );
  issues.splice(0, issues.length, ...keep);
}

function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
