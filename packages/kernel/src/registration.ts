import type { StreamSuitesError } from './coded-error.js';
import { SS_ERR_REGISTRATION_CLOSED, SS_ERR_SCOPE_VIOLATION, SS_ERR_SERVICE_DUPLICATE, SS_ERR_SERVICE_NOT_FOUND } from './errors.js';
import type { ExtensionPoint } from './extension-point.js';
import type { AnyPlugin, DepsMap, InitHook, PluginRegistrar, ProviderOptions } from './plugin.js';
import type { ServiceRef } from './service-ref.js';

export interface Provider {
  pluginId: string;
  ref: ServiceRef<unknown>;
  options: ProviderOptions<unknown, DepsMap, any>;
}

export interface PluginRegistration {
  providers: Provider[];
  contributions: { point: ExtensionPoint<unknown>; value: unknown }[];
  hook: InitHook<unknown, unknown, DepsMap> | undefined;
}

/**
 * Runs a plugin's register() against a buffer. Nothing reaches the kernel
 * unless register() returns normally, so a plugin that throws half-way leaves
 * no half-registered services behind. Any reg.* call after register()
 * returned (or a second onInit) throws SS_ERR_REGISTRATION_CLOSED.
 */
export function runRegister(plugin: AnyPlugin): PluginRegistration {
  const registration: PluginRegistration = { providers: [], contributions: [], hook: undefined };
  let open = true;
  const guard = (what: string) => {
    if (!open) throw new SS_ERR_REGISTRATION_CLOSED(plugin.id, what);
  };
  const reg: PluginRegistrar<unknown, unknown> = {
    pluginId: plugin.id,
    provide(ref, options) {
      guard('reg.provide()');
      registration.providers.push({ pluginId: plugin.id, ref, options: options as ProviderOptions<unknown, DepsMap, unknown> });
    },
    extend(point, value) {
      guard('reg.extend()');
      registration.contributions.push({ point: point as ExtensionPoint<unknown>, value });
    },
    onInit(hook) {
      guard('reg.onInit()');
      if (registration.hook !== undefined) throw new SS_ERR_REGISTRATION_CLOSED(plugin.id, 'reg.onInit() a second time');
      registration.hook = hook as InitHook<unknown, unknown, DepsMap>;
    },
  };
  try {
    const result = plugin.register(reg) as unknown;
    if (result !== undefined && typeof (result as Promise<unknown>).then === 'function') {
      throw new TypeError('register() must be synchronous; do asynchronous work in onInit({ init })');
    }
  } finally {
    open = false;
  }
  return registration;
}

/**
 * Checks the committed registrations as a whole: one provider per service,
 * no root-scoped consumer of a creator-scoped service, every dependency
 * provided. `builtins` are the kernel's own refs. A service a default
 * plugin provides yields to another plugin's (or an override's) provider of
 * the same ref; the providers that yielded are returned apart.
 */
export function checkServices(
  registrations: ReadonlyMap<string, PluginRegistration>,
  builtins: readonly ServiceRef<unknown>[],
  overrides: readonly ServiceRef<unknown>[],
  defaults: ReadonlySet<string> = new Set(),
): { problems: StreamSuitesError[]; yielded: Set<Provider> } {
  const problems: StreamSuitesError[] = [];
  const yielded = new Set<Provider>();
  const scopes = new Map<string, 'root' | 'creator'>(builtins.map((ref) => [ref.id, ref.scope]));
  const owners = new Map<string, string>();
  const replaced = new Set(overrides.map((o) => o.id));
  // Plugins first, then defaults: a default finds its ref taken and yields.
  const ordered = [...registrations].sort(([a], [b]) => Number(defaults.has(a)) - Number(defaults.has(b)));
  for (const [pluginId, registration] of ordered) {
    for (const provider of registration.providers) {
      const first = owners.get(provider.ref.id);
      const taken = first !== undefined || builtins.some((b) => b.id === provider.ref.id);
      if (defaults.has(pluginId) && (replaced.has(provider.ref.id) || (first !== undefined && !defaults.has(first)))) {
        yielded.add(provider);
        continue;
      }
      if (taken) {
        if (!replaced.has(provider.ref.id)) {
          problems.push(new SS_ERR_SERVICE_DUPLICATE(provider.ref.id, first ?? 'kernel', pluginId, { details: { pluginId } }));
        }
        continue;
      }
      owners.set(provider.ref.id, pluginId);
      scopes.set(provider.ref.id, provider.ref.scope);
    }
  }
  for (const ref of overrides) scopes.set(ref.id, ref.scope);
  const checkDeps = (consumer: string, pluginId: string, consumerScope: 'root' | 'creator', deps: DepsMap | undefined) => {
    for (const ref of Object.values(deps ?? {})) {
      const scope = scopes.get(ref.id);
      if (scope === undefined) {
        problems.push(new SS_ERR_SERVICE_NOT_FOUND(ref.id, consumer, { details: { pluginId, serviceId: ref.id } }));
      } else if (consumerScope === 'root' && scope === 'creator') {
        problems.push(new SS_ERR_SCOPE_VIOLATION(consumer, ref.id, { details: { pluginId, serviceId: ref.id } }));
      }
    }
  };
  for (const [pluginId, registration] of registrations) {
    for (const provider of registration.providers) {
      if (yielded.has(provider)) continue;
      checkDeps(`service "${provider.ref.id}" of plugin "${pluginId}"`, pluginId, provider.ref.scope, provider.options.deps);
    }
    if (registration.hook !== undefined) checkDeps(`the onInit hook of plugin "${pluginId}"`, pluginId, 'root', registration.hook.deps);
  }
  return { problems, yielded };
}
