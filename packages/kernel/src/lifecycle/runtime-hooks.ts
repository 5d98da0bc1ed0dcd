import { runtimeHooksExtensionPoint, type RuntimeHooks } from '../contracts/runtime-hooks.js';
import type { Logger } from '../logger.js';
import type { ManifestIssue } from '../manifest/issues.js';
import type { ResolvedCreator, ResolvedManifest } from '../manifest/schema.js';
import type { DepsMap } from '../plugin.js';
import type { ResolvedDeps } from '../service-ref.js';
import type { PluginSet } from './plugins.js';
import { lazyDeps, type ServiceContainer } from './services.js';

export interface RuntimeHookEntry {
  hooks: RuntimeHooks;
  deps: ResolvedDeps<DepsMap>;
}

/** The runtime-hooks contributions, with their deps. */
export class RuntimeHookSet {
  readonly #plugins: PluginSet;
  readonly #services: ServiceContainer;
  readonly #logger: Logger;
  #entries: RuntimeHookEntry[] | undefined;
  #idlers: (() => Promise<void>)[] | undefined;

  constructor(plugins: PluginSet, services: ServiceContainer, logger: Logger) {
    this.#plugins = plugins;
    this.#services = services;
    this.#logger = logger;
  }

  /** Every runtime-hooks contribution with its deps, resolved lazily (validating must not open a store). */
  all(): RuntimeHookEntry[] {
    return (this.#entries ??= this.#plugins.extensions(runtimeHooksExtensionPoint).map(({ value }) => ({
      hooks: value,
      deps: lazyDeps(this.#services.cradle, value.deps ?? {}),
    })));
  }

  /**
   * The `idle` hooks, each with its deps resolved at its first call and kept:
   * `kernel.idle()` runs between every two events of a replay, where a
   * container lookup per dep per event was a tenth of the time.
   */
  idlers(): (() => Promise<void>)[] {
    return (this.#idlers ??= this.all().flatMap(({ hooks, deps }) => {
      if (hooks.idle === undefined) return [];
      let resolved: ResolvedDeps<DepsMap> | undefined;
      return [() => hooks.idle!((resolved ??= { ...deps }))];
    }));
  }

  /** Problems of a creator's manifest entry found by the runtime hooks (e.g. its triggers). */
  creatorIssues(creator: ResolvedCreator, basePath: string[]): ManifestIssue[] {
    return this.all().flatMap(({ hooks, deps }) => hooks.checkCreator?.(deps, creator, basePath) ?? []);
  }

  /** Problems of the whole manifest found by the runtime hooks (e.g. creators per tier). */
  manifestIssues(manifest: ResolvedManifest): ManifestIssue[] {
    return this.all().flatMap(({ hooks, deps }) => hooks.checkManifest?.(deps, manifest) ?? []);
  }

  /** The creators to start now out of `ids` (every placeCreators hook narrows the list; none: all of them). */
  place(ids: readonly string[]): Set<string> {
    let placed: readonly string[] = ids;
    for (const { hooks, deps } of this.all()) {
      if (hooks.placeCreators === undefined) continue;
      const allowed = new Set(placed);
      placed = hooks.placeCreators(deps, placed).filter((id) => allowed.has(id));
    }
    return new Set(placed);
  }

  /** Runs one lifecycle hook of every contribution in order; a failure is logged and the others still run. */
  async each(name: string, run: (hooks: RuntimeHooks, deps: ResolvedDeps<DepsMap>) => unknown): Promise<void> {
    for (const { hooks, deps } of this.all()) {
      try {
        await run(hooks, deps);
      } catch (error) {
        this.#logger.error({ err: error, hook: name }, `runtime hook ${name} failed`);
      }
    }
  }
}
