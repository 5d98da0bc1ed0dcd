import {
  actionDispatcherRef,
  actionGuardsExtensionPoint,
  clockRef,
  createServiceRef,
  defaultPostingRulesSection,
  definePlugin,
  defineRuntimeHooks,
  identityMapRef,
  kernelRef,
  loggerRef,
  manifestSectionsExtensionPoint,
  postingRulesSection,
  runtimeHooksExtensionPoint,
  stateStoreRef,
  type ChatMessage,
  type ResolvedCreator,
} from '@streamsuites/kernel';
import { DEFAULTS_VERSION, KERNEL_RANGE } from '../../version.js';
import { limitIssues } from '../tiers/check.js';
import { creatorTierSection, tiersSection } from '../tiers/schema.js';
import { clipGuard, type ClipGuardServices, type CreatorLimits } from './guard.js';
import { ClipLedger } from './ledger.js';
import { clipRulesSection, compileClipRules } from './schema.js';

const clipLedgerRef = createServiceRef<ClipLedger>({ id: 'limits.clipLedger' });

function compile(creator: ResolvedCreator): CreatorLimits {
  const tier = creatorTierSection.read(creator);
  const clip = compileClipRules(clipRulesSection.read(creator));
  return { ...(tier === undefined ? {} : { tier }), ...(clip === undefined ? {} : { clip }) };
}

/**
 * Limits as data: top-level `tiers` and a creator's `tier` (checked against
 * the whole manifest at validate, addCreator and reload time), a creator's
 * `clipRules`, both enforced at run time by a guard on `clip.create`; and
 * the `postingRules` sections (defined in the kernel so posting plugins
 * read them without importing this package).
 */
export const limitsPlugin = definePlugin({
  id: 'limits',
  version: DEFAULTS_VERSION,
  kernel: KERNEL_RANGE,
  description: 'Tiers, clip rules and posting rules (default)',
  register(reg) {
    /** Each running creator's limits; one Map.set swaps them on reload. */
    const limits = new Map<string, CreatorLimits>();
    let services: ClipGuardServices | undefined;

    reg.provide(clipLedgerRef, {
      deps: { store: stateStoreRef, clock: clockRef, logger: loggerRef },
      factory: (deps) => new ClipLedger(deps),
    });
    for (const section of [tiersSection, creatorTierSection, clipRulesSection, postingRulesSection, defaultPostingRulesSection]) {
      reg.extend(manifestSectionsExtensionPoint, section);
    }
    reg.extend(actionGuardsExtensionPoint, clipGuard(limits, () => services));
    reg.extend(
      runtimeHooksExtensionPoint,
      defineRuntimeHooks({
        deps: { ledger: clipLedgerRef, identity: identityMapRef, clock: clockRef, kernel: kernelRef, logger: loggerRef, dispatcher: actionDispatcherRef },
        checkManifest: (_deps, manifest) => limitIssues(manifest),
        async beforeCreators({ ledger, identity, clock, kernel, logger, dispatcher }) {
          try {
            await ledger.load();
          } catch (error) {
            logger.error({ err: error }, 'could not load persisted clip limits; starting without them');
          }
          const reply = (creatorId: string, message: ChatMessage, text: string) =>
            void dispatcher.dispatch({ type: 'chat.reply', params: { text } }, { creatorId, message, triggerId: 'clipRules.refused' });
          services = { ledger, identity, clock, manifest: () => kernel.manifest, reply };
        },
        creatorStarting: (_deps, { resolved }) => void limits.set(resolved.id, compile(resolved)),
        creatorUpdated: (_deps, { resolved }) => void limits.set(resolved.id, compile(resolved)),
        creatorStopping: (_deps, creatorId) => void limits.delete(creatorId),
        idle: ({ ledger }) => ledger.flushed(),
      }),
    );
  },
});
