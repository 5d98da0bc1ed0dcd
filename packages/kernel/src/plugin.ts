import type { Static, TSchema } from 'typebox';
import type { Contribution, ExtensionPoint } from './extension-point.js';
import type { Logger } from './logger.js';
import type { ResolvedDeps, ServiceRef } from './service-ref.js';

/** Refs a hook or factory depends on, by the name it wants them under. */
export type DepsMap = Record<string, ServiceRef<unknown>>;

/** What a plugin knows about one creator when it starts for them. */
export interface CreatorContext {
  /** Creator id from the manifest. */
  readonly id: string;
  /** Plugins enabled for the creator, in start order. */
  readonly enabled: readonly string[];
  /** Per-plugin creator config, validated (`config[pluginId]`). */
  readonly config: Readonly<Record<string, unknown>>;
  /** Logger bound to `{ creator: id }`. */
  readonly logger: Logger;
  /** Aborted when the creator is removed or the kernel stops. */
  readonly signal: AbortSignal;
  /**
   * True while the creator runs as a hot standby (`kernel.startCreator(id,
   * { standby: true })`): its platform plugins stay connected so another
   * process's failure loses nothing, but it must not act — the trigger
   * pipeline leaves its chat and events alone, and a plugin that acts on its
   * own (announcements, scheduled posts) should wait. Turns false when the
   * creator is promoted (`kernel.creator.promoted`).
   */
  readonly standby: boolean;
}

export interface PluginInitContext<C, D extends DepsMap> {
  readonly pluginId: string;
  /** Plugin-wide config from `plugins.<id>.config`, validated, defaults applied. */
  readonly config: C;
  readonly deps: ResolvedDeps<D>;
  readonly logger: Logger;
  /** Absolute data directory from the manifest (`dataDir`). */
  readonly dataDir: string;
  /** Everything contributed to an extension point, in registration order. */
  extensions<T>(point: ExtensionPoint<T>): readonly Contribution<T>[];
}

export interface PluginStartContext<C, CC, D extends DepsMap> {
  readonly pluginId: string;
  readonly creator: CreatorContext;
  /** This plugin's config for the creator (`creators.<id>.config.<pluginId>`), validated. */
  readonly creatorConfig: CC;
  /** Plugin-wide config. */
  readonly config: C;
  readonly deps: ResolvedDeps<D>;
  /** Logger bound to `{ plugin, creator }`. */
  readonly logger: Logger;
  /** Same as `creator.signal`. */
  readonly signal: AbortSignal;
  /** Resolves a service in this creator's scope (creator- or root-scoped). */
  resolve<T>(ref: ServiceRef<T>): T;
}

export interface PluginStopContext<C, D extends DepsMap> {
  readonly pluginId: string;
  readonly config: C;
  readonly deps: ResolvedDeps<D>;
  readonly logger: Logger;
}

/** Returned by `start` to undo it when the creator stops. */
export type CreatorStop = () => unknown;

export interface InitHook<C, CC, D extends DepsMap> {
  /** Root-scoped services resolved for init, start and stop. */
  deps?: D;
  /** Once per process, in dependency order. */
  init?(ctx: PluginInitContext<C, D>): void | Promise<void>;
  /** Once per creator that enables the plugin; may return its own stop. */
  start?(ctx: PluginStartContext<C, CC, D>): void | CreatorStop | Promise<void | CreatorStop>;
  /**
   * Once at shutdown, before any creator stops, in reverse dependency order:
   * the last moment to see the whole runtime (final exports, log flushes).
   */
  beforeStop?(ctx: PluginStopContext<C, D>): void | Promise<void>;
  /** Once at shutdown, after every creator stopped, in reverse dependency order. */
  stop?(ctx: PluginStopContext<C, D>): void | Promise<void>;
}

/** What a service factory knows besides its deps. */
export interface ProviderContext<C = unknown> {
  /** The providing plugin (`kernel` for the kernel's defaults). */
  readonly pluginId: string;
  /** The providing plugin's config (`plugins.<id>.config`), validated. */
  readonly config: C;
  /** Absolute data directory from the manifest. */
  readonly dataDir: string;
  /** Logger bound to the providing plugin. */
  readonly logger: Logger;
  /** Contributions to an extension point (frozen: registration is over when factories run). */
  extensions<T>(point: ExtensionPoint<T>): readonly Contribution<T>[];
}

export interface ProviderOptions<T, D extends DepsMap, C = unknown> {
  deps?: D;
  /**
   * Builds the service, once per scope. Synchronous (awilix resolves
   * synchronously): keep it to construction; slow I/O belongs in init/start.
   */
  factory(deps: ResolvedDeps<D>, ctx: ProviderContext<C>): T;
  /** Called when the scope is disposed (creator removed, kernel stopped). */
  dispose?(instance: T): void | Promise<void>;
}

