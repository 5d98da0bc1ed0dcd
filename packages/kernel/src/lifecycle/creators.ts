import { setMaxListeners } from 'node:events';
import { asValue, type AwilixContainer } from 'awilix/browser';
import type { EventBus } from '../bus.js';
import type { StreamSuitesError } from '../coded-error.js';
import { SS_ERR_PLUGIN_DEPENDENCY_FAILED, SS_ERR_PLUGIN_START_FAILED, SS_ERR_PLUGIN_STOP_FAILED, SS_ERR_PLUGIN_TIMEOUT } from '../errors.js';
import type { Logger } from '../logger.js';
import type { ResolvedCreator, ResolvedManifest } from '../manifest/schema.js';
import type { CreatorContext, CreatorStop } from '../plugin.js';
import { creatorContextRef } from '../refs.js';
import type { ServiceRef } from '../service-ref.js';
import { attempt, withTimeout } from '../timeout.js';
import type { FailureReporter } from './failures.js';
import type { PluginHooks } from './plugin-hooks.js';
import { requiredDeps, type PluginRecord, type PluginSet, type PluginStatus } from './plugins.js';
import type { RuntimeHookSet } from './runtime-hooks.js';
import type { Disposer, ServiceContainer } from './services.js';

export interface CreatorRecord {
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

export interface CreatorRunnerOptions {
  manifest: ResolvedManifest;
  logger: Logger;
  bus: EventBus;
  plugins: PluginSet;
  services: ServiceContainer;
  pluginHooks: PluginHooks;
  runtimeHooks: RuntimeHookSet;
  failures: FailureReporter;
}

/** The running creators: each one's scope, and its plugins' start and stop. */
export class CreatorRunner {
  readonly #creators = new Map<string, CreatorRecord>();
  readonly #o: CreatorRunnerOptions;

  constructor(options: CreatorRunnerOptions) {
    this.#o = options;
  }

  get(id: string): CreatorRecord | undefined {
    return this.#creators.get(id);
  }

  has(id: string): boolean {
    return this.#creators.has(id);
  }

  ids(): string[] {
    return [...this.#creators.keys()];
  }

  all(): CreatorRecord[] {
    return [...this.#creators.values()];
  }

  /** Starts one creator's plugins in dependency order. Returns the first failure. */
  async start(resolved: ResolvedCreator): Promise<StreamSuitesError | undefined> {
    const { services, plugins, logger, bus } = this.#o;
    const controller = new AbortController();
    // Every running action listens to this signal; hundreds at once are normal, not a leak.
    setMaxListeners(0, controller.signal);
    const scope = services.root.createScope();
    const enabled = plugins.order.filter((r) => resolved.enable.includes(r.plugin.id)).map((r) => r.plugin.id);
    const context: CreatorContext = Object.freeze({
      id: resolved.id,
      enabled,
      config: Object.freeze({ ...resolved.config }),
      logger: logger.child({ creator: resolved.id }),
      signal: controller.signal,
    });
    scope.register(creatorContextRef.id, asValue(context));
    const creator: CreatorRecord = { resolved, scope, controller, context, started: [], status: new Map(), disposers: [] };
    this.#creators.set(resolved.id, creator);
    for (const { hooks, deps } of this.#o.runtimeHooks.all()) {
      hooks.creatorStarting?.(deps, {
        resolved,
        context,
        resolve: <T>(ref: ServiceRef<T>) => services.resolveIn(scope, ref, `creator "${resolved.id}" runtime hooks`),
      });
    }

    let firstFailure: StreamSuitesError | undefined;
    for (const pluginId of enabled) {
      if (controller.signal.aborted) break;
      const record = plugins.get(pluginId)!;
      if (record.status !== 'running') {
        creator.status.set(pluginId, record.status === 'skipped' ? 'skipped' : 'failed');
        continue;
      }
      const failedDep = requiredDeps(record.plugin).find((dep) => {
        const status = creator.status.get(dep);
        return status === 'failed' || status === 'skipped';
      });
      if (failedDep !== undefined) {
        const error = new SS_ERR_PLUGIN_DEPENDENCY_FAILED(pluginId, failedDep);
        creator.status.set(pluginId, 'skipped');
        this.#o.failures.report(record, 'start', error, resolved.id);
        firstFailure ??= error;
        continue;
      }
      const failure = await this.#startPlugin(record, creator);
      firstFailure ??= failure;
    }
    if (!controller.signal.aborted) {
      logger.info({ creator: resolved.id, plugins: Object.fromEntries(creator.status) }, 'creator started');
      bus.emit('kernel.creator.added', {
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
    const ms = this.#o.manifest.timeouts.startMs;
    const logger = record.logger.child({ creator: creator.resolved.id });
    const work = attempt(() =>
      start({
        pluginId,
        creator: creator.context,
        creatorConfig: creator.resolved.config[pluginId] ?? {},
        config: record.config,
        deps: this.#o.pluginHooks.deps(record),
        logger,
        signal: creator.controller.signal,
        resolve: <T>(ref: ServiceRef<T>) => this.#o.services.resolveIn(creator.scope, ref, `plugin "${pluginId}" start()`),
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
      this.#o.failures.report(record, 'start', failure, creator.resolved.id);
      // A start that finishes after its timeout still gets undone.
      work.then(
        (lateStop) => (typeof lateStop === 'function' ? lateStop() : undefined),
        () => undefined,
      ).catch((lateError: unknown) => logger.warn({ err: lateError }, 'late stop after a timed-out start failed'));
      return failure;
    }
  }

  /** Stops a creator's plugins in reverse start order, then disposes its scope. Idempotent. */
  stop(creator: CreatorRecord): Promise<StreamSuitesError[]> {
    return (creator.stopping ??= (async () => {
      creator.controller.abort();
      for (const { hooks, deps } of this.#o.runtimeHooks.all()) hooks.creatorStopping?.(deps, creator.resolved.id);
      const errors: StreamSuitesError[] = [];
      const ms = this.#o.manifest.timeouts.stopMs;
      for (const { pluginId, stop } of [...creator.started].reverse()) {
        if (stop === undefined) continue;
        try {
          await withTimeout(attempt(stop), ms, () => new SS_ERR_PLUGIN_TIMEOUT(pluginId, `stop for creator "${creator.resolved.id}"`, ms));
        } catch (error) {
          const failure = SS_ERR_PLUGIN_TIMEOUT.is(error)
            ? error
            : new SS_ERR_PLUGIN_STOP_FAILED(pluginId, `creator "${creator.resolved.id}"`, { cause: error });
          errors.push(failure);
          this.#o.failures.report(this.#o.plugins.get(pluginId)!, 'stop', failure, creator.resolved.id);
        }
      }
      errors.push(...(await this.#o.services.dispose(creator.disposers, `creator "${creator.resolved.id}" services`)));
      await creator.scope.dispose();
      this.#creators.delete(creator.resolved.id);
      this.#o.logger.info({ creator: creator.resolved.id }, 'creator stopped');
      this.#o.bus.emit('kernel.creator.removed', { creatorId: creator.resolved.id });
      return errors;
    })());
  }
}
