/**
 * @streamsuites/defaults — the default implementations of the kernel's
 * service contracts, as ordinary plugins: trigger engine, action dispatcher
 * (with dry-run), quota tracker, rate-limit governor, in-memory state store
 * and job queue. A host passes them to the kernel (`withDefaults()`); a
 * manifest replaces any of them (a plugin of the same id, or a plugin that
 * provides the same service, as @streamsuites/store-sqlite does).
 */
import type { AnyPlugin, CreateKernelOptions, PluginCatalog } from '@streamsuites/kernel';
import { actionsPlugin } from './actions/plugin.js';
import { officialCatalog } from './catalog.js';
import { memoryJobsPlugin } from './jobs/plugin.js';
import { quotasPlugin } from './quota/plugin.js';
import { rateLimitsPlugin } from './ratelimit/plugin.js';
import { memoryStatePlugin } from './state/plugin.js';
import { triggersPlugin } from './triggers/plugin.js';
import { identityPlugin } from './identity/plugin.js';
import { limitsPlugin } from './rules/clips/plugin.js';
import { leadershipPlugin } from './leadership/plugin.js';
import { chatRulesPlugin } from './rules/chat/plugin.js';

/** Every default plugin, in a fresh array. */
export function defaultPlugins(): AnyPlugin[] {
  return [memoryStatePlugin, memoryJobsPlugin, quotasPlugin, rateLimitsPlugin, leadershipPlugin, identityPlugin, actionsPlugin, triggersPlugin, chatRulesPlugin, limitsPlugin];
}

/**
 * Kernel options with the default plugins and the official package catalog
 * (for manifest hints) added: `createKernel(withDefaults({ manifest }))`.
 * Options that already set `defaults` or `catalog` keep them.
 */
export function withDefaults<O extends Partial<CreateKernelOptions>>(options: O): O & { defaults: readonly AnyPlugin[]; catalog: PluginCatalog } {
  return { ...options, defaults: options.defaults ?? defaultPlugins(), catalog: options.catalog ?? officialCatalog };
}

export { actionsPlugin, creatorDryRunSection, dryRunSection, noActionJournal } from './actions/plugin.js';
export { builtinActionTypes } from './actions/dispatcher.js';
export { moderationActionTypes } from './actions/moderation-types.js';
export { chatBehaviourSection, chatRulesPlugin, manifestMonetizationSection, monetizationSection } from './rules/chat/plugin.js';
export { ChatBehaviourSchema, MonetizationSchema } from './rules/chat/schema.js';
export type { ChatBehaviour, Monetization, MonetizationRule } from './rules/chat/schema.js';
export { memoryJobsPlugin } from './jobs/plugin.js';
export { quotasPlugin, quotasSection, QuotaPolicySchema } from './quota/plugin.js';
export { rateLimitsPlugin } from './ratelimit/plugin.js';
export { leadershipPlugin, soleLeadership } from './leadership/plugin.js';
export { checkRateLimitPolicy, createRateLimitGovernor } from './ratelimit/governor.js';
export { memoryStatePlugin } from './state/plugin.js';
export { identityPlugin } from './identity/plugin.js';
export { IDENTITY_NAMESPACE, StoredIdentityMap } from './identity/map.js';
export { identitiesSection, IdentitiesSchema } from './identity/section.js';
export { identityConfigSchema } from './identity/config.js';
export { CODE_ALPHABET, CODES_NAMESPACE } from './identity/codes.js';
export type { IdentityLinkedEvent, IdentityUnlinkedEvent } from './identity/events.js';
export { creatorTriggers, triggersPlugin, triggersSection } from './triggers/plugin.js';
export { builtinTriggerTypes } from './triggers/builtin-types.js';
export { limitsPlugin } from './rules/clips/plugin.js';
export { CLIP_LEDGER_NAMESPACE } from './rules/clips/ledger.js';
export { CLIP_ROLES, ClipRulesSchema, clipRulesSection } from './rules/clips/schema.js';
export type { ClipRole, ClipRules } from './rules/clips/schema.js';
export { creatorTierSection, KNOWN_PLATFORMS, TierSchema, tiersSection } from './rules/tiers/schema.js';
export type { Tier } from './rules/tiers/schema.js';
export { ActionDescriptorSchema, TriggerDefinitionSchema } from './triggers/schema.js';
export { OFFICIAL_PACKAGES, OFFICIAL_PLUGINS, officialCatalog, officialPluginOfType, officialPluginPackage, officialTypes } from './catalog.js';
export type { OfficialPlugin } from './catalog.js';

// Quotas outside the registry (a host configuring policies itself).
export { configureCreatorQuotas } from './quota/registry.js';
export { quotaPolicyProblems, validateQuotaPolicy } from './quota/policy.js';
export type { QuotaPolicyProblem } from './quota/policy.js';
// Quota rules for trackers kept outside the state store (@streamsuites/scale-redis on Redis).
export { DEFAULT_QUOTA_TIME_ZONE, resolveQuotaPolicy } from './quota/policy.js';
export { canonicalTimeZone, localDay, nextLocalMidnight } from './quota/day.js';

// The pieces a storage backend builds on (@streamsuites/store-sqlite uses them).
export { MemoryStateStorage, MemoryStateStore } from './state/memory-store.js';
export { StorageStateStore } from './state/storage.js';
export type { StateStorage } from './state/storage.js';
export { JobQueue } from './jobs/queue.js';
export type { JobQueueOptions } from './jobs/queue.js';
export { MemoryJobRegistry } from './jobs/memory-registry.js';
export { MemoryJobStorage } from './jobs/memory-storage.js';
export type { JobRow, JobRowFilter, JobStorage } from './jobs/storage.js';
// The queue's rules, for job backends that do not fit JobStorage (@streamsuites/scale-redis on Redis).
export { DEFAULTS as JOB_DEFAULTS, backoff as jobBackoff, checkCount as checkJobCount, checkType as checkJobType, jobFailure, normalizeHandler as normalizeJobHandler, queuedJobRow, settledJobRow, toRecord as jobRowToRecord } from './jobs/handlers.js';
export type { AttemptOutcome, Handler as NormalizedJobHandler } from './jobs/handlers.js';
export { FINISHED_STATES as FINISHED_JOB_STATES, JOB_STATES } from './jobs/storage.js';
export { decodeJson, encodeJson } from './state/json.js';
// The state store's name rules and key order, for backends that do not fit StateStorage (@streamsuites/scale-redis).
export { compareCodePoints } from './state/memory-store.js';
export { checkInteger as checkStateInteger, checkKey as checkStateKey, checkName as checkStateName } from './state/names.js';

export * from './errors.js';
