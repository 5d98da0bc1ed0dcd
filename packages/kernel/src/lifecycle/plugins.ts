import type { StreamSuitesError } from '../coded-error.js';
import { SS_ERR_PLUGIN_REGISTER_FAILED } from '../errors.js';
import type { Contribution, ExtensionPoint } from '../extension-point.js';
import type { Logger } from '../logger.js';
import type { ResolvedManifest } from '../manifest/schema.js';
import { parseDependency, type AnyPlugin } from '../plugin.js';
import { topoLayers } from '../plugin-graph.js';
import { runRegister, type PluginRegistration } from '../registration.js';
import type { FailureReporter } from './failures.js';

export type PluginStatus = 'registered' | 'running' | 'failed' | 'skipped';

export interface PluginRecord {
  plugin: AnyPlugin;
  config: Record<string, unknown>;
  registration: PluginRegistration | undefined;
  status: PluginStatus;
  error?: StreamSuitesError;
  logger: Logger;
  deps?: Record<string, unknown>;
}

/** The kernel's plugins: their records, init order, registrations and extension contributions. */
export class PluginSet {
  readonly #byId = new Map<string, PluginRecord>();
  /** Plugins in init order (dependencies first). */
  readonly order: readonly PluginRecord[];

  constructor(manifest: ResolvedManifest, plugins: readonly AnyPlugin[], logger: Logger) {
    for (const plugin of plugins) {
      this.#byId.set(plugin.id, {
        plugin,
        config: manifest.plugins[plugin.id]?.config ?? {},
        registration: undefined,
        status: 'registered',
        logger: logger.child({ plugin: plugin.id }),
      });
    }
    this.order = topoLayers(plugins).flat().map((p) => this.#byId.get(p.id)!);
  }

  get(id: string): PluginRecord | undefined {
    return this.#byId.get(id);
  }

  /** The plugin definitions by id. */
  definitions(): Map<string, AnyPlugin> {
    return new Map([...this.#byId].map(([pid, r]) => [pid, r.plugin]));
  }

  /** Runs every plugin's register(); a plugin that throws is failed, the others are committed. */
  register(failures: FailureReporter): Map<string, PluginRegistration> {
    const committed = new Map<string, PluginRegistration>();
    for (const record of this.order) {
      try {
        record.registration = runRegister(record.plugin);
        committed.set(record.plugin.id, record.registration);
      } catch (error) {
        failures.fail(record, 'register', new SS_ERR_PLUGIN_REGISTER_FAILED(record.plugin.id, { cause: error }));
      }
    }
    return committed;
  }

  /** The plugins' contributions to a point, in init order. */
  extensions<T>(point: ExtensionPoint<T>): readonly Contribution<T>[] {
    const out: Contribution<T>[] = [];
    for (const record of this.order) {
      for (const contribution of record.registration?.contributions ?? []) {
        if (contribution.point.id === point.id) out.push({ pluginId: record.plugin.id, value: contribution.value as T });
      }
    }
    return Object.freeze(out);
  }
}

export function requiredDeps(plugin: AnyPlugin): string[] {
  return plugin.dependencies.map(parseDependency).filter((d) => !d.optional).map((d) => d.id);
}
