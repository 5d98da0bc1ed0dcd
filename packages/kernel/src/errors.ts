import { defineError } from './coded-error.js';

/*
 * Every error code the kernel throws. Each key equals its code, and each code
 * is documented in the README "Errors" table (checked by test/errors.test.ts).
 */

// ── Plugins and boot ────────────────────────────────────────────────────────
export const SS_ERR_PLUGIN_INVALID = defineError(
  'SS_ERR_PLUGIN_INVALID',
  (where: string, problem: string) => `Invalid plugin definition (${where}): ${problem}`,
  'Export the result of definePlugin({ id, version, kernel, register }) as the package default export.',
);
export const SS_ERR_PLUGIN_DUPLICATE_ID = defineError(
  'SS_ERR_PLUGIN_DUPLICATE_ID',
  (id: string) => `Two plugins declare the id "${id}"`,
  'Each plugin id must be unique: remove one of them from the manifest or the host.',
);
export const SS_ERR_PLUGIN_DEPENDENCY_MISSING = defineError(
  'SS_ERR_PLUGIN_DEPENDENCY_MISSING',
  (pluginId: string, dependency: string) => `Plugin "${pluginId}" requires plugin "${dependency}", which is not loaded`,
  // The package is named only when the host knows it (the manifest loader's hint): a guessed name could be a typosquat.
  (pluginId: string, dependency: string) =>
    `Add "${dependency}": { "package": "<npm package>" } to the manifest "plugins" section, ` +
    `or make the dependency optional in plugin "${pluginId}" ("${dependency}?").`,
);
export const SS_ERR_DEPENDENCY_CYCLE = defineError(
  'SS_ERR_DEPENDENCY_CYCLE',
  (cycle: string) => `Plugin dependencies form a cycle: ${cycle}`,
  'Break the cycle: one of these plugins must not depend on the other (an extension point usually replaces one direction).',
);
export const SS_ERR_KERNEL_VERSION = defineError(
  'SS_ERR_KERNEL_VERSION',
  (subject: string, range: string, actual: string) =>
    `${subject} requires kernel ${range}, but this kernel is ${actual}`,
  'Install a plugin version built for this kernel, or upgrade @streamsuites/kernel.',
);
export const SS_ERR_REGISTRATION_CLOSED = defineError(
  'SS_ERR_REGISTRATION_CLOSED',
  (pluginId: string, what: string) => `Plugin "${pluginId}" called ${what} outside of its register() phase`,
  'Declare services, extensions and the init hook synchronously inside register(); onInit may be called once.',
);
export const SS_ERR_SCOPE_VIOLATION = defineError(
  'SS_ERR_SCOPE_VIOLATION',
  (consumer: string, dependency: string) =>
    `${consumer} is process-wide (root scope) but depends on the creator-scoped service "${dependency}"`,
  'Make the consumer creator-scoped, or resolve the creator service in start() through ctx.resolve().',
);
export const SS_ERR_SERVICE_DUPLICATE = defineError(
  'SS_ERR_SERVICE_DUPLICATE',
  (serviceId: string, first: string, second: string) =>
    `Service "${serviceId}" is provided twice (by "${first}" and "${second}")`,
  'Only one plugin may provide a service ref: declare one of the two (a default plugin\'s service is replaced without this error); override it in tests with the `services` option instead.',
);
export const SS_ERR_SERVICE_CONTRACT = defineError(
  'SS_ERR_SERVICE_CONTRACT',
  (serviceId: string, provider: string, missing: string) =>
    `Service "${serviceId}" from "${provider}" does not implement its contract: ${missing} missing`,
  'A replacement must implement every method of the service\'s contract (see the ref\'s interface in @streamsuites/kernel); update or remove the plugin that provides it.',
);
export const SS_ERR_SERVICE_NOT_FOUND = defineError(
  'SS_ERR_SERVICE_NOT_FOUND',
  (serviceId: string, consumer: string) => `No plugin provides service "${serviceId}" (needed by ${consumer})`,
  'Load the plugin that provides it, and list that plugin in the consumer\'s dependencies.',
);
export const SS_ERR_PLUGIN_REGISTER_FAILED = defineError(
  'SS_ERR_PLUGIN_REGISTER_FAILED',
  (pluginId: string) => `Plugin "${pluginId}" threw in register()`,
);
export const SS_ERR_PLUGIN_INIT_FAILED = defineError(
  'SS_ERR_PLUGIN_INIT_FAILED',
  (pluginId: string) => `Plugin "${pluginId}" failed to initialise`,
);
export const SS_ERR_PLUGIN_START_FAILED = defineError(
  'SS_ERR_PLUGIN_START_FAILED',
  (pluginId: string, creatorId: string) => `Plugin "${pluginId}" failed to start for creator "${creatorId}"`,
);
export const SS_ERR_PLUGIN_STOP_FAILED = defineError(
  'SS_ERR_PLUGIN_STOP_FAILED',
  (pluginId: string, scope: string) => `Plugin "${pluginId}" failed to stop (${scope})`,
);
export const SS_ERR_PLUGIN_TIMEOUT = defineError(
  'SS_ERR_PLUGIN_TIMEOUT',
  (pluginId: string, phase: string, ms: number) => `Plugin "${pluginId}" did not finish ${phase} within ${ms} ms`,
  'Raise "timeouts" in the manifest if the plugin legitimately needs longer, or check what it is waiting for.',
);
export const SS_ERR_PLUGIN_DEPENDENCY_FAILED = defineError(
  'SS_ERR_PLUGIN_DEPENDENCY_FAILED',
  (pluginId: string, dependency: string) =>
    `Plugin "${pluginId}" was not started because its dependency "${dependency}" failed`,
  'Fix the failure of the dependency first (see the earlier kernel.plugin.failed report).',
);
export const SS_ERR_BOOT_ABORTED = defineError(
  'SS_ERR_BOOT_ABORTED',
  (reason: string) => `Boot aborted: ${reason}`,
  'The manifest sets onBootFailure to "abort"; use "continue" to keep the healthy plugins running.',
);
export const SS_ERR_STOP_FAILED = defineError(
  'SS_ERR_STOP_FAILED',
  (count: number) => `${count} step(s) failed while stopping the kernel`,
  'See error.cause (an AggregateError) for each failure; every other step still ran.',
);
export const SS_ERR_KERNEL_STATE = defineError(
  'SS_ERR_KERNEL_STATE',
  (action: string, state: string) => `Cannot ${action} while the kernel is ${state}`,
);