/** The `reg` argument of `register(reg)`. Only usable while register() runs. */
export interface PluginRegistrar<C, CC> {
  readonly pluginId: string;
  /** Provides the implementation of a service ref, in the ref's scope (`dispose` sees the factory's own type). */
  provide<T, D extends DepsMap = {}, I extends T = T>(ref: ServiceRef<T>, options: ProviderOptions<I, D, C>): void;
  /** Contributes a value to an extension point. */
  extend<T>(point: ExtensionPoint<T>, value: T): void;
  /** Declares the lifecycle hooks; at most once per plugin. */
  onInit<D extends DepsMap = {}>(hook: InitHook<C, CC, D>): void;
}

export interface PluginOptions<CS extends TSchema | undefined, CCS extends TSchema | undefined> {
  /** Unique lowercase id, as used in the manifest (`plugins.<id>`, `enable`). */
  id: string;
  /** The plugin's own semver version. */
  version: string;
  /** Semver range of @streamsuites/kernel this plugin works with. */
  kernel: string;
  /** Plugin ids this one needs; suffix `?` for optional ones. */
  dependencies?: readonly string[];
  description?: string;
  /** typebox schema of `plugins.<id>.config`. */
  configSchema?: CS;
  /** typebox schema of `creators.<creator>.config.<id>`. */
  creatorConfigSchema?: CCS;
  /**
   * `skip`: a replay (`createKernel({ mode: 'replay' })`) leaves this plugin
   * out, because it talks to the outside world or records live traffic
   * (platform connections, chat logging). Default `run`.
   */
  replay?: 'run' | 'skip';
  register(reg: PluginRegistrar<SchemaType<CS>, SchemaType<CCS>>): void;
}

type SchemaType<S> = S extends TSchema ? Static<S> : Record<string, never>;

export const PLUGIN_BRAND = '@streamsuites/Plugin';

export interface PluginDefinition<C = unknown, CC = unknown> {
  readonly $$type: typeof PLUGIN_BRAND;
  readonly id: string;
  readonly version: string;
  readonly kernel: string;
  readonly dependencies: readonly string[];
  readonly description?: string;
  readonly configSchema?: TSchema;
  readonly creatorConfigSchema?: TSchema;
  /** See {@link PluginOptions.replay}. */
  readonly replay?: 'run' | 'skip';
  register(reg: PluginRegistrar<C, CC>): void;
}

/** Any plugin, whatever its config types. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyPlugin = PluginDefinition<any, any>;

/**
 * Declares a plugin. Nothing runs here: the kernel checks the metadata
 * (id, kernel range, dependencies) before calling `register`.
 *
 * ```ts
 * export default definePlugin({
 *   id: 'hello', version: '1.0.0', kernel: '^0.2.0',
 *   creatorConfigSchema: Type.Object({ greeting: Type.String({ default: 'hi' }) }),
 *   register(reg) {
 *     reg.onInit({ deps: { bus: busRef }, start({ deps, creatorConfig }) {
 *       return deps.bus.on('chat.message', () => console.log(creatorConfig.greeting));
 *     } });
 *   },
 * });
 * ```
 */
export function definePlugin<
  const CS extends TSchema | undefined = undefined,
  const CCS extends TSchema | undefined = undefined,
>(options: PluginOptions<CS, CCS>): PluginDefinition<SchemaType<CS>, SchemaType<CCS>> {
  const definition: PluginDefinition<SchemaType<CS>, SchemaType<CCS>> = {
    $$type: PLUGIN_BRAND,
    id: options.id,
    version: options.version,
    kernel: options.kernel,
    dependencies: Object.freeze([...(options.dependencies ?? [])]),
    register: options.register,
  };
  const optional = {
    description: options.description,
    configSchema: options.configSchema,
    creatorConfigSchema: options.creatorConfigSchema,
    replay: options.replay,
  };
  for (const [key, value] of Object.entries(optional)) {
    if (value !== undefined) Object.assign(definition, { [key]: value });
  }
  return Object.freeze(definition);
}

export function isPluginDefinition(value: unknown): value is AnyPlugin {
  return typeof value === 'object' && value !== null && (value as { $$type?: unknown }).$$type === PLUGIN_BRAND;
}

/** Splits `'exports?'` into `{ id: 'exports', optional: true }`. */
export function parseDependency(spec: string): { id: string; optional: boolean } {
  return spec.endsWith('?') ? { id: spec.slice(0, -1), optional: true } : { id: spec, optional: false };
}
