import { actionDispatcherRef, type ActionDispatcher } from '../../contracts/actions.js';
import { defineRuntimeHooks } from '../../contracts/runtime-hooks.js';
import { triggerRegistryRef } from '../../contracts/triggers.js';
import { SS_ERR_TRIGGER_DUPLICATE_ID } from '../../errors.js';
import { pointer, type ManifestIssue } from '../../manifest/issues.js';
import { kernelRef, loggerRef } from '../../refs.js';
import { KernelActionDispatcher } from '../actions/dispatcher.js';
import { cooldownBookRef, triggerCatalogRef, triggerPipelineRef } from './providers.js';

/** Dry-run is this dispatcher's setting; a replacement dispatcher decides for itself. */
function setDryRun(dispatcher: ActionDispatcher, value: boolean, creatorId?: string): void {
  if (dispatcher instanceof KernelActionDispatcher) dispatcher.setDryRun(value, creatorId);
}

/**
 * The chat trigger pipeline, wired into the kernel's lifecycle through the
 * same runtime hooks any plugin can contribute: a creator's triggers are
 * checked with the manifest, go live before its plugins start emitting chat,
 * and leave before they stop.
 */
export const triggerRuntimeHooks = defineRuntimeHooks({
  deps: {
    catalog: triggerCatalogRef,
    cooldowns: cooldownBookRef,
    pipeline: triggerPipelineRef,
    dispatcher: actionDispatcherRef,
    kernel: kernelRef,
    logger: loggerRef,
  },

  /** Problems of a creator's triggers (types, params, cooldowns, actions, duplicate ids). */
  checkCreator({ catalog }, creator, basePath) {
    const issues: ManifestIssue[] = [];
    const ids = new Map<string, number>();
    creator.triggers.forEach((definition, index) => {
      const path = [...basePath, 'triggers', index];
      const { issues: found, compiled } = catalog.inspect(definition, path);
      issues.push(...found);
      if (compiled === undefined) return;
      const first = ids.get(compiled.id);
      if (first !== undefined) {
        issues.push({
          code: SS_ERR_TRIGGER_DUPLICATE_ID.code,
          path: pointer(path),
          message: `trigger id "${compiled.id}" is also used by trigger ${first} of this creator`,
          hint: 'Give each trigger a unique "id", or remove the duplicate.',
        });
      }
      ids.set(compiled.id, index);
    });
    return issues;
  },

  /** Cooldowns loaded and the chat.message subscription in place before any creator starts. */
  async beforeCreators({ cooldowns, pipeline, dispatcher, kernel, logger }) {
    setDryRun(dispatcher, kernel.manifest.dryRun);
    try {
      await cooldowns.load();
    } catch (error) {
      logger.error({ err: error }, 'could not load persisted trigger cooldowns; starting without them');
    }
    pipeline.start();
  },

  /** The creator's triggers, validated at load, go live before its plugins start emitting chat. */
  creatorStarting({ pipeline, dispatcher, logger }, { resolved, context, resolve }) {
    const registry = resolve(triggerRegistryRef);
    for (const definition of resolved.triggers) {
      try {
        registry.add(definition);
      } catch (error) {
        // Checked when the kernel was created; only a replacement registry can refuse one here.
        logger.error({ err: error, creator: resolved.id, trigger: definition.id ?? definition.type }, 'trigger not loaded');
      }
    }
    setDryRun(dispatcher, resolved.dryRun, resolved.id);
    pipeline.attach(resolved.id, registry, context.signal);
  },

  /** No new chat goes through the creator's triggers while its plugins stop. */
  creatorStopping({ pipeline }, creatorId) {
    pipeline.detach(creatorId);
  },

  afterCreators({ pipeline }) {
    pipeline.stop();
  },

  idle({ pipeline }) {
    return pipeline.idle();
  },
});