// ── Creators ────────────────────────────────────────────────────────────────
export const SS_ERR_CREATOR_ID_INVALID = defineError(
  'SS_ERR_CREATOR_ID_INVALID',
  (id: string) => `Invalid creator id "${id}"`,
  'Creator ids are 1-64 characters of a-z, 0-9, "_" and "-", starting with a letter or digit.',
);
export const SS_ERR_CREATOR_EXISTS = defineError(
  'SS_ERR_CREATOR_EXISTS',
  (id: string) => `Creator "${id}" already exists`,
  'Creator ids must be unique; remove the creator first or pick another id.',
);
export const SS_ERR_CREATOR_NOT_FOUND = defineError(
  'SS_ERR_CREATOR_NOT_FOUND',
  (id: string) => `Creator "${id}" is not running`,
);

// ── Manifest ────────────────────────────────────────────────────────────────
export const SS_ERR_MANIFEST_NOT_FOUND = defineError(
  'SS_ERR_MANIFEST_NOT_FOUND',
  (file: string) => `Cannot read manifest ${file}`,
  'Check the path; it is resolved against the current directory.',
);
export const SS_ERR_MANIFEST_INCLUDE = defineError(
  'SS_ERR_MANIFEST_INCLUDE',
  (include: string, problem: string) => `Cannot include "${include}": ${problem}`,
  'Each "include" entry is a path, relative to the manifest, of a configuration folder a reader of the host understands (streamsuites run reads reference-style shared/config folders) or of another manifest file.',
);
export const SS_ERR_RELOAD_REJECTED = defineError(
  'SS_ERR_RELOAD_REJECTED',
  (source: string, count: number) => `Reload of ${source} rejected: ${count} problem(s); the running configuration stays`,
  'Fix the problems listed (details.issues) and save again; nothing of the new configuration was applied.',
);
export const SS_ERR_RELOAD_RESTART_REQUIRED = defineError(
  'SS_ERR_RELOAD_RESTART_REQUIRED',
  (what: string) => `${what} changed, which a reload cannot apply`,
  'Restart streamsuites to apply it. Creators, their plugin config, triggers and rules reload live; the plugin set, plugin-wide config, dataDir, timeouts and onBootFailure need a restart.',
);
export const SS_ERR_MANIFEST_PARSE = defineError(
  'SS_ERR_MANIFEST_PARSE',
  (file: string, line: number, column: number, problem: string) =>
    `${file}:${line}:${column}: not valid JSON: ${problem}`,
  'Fix the JSON syntax at that position (comments and trailing commas are not allowed).',
);
export const SS_ERR_MANIFEST_INVALID = defineError(
  'SS_ERR_MANIFEST_INVALID',
  (source: string, count: number) => `${source}: ${count} problem(s) in the manifest`,
  'Each problem lists its JSON path; fix them all and run `streamsuites validate` again.',
);
export const SS_ERR_MANIFEST_SCHEMA = defineError(
  'SS_ERR_MANIFEST_SCHEMA',
  (path: string, problem: string) => `${path}: ${problem}`,
);
export const SS_ERR_MANIFEST_UNKNOWN_KEY = defineError(
  'SS_ERR_MANIFEST_UNKNOWN_KEY',
  (path: string, key: string) => `${path}: unknown key "${key}"`,
  'Remove the key or check its spelling against the manifest reference.',
);
export const SS_ERR_MANIFEST_DUPLICATE_KEY = defineError(
  'SS_ERR_MANIFEST_DUPLICATE_KEY',
  (path: string) => `${path}: the key appears more than once`,
  'JSON objects keep only the last duplicate; remove the other copies.',
);
export const SS_ERR_MANIFEST_DUPLICATE_CREATOR = defineError(
  'SS_ERR_MANIFEST_DUPLICATE_CREATOR',
  (id: string) => `/creators/${id}: creator "${id}" is defined more than once`,
  'Each creator id must appear once; merge the two definitions.',
);
export const SS_ERR_MANIFEST_ENV_MISSING = defineError(
  'SS_ERR_MANIFEST_ENV_MISSING',
  (path: string, name: string) => `${path}: environment variable ${name} is not set`,
  (_path: string, name: string) => `Set ${name} in the environment (or a .env loaded by your process manager).`,
);
export const SS_ERR_MANIFEST_SECTION_UNCLAIMED = defineError(
  'SS_ERR_MANIFEST_SECTION_UNCLAIMED',
  (key: string) => `No loaded plugin reads the manifest section "${key}"`,
  'Remove the key, or declare the plugin that adds this section in "plugins".',
);
export const SS_ERR_MANIFEST_SECTION_DUPLICATE = defineError(
  'SS_ERR_MANIFEST_SECTION_DUPLICATE',
  (key: string, plugins: string) => `Manifest section "${key}" is claimed by more than one plugin (${plugins})`,
  'Declare only one of them: each manifest section has one owner.',
);
export const SS_ERR_MANIFEST_UNKNOWN_PLUGIN = defineError(
  'SS_ERR_MANIFEST_UNKNOWN_PLUGIN',
  (path: string, pluginId: string) => `${path}: plugin "${pluginId}" is not declared in "plugins"`,
  (_path: string, pluginId: string) =>
    `Add "${pluginId}": { "package": "<npm package>" } to the manifest "plugins" section, or fix the id.`,
);
export const SS_ERR_PLUGIN_NOT_INSTALLED = defineError(
  'SS_ERR_PLUGIN_NOT_INSTALLED',
  (packageName: string, from: string) => `Plugin package "${packageName}" is not installed (looked from ${from})`,
  // No install command here: installing a misspelt name could install a typosquat (the manifest loader names known packages).
  'Check the spelling of the package name, and install it next to the manifest.',
);
export const SS_ERR_PLUGIN_LOAD_FAILED = defineError(
  'SS_ERR_PLUGIN_LOAD_FAILED',
  (packageName: string, problem: string) => `Plugin package "${packageName}" could not be loaded: ${problem}`,
  'Check that the package is a StreamSuites plugin (its default export is definePlugin(...)) and is installed completely; reinstall it if in doubt.',
);
export const SS_ERR_CONFIG_INVALID = defineError(
  'SS_ERR_CONFIG_INVALID',
  (path: string, problem: string) => `${path}: ${problem}`,
  'Check the plugin README for its configuration reference.',
);


