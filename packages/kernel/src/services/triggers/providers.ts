import { actionDispatcherRef, actionTypesExtensionPoint } from '../../contracts/actions.js';
import { stateStoreRef } from '../../contracts/state.js';
import { triggerRegistryRef, triggerTypesExtensionPoint } from '../../contracts/triggers.js';
import { kernelProvider, type Provider } from '../../registration.js';
import { busRef, clockRef, creatorContextRef, loggerRef, secretsRef } from '../../refs.js';
import { createServiceRef } from '../../service-ref.js';
import { builtinActionTypes, KernelActionDispatcher } from '../actions/dispatcher.js';
import { builtinTriggerTypes } from './builtin-types.js';
import { TriggerCatalog } from './catalog.js';
import { CooldownBook } from './cooldowns.js';
import { TriggerPipeline } from './pipeline.js';
import { CreatorTriggerRegistry } from './registry.js';

/** Internal services of the trigger pipeline (not part of the public API). */
export const triggerCatalogRef = createServiceRef<TriggerCatalog>({ id: 'kernel.triggerCatalog' });
export const cooldownBookRef = createServiceRef<CooldownBook>({ id: 'kernel.cooldowns' });
export const triggerPipelineRef = createServiceRef<TriggerPipeline>({ id: 'kernel.triggerPipeline' });

const builtin = <T>(values: readonly T[]) => values.map((value) => ({ pluginId: 'kernel', value }));

export const triggerProviders: Provider[] = [
  kernelProvider(actionDispatcherRef, {
    deps: { bus: busRef, clock: clockRef, logger: loggerRef, secrets: secretsRef },
    factory: (deps, ctx) => {
      const contributed = ctx.extensions(actionTypesExtensionPoint);
      return new KernelActionDispatcher({
        ...deps,
        actionTypes: [...builtinActionTypes, ...contributed.map((c) => c.value)],
        actionTypeOwners: new Map([...builtin(builtinActionTypes), ...contributed].map((c) => [c.value.type, c.pluginId])),
      });
    },
  }),
  kernelProvider(triggerCatalogRef, {
    deps: { dispatcher: actionDispatcherRef },
    factory: ({ dispatcher }, ctx) =>
      new TriggerCatalog([...builtin(builtinTriggerTypes), ...ctx.extensions(triggerTypesExtensionPoint)], dispatcher),
  }),
  kernelProvider(cooldownBookRef, {
    deps: { store: stateStoreRef, clock: clockRef, logger: loggerRef },
    factory: (deps) => new CooldownBook(deps),
  }),
  kernelProvider(triggerPipelineRef, {
    deps: { bus: busRef, dispatcher: actionDispatcherRef, clock: clockRef },
    factory: (deps) => new TriggerPipeline(deps),
  }),
  kernelProvider(triggerRegistryRef, {
    deps: { creator: creatorContextRef, catalog: triggerCatalogRef, cooldowns: cooldownBookRef, bus: busRef, clock: clockRef },
    factory: ({ creator, catalog, cooldowns, bus, clock }) =>
      new CreatorTriggerRegistry({ creatorId: creator.id, catalog, cooldowns, bus, clock, logger: creator.logger }),
  }),
];
