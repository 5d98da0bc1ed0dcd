import { setMaxListeners } from 'node:events';
import { asFunction, asValue, createContainer, InjectionMode, Lifetime, type AwilixContainer } from 'awilix';
import type { DestinationStream } from 'pino';
import { EventBus } from './bus.js';
import { serializeError, StreamSuitesError, type SerializedError } from './coded-error.js';
import { systemClock, type Clock } from './contracts/clock.js';
import {
  SS_ERR_BOOT_ABORTED,
  SS_ERR_CREATOR_EXISTS,
  SS_ERR_CREATOR_NOT_FOUND,
  SS_ERR_KERNEL_STATE,
  SS_ERR_PLUGIN_DEPENDENCY_FAILED,
  SS_ERR_PLUGIN_INIT_FAILED,
  SS_ERR_PLUGIN_REGISTER_FAILED,
  SS_ERR_PLUGIN_START_FAILED,
  SS_ERR_PLUGIN_STOP_FAILED,
  SS_ERR_PLUGIN_TIMEOUT,
  SS_ERR_SCOPE_VIOLATION,
  SS_ERR_SERVICE_NOT_FOUND,
  SS_ERR_STOP_FAILED,
} from './errors.js';
import type { PluginPhase } from './events.js';
import type { Contribution, ExtensionPoint } from './extension-point.js';
import { createLogger, type Logger, type LogLevel } from './logger.js';
import { inspectManifest, manifestInvalid, placeIssues, resolveCreatorEntry, type LoadManifestOptions, type ManifestInspection } from './manifest/load.js';
import type { ManifestInput, ResolvedCreator, ResolvedManifest } from './manifest/schema.js';
import { parseDependency, type AnyPlugin, type CreatorContext, type CreatorStop, type DepsMap, type ProviderContext } from './plugin.js';
import { topoLayers } from './plugin-graph.js';
import { SecretRegistry } from './redact.js';
import { handleStopSignals } from './signals.js';
import { busRef, clockRef, creatorContextRef, kernelRef, loggerRef, secretsRef } from './refs.js';
import { quotaRegistryRef, type QuotaRegistry } from './contracts/quotas.js';
import { runtimeHooksExtensionPoint, type RuntimeHooks } from './contracts/runtime-hooks.js';
import { configureCreatorQuotas } from './services/quota/registry.js';
import type { ManifestIssue } from './manifest/issues.js';
import { defaultContributions, defaultProviders } from './services/defaults.js';
import { checkServices, runRegister, type PluginRegistration, type Provider } from './registration.js';
import type { ResolvedDeps, ServiceRef } from './service-ref.js';
import { attempt, withTimeout } from './timeout.js';

export type KernelState = 'created' | 'starting' | 'running' | 'stopping' | 'stopped';
export type PluginStatus = 'registered' | 'running' | 'failed' | 'skipped';

/** Replaces the provider of a service (tests, embedding hosts). */
export interface ServiceOverride<T = unknown, D extends DepsMap = DepsMap> {
  ref: ServiceRef<T>;
  deps?: D;
  factory(deps: ResolvedDeps<D>, ctx: ProviderContext): T;
  dispose?(instance: T): void | Promise<void>;
}

export interface CreateKernelOptions extends Omit<LoadManifestOptions, 'secrets'> {
  /** Path of a manifest JSON file, or the manifest object. */
  manifest: string | ManifestInput | Record<string, unknown>;
  /** A ready logger; by default one is created at the manifest's logLevel. */
  logger?: Logger;
  /** Where the default logger writes (default stdout; pretty on a TTY). */
  logDestination?: DestinationStream;
  /** Overrides the manifest's logLevel for the default logger. */
  logLevel?: LogLevel;
  clock?: Clock;
  services?: readonly ServiceOverride<any, any>[];
  /**
   * `replay`: the kernel runs recorded events, not live traffic. Plugins
   * declared `replay: 'skip'` (platform connections, chat logging) are left
   * out, as if no creator enabled them. Default `live`.
   */
  mode?: KernelMode;
}

export type KernelMode = 'live' | 'replay';

export interface KernelStatus {
  state: KernelState;
  plugins: { id: string; version: string; status: PluginStatus; error?: string }[];
  creators: { id: string; plugins: Record<string, PluginStatus> }[];
}

interface PluginRecord {
  plugin: AnyPlugin;
  config: Record<string, unknown>;
  registration: PluginRegistration | undefined;
  status: PluginStatus;
  error?: StreamSuitesError;
  logger: Logger;
  deps?: Record<string, unknown>;
}