// ── Platforms ───────────────────────────────────────────────────────────────
export const SS_ERR_PLATFORM_UNSUPPORTED = defineError(
  'SS_ERR_PLATFORM_UNSUPPORTED',
  (platform: string, creatorId: string, reason: string) => `${platform} cannot run for creator "${creatorId}": ${reason}`,
  'The platform has no public, documented API this plugin can use. Remove the plugin from the creator\'s enable list, or supply a transport (see the plugin README). The creator\'s other plugins keep running.',
);

// ── Event bus ───────────────────────────────────────────────────────────────
export const SS_ERR_WAIT_TIMEOUT = defineError(
  'SS_ERR_WAIT_TIMEOUT',
  (event: string, ms: number) => `Timed out after ${ms} ms waiting for "${event}"`,
);
export const SS_ERR_ABORTED = defineError('SS_ERR_ABORTED', (what: string) => `${what} was aborted`);

// ── Backoff ─────────────────────────────────────────────────────────────────
export const SS_ERR_BACKOFF_INVALID = defineError(
  'SS_ERR_BACKOFF_INVALID',
  (what: string, problem: string) => `Invalid backoff ${what}: ${problem}`,
  'initialMs and maxMs are milliseconds ≥ 0, factor a number ≥ 1, jitter fractions from 0 to 1, attempt an integer ≥ 0 and random() returns 0 to 1.',
);
