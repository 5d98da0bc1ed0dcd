import { isDeepStrictEqual } from 'node:util';
import {
  actionDispatcherRef,
  busRef,
  chatPipelineRef,
  chatFiltersExtensionPoint,
  clockRef,
  cooldownBookRef,
  createServiceRef,
  creatorContextRef,
  defineManifestSection,
  definePlugin,
  defineRuntimeHooks,
  identityMapRef,
  loggerRef,
  manifestSectionsExtensionPoint,
  pointer,
  runtimeHooksExtensionPoint,
  stateStoreRef,
  triggerRegistryRef,
  triggerTypesExtensionPoint,
  type ManifestIssue,
  type ResolvedCreator,
  type TriggerDefinition,
} from '@streamsuites/kernel';
import { SS_ERR_TRIGGER_DUPLICATE_ID, SS_ERR_TRIGGER_TYPE_NOT_ENABLED } from '../errors.js';
import { DEFAULTS_VERSION, KERNEL_RANGE } from '../version.js';
import { builtinTriggerTypes } from './builtin-types.js';
import { TriggerCatalog } from './catalog.js';
import { StoredCooldownBook } from './cooldowns.js';
import { TriggerPipeline } from './pipeline.js';
import { CreatorTriggerRegistry } from './registry.js';
import { TriggersSectionSchema } from './schema.js';

/** Services of the trigger pipeline, private to this plugin. */
const triggerCatalogRef = createServiceRef<TriggerCatalog>({ id: 'triggers.catalog' });
const triggerPipelineRef = createServiceRef<TriggerPipeline>({ id: 'triggers.pipeline' });

/** `creators.<id>.triggers`: the creator's chat triggers (types, params and actions are checked against the plugins). */
export const triggersSection = defineManifestSection({ key: 'triggers', scope: 'creator', schema: TriggersSectionSchema });

/** A creator's triggers as the registry takes them (every action with its params object). */
export function creatorTriggers(creator: Pick<ResolvedCreator, 'sections'>): TriggerDefinition[] {
  return (triggersSection.read(creator) ?? []).map((trigger) => ({
    ...trigger,
    actions: trigger.actions.map((action) => ({ ...action, params: action.params ?? {} })),
  })) as TriggerDefinition[];
}

/**
 * The chat trigger engine: the catalog of trigger types (command, keyword
 * and regex built in; plugins add theirs through triggerTypesExtensionPoint),
 * one registry per creator (Aho-Corasick index, cooldowns persisted in the
 * state store), and the pipeline that runs every chat message through its
 * creator's triggers and dispatches the actions. Wired into the kernel's
 * lifecycle through runtime hooks, like any plugin could be.
 */
export const triggersPlugin = definePlugin({
  id: 'triggers',
  version: DEFAULTS_VERSION,
  kernel: KERNEL_RANGE,
  description: 'Chat trigger engine (default)',
  register(reg) {
    reg.provide(triggerCatalogRef, {
      deps: { dispatcher: actionDispatcherRef },
      factory: ({ dispatcher }, ctx) =>
        new TriggerCatalog([...builtinTriggerTypes.map((value) => ({ pluginId: ctx.pluginId, value })), ...ctx.extensions(triggerTypesExtensionPoint)], dispatcher),
    });
    reg.provide(cooldownBookRef, {
      deps: { store: stateStoreRef, clock: clockRef, logger: loggerRef },
      factory: (deps) => new StoredCooldownBook(deps),
    });
    reg.provide(triggerPipelineRef, {
      deps: { bus: busRef, dispatcher: actionDispatcherRef, clock: clockRef, logger: loggerRef },
      factory: (deps, ctx) => new TriggerPipeline({ ...deps, filters: ctx.extensions(chatFiltersExtensionPoint).map(({ value }) => value) }),
    });
    // The same pipeline, under the kernel's contract (for messages that arrive other than on the bus).
    reg.provide(chatPipelineRef, { deps: { pipeline: triggerPipelineRef }, factory: ({ pipeline }) => pipeline });
    reg.provide(triggerRegistryRef, {
      deps: { creator: creatorContextRef, catalog: triggerCatalogRef, cooldowns: cooldownBookRef, bus: busRef, clock: clockRef, identity: identityMapRef },
      factory: ({ creator, catalog, cooldowns, bus, clock, identity }) =>
        new CreatorTriggerRegistry({ creatorId: creator.id, catalog, cooldowns, bus, clock, identity, logger: creator.logger }),
    });
    reg.extend(manifestSectionsExtensionPoint, triggersSection);
    reg.extend(runtimeHooksExtensionPoint, triggerRuntimeHooks);
  },
});

