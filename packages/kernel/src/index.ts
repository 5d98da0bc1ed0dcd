/**
 * @streamsuites/kernel — the public API. Everything else in src/ is internal.
 */
export { createKernel, Kernel } from './kernel.js';
export type { CreateKernelOptions, KernelMode, KernelState, KernelStatus, PluginStatus, ServiceOverride } from './kernel.js';
export { KERNEL_VERSION } from './version.js';

export { definePlugin, isPluginDefinition, parseDependency } from './plugin.js';
// The schema builder the kernel validates with, so plugins need no typebox copy of their own.
export { Type } from 'typebox';
export type { Static, TSchema } from 'typebox';
export type {
  AnyPlugin,
  CreatorContext,
  CreatorStop,
  DepsMap,
  InitHook,
  PluginDefinition,
  PluginInitContext,
  PluginOptions,
  PluginRegistrar,
  PluginStartContext,
  PluginStopContext,
  ProviderContext,
  ProviderOptions,
} from './plugin.js';
export { createServiceRef, isServiceRef } from './service-ref.js';
export type { ResolvedDeps, ServiceRef, ServiceRefOptions, ServiceScope } from './service-ref.js';
export { createExtensionPoint } from './extension-point.js';
export { defineRuntimeHooks, runtimeHooksExtensionPoint } from './contracts/runtime-hooks.js';
export type { RuntimeHooks, StartingCreator } from './contracts/runtime-hooks.js';
export type { Contribution, ExtensionPoint } from './extension-point.js';
export { busRef, clockRef, creatorContextRef, kernelRef, loggerRef, secretsRef } from './refs.js';

export { EventBus } from './bus.js';
export type { AnyListener, EventBusOptions, Listener, WaitForOptions } from './bus.js';
export type {
  ActionEvent,
  ActionFailedEvent,
  ChatDeletedEvent,
  CreatorLifecycleEvent,
  ChatClearedEvent,
  ChatRoomState,
  ChatRoomStateEvent,
  ChatUserTimeoutEvent,
  PlatformAuthFailedEvent,
  PlatformConnectionEvent,
  ChatGapEvent,
  PlatformConnectionState,
  PlatformNormalizeFailedEvent,
  EventName,
  EventPayload,
  ListenerErrorEvent,
  PluginFailedEvent,
  ReloadSummary,
  PluginPhase,
  RateLimitWaitedEvent,
  StreamSuitesEvents,
  TriggerFiredEvent,
} from './events.js';

export { StreamSuitesError, defineError, isStreamSuitesError, serializeError } from './coded-error.js';
export type { CodedErrorClass, SerializedError, StreamSuitesErrorOptions } from './coded-error.js';
export * from './errors.js';

export { handleStopSignals } from './signals.js';
export type { StopSignalsOptions } from './signals.js';
export { createLogger } from './logger.js';
export type { CreateLoggerOptions, Logger, LogFormat, LogLevel } from './logger.js';
export { NORMALIZE_SAMPLE_LENGTH, REDACTED, SecretRegistry, collectSecrets, isSecretKey, redactedSample } from './redact.js';

export { formatIssue, inspectManifest, loadManifest } from './manifest/load.js';
export type { LoadManifestOptions, ManifestInspection, ManifestOverrides } from './manifest/load.js';
export { schemaProblems } from './manifest/issues.js';
export type { ManifestIssue } from './manifest/issues.js';
export type { JsonPosition } from './manifest/json.js';
export { parseJsonWithPositions, isJsonSyntaxError } from './manifest/json.js';
export type { ParsedJson, JsonSyntaxError } from './manifest/json.js';
export type { ManifestDocument, ManifestLocation, ManifestReader } from './manifest/document.js';
export { CREATOR_ID_PATTERN, CreatorManifestSchema, ManifestSchema, PLUGIN_ID_PATTERN } from './manifest/schema.js';
export type { CreatorManifest, ManifestInput, ResolvedCreator, ResolvedManifest } from './manifest/schema.js';