interface CreatorRecord {
  resolved: ResolvedCreator;
  scope: AwilixContainer;
  controller: AbortController;
  context: CreatorContext;
  started: { pluginId: string; stop: CreatorStop | undefined }[];
  status: Map<string, PluginStatus>;
  /** Creator-scoped services with a dispose, in the order they were built. */
  disposers: Disposer[];
  stopping?: Promise<StreamSuitesError[]>;
}

/** A built service to dispose at stop, recorded in build order (dependencies first). */
interface Disposer {
  serviceId: string;
  dispose: () => unknown;
}

const BUILTIN_REFS = [busRef, loggerRef, clockRef, secretsRef, kernelRef, creatorContextRef] as ServiceRef<unknown>[];

/**
 * Loads and validates the manifest, imports plugin packages, checks the
 * plugin graph and runs every plugin's register(). Nothing is started:
 * subscribe to `kernel.bus`, then `await kernel.start()`.
 *
 * Throws a coded error for a bad manifest (SS_ERR_MANIFEST_*, all problems
 * listed) or a bad plugin graph (SS_ERR_PLUGIN_DEPENDENCY_MISSING,
 * SS_ERR_DEPENDENCY_CYCLE, SS_ERR_KERNEL_VERSION, SS_ERR_PLUGIN_DUPLICATE_ID,
 * SS_ERR_SCOPE_VIOLATION...).
 */
export async function createKernel(options: CreateKernelOptions): Promise<Kernel> {
  const secrets = new SecretRegistry();
  const inspection = await inspectManifest(options.manifest, { ...options, secrets });
  if (inspection.manifest === undefined) {
    throw manifestInvalid(typeof options.manifest === 'string' ? options.manifest : '<inline>', inspection);
  }
  const logger =
    options.logger ??
    createLogger({
      level: options.logLevel ?? inspection.manifest.logLevel,
      secrets,
      ...(options.logDestination === undefined ? {} : { destination: options.logDestination }),
    });
  const mode = options.mode ?? 'live';
  return new Kernel(inspection.manifest, inspection.plugins, {
    mode,
    logger,
    secrets,
    clock: options.clock ?? systemClock,
    services: options.services ?? [],
    locate: inspection.locate,
  });
}

export class Kernel {
  readonly bus: EventBus;
  readonly logger: Logger;
  readonly manifest: ResolvedManifest;
  readonly clock: Clock;
  readonly secrets: SecretRegistry;
  /** `replay` while `streamsuites replay` runs recorded events through this kernel. */
  readonly mode: KernelMode;

  readonly #root: AwilixContainer;
  readonly #plugins = new Map<string, PluginRecord>();
  /** Plugins in init order (dependencies first). */
  readonly #order: PluginRecord[];
  readonly #creators = new Map<string, CreatorRecord>();
  readonly #rootDisposers: Disposer[] = [];
  #state: KernelState = 'created';
  #startedAt: number | undefined;
  #starting: Promise<void> | undefined;
  #stopping: Promise<void> | undefined;
  readonly #pendingFailures: { record: PluginRecord; phase: PluginPhase; error: StreamSuitesError }[] = [];

