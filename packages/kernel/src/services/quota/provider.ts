import { quotaRegistryRef } from '../../contracts/quotas.js';
import { stateStoreRef } from '../../contracts/state.js';
import type { DepsMap, ProviderOptions } from '../../plugin.js';
import type { Provider } from '../../registration.js';
import { busRef, clockRef } from '../../refs.js';
import type { ServiceRef } from '../../service-ref.js';
import { createQuotaRegistry, type DefaultQuotaRegistry } from './registry.js';

const deps = { store: stateStoreRef, bus: busRef, clock: clockRef };

const options: ProviderOptions<DefaultQuotaRegistry, typeof deps> = {
  deps,
  factory: (resolved) => createQuotaRegistry(resolved),
  // Charges in flight finish writing before the store goes away.
  dispose: (registry) => registry.flush(),
};

/** The kernel's default QuotaRegistry: usage in the state store, events on the bus, time from the kernel clock. */
export const quotaRegistryProvider: Provider = {
  pluginId: 'kernel',
  ref: quotaRegistryRef as ServiceRef<unknown>,
  options: options as unknown as ProviderOptions<unknown, DepsMap>,
};
