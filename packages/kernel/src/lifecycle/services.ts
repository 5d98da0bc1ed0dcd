// awilix's browser build: the same container without loadModules, whose fast-glob costs ~40 ms at start.
import { asFunction, asValue, createContainer, InjectionMode, Lifetime, type AwilixContainer } from 'awilix/browser';
import type { StreamSuitesError } from '../coded-error.js';
import { SS_ERR_PLUGIN_STOP_FAILED, SS_ERR_PLUGIN_TIMEOUT, SS_ERR_SERVICE_CONTRACT, SS_ERR_SERVICE_NOT_FOUND } from '../errors.js';
import type { Contribution, ExtensionPoint } from '../extension-point.js';
import type { Logger } from '../logger.js';
import type { CreatorContext, DepsMap, ProviderContext } from '../plugin.js';
import { busRef, clockRef, creatorContextRef, kernelRef, loggerRef, secretsRef } from '../refs.js';
import { checkServices, type PluginRegistration, type Provider } from '../registration.js';
import { missingMethods, type ResolvedDeps, type ServiceRef } from '../service-ref.js';
import { attempt, withTimeout } from '../timeout.js';

/** Replaces the provider of a service (tests, embedding hosts). */
export interface ServiceOverride<T = unknown, D extends DepsMap = DepsMap> {
  ref: ServiceRef<T>;
  deps?: D;
  factory(deps: ResolvedDeps<D>, ctx: ProviderContext): T;
  dispose?(instance: T): void | Promise<void>;
}

/** Every problem of the service wiring (the kernel reports them as manifest issues). */
export class ServiceWiringProblems extends Error {
  constructor(readonly problems: StreamSuitesError[]) {
    super(problems.map((p) => p.message).join('; '));
  }
}

/** A built service to dispose at stop, recorded in build order (dependencies first). */
export interface Disposer {
  serviceId: string;
  dispose: () => unknown;
}

const BUILTIN_REFS = [busRef, loggerRef, clockRef, secretsRef, kernelRef, creatorContextRef] as ServiceRef<unknown>[];

export interface ServiceContainerOptions {
  /** Values of the built-in root services (bus, logger, clock, secrets, kernel). */
  builtins: { bus: unknown; logger: Logger; clock: unknown; secrets: unknown; kernel: unknown };
  dataDir: string;
  stopMs: number;
  /** The config and logger a plugin's providers see (undefined for overrides and defaults). */
  plugin(pluginId: string): { config: Record<string, unknown>; logger: Logger } | undefined;
  extensions<T>(point: ExtensionPoint<T>): readonly Contribution<T>[];
  /** Where a creator-scoped service's dispose is recorded. */
  creatorDisposers(creatorId: string): Disposer[] | undefined;
}

/** The awilix root container: provider registration, resolution, and disposal of built services. */
export class ServiceContainer {
  readonly root: AwilixContainer;
  readonly #rootDisposers: Disposer[] = [];
  readonly #options: ServiceContainerOptions;
  readonly #logger: Logger;

  constructor(options: ServiceContainerOptions) {
    this.#options = options;
    this.#logger = options.builtins.logger;
    this.root = createContainer({ injectionMode: InjectionMode.PROXY, strict: true });
    const { bus, logger, clock, secrets, kernel } = options.builtins;
    this.root.register({
      [busRef.id]: asValue(bus),
      [loggerRef.id]: asValue(logger),
      [clockRef.id]: asValue(clock),
      [secretsRef.id]: asValue(secrets),
      [kernelRef.id]: asValue(kernel),
    });
  }

  get cradle(): Record<string, unknown> {
    return this.root.cradle as Record<string, unknown>;
  }

  /**
   * Checks the committed registrations as a whole (throws the first problem,
   * the others in its details), then registers every provider: overrides win
   * over plugins, plugins over default plugins. Returns the refs provided by
   * plugins that are not defaults (replacements, checked at start).
   */
  register(
    committed: ReadonlyMap<string, PluginRegistration>,
    overrides: readonly ServiceOverride<any, any>[],
    defaults: ReadonlySet<string>,
  ): ServiceRef<unknown>[] {
    const { problems, yielded } = checkServices(committed, BUILTIN_REFS, overrides.map((o) => o.ref as ServiceRef<unknown>), defaults);
    if (problems.length > 0) throw new ServiceWiringProblems(problems);
    const overridden = new Set(overrides.map((o) => o.ref.id));
    const replacements: ServiceRef<unknown>[] = [];
    for (const [pluginId, registration] of committed) {
      for (const provider of registration.providers) {
        if (overridden.has(provider.ref.id) || yielded.has(provider)) continue;
        this.#registerProvider(provider);
        if (!defaults.has(pluginId)) replacements.push(provider.ref);
      }
    }
    for (const override of overrides) {
      this.#registerProvider({ pluginId: 'override', ref: override.ref as ServiceRef<unknown>, options: override });
    }
    return replacements;
  }