const triggerRuntimeHooks = defineRuntimeHooks({
  deps: { catalog: triggerCatalogRef, cooldowns: cooldownBookRef, pipeline: triggerPipelineRef, logger: loggerRef },

  /** Problems of a creator's triggers (types, params, cooldowns, actions, duplicate ids, types of plugins it does not enable). */
  checkCreator({ catalog }, creator, basePath) {
    const issues: ManifestIssue[] = [];
    const ids = new Map<string, number>();
    creatorTriggers(creator).forEach((definition, index) => {
      const path = [...basePath, 'triggers', index];
      const { issues: found, compiled } = catalog.inspect(definition, path);
      issues.push(...found);
      if (compiled === undefined) return;
      const owner = catalog.owner(definition.type);
      // A plugin's trigger type may rely on that plugin running for the creator (its creator config, its state).
      if (owner !== undefined && !catalog.isBuiltin(definition.type) && !creator.enable.includes(owner)) {
        issues.push({
          code: SS_ERR_TRIGGER_TYPE_NOT_ENABLED.code,
          path: pointer([...path, 'type']),
          message: new SS_ERR_TRIGGER_TYPE_NOT_ENABLED(definition.type, owner, creator.id).message,
          hint: `Add "${owner}" to this creator's "enable" list, or remove the trigger.`,
        });
      }
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
  async beforeCreators({ cooldowns, pipeline, logger }) {
    try {
      await cooldowns.load();
    } catch (error) {
      logger.error({ err: error }, 'could not load persisted trigger cooldowns; starting without them');
    }
    pipeline.start();
  },

  /** The creator's triggers, validated at load, go live before its plugins start emitting chat. */
  creatorStarting({ pipeline, logger }, { resolved, context, resolve }) {
    const registry = resolve(triggerRegistryRef);
    for (const definition of creatorTriggers(resolved)) {
      try {
        registry.add(definition);
      } catch (error) {
        // Checked when the kernel was created; only a replacement registry can refuse one here.
        logger.error({ err: error, creator: resolved.id, trigger: definition.id ?? definition.type }, 'trigger not loaded');
      }
    }
    pipeline.attach(resolved.id, registry, context.signal, () => context.standby);
  },

  /**
   * Reload: the creator's triggers replaced in one synchronous step, so
   * every message is matched against the old set or the new one, never a
   * mix (an evaluation under way keeps the matches it made). Cooldowns live
   * in the CooldownBook by trigger id, so a trigger that stays keeps its
   * cooldowns. Untouched when the triggers did not change (stateful trigger
   * types keep their counts).
   */
  creatorUpdated({ logger }, { resolved, resolve }, previous) {
    const next = creatorTriggers(resolved);
    if (isDeepStrictEqual(next, creatorTriggers(previous))) return;
    const registry = resolve(triggerRegistryRef);
    for (const trigger of registry.list()) registry.remove(trigger.id);
    for (const definition of next) {
      try {
        registry.add(definition);
      } catch (error) {
        // Validated before the reload was applied; only a replacement registry can refuse one here.
        logger.error({ err: error, creator: resolved.id, trigger: definition.id ?? definition.type }, 'trigger not loaded');
      }
    }
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
