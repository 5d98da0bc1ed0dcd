import type { StreamSuitesError } from '../coded-error.js';
import { SS_ERR_PLUGIN_DEPENDENCY_FAILED, SS_ERR_PLUGIN_INIT_FAILED, SS_ERR_PLUGIN_STOP_FAILED, SS_ERR_PLUGIN_TIMEOUT } from '../errors.js';
import type { ExtensionPoint } from '../extension-point.js';
import type { Logger } from '../logger.js';
import type { ResolvedManifest } from '../manifest/schema.js';
import type { DepsMap } from '../plugin.js';
import type { ResolvedDeps } from '../service-ref.js';
import { attempt, withTimeout } from '../timeout.js';
import type { FailureReporter } from './failures.js';
import { requiredDeps, type PluginRecord, type PluginSet } from './plugins.js';
import { pickDeps, type ServiceContainer } from './services.js';

/** The process-wide plugin hooks: init (at start), beforeStop and stop (at stop), and the deps they get. */
export class PluginHooks {
  readonly #manifest: ResolvedManifest;
  readonly #mode: 'live' | 'replay';
  readonly #logger: Logger;
  readonly #plugins: PluginSet;
  readonly #services: ServiceContainer;
  readonly #failures: FailureReporter;

  constructor(options: {
    manifest: ResolvedManifest;
    mode: 'live' | 'replay';
    logger: Logger;
    plugins: PluginSet;
    services: ServiceContainer;
    failures: FailureReporter;
  }) {
    this.#manifest = options.manifest;
    this.#mode = options.mode;
    this.#logger = options.logger;
    this.#plugins = options.plugins;
    this.#services = options.services;
    this.#failures = options.failures;
  }

  /** The plugin's hook deps, resolved once from the root container. */
  deps(record: PluginRecord): ResolvedDeps<DepsMap> {
    record.deps ??= pickDeps(this.#services.cradle, record.registration?.hook?.deps ?? {});
    return record.deps as ResolvedDeps<DepsMap>;
  }

  /** Returns the failure, if the plugin failed or was skipped. */
  async init(record: PluginRecord): Promise<StreamSuitesError | undefined> {
    if (record.status === 'failed' || record.status === 'skipped') return record.error;
    if (this.#mode === 'replay' && record.plugin.replay === 'skip') {
      // Registered (its action and trigger types, export sections stay declared), never initialised or started.
      record.status = 'skipped';
      this.#logger.debug({ plugin: record.plugin.id }, 'plugin left out of the replay');
      return undefined;
    }
    const failedDep = requiredDeps(record.plugin).find((dep) => {
      const status = this.#plugins.get(dep)?.status;
      return status === 'failed' || status === 'skipped';
    });
    if (failedDep !== undefined) {
      const error = new SS_ERR_PLUGIN_DEPENDENCY_FAILED(record.plugin.id, failedDep);
      this.#failures.fail(record, 'init', error, 'skipped');
      return error;
    }
    const hook = record.registration?.hook;
    try {
      const deps = this.deps(record);
      if (hook?.init !== undefined) {
        const init = hook.init.bind(hook);
        await withTimeout(
          attempt(() =>
            init({
              pluginId: record.plugin.id,
              config: record.config,
              deps,
              logger: record.logger,
              dataDir: this.#manifest.dataDir,
              extensions: <T>(point: ExtensionPoint<T>) => this.#plugins.extensions(point),
            }),
          ),
          this.#manifest.timeouts.initMs,
          () => new SS_ERR_PLUGIN_TIMEOUT(record.plugin.id, 'init', this.#manifest.timeouts.initMs),
        );
      }
      record.status = 'running';
      return undefined;
    } catch (error) {
      const failure = SS_ERR_PLUGIN_TIMEOUT.is(error) ? error : new SS_ERR_PLUGIN_INIT_FAILED(record.plugin.id, { cause: error });
      this.#failures.fail(record, 'init', failure);
      return failure;
    }
  }

  /** Runs every running plugin's beforeStop or stop hook, reverse init order, each under the stop timeout. */
  async runStop(hookName: 'beforeStop' | 'stop'): Promise<StreamSuitesError[]> {
    const errors: StreamSuitesError[] = [];
    const ms = this.#manifest.timeouts.stopMs;
    for (const record of [...this.#plugins.order].reverse()) {
      const hook = record.registration?.hook;
      const run = hook?.[hookName];
      if (record.status !== 'running' || run === undefined) continue;
      try {
        await withTimeout(
          attempt(() => run.call(hook, { pluginId: record.plugin.id, config: record.config, deps: this.deps(record), logger: record.logger })),
          ms,
          () => new SS_ERR_PLUGIN_TIMEOUT(record.plugin.id, hookName, ms),
        );
      } catch (error) {
        const failure = SS_ERR_PLUGIN_TIMEOUT.is(error) ? error : new SS_ERR_PLUGIN_STOP_FAILED(record.plugin.id, hookName === 'stop' ? 'process' : 'beforeStop', { cause: error });
        errors.push(failure);
        this.#failures.report(record, 'stop', failure);
      }
    }
    return errors;
  }
}
