import { setMaxListeners } from 'node:events';
import { isDeepStrictEqual } from 'node:util';
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
import { parseDependency } from '../plugin.js';
import { requiredDeps, type PluginRecord, type PluginSet, type PluginStatus } from './plugins.js';
import type { RuntimeHookSet } from './runtime-hooks.js';
import type { Disposer, ServiceContainer } from './services.js';

export interface CreatorRecord {
  resolved: ResolvedCreator;
  scope: AwilixContainer;
  controller: AbortController;
  context: CreatorContext;
  /** What `context.standby` reads (promotion flips it). */
  role: { standby: boolean };
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
  async start(resolved: ResolvedCreator, options: { standby?: boolean } = {}): Promise<StreamSuitesError | undefined> {
    const { services, plugins, logger, bus } = this.#o;
    const controller = new AbortController();
    // Every running action listens to this signal; hundreds at once are normal, not a leak.
    setMaxListeners(0, controller.signal);
    const scope = services.root.createScope();
    const enabled = plugins.order.filter((r) => resolved.enable.includes(r.plugin.id)).map((r) => r.plugin.id);
    const role = { standby: options.standby === true };
    const context: CreatorContext = Object.freeze({
      id: resolved.id,
      enabled,
      config: Object.freeze({ ...resolved.config }),
      logger: logger.child({ creator: resolved.id }),
      signal: controller.signal,
      get standby() {
        return role.standby;
      },
    });
    scope.register(creatorContextRef.id, asValue(context));
    const creator: CreatorRecord = { resolved, scope, controller, context, role, started: [], status: new Map(), disposers: [] };
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

  /**
   * Applies a changed entry to a running creator (reload). The creator's
   * runtime hooks get `creatorUpdated` first — its triggers and rules are
   * swapped in one synchronous step, between two chat messages — then only
   * the plugins whose enablement or creator config changed are restarted
   * (with the plugins of this creator that depend on them); the others keep
   * running untouched. Returns the restarted plugin ids and the failures.
   */
  async update(creator: CreatorRecord, next: ResolvedCreator): Promise<{ restarted: string[]; errors: StreamSuitesError[] }> {
    const { plugins, services } = this.#o;
    const previous = creator.resolved;
    const changed = new Set(
      plugins.order
        .map((r) => r.plugin.id)
        .filter((id) => previous.enable.includes(id) !== next.enable.includes(id) || !isDeepStrictEqual(previous.config[id], next.config[id])),
    );
    // A plugin of this creator depending on a restarted one restarts too (it may hold what the old one gave it).
    for (const record of plugins.order) {
      if (record.plugin.dependencies.some((d) => changed.has(parseDependency(d).id)) && (previous.enable.includes(record.plugin.id) || next.enable.includes(record.plugin.id))) {
        changed.add(record.plugin.id);
      }
    }
    const enabled = plugins.order.filter((r) => next.enable.includes(r.plugin.id)).map((r) => r.plugin.id);
    const context: CreatorContext = Object.freeze({ ...creator.context, enabled, config: Object.freeze({ ...next.config }) });
    creator.scope.register(creatorContextRef.id, asValue(context));
    creator.context = context;
    creator.resolved = next;
    for (const { hooks, deps } of this.#o.runtimeHooks.all()) {
      try {
        hooks.creatorUpdated?.(
          deps,
          { resolved: next, context, resolve: <T>(ref: ServiceRef<T>) => services.resolveIn(creator.scope, ref, `creator "${next.id}" runtime hooks`) },
          previous,
        );
      } catch (error) {
        this.#o.logger.error({ err: error, creator: next.id }, 'runtime hook creatorUpdated failed');
      }
    }
    const errors: StreamSuitesError[] = [];
    const toStop = [...creator.started].reverse().filter((s) => changed.has(s.pluginId));
    for (const entry of toStop) {
      const error = await this.#stopPlugin(creator, entry);
      if (error !== undefined) errors.push(error);
      creator.started.splice(creator.started.indexOf(entry), 1);
      creator.status.delete(entry.pluginId);
    }
    for (const id of [...creator.status.keys()]) if (!next.enable.includes(id)) creator.status.delete(id);
    const restarted: string[] = [];
    for (const pluginId of enabled) {
      if (!changed.has(pluginId) || creator.controller.signal.aborted) continue;
      const record = plugins.get(pluginId)!;
      if (record.status !== 'running') {
        creator.status.set(pluginId, record.status === 'skipped' ? 'skipped' : 'failed');
        continue;
      }
      const failure = await this.#startPlugin(record, creator);
      if (failure !== undefined) errors.push(failure);
      restarted.push(pluginId);
    }
    this.#o.logger.info({ creator: next.id, restarted }, 'creator updated');
    return { restarted, errors };
  }

  /** Runs one started plugin's stop for a creator under the stop timeout; the failure is reported and returned. */
  async #stopPlugin(creator: CreatorRecord, { pluginId, stop }: { pluginId: string; stop: CreatorStop | undefined }): Promise<StreamSuitesError | undefined> {
    if (stop === undefined) return undefined;
    const ms = this.#o.manifest.timeouts.stopMs;
    try {
      await withTimeout(attempt(stop), ms, () => new SS_ERR_PLUGIN_TIMEOUT(pluginId, `stop for creator "${creator.resolved.id}"`, ms));
      return undefined;
    } catch (error) {
      const failure = SS_ERR_PLUGIN_TIMEOUT.is(error) ? error : new SS_ERR_PLUGIN_STOP_FAILED(pluginId, `creator "${creator.resolved.id}"`, { cause: error });
      this.#o.failures.report(this.#o.plugins.get(pluginId)!, 'stop', failure, creator.resolved.id);
      return failure;
    }
  }

  /** Stops a creator's plugins in reverse start order, then disposes its scope. Idempotent. */
  stop(creator: CreatorRecord): Promise<StreamSuitesError[]> {
    return (creator.stopping ??= (async () => {
      creator.controller.abort();
      for (const { hooks, deps } of this.#o.runtimeHooks.all()) hooks.creatorStopping?.(deps, creator.resolved.id);
      const errors: StreamSuitesError[] = [];
      for (const entry of [...creator.started].reverse()) {
        const error = await this.#stopPlugin(creator, entry);
        if (error !== undefined) errors.push(error);
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
