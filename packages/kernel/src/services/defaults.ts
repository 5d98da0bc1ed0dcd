import { jobRegistryRef } from '../contracts/jobs.js';
import { runtimeHooksExtensionPoint } from '../contracts/runtime-hooks.js';
import type { ExtensionPoint } from '../extension-point.js';
import { stateStoreRef } from '../contracts/state.js';
import { kernelProvider, type Provider } from '../registration.js';
import { memoryJobRegistryProvider } from './jobs/memory-registry.js';
import { MemoryStateStore } from './state/memory-store.js';
import { quotaRegistryProvider } from './quota/provider.js';
import { rateLimitGovernorProvider } from './ratelimit/provider.js';
import { triggerProviders } from './triggers/providers.js';
import { triggerRuntimeHooks } from './triggers/runtime.js';

/**
 * The kernel's own implementations of its contracts (in-memory state store,
 * quota registry, rate-limit governor, trigger registry, action dispatcher,
 * job registry). Each is registered only when no plugin provides the same
 * ref, so a plugin such as @streamsuites/store-sqlite replaces the default
 * state store simply by providing `stateStoreRef`.
 */
export const defaultProviders: Provider[] = [
  kernelProvider(stateStoreRef, { factory: () => new MemoryStateStore() }),
  kernelProvider(jobRegistryRef, memoryJobRegistryProvider),
  quotaRegistryProvider,
  rateLimitGovernorProvider,
  ...triggerProviders,
];

/** The kernel's own contributions to extension points (read before any plugin's). */
export const defaultContributions: { point: ExtensionPoint<unknown>; value: unknown }[] = [
  { point: runtimeHooksExtensionPoint as ExtensionPoint<unknown>, value: triggerRuntimeHooks },
];
