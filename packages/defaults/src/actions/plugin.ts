import {
  actionDispatcherRef,
  actionJournalRef,
  actionGuardsExtensionPoint,
  actionTypesExtensionPoint,
  busRef,
  clockRef,
  defineManifestSection,
  definePlugin,
  defineRuntimeHooks,
  kernelRef,
  loggerRef,
  manifestSectionsExtensionPoint,
  runtimeHooksExtensionPoint,
  secretsRef,
  Type,
  type ActionDispatcher,
  type ActionJournal,
} from '@streamsuites/kernel';
import { DEFAULTS_VERSION, KERNEL_RANGE } from '../version.js';
import { builtinActionTypes, DefaultActionDispatcher } from './dispatcher.js';

const DryRunSchema = Type.Boolean({ description: 'Actions are validated and recorded, not run.' });

/** Top-level `dryRun`: no action runs for any creator. */
export const dryRunSection = defineManifestSection({ key: 'dryRun', scope: 'manifest', schema: DryRunSchema });
/** `creators.<id>.dryRun`: no action runs for this creator. */
export const creatorDryRunSection = defineManifestSection({ key: 'dryRun', scope: 'creator', schema: DryRunSchema });

/** One process redelivers nothing: the default journal keeps nothing (a scale-out plugin replaces it). */
export const noActionJournal: ActionJournal = {
  done: () => false,
  record: () => {},
};

/** Dry-run is this dispatcher's setting; a replacement dispatcher reads the sections itself. */
function setDryRun(dispatcher: ActionDispatcher, value: boolean, creatorId?: string): void {
  if (dispatcher instanceof DefaultActionDispatcher) dispatcher.setDryRun(value, creatorId);
}

/**
 * The action dispatcher: validates action params against each type's
 * schema, runs the handler a plugin registered for the platform, times it
 * out, records the outcome, and honours dry-run; action guards
 * (actionGuardsExtensionPoint) judge each action before its handler. `chat.reply` is built in;
 * plugins add types through actionTypesExtensionPoint.
 */
export const actionsPlugin = definePlugin({
  id: 'actions',
  version: DEFAULTS_VERSION,
  kernel: KERNEL_RANGE,
  description: 'Action dispatcher with dry-run (default)',
  register(reg) {
    reg.provide(actionJournalRef, { factory: () => noActionJournal });
    reg.provide(actionDispatcherRef, {
      deps: { bus: busRef, clock: clockRef, logger: loggerRef, secrets: secretsRef, journal: actionJournalRef },
      factory: (deps, ctx) => {
        const contributed = ctx.extensions(actionTypesExtensionPoint);
        const own = builtinActionTypes.map((value) => ({ pluginId: ctx.pluginId, value }));
        return new DefaultActionDispatcher({
          ...deps,
          actionTypes: [...builtinActionTypes, ...contributed.map((c) => c.value)],
          actionTypeOwners: new Map([...own, ...contributed].map((c) => [c.value.type, c.pluginId])),
          guards: ctx.extensions(actionGuardsExtensionPoint).map((c) => c.value),
        });
      },
    });
    reg.extend(manifestSectionsExtensionPoint, dryRunSection);
    reg.extend(manifestSectionsExtensionPoint, creatorDryRunSection);
    reg.extend(
      runtimeHooksExtensionPoint,
      defineRuntimeHooks({
        deps: { dispatcher: actionDispatcherRef, kernel: kernelRef },
        beforeCreators({ dispatcher, kernel }) {
          setDryRun(dispatcher, dryRunSection.read(kernel.manifest) ?? false);
        },
        creatorStarting({ dispatcher }, { resolved }) {
          setDryRun(dispatcher, creatorDryRunSection.read(resolved) ?? false, resolved.id);
        },
      }),
    );
  },
});
