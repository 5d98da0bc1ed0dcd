import { isDeepStrictEqual } from 'node:util';
import {
  actionDispatcherRef,
  busRef,
  clockRef,
  createServiceRef,
  definePlugin,
  defineRuntimeHooks,
  identityMapRef,
  kernelRef,
  loggerRef,
  manifestSectionsExtensionPoint,
  pointer,
  runtimeHooksExtensionPoint,
  stateStoreRef,
  type Logger,
  type ManifestIssue,
  type ResolvedManifest,
} from '@streamsuites/kernel';
import { DEFAULTS_VERSION, KERNEL_RANGE } from '../version.js';
import { LinkCodes } from './codes.js';
import { identityConfigSchema } from './config.js';
import { SS_ERR_IDENTITY_LINK_CREATOR_UNKNOWN, SS_ERR_IDENTITY_STORE_FAILED } from './errors.js';
import { LinkFlow } from './link-flow.js';
import { StoredIdentityMap } from './map.js';
import { identitiesSection, parseAccount, type IdentitiesSection } from './section.js';

const storedIdentityRef = createServiceRef<StoredIdentityMap>({ id: 'identity.stored' });
const linkFlowRef = createServiceRef<LinkFlow>({ id: 'identity.linkFlow' });

/** The operator's links as account key → person id (the section is checked: no account twice). */
export function operatorLinks(section: IdentitiesSection | undefined): Map<string, string> {
  const wanted = new Map<string, string>();
  for (const [personId, person] of Object.entries(section ?? {})) {
    for (const account of person.accounts) {
      const { platform, userId } = parseAccount(account);
      wanted.set(`${platform}:${userId}`, personId);
    }
  }
  return wanted;
}

/** Makes the stored operator links those of the manifest; a store failure is logged with its code (chat links and the rest run on). */
async function applyOperatorLinks(map: StoredIdentityMap, manifest: ResolvedManifest, logger: Logger): Promise<void> {
  try {
    const { added, removed } = await map.applyOperatorLinks(operatorLinks(identitiesSection.read(manifest)));
    if (added + removed > 0) logger.info({ added, removed }, 'identity: operator links applied');
  } catch (error) {
    const coded = new SS_ERR_IDENTITY_STORE_FAILED('applying the operator links of "identities"', { cause: error });
    logger.error({ code: coded.code, err: coded }, coded.message);
  }
}

/** `link.creators` naming a creator the manifest does not have. */
function linkCreatorIssues(manifest: ResolvedManifest): ManifestIssue[] {
  const link = (manifest.plugins.identity?.config as { link?: { creators?: unknown } } | undefined)?.link;
  const listed = Array.isArray(link?.creators) ? (link.creators as unknown[]) : [];
  return listed.flatMap((creatorId, index) => {
    if (typeof creatorId !== 'string' || creatorId in manifest.creators) return [];
    const error = new SS_ERR_IDENTITY_LINK_CREATOR_UNKNOWN(creatorId);
    return [{ code: error.code, path: pointer(['plugins', 'identity', 'config', 'link', 'creators', index]), message: error.message, hint: error.hint! }];
  });
}

/**
 * One identity across platforms (default): the identity map in the state
 * store, the operator's links from the manifest's `identities` section, and
 * the viewer's opt-in `!link` flow on the chat bus.
 */
export const identityPlugin = definePlugin({
  id: 'identity',
  version: DEFAULTS_VERSION,
  kernel: KERNEL_RANGE,
  description: 'Identity map across platforms (default)',
  configSchema: identityConfigSchema,
  register(reg) {
    reg.provide(storedIdentityRef, {
      deps: { store: stateStoreRef, clock: clockRef, logger: loggerRef },
      factory: (deps) => new StoredIdentityMap(deps),
    });
    reg.provide(identityMapRef, { deps: { map: storedIdentityRef }, factory: ({ map }) => map });
    reg.provide(linkFlowRef, {
      deps: { map: storedIdentityRef, store: stateStoreRef, dispatcher: actionDispatcherRef, bus: busRef, clock: clockRef, logger: loggerRef },
      factory: ({ store, ...deps }, ctx) => {
        const config = ctx.config.link;
        const codes = new LinkCodes({ store, clock: deps.clock, ttlMs: config.codeTtlSec * 1000, maxPerAccount: config.maxCodesPerAccount, rateWindowMs: config.rateWindowSec * 1000 });
        return new LinkFlow({ ...deps, codes, config });
      },
    });
    reg.extend(manifestSectionsExtensionPoint, identitiesSection);
    reg.extend(
      runtimeHooksExtensionPoint,
      defineRuntimeHooks({
        deps: { map: storedIdentityRef, flow: linkFlowRef, kernel: kernelRef, logger: loggerRef },
        checkManifest: (_deps, manifest) => linkCreatorIssues(manifest),
        // Links are read, and the operator's applied, before any chat arrives: personKey() is synchronous.
        async beforeCreators({ map, flow, kernel, logger }) {
          await map.load();
          await applyOperatorLinks(map, kernel.manifest, logger);
          // A replay must not issue codes nor link anyone: the flow is live interaction.
          if (kernel.mode !== 'replay') await flow.start();
        },
        // A reload that changed `identities` (the link config itself needs a restart, as any plugin-wide config).
        manifestUpdated: ({ map, logger }, manifest, previous) =>
          isDeepStrictEqual(identitiesSection.read(manifest), identitiesSection.read(previous)) ? undefined : applyOperatorLinks(map, manifest, logger),
        afterCreators: ({ flow }) => flow.stop(),
        idle: ({ flow }) => flow.idle(),
      }),
    );
  },
});
