import { quotaDefaultsExtensionPoint, quotaRegistryRef } from '../../contracts/quotas.js';
import { stateStoreRef } from '../../contracts/state.js';
import { kernelProvider } from '../../registration.js';
import { busRef, clockRef } from '../../refs.js';
import { createQuotaRegistry } from './registry.js';

/** The kernel's default QuotaRegistry: usage in the state store, events on the bus, time from the kernel clock. */
export const quotaRegistryProvider = kernelProvider(quotaRegistryRef, {
  deps: { store: stateStoreRef, bus: busRef, clock: clockRef },
  factory: (deps, ctx) =>
    createQuotaRegistry({ ...deps, platformDefaults: new Map(ctx.extensions(quotaDefaultsExtensionPoint).map((c) => [c.value.platform, c.value.policy])) }),
  // Charges in flight finish writing before the store goes away.
  dispose: (registry) => registry.flush(),
});
