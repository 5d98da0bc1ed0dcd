import {
  busRef,
  clockRef,
  defineManifestSection,
  definePlugin,
  defineRuntimeHooks,
  manifestSectionsExtensionPoint,
  pointer,
  schemaIssues,
  SS_ERR_MANIFEST_SCHEMA,
  SS_ERR_MANIFEST_UNKNOWN_KEY,
  unknownKeyHint,
  quotaDefaultsExtensionPoint,
  quotaRegistryRef,
  runtimeHooksExtensionPoint,
  stateStoreRef,
  Type,
  type ManifestIssue,
  type QuotaPolicyInput,
  type ResolvedCreator,
} from '@streamsuites/kernel';
import { DEFAULTS_VERSION, KERNEL_RANGE } from '../version.js';
import { SS_ERR_QUOTA_POLICY_INVALID } from './errors.js';
import { quotaPolicyProblems } from './policy.js';
import { configureCreatorQuotas, createQuotaRegistry } from './registry.js';

export const QuotaPolicySchema = Type.Object(
  {
    daily: Type.Integer({ minimum: 1 }),
    buffer: Type.Optional(Type.Integer({ minimum: 0 })),
    timeZone: Type.Optional(Type.String({ minLength: 1 })),
  },
  { additionalProperties: false },
);

const QUOTA_HINTS: Record<string, string> = {
  '': 'A quota policy is { "daily": <units per day>, "buffer"?: <units kept for essential calls>, "timeZone"?: <IANA name> }.',
  daily: '"daily" is the platform\'s daily quota in units, a whole number (e.g. 10000).',
  buffer: '"buffer" is the part of "daily" kept for essential calls: a whole number smaller than "daily".',
  timeZone: 'Use the IANA time zone in which the platform\'s quota day starts, such as "America/Los_Angeles".',
};

/**
 * `creators.<id>.quotas.<platform> = { daily, buffer?, timeZone? }`: a
 * creator's daily quota per platform. Each policy is checked on its own, so
 * one platform's mistake does not hide another's.
 */
export const quotasSection = defineManifestSection({
  key: 'quotas',
  scope: 'creator',
  schema: Type.Record(Type.String(), Type.Unknown(), {
    description:
      'Daily API quota per platform: `{ "daily": <units per day>, "buffer"?: <units kept for essential calls>, "timeZone"?: <IANA zone where the quota day starts> }`.',
  }),
  check(policies, path) {
    const issues: ManifestIssue[] = [];
    for (const [platform, policy] of Object.entries(policies)) {
      const at = [...path, platform];
      const shape = schemaIssues(QuotaPolicySchema, policy, at, {
        schema: SS_ERR_MANIFEST_SCHEMA.code,
        unknownKey: SS_ERR_MANIFEST_UNKNOWN_KEY.code,
        hint: (problem) =>
          problem.kind === 'unknown-key' ? `${unknownKeyHint(problem.key, problem.known)} ${QUOTA_HINTS['']}` : (QUOTA_HINTS[problem.at.slice(1)] ?? QUOTA_HINTS['']!),
      });
      if (shape.length > 0) {
        issues.push(...shape);
        continue;
      }
      // Only what the schema cannot say: buffer < daily, a real time zone.
      for (const problem of quotaPolicyProblems(policy)) {
        issues.push({
          code: SS_ERR_QUOTA_POLICY_INVALID.code,
          path: pointer(problem.field === '' ? at : [...at, problem.field]),
          message: problem.message,
          hint: QUOTA_HINTS[problem.field] ?? QUOTA_HINTS['']!,
        });
      }
    }
    return issues;
  },
});

/** The validated policies of a creator (the section's check ran when the manifest was loaded). */
function creatorPolicies(creator: Pick<ResolvedCreator, 'sections'>): Record<string, QuotaPolicyInput> {
  return (quotasSection.read(creator) ?? {}) as Record<string, QuotaPolicyInput>;
}

/**
 * The quota registry: one daily tracker per creator and platform, usage in
 * the state store (a restart continues the day), `quota.*` events on the
 * bus. Policies come from the creator's `quotas` section, else from the
 * platform plugin's default (quotaDefaultsExtensionPoint).
 */
export const quotasPlugin = definePlugin({
  id: 'quotas',
  version: DEFAULTS_VERSION,
  kernel: KERNEL_RANGE,
  description: 'Daily quota tracker per creator and platform (default)',
  register(reg) {
    reg.provide(quotaRegistryRef, {
      deps: { store: stateStoreRef, bus: busRef, clock: clockRef },
      factory: (deps, ctx) =>
        createQuotaRegistry({ ...deps, platformDefaults: new Map(ctx.extensions(quotaDefaultsExtensionPoint).map((c) => [c.value.platform, c.value.policy])) }),
      // Charges in flight finish writing before the store goes away.
      dispose: (registry) => registry.flush(),
    });
    reg.extend(manifestSectionsExtensionPoint, quotasSection);
    reg.extend(
      runtimeHooksExtensionPoint,
      defineRuntimeHooks({
        deps: { quotas: quotaRegistryRef },
        // The manifest's policies are in place before any of the creator's plugins asks for a tracker.
        creatorStarting({ quotas }, { resolved }) {
          const policies = creatorPolicies(resolved);
          if (Object.keys(policies).length > 0) configureCreatorQuotas(quotas, { id: resolved.id, quotas: policies });
        },
      }),
    );
  },
});