  #registerProvider({ pluginId, ref, options }: Provider): void {
    const deps = options.deps ?? {};
    const plugin = this.#options.plugin(pluginId);
    const context = {
      pluginId,
      config: plugin?.config ?? {},
      dataDir: this.#options.dataDir,
      logger: plugin?.logger ?? this.#logger.child({ plugin: pluginId }),
      extensions: <T>(point: ExtensionPoint<T>) => this.#options.extensions(point),
    };
    const dispose = options.dispose;
    const resolver = asFunction(
      (cradle: Record<string, unknown>) => {
        const instance = options.factory(pickDeps(cradle, deps), context);
        const missing = missingMethods(ref, instance);
        if (missing.length > 0) throw new SS_ERR_SERVICE_CONTRACT(ref.id, pluginId, missing.map((m) => `${m}()`).join(', '), { details: { pluginId, missing } });
        // Disposal is ours, not awilix's (which disposes a scope's services in parallel):
        // reverse build order, so a service still writing to the store it depends on
        // finishes before that store closes.
        if (dispose !== undefined) {
          const list =
            ref.scope === 'root' ? this.#rootDisposers : this.#options.creatorDisposers((cradle[creatorContextRef.id] as CreatorContext).id);
          list?.push({ serviceId: ref.id, dispose: () => dispose(instance) });
        }
        return instance;
      },
      { lifetime: ref.scope === 'root' ? Lifetime.SINGLETON : Lifetime.SCOPED },
    );
    this.root.register(ref.id, resolver);
  }

  resolveIn<T>(container: AwilixContainer, ref: ServiceRef<T>, consumer: string): T {
    if (!container.hasRegistration(ref.id)) throw new SS_ERR_SERVICE_NOT_FOUND(ref.id, consumer);
    return container.resolve<T>(ref.id);
  }

  /** Disposes the root services (newest first), then the container; returns the failures. */
  async disposeRoot(): Promise<StreamSuitesError[]> {
    const errors = await this.dispose(this.#rootDisposers, 'root services');
    await this.root.dispose();
    return errors;
  }

  /** Disposes services one at a time, newest first, each under the stop timeout; returns the failures. */
  async dispose(disposers: Disposer[], scope: string): Promise<StreamSuitesError[]> {
    const errors: StreamSuitesError[] = [];
    const ms = this.#options.stopMs;
    for (const { serviceId, dispose } of disposers.splice(0).reverse()) {
      try {
        await withTimeout(attempt(dispose), ms, () => new SS_ERR_PLUGIN_TIMEOUT('kernel', `disposing service "${serviceId}"`, ms));
      } catch (error) {
        const failure = SS_ERR_PLUGIN_TIMEOUT.is(error) ? error : new SS_ERR_PLUGIN_STOP_FAILED('kernel', `${scope}: ${serviceId}`, { cause: error });
        errors.push(failure);
        this.#logger.error({ err: failure, service: serviceId }, 'disposing a service failed');
      }
    }
    return errors;
  }
}

/** Like pickDeps, but each service is resolved on first use. */
export function lazyDeps(cradle: Record<string, unknown>, deps: DepsMap): ResolvedDeps<DepsMap> {
  const out: Record<string, unknown> = {};
  for (const [name, ref] of Object.entries(deps)) Object.defineProperty(out, name, { enumerable: true, get: () => cradle[ref.id] });
  return out as ResolvedDeps<DepsMap>;
}

export function pickDeps(cradle: Record<string, unknown>, deps: DepsMap): Record<string, unknown> & ResolvedDeps<DepsMap> {
  const out: Record<string, unknown> = {};
  for (const [name, ref] of Object.entries(deps)) out[name] = cradle[ref.id];
  return out as ResolvedDeps<DepsMap>;
}
