import { createExtensionPoint } from '../extension-point.js';
import type { ManifestIssue } from '../manifest/issues.js';
import type { ResolvedCreator, ResolvedManifest } from '../manifest/schema.js';
import type { CreatorContext, DepsMap } from '../plugin.js';
import type { ResolvedDeps, ServiceRef } from '../service-ref.js';

/** What a runtime hook sees of a creator that is starting. */
export interface StartingCreator {
  /** The creator's validated manifest entry (its `triggers`, `dryRun`, ...). */
  resolved: ResolvedCreator;
  context: CreatorContext;
  /** Resolves a service in the creator's scope. */
  resolve<T>(ref: ServiceRef<T>): T;
}

/**
 * Hooks into the kernel's own lifecycle, for services that run beside every
 * creator rather than as a plugin a creator enables — the chat trigger
 * pipeline is one. The kernel calls each hook of every contribution in
 * registration order; `deps` are root-scoped services, resolved when the hook
 * first runs. The kernel itself knows nothing of what the hooks do.
 */
export interface RuntimeHooks<D extends DepsMap = DepsMap> {
  deps?: D;
  /**
   * Problems of a creator's manifest entry, each with its JSON path and a
   * hint; run when the kernel is created (before anything starts, so
   * `streamsuites validate` reports them) and for `addCreator`.
   */
  checkCreator?(deps: ResolvedDeps<D>, creator: ResolvedCreator, path: readonly (string | number)[]): ManifestIssue[];
  /**
   * Problems only the whole manifest shows (how many creators use a tier),
   * each with its JSON path; run with checkCreator when the kernel is
   * created and on every reload (the new manifest, before anything of it
   * is applied).
   */
  checkManifest?(deps: ResolvedDeps<D>, manifest: ResolvedManifest): ManifestIssue[];
  /**
   * Which of the manifest's creators this process runs, asked at boot and
   * whenever a reload adds creators: return the ids to start now (a subset
   * of `ids`; each hook narrows what the previous ones left). The others
   * stay parked — in the manifest, not running — until
   * `kernel.startCreator(id)`. A scale-out plugin runs only the creators
   * whose lease its process holds this way.
   */
  placeCreators?(deps: ResolvedDeps<D>, ids: readonly string[]): readonly string[];
  /** After every plugin's init, before any creator starts (load persisted state, subscribe to the bus). */
  beforeCreators?(deps: ResolvedDeps<D>): void | Promise<void>;
  /** When a creator starts, before any of its plugins starts. */
  creatorStarting?(deps: ResolvedDeps<D>, creator: StartingCreator): void;
  /**
   * A running creator's entry changed on reload while the plugins it
   * enables and their config did not (its triggers, its rules): swap what
   * was built from the old entry for the new one in one step, so each chat
   * message sees either the old entry or the new one, never a mix. Runs
   * between two messages of the creator's chat.
   */
  creatorUpdated?(deps: ResolvedDeps<D>, creator: StartingCreator, previous: ResolvedCreator): void;
  /** Top-level sections changed on reload (`tiers`, `identities`, `dryRun`): apply the new values. */
  manifestUpdated?(deps: ResolvedDeps<D>, manifest: ResolvedManifest, previous: ResolvedManifest): void | Promise<void>;
  /** First step of a creator's stop, before its plugins stop. */
  creatorStopping?(deps: ResolvedDeps<D>, creatorId: string): void;
  /** After every creator stopped, before the plugins' stop hooks. */
  afterCreators?(deps: ResolvedDeps<D>): void | Promise<void>;
  /** Resolves once the work this hook has in flight is done (`kernel.idle()`). */
  idle?(deps: ResolvedDeps<D>): Promise<void>;
}

/** Where runtime hooks are contributed: `reg.extend(runtimeHooksExtensionPoint, defineRuntimeHooks({...}))`. */
export const runtimeHooksExtensionPoint = createExtensionPoint<RuntimeHooks<any>>({ id: 'kernel.runtimeHooks' });

/** Types `deps` for the hooks (an identity function). */
export function defineRuntimeHooks<D extends DepsMap>(hooks: RuntimeHooks<D>): RuntimeHooks<D> {
  return hooks;
}