  /** @internal Use createKernel(). */
  constructor(
    manifest: ResolvedManifest,
    plugins: readonly AnyPlugin[],
    internals: {
      mode?: KernelMode;
      logger: Logger;
      secrets: SecretRegistry;
      clock: Clock;
      services: readonly ServiceOverride<any, any>[];
      locate: ManifestInspection['locate'];
    },
  ) {
    this.manifest = manifest;
    this.logger = internals.logger;
    this.secrets = internals.secrets;
    this.clock = internals.clock;
    this.mode = internals.mode ?? 'live';
    this.bus = new EventBus({
      onListenerError: (error, event) => this.logger.error({ err: error, event }, `listener of "${event}" failed`),
      sanitize: (error) => this.secrets.redact(error),
    });
    this.#root = createContainer({ injectionMode: InjectionMode.PROXY, strict: true });
    this.#root.register({
      [busRef.id]: asValue(this.bus),
      [loggerRef.id]: asValue(this.logger),
      [clockRef.id]: asValue(this.clock),
      [secretsRef.id]: asValue(this.secrets),
      [kernelRef.id]: asValue(this),
    });

    for (const plugin of plugins) {
      this.#plugins.set(plugin.id, {
        plugin,
        config: manifest.plugins[plugin.id]?.config ?? {},
        registration: undefined,
        status: 'registered',
        logger: this.logger.child({ plugin: plugin.id }),
      });
    }
    this.#order = topoLayers(plugins).flat().map((p) => this.#plugins.get(p.id)!);
    this.#register(internals.services);
    const issues = Object.values(manifest.creators).flatMap((creator) => this.#creatorIssues(creator, ['creators', creator.id]));
    if (issues.length > 0) {
      placeIssues(issues, internals.locate);
      throw manifestInvalid(manifest.source, { issues, manifest: undefined, plugins: [], bootErrors: [], locate: internals.locate });
    }
  }

  get state(): KernelState {
    return this.#state;
  }

  /** Kernel clock time when start() finished, undefined before. */
  get startedAt(): number | undefined {
    return this.#startedAt;
  }

  /** The validated manifest entry of a running creator (added at runtime or not). */
  creator(id: string): ResolvedCreator | undefined {
    return this.#creators.get(id)?.resolved;
  }

  /** Ids of the creators currently running. */
  creators(): string[] {
    return [...this.#creators.keys()];
  }

  /**
   * Resolves once every chat message on the bus so far has been through its
   * triggers and actions (replays wait for it between events, so each
   * event sees the effects of the ones before it).
   */
  async idle(): Promise<void> {
    await Promise.all(this.#runtimeHooks().map(({ hooks, deps }) => hooks.idle?.(deps)));
  }

  /** Resolves a root-scoped service. */
  resolve<T>(ref: ServiceRef<T, 'root'>): T {
    // Resolving a creator service from the root would cache it process-wide.
    if ((ref as ServiceRef<T>).scope === 'creator') throw new SS_ERR_SCOPE_VIOLATION('kernel.resolve()', ref.id);
    return this.#resolveIn(this.#root, ref, 'kernel.resolve()');
  }

  /** Resolves a service in a creator's scope. */
  resolveFor<T>(creatorId: string, ref: ServiceRef<T>): T {
    const creator = this.#creators.get(creatorId);
    if (creator === undefined) throw new SS_ERR_CREATOR_NOT_FOUND(creatorId);
    return this.#resolveIn(creator.scope, ref, `kernel.resolveFor("${creatorId}")`);
  }

  status(): KernelStatus {
    return {
      state: this.#state,
      plugins: this.#order.map((r) => ({
        id: r.plugin.id,
        version: r.plugin.version,
        status: r.status,
        ...(r.error === undefined ? {} : { error: r.error.message }),
      })),
      creators: [...this.#creators.values()].map((c) => ({ id: c.resolved.id, plugins: Object.fromEntries(c.status) })),
    };
  }

  /**
   * Runs init for every plugin (dependency order, independent plugins in
   * parallel), then starts all creators in parallel. A failing plugin is
   * reported as `kernel.plugin.failed` and the rest keep running, unless the
   * manifest sets `onBootFailure: "abort"` (then everything started is
   * stopped and this rejects with SS_ERR_BOOT_ABORTED).
   */
  start(): Promise<void> {
    if (this.#state !== 'created') return Promise.reject(new SS_ERR_KERNEL_STATE('start', this.#state));
    this.#state = 'starting';
    this.#starting = this.#doStart();
    return this.#starting;
  }

  /**
   * Stops everything: creators (each one's plugins in reverse start order),
   * then every plugin's stop() in reverse init order, then root services.
   * Each step has a timeout; failures are collected and reported together
   * (SS_ERR_STOP_FAILED, cause: AggregateError) after every step ran.
   * Idempotent: later calls return the same promise.
   */
  stop(): Promise<void> {
    return (this.#stopping ??= this.#doStop());
  }

  /** Adds and starts a creator at runtime; its config is validated like the manifest's. */
  async addCreator(id: string, entry: Record<string, unknown>): Promise<void> {
    if (this.#state !== 'running') throw new SS_ERR_KERNEL_STATE(`add creator "${id}"`, this.#state);
    if (this.#creators.has(id)) throw new SS_ERR_CREATOR_EXISTS(id);
    const issues: ManifestIssue[] = [];
    const pluginsById = new Map([...this.#plugins].map(([pid, r]) => [pid, r.plugin]));
    const resolved = resolveCreatorEntry(id, entry, pluginsById, issues, ['creators', id]);
    if (resolved !== undefined) issues.push(...this.#creatorIssues(resolved, ['creators', id]));
    if (resolved === undefined || issues.length > 0) {
      throw manifestInvalid(`addCreator("${id}")`, { issues, manifest: undefined, plugins: [], bootErrors: [], locate: () => undefined });
    }
    await this.#startCreator(resolved);
  }

  /** Stops and removes a creator; its scope (and creator-scoped services) is disposed. */
  async removeCreator(id: string): Promise<void> {
    const creator = this.#creators.get(id);
    if (creator === undefined) throw new SS_ERR_CREATOR_NOT_FOUND(id);
    const errors = await this.#stopCreator(creator);
    if (errors.length > 0) throw new SS_ERR_STOP_FAILED(errors.length, { cause: new AggregateError(errors) });
  }

  /**
   * SIGINT, SIGTERM (and SIGBREAK on Windows) stop the kernel, then exit 0
   * (1 if stopping failed; with `exit: false` the process is left to the
   * caller); a second signal exits at once (130) — with `repeatWindowMs`,
   * only one coming that long after the first (see `handleStopSignals`).
   * Unhandled rejections are logged instead of crashing the process.
   * Returns a function that removes the handlers.
   */
  handleSignals(options: { exit?: boolean; repeatWindowMs?: number } = {}): () => void {
    const exit = options.exit ?? true;
    const offSignals = handleStopSignals({
      repeatWindowMs: options.repeatWindowMs,
      onStop: (signal) => {
        this.logger.info({ signal }, 'signal received: stopping');
        this.stop().then(
          () => {
            if (exit) process.exit(0);
          },
          (error: unknown) => {
            this.logger.error({ err: error }, 'stop finished with errors');
            if (exit) process.exit(1);
          },
        );
      },
      onForce: (signal) => this.logger.warn({ signal }, 'second signal: exiting without waiting for stop'),
    });
    const onRejection = (reason: unknown) => this.logger.error({ err: reason }, 'unhandled promise rejection (kept running)');
    process.on('unhandledRejection', onRejection);
    return () => {
      offSignals();
      process.off('unhandledRejection', onRejection);
    };
  }

  // ── register ──────────────────────────────────────────────────────────────

  #register(overrides: readonly ServiceOverride<any, any>[]): void {
    const committed = new Map<string, PluginRegistration>();
    for (const record of this.#order) {
      try {
        record.registration = runRegister(record.plugin);
        committed.set(record.plugin.id, record.registration);
      } catch (error) {
        this.#fail(record, 'register', new SS_ERR_PLUGIN_REGISTER_FAILED(record.plugin.id, { cause: error }));
      }
    }
    const problems = checkServices(committed, BUILTIN_REFS, overrides.map((o) => o.ref as ServiceRef<unknown>), defaultProviders);
    if (problems.length > 0) {
      const [first] = problems;
      if (problems.length > 1) Object.assign(first!.details, { others: problems.slice(1).map((p) => p.message) });
      throw first!;
    }
    const overridden = new Set(overrides.map((o) => o.ref.id));
    const provided = new Set<string>(overridden);
    for (const registration of committed.values()) {
      for (const provider of registration.providers) {
        provided.add(provider.ref.id);
        if (!overridden.has(provider.ref.id)) this.#registerProvider(provider);
      }
    }
    for (const provider of defaultProviders) {
      if (!provided.has(provider.ref.id)) this.#registerProvider(provider);
    }
    for (const override of overrides) {
      this.#registerProvider({ pluginId: 'override', ref: override.ref as ServiceRef<unknown>, options: override });
    }
  }

  #registerProvider({ pluginId, ref, options }: Provider): void {
    const deps = options.deps ?? {};
    const record = this.#plugins.get(pluginId);
    const context = {
      pluginId,
      config: record?.config ?? {},
      dataDir: this.manifest.dataDir,
      logger: record?.logger ?? this.logger.child({ plugin: pluginId }),
      extensions: <T>(point: ExtensionPoint<T>) => this.#extensions(point),
    };
    const dispose = options.dispose;
    const resolver = asFunction(
      (cradle: Record<string, unknown>) => {
        const instance = options.factory(pickDeps(cradle, deps), context);
        // Disposal is ours, not awilix's (which disposes a scope's services in parallel):
        // reverse build order, so a service still writing to the store it depends on
        // finishes before that store closes.
        if (dispose !== undefined) {
          const list =
            ref.scope === 'root' ? this.#rootDisposers : this.#creators.get((cradle[creatorContextRef.id] as CreatorContext).id)?.disposers;
          list?.push({ serviceId: ref.id, dispose: () => dispose(instance) });
        }
        return instance;
      },
      { lifetime: ref.scope === 'root' ? Lifetime.SINGLETON : Lifetime.SCOPED },
    );
    this.#root.register(ref.id, resolver);
  }

  #resolveIn<T>(container: AwilixContainer, ref: ServiceRef<T>, consumer: string): T {
    if (!container.hasRegistration(ref.id)) throw new SS_ERR_SERVICE_NOT_FOUND(ref.id, consumer);
    return container.resolve<T>(ref.id);
  }

  // ── start ─────────────────────────────────────────────────────────────────

  async #doStart(): Promise<void> {
    for (const { record, phase, error } of this.#pendingFailures.splice(0)) this.#report(record, phase, error);
    const abortOnFailure = this.manifest.onBootFailure === 'abort';
    let firstFailure: StreamSuitesError | undefined = this.#order.find((r) => r.status === 'failed')?.error;

    for (const layer of topoLayers(this.#order.map((r) => r.plugin))) {
      if (abortOnFailure && firstFailure !== undefined) break;
      if (this.#stopping !== undefined) break;
      await Promise.all(
        layer.map(async ({ id }) => {
          const failure = await this.#initPlugin(this.#plugins.get(id)!);
          firstFailure ??= failure;
        }),
      );
    }
    if (abortOnFailure && firstFailure !== undefined) return this.#abortBoot(firstFailure);
    if (this.#stopping !== undefined) return;
    await this.#eachRuntimeHook('beforeCreators', (hooks, deps) => hooks.beforeCreators?.(deps));

    const results = await Promise.all(
      Object.values(this.manifest.creators).map((creator) => this.#startCreator(creator)),
    );
    firstFailure ??= results.find((r) => r !== undefined);
    if (abortOnFailure && firstFailure !== undefined) return this.#abortBoot(firstFailure);
    if (this.#stopping !== undefined) return;
    this.#state = 'running';
    this.#startedAt = this.clock.now();
    const plugins = this.#order.filter((r) => r.status === 'running').map((r) => r.plugin.id);
    this.logger.info({ creators: this.creators(), plugins, dataDir: this.manifest.dataDir }, 'kernel started');
    this.bus.emit('kernel.started', { creators: this.creators(), plugins, at: this.clock.now() });
  }

  async #abortBoot(cause: StreamSuitesError): Promise<never> {
    // We are inside start(): stop() must not wait for start() to settle.
    this.#starting = undefined;
    await this.stop().catch((error: unknown) => this.logger.error({ err: error }, 'stop after aborted boot failed'));
    throw new SS_ERR_BOOT_ABORTED(cause.message, { cause });
  }

  /** Returns the failure, if the plugin failed or was skipped. */
  async #initPlugin(record: PluginRecord): Promise<StreamSuitesError | undefined> {
    if (record.status === 'failed' || record.status === 'skipped') return record.error;
    if (this.mode === 'replay' && record.plugin.replay === 'skip') {
      // Registered (its action and trigger types, export sections stay declared), never initialised or started.
      record.status = 'skipped';
      this.logger.debug({ plugin: record.plugin.id }, 'plugin left out of the replay');
      return undefined;
    }
    const failedDep = this.#requiredDeps(record.plugin).find((dep) => {
      const status = this.#plugins.get(dep)?.status;
      return status === 'failed' || status === 'skipped';
    });
    if (failedDep !== undefined) {
      const error = new SS_ERR_PLUGIN_DEPENDENCY_FAILED(record.plugin.id, failedDep);
      this.#fail(record, 'init', error, 'skipped');
      return error;
    }
    const hook = record.registration?.hook;
    try {
      const deps = this.#pluginDeps(record);
      if (hook?.init !== undefined) {
        const init = hook.init.bind(hook);
        await withTimeout(
          attempt(() =>
            init({
              pluginId: record.plugin.id,
              config: record.config,
              deps,
              logger: record.logger,
              dataDir: this.manifest.dataDir,
              extensions: <T>(point: ExtensionPoint<T>) => this.#extensions(point),
            }),
          ),
          this.manifest.timeouts.initMs,
          () => new SS_ERR_PLUGIN_TIMEOUT(record.plugin.id, 'init', this.manifest.timeouts.initMs),
        );
      }
      record.status = 'running';
      return undefined;
    } catch (error) {
      const failure = SS_ERR_PLUGIN_TIMEOUT.is(error) ? error : new SS_ERR_PLUGIN_INIT_FAILED(record.plugin.id, { cause: error });
      this.#fail(record, 'init', failure);
      return failure;
    }
  }

  #pluginDeps(record: PluginRecord): ResolvedDeps<DepsMap> {
    record.deps ??= pickDeps(this.#root.cradle as Record<string, unknown>, record.registration?.hook?.deps ?? {});
    return record.deps as ResolvedDeps<DepsMap>;
  }

  #extensions<T>(point: ExtensionPoint<T>): readonly Contribution<T>[] {
    const out: Contribution<T>[] = defaultContributions
      .filter((contribution) => contribution.point.id === point.id)
      .map((contribution) => ({ pluginId: 'kernel', value: contribution.value as T }));
    for (const record of this.#order) {
      for (const contribution of record.registration?.contributions ?? []) {
        if (contribution.point.id === point.id) out.push({ pluginId: record.plugin.id, value: contribution.value as T });
      }
    }
    return Object.freeze(out);
  }

  #requiredDeps(plugin: AnyPlugin): string[] {
    return plugin.dependencies.map(parseDependency).filter((d) => !d.optional).map((d) => d.id);
  }

  /** Starts one creator's plugins in dependency order. Returns the first failure. */
  async #startCreator(resolved: ResolvedCreator): Promise<StreamSuitesError | undefined> {
    const controller = new AbortController();
    // Every running action listens to this signal; hundreds at once are normal, not a leak.
    setMaxListeners(0, controller.signal);
    const scope = this.#root.createScope();
    const enabled = this.#order.filter((r) => resolved.enable.includes(r.plugin.id)).map((r) => r.plugin.id);
    const context: CreatorContext = Object.freeze({
      id: resolved.id,
      enabled,
      config: Object.freeze({ ...resolved.config }),
      logger: this.logger.child({ creator: resolved.id }),
      signal: controller.signal,
    });
    scope.register(creatorContextRef.id, asValue(context));
    const creator: CreatorRecord = { resolved, scope, controller, context, started: [], status: new Map(), disposers: [] };
    this.#creators.set(resolved.id, creator);
    // Manifest quota policies are in place before any plugin asks for a tracker.
    if (Object.keys(resolved.quotas).length > 0) configureCreatorQuotas(this.#root.resolve<QuotaRegistry>(quotaRegistryRef.id), resolved);
    for (const { hooks, deps } of this.#runtimeHooks()) {
      hooks.creatorStarting?.(deps, {
        resolved,
        context,
        resolve: <T>(ref: ServiceRef<T>) => this.#resolveIn(scope, ref, `creator "${resolved.id}" runtime hooks`),
      });
    }

    let firstFailure: StreamSuitesError | undefined;
    for (const pluginId of enabled) {
      if (controller.signal.aborted) break;
      const record = this.#plugins.get(pluginId)!;
      if (record.status !== 'running') {
        creator.status.set(pluginId, record.status === 'skipped' ? 'skipped' : 'failed');
        continue;
      }
      const failedDep = this.#requiredDeps(record.plugin).find((dep) => {
        const status = creator.status.get(dep);
        return status === 'failed' || status === 'skipped';
      });
      if (failedDep !== undefined) {
        const error = new SS_ERR_PLUGIN_DEPENDENCY_FAILED(pluginId, failedDep);
        creator.status.set(pluginId, 'skipped');
        this.#report(record, 'start', error, resolved.id);
        firstFailure ??= error;
        continue;
      }
      const failure = await this.#startPlugin(record, creator);
      firstFailure ??= failure;
    }
    if (!controller.signal.aborted) {
      this.logger.info({ creator: resolved.id, plugins: Object.fromEntries(creator.status) }, 'creator started');
      this.bus.emit('kernel.creator.added', {
        creatorId: resolved.id,
        plugins: [...creator.status].filter(([, s]) => s === 'running').map(([id]) => id),
      });
    }
    return firstFailure;
  }

  async #startPlugin(record: PluginRecord, creator: CreatorRecord): Promise<StreamSuitesError | undefined> {
    const pluginId = record.plugin.id;
    const hook = record.registration?.hook;
    if (hook?.start === undefined) {
      creator.status.set(pluginId, 'running');
      creator.started.push({ pluginId, stop: undefined });
      return undefined;
    }
    const start = hook.start.bind(hook);
    const ms = this.manifest.timeouts.startMs;
    const logger = record.logger.child({ creator: creator.resolved.id });
    const work = attempt(() =>
      start({
        pluginId,
        creator: creator.context,
        creatorConfig: creator.resolved.config[pluginId] ?? {},
        config: record.config,
        deps: this.#pluginDeps(record),
        logger,
        signal: creator.controller.signal,
        resolve: <T>(ref: ServiceRef<T>) => this.#resolveIn(creator.scope, ref, `plugin "${pluginId}" start()`),
      }),
    );
    try {
      const stop = await withTimeout(work, ms, () => new SS_ERR_PLUGIN_TIMEOUT(pluginId, `start for creator "${creator.resolved.id}"`, ms));
      creator.status.set(pluginId, 'running');
      creator.started.push({ pluginId, stop: typeof stop === 'function' ? stop : undefined });
      return undefined;
    } catch (error) {
      const failure = SS_ERR_PLUGIN_TIMEOUT.is(error)
        ? error
        : new SS_ERR_PLUGIN_START_FAILED(pluginId, creator.resolved.id, { cause: error });
      creator.status.set(pluginId, 'failed');
      this.#report(record, 'start', failure, creator.resolved.id);
      // A start that finishes after its timeout still gets undone.
      work.then(
        (lateStop) => (typeof lateStop === 'function' ? lateStop() : undefined),
        () => undefined,
      ).catch((lateError: unknown) => logger.warn({ err: lateError }, 'late stop after a timed-out start failed'));
      return failure;
    }
  }

  // ── stop ──────────────────────────────────────────────────────────────────

  async #doStop(): Promise<void> {
    const wasState = this.#state;
    this.#state = 'stopping';
    this.bus.emit('kernel.stopping', { at: this.clock.now() });
    for (const creator of this.#creators.values()) creator.controller.abort();
    if (this.#starting !== undefined && wasState === 'starting') await this.#starting.catch(() => undefined);

    const errors: StreamSuitesError[] = [];
    errors.push(...(await this.#runStopHooks('beforeStop')));
    const creators = [...this.#creators.values()].reverse();
    for (const list of await Promise.all(creators.map((c) => this.#stopCreator(c)))) errors.push(...list);

    await this.#eachRuntimeHook('afterCreators', (hooks, deps) => hooks.afterCreators?.(deps));
    errors.push(...(await this.#runStopHooks('stop')));
    errors.push(...(await this.#dispose(this.#rootDisposers, 'root services')));
    await this.#root.dispose();
    this.#state = 'stopped';
    this.logger.info({ errors: errors.length }, 'kernel stopped');
    this.bus.emit('kernel.stopped', { at: this.clock.now(), errors: errors.length });
    if (errors.length > 0) throw new SS_ERR_STOP_FAILED(errors.length, { cause: new AggregateError(errors) });
  }

  #stopCreator(creator: CreatorRecord): Promise<StreamSuitesError[]> {
    return (creator.stopping ??= (async () => {
      creator.controller.abort();
      for (const { hooks, deps } of this.#runtimeHooks()) hooks.creatorStopping?.(deps, creator.resolved.id);
      const errors: StreamSuitesError[] = [];
      const ms = this.manifest.timeouts.stopMs;
      for (const { pluginId, stop } of [...creator.started].reverse()) {
        if (stop === undefined) continue;
        try {
          await withTimeout(attempt(stop), ms, () => new SS_ERR_PLUGIN_TIMEOUT(pluginId, `stop for creator "${creator.resolved.id}"`, ms));
        } catch (error) {
          const failure = SS_ERR_PLUGIN_TIMEOUT.is(error)
            ? error
            : new SS_ERR_PLUGIN_STOP_FAILED(pluginId, `creator "${creator.resolved.id}"`, { cause: error });
          errors.push(failure);
          this.#report(this.#plugins.get(pluginId)!, 'stop', failure, creator.resolved.id);
        }
      }
      errors.push(...(await this.#dispose(creator.disposers, `creator "${creator.resolved.id}" services`)));
      await creator.scope.dispose();
      this.#creators.delete(creator.resolved.id);
      this.logger.info({ creator: creator.resolved.id }, 'creator stopped');
      this.bus.emit('kernel.creator.removed', { creatorId: creator.resolved.id });
      return errors;
    })());
  }

  // ── runtime hooks ─────────────────────────────────────────────────────────

  #hooks: { hooks: RuntimeHooks; deps: ResolvedDeps<DepsMap> }[] | undefined;

  /** Every runtime-hooks contribution with its deps, resolved lazily (validating must not open a store). */
  #runtimeHooks(): { hooks: RuntimeHooks; deps: ResolvedDeps<DepsMap> }[] {
    return (this.#hooks ??= this.#extensions(runtimeHooksExtensionPoint).map(({ value }) => ({
      hooks: value,
      deps: lazyDeps(this.#root.cradle as Record<string, unknown>, value.deps ?? {}),
    })));
  }

  /** Problems of a creator's manifest entry found by the runtime hooks (e.g. its triggers). */
  #creatorIssues(creator: ResolvedCreator, basePath: string[]): ManifestIssue[] {
    return this.#runtimeHooks().flatMap(({ hooks, deps }) => hooks.checkCreator?.(deps, creator, basePath) ?? []);
  }

  /** Runs one lifecycle hook of every contribution in order; a failure is logged and the others still run. */
  async #eachRuntimeHook(name: string, run: (hooks: RuntimeHooks, deps: ResolvedDeps<DepsMap>) => unknown): Promise<void> {
    for (const { hooks, deps } of this.#runtimeHooks()) {
      try {
        await run(hooks, deps);
      } catch (error) {
        this.logger.error({ err: error, hook: name }, `runtime hook ${name} failed`);
      }
    }
  }

  /** Runs every running plugin's beforeStop or stop hook, reverse init order, each under the stop timeout. */
  async #runStopHooks(hookName: 'beforeStop' | 'stop'): Promise<StreamSuitesError[]> {
    const errors: StreamSuitesError[] = [];
    const ms = this.manifest.timeouts.stopMs;
    for (const record of [...this.#order].reverse()) {
      const hook = record.registration?.hook;
      const run = hook?.[hookName];
      if (record.status !== 'running' || run === undefined) continue;
      try {
        await withTimeout(
          attempt(() => run.call(hook, { pluginId: record.plugin.id, config: record.config, deps: this.#pluginDeps(record), logger: record.logger })),
          ms,
          () => new SS_ERR_PLUGIN_TIMEOUT(record.plugin.id, hookName, ms),
        );
      } catch (error) {
        const failure = SS_ERR_PLUGIN_TIMEOUT.is(error) ? error : new SS_ERR_PLUGIN_STOP_FAILED(record.plugin.id, hookName === 'stop' ? 'process' : 'beforeStop', { cause: error });
        errors.push(failure);
        this.#report(record, 'stop', failure);
      }
    }
    return errors;
  }

  /** Disposes services one at a time, newest first, each under the stop timeout; returns the failures. */
  async #dispose(disposers: Disposer[], scope: string): Promise<StreamSuitesError[]> {
    const errors: StreamSuitesError[] = [];
    const ms = this.manifest.timeouts.stopMs;
    for (const { serviceId, dispose } of disposers.splice(0).reverse()) {
      try {
        await withTimeout(attempt(dispose), ms, () => new SS_ERR_PLUGIN_TIMEOUT('kernel', `disposing service "${serviceId}"`, ms));
      } catch (error) {
        const failure = SS_ERR_PLUGIN_TIMEOUT.is(error) ? error : new SS_ERR_PLUGIN_STOP_FAILED('kernel', `${scope}: ${serviceId}`, { cause: error });
        errors.push(failure);
        this.logger.error({ err: failure, service: serviceId }, 'disposing a service failed');
      }
    }
    return errors;
  }

  // ── failures ──────────────────────────────────────────────────────────────

  #fail(record: PluginRecord, phase: PluginPhase, error: StreamSuitesError, status: PluginStatus = 'failed'): void {
    record.status = status;
    record.error = error;
    if (this.#state === 'created') this.#pendingFailures.push({ record, phase, error });
    else this.#report(record, phase, error);
  }

  #report(record: PluginRecord, phase: PluginPhase, error: StreamSuitesError, creatorId?: string): void {
    record.logger.error({ err: error, phase, ...(creatorId === undefined ? {} : { creator: creatorId }) }, error.message);
    this.bus.emit('kernel.plugin.failed', {
      pluginId: record.plugin.id,
      ...(creatorId === undefined ? {} : { creatorId }),
      phase,
      error: failurePayload(error, this.secrets),
    });
  }
}

/** Errors on the bus carry their cause's message, redacted: listeners may log or export them. */
function failurePayload(error: StreamSuitesError, secrets: SecretRegistry): SerializedError {
  const serialized = serializeError(error);
  const cause = error.cause instanceof Error ? error.cause.message : error.cause === undefined ? undefined : String(error.cause);
  if (cause !== undefined) serialized.message = `${serialized.message}: ${cause}`;
  return secrets.redact(serialized);
}

/** Like pickDeps, but each service is resolved on first use. */
function lazyDeps(cradle: Record<string, unknown>, deps: DepsMap): ResolvedDeps<DepsMap> {
  const out: Record<string, unknown> = {};
  for (const [name, ref] of Object.entries(deps)) Object.defineProperty(out, name, { enumerable: true, get: () => cradle[ref.id] });
  return out as ResolvedDeps<DepsMap>;
}

function pickDeps(cradle: Record<string, unknown>, deps: DepsMap): Record<string, unknown> & ResolvedDeps<DepsMap> {
  const out: Record<string, unknown> = {};
  for (const [name, ref] of Object.entries(deps)) out[name] = cradle[ref.id];
  return out as ResolvedDeps<DepsMap>;
}

export type { ResolvedCreator, ResolvedManifest };