// Shared contracts implemented by later packages.
export type { ChatAuthor, ChatEmote, ChatMessage, ChatMonetary, ChatNotice, ChatReplyRef, ChatRole, Platform, StreamStatus } from './contracts/chat.js';
export { actionDispatcherRef, actionTypesExtensionPoint } from './contracts/actions.js';
export { actionGuardsExtensionPoint } from './contracts/action-guards.js';
export type { ActionGuard, ActionGuardContext, ActionGuardVerdict, GuardedAction } from './contracts/action-guards.js';
export { POSTING_EVENTS, PostingRulesSchema, defaultPostingRulesSection, postingRuleFor, postingRulesSection } from './contracts/posting-rules.js';
export type { PostingDecision, PostingEvent, PostingEventRule, PostingRules } from './contracts/posting-rules.js';
export type {
  ActionContext,
  ActionDescriptor,
  ActionDispatcher,
  ActionHandler,
  ActionOutcome,
  ActionRecord,
  ActionType,
  DispatchOptions,
} from './contracts/actions.js';
export { defineTriggerType, triggerRegistryRef, triggerTypesExtensionPoint } from './contracts/triggers.js';
export type {
  AnyTriggerType,
  DurationString,
  TriggerCooldown,
  TriggerDefinition,
  TriggerFailedEvent,
  TriggerIndexKeys,
  TriggerMatch,
  TriggerRegistry,
  TriggerType,
  TriggerTypeDefinition,
} from './contracts/triggers.js';
export { quotaDefaultsExtensionPoint, quotaRegistryRef } from './contracts/quotas.js';
export type {
  QuotaChargeOptions,
  QuotaDefault,
  QuotaExceededEvent,
  QuotaPolicy,
  QuotaPolicyInput,
  QuotaRegistry,
  QuotaSnapshot,
  QuotaStatus,
  QuotaTracker,
} from './contracts/quotas.js';
export { cooldownBookRef } from './contracts/cooldowns.js';
export { leadershipRef } from './contracts/leadership.js';
export type { Leadership } from './contracts/leadership.js';
export type { CooldownBook, CooldownRequest } from './contracts/cooldowns.js';
export { rateLimitGovernorRef } from './contracts/ratelimit.js';
export type { RateLimitAcquireOptions, RateLimitGovernor, RateLimitPolicy, RateLimitSnapshot } from './contracts/ratelimit.js';
export { jobRegistryRef } from './contracts/jobs.js';
export type { JobHandler, JobRecord, JobRegistry, JobState } from './contracts/jobs.js';
export { stateStoreRef } from './contracts/state.js';
export { identityMapRef } from './contracts/identity.js';
export { chatFiltersExtensionPoint } from './contracts/chat-filters.js';
export { chatPipelineRef } from './contracts/chat-pipeline.js';
export type { ChatPipeline, SubmitOptions } from './contracts/chat-pipeline.js';
export { actionJournalRef } from './contracts/action-journal.js';
export type { ActionJournal, ActionJournalContext } from './contracts/action-journal.js';
export type { ChatFilter } from './contracts/chat-filters.js';
export type { AccountRef, IdentityMap, LinkSource, PersonAccount } from './contracts/identity.js';
export { streamSourcesExtensionPoint } from './contracts/stream-source.js';
export type { LiveStreamInput, StreamSource } from './contracts/stream-source.js';
export type { StateStore } from './contracts/state.js';
// Export sections: how a plugin contributes a snapshot file (the exports plugin writes them; optional).
export { exportsExtensionPoint, RESERVED_EXPORT_FILES, reservedSection } from './contracts/exports.js';
export type { ExportSection, MediaContext, ReservedFile, SnapshotContext, Visibility } from './contracts/exports.js';
export { ManualClock, systemClock } from './contracts/clock.js';
export type { Clock } from './contracts/clock.js';

// State store and job registry contracts (implementations: @streamsuites/defaults, @streamsuites/store-sqlite).
export type { JsonValue, ReadOptions, TableRow, TrimOptions } from './contracts/state.js';
export type { EnqueueOptions, JobFilter, JobPayload, JobRunContext, JobStateEvent, JobType, StreamSuitesJobs } from './contracts/jobs.js';
export { maskLocalPaths, stableHash, wellFormed } from './text.js';

// Manifest sections: creator or top-level keys a plugin claims and validates.
export { defineManifestSection, manifestSectionsExtensionPoint } from './contracts/sections.js';
export type { ManifestSection, SectionScope } from './contracts/sections.js';
export type { PluginCatalog } from './manifest/packages.js';

// Validation helpers for plugins that check their own input the way the manifest loader does.
export { applyDefaults, coerceStrings } from './manifest/defaults.js';
export { fieldName, parsePointer, pointer, schemaIssues, unknownKeyHint, valueHint } from './manifest/issues.js';
export type { SchemaIssueCodes, SchemaProblem } from './manifest/issues.js';
export { didYouMean, suggest } from './manifest/suggest.js';
export { attempt, delay, withTimeout } from './timeout.js';
export type { Sleep } from './timeout.js';

// Retries and reconnects: one exponential backoff with cap and optional jitter.
export { backoffDelay } from './backoff.js';
export type { BackoffPolicy } from './backoff.js';
