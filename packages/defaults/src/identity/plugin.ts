import { clockRef, createServiceRef, definePlugin, defineRuntimeHooks, identityMapRef, loggerRef, runtimeHooksExtensionPoint, stateStoreRef } from '@streamsuites/kernel';
import { DEFAULTS_VERSION, KERNEL_RANGE } from '../version.js';
import { StoredIdentityMap } from './map.js';

const storedIdentityRef = createServiceRef<StoredIdentityMap>({ id: 'identity.stored' });

/** One identity across platforms: the identity map in the state store (default). */
export const identityPlugin = definePlugin({
  id: 'identity',
  version: DEFAULTS_VERSION,
  kernel: KERNEL_RANGE,
  description: 'Identity map across platforms (default)',
  register(reg) {
    reg.provide(storedIdentityRef, {
      deps: { store: stateStoreRef, clock: clockRef, logger: loggerRef },
      factory: (deps) => new StoredIdentityMap(deps),
    });
    reg.provide(identityMapRef, { deps: { map: storedIdentityRef }, factory: ({ map }) => map });
    reg.extend(
      runtimeHooksExtensionPoint,
      defineRuntimeHooks({
        deps: { map: storedIdentityRef },
        // Links are read before any chat arrives: personKey() is synchronous.
        beforeCreators: ({ map }) => map.load(),
      }),
    );
  },
});
