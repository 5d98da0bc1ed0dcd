// Only the functions used: the full semver index loads every module (~30 ms at start).
import satisfies from 'semver/functions/satisfies.js';
import valid from 'semver/functions/valid.js';
import validRange from 'semver/ranges/valid.js';
import type { StreamSuitesError } from './coded-error.js';
import {
  SS_ERR_DEPENDENCY_CYCLE,
  SS_ERR_KERNEL_VERSION,
  SS_ERR_PLUGIN_DEPENDENCY_MISSING,
  SS_ERR_PLUGIN_DUPLICATE_ID,
  SS_ERR_PLUGIN_INVALID,
} from './errors.js';
import { PLUGIN_ID } from './manifest/schema.js';
import { parseDependency, type AnyPlugin } from './plugin.js';

/**
 * Static checks on the set of plugins, before any plugin code runs
 * (Fastify's plugin-utils): shape, unique ids, kernel range, dependencies
 * present, no cycles. Returns every problem found.
 */
export function checkPlugins(plugins: readonly AnyPlugin[], kernelVersion: string): StreamSuitesError[] {
  const problems: StreamSuitesError[] = [];
  const byId = new Map<string, AnyPlugin>();
  for (const plugin of plugins) {
    const shape = shapeProblem(plugin);
    if (shape !== undefined) {
      problems.push(new SS_ERR_PLUGIN_INVALID(String(plugin.id ?? '<no id>'), shape, { details: { pluginId: plugin.id } }));
      continue;
    }
    if (byId.has(plugin.id)) {
      problems.push(new SS_ERR_PLUGIN_DUPLICATE_ID(plugin.id, { details: { pluginId: plugin.id } }));
      continue;
    }
    byId.set(plugin.id, plugin);
    if (!satisfies(kernelVersion, plugin.kernel, { includePrerelease: true })) {
      problems.push(
        new SS_ERR_KERNEL_VERSION(`Plugin "${plugin.id}"`, plugin.kernel, kernelVersion, { details: { pluginId: plugin.id } }),
      );
    }
  }
  for (const plugin of byId.values()) {
    for (const spec of plugin.dependencies) {
      const { id, optional } = parseDependency(spec);
      if (!optional && !byId.has(id)) {
        problems.push(new SS_ERR_PLUGIN_DEPENDENCY_MISSING(plugin.id, id, { details: { pluginId: plugin.id, dependency: id } }));
      }
    }
  }
  const cycle = findCycle([...byId.values()], byId);
  if (cycle !== undefined) {
    problems.push(new SS_ERR_DEPENDENCY_CYCLE(cycle.join(' -> '), { details: { cycle, pluginId: cycle[0] } }));
  }
  return problems;
}

function shapeProblem(plugin: AnyPlugin): string | undefined {
  if (typeof plugin.id !== 'string' || !PLUGIN_ID.test(plugin.id)) {
    return `id must match ${PLUGIN_ID.source}`;
  }
  if (typeof plugin.version !== 'string' || valid(plugin.version) === null) {
    return `version "${String(plugin.version)}" is not a semver version`;
  }
  if (typeof plugin.kernel !== 'string' || validRange(plugin.kernel) === null) {
    return `kernel "${String(plugin.kernel)}" is not a semver range`;
  }
  if (typeof plugin.register !== 'function') return 'register must be a function';
  for (const spec of plugin.dependencies) {
    if (typeof spec !== 'string' || !PLUGIN_ID.test(parseDependency(spec).id)) return `invalid dependency "${String(spec)}"`;
    if (parseDependency(spec).id === plugin.id) return 'a plugin cannot depend on itself';
  }
  return undefined;
}

/** Dependencies that are loaded (optional ones that are absent drop out). */
export function presentDependencies(plugin: AnyPlugin, loaded: ReadonlyMap<string, unknown>): string[] {
  return plugin.dependencies.map((spec) => parseDependency(spec).id).filter((id) => loaded.has(id));
}

function findCycle(plugins: AnyPlugin[], byId: ReadonlyMap<string, AnyPlugin>): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string): string[] | undefined => {
    const mark = state.get(id);
    if (mark === 'done') return undefined;
    if (mark === 'visiting') return [...stack.slice(stack.indexOf(id)), id];
    state.set(id, 'visiting');
    stack.push(id);
    for (const dep of presentDependencies(byId.get(id)!, byId)) {
      const found = visit(dep);
      if (found !== undefined) return found;
    }
    stack.pop();
    state.set(id, 'done');
    return undefined;
  };
  for (const plugin of [...plugins].sort((a, b) => a.id.localeCompare(b.id))) {
    const found = visit(plugin.id);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * Orders plugins into layers: every plugin comes after the plugins it depends
 * on; plugins in one layer are independent of each other. Ties sort by id so
 * the order is deterministic. Assumes checkPlugins found no cycle.
 */
export function topoLayers(plugins: readonly AnyPlugin[]): AnyPlugin[][] {
  const byId = new Map(plugins.map((p) => [p.id, p]));
  const remaining = new Map(plugins.map((p) => [p.id, new Set(presentDependencies(p, byId))]));
  const layers: AnyPlugin[][] = [];
  while (remaining.size > 0) {
    const ready = [...remaining].filter(([, deps]) => deps.size === 0).map(([id]) => id).sort();
    if (ready.length === 0) throw new Error('topoLayers called on a cyclic graph');
    layers.push(ready.map((id) => byId.get(id)!));
    for (const id of ready) remaining.delete(id);
    for (const deps of remaining.values()) for (const id of ready) deps.delete(id);
  }
  return layers;
}
