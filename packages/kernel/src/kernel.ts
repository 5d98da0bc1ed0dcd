import type { DestinationStream } from 'pino';
import { EventBus } from './bus.js';
import { isStreamSuitesError, type StreamSuitesError } from './coded-error.js';
import { systemClock, type Clock } from './contracts/clock.js';
import {
  SS_ERR_BOOT_ABORTED,
  SS_ERR_CREATOR_EXISTS,
  SS_ERR_CREATOR_NOT_FOUND,
  SS_ERR_KERNEL_STATE,
  SS_ERR_RELOAD_REJECTED,
  SS_ERR_SCOPE_VIOLATION,
  SS_ERR_SERVICE_CONTRACT,
  SS_ERR_STOP_FAILED,
} from './errors.js';
import type { ReloadSummary } from './events.js';
import { createLogger, type Logger, type LogFormat, type LogLevel } from './logger.js';
import { formatIssue, wiringError } from './manifest/report.js';
import { inspectManifest, manifestInvalid, placeIssues, resolveCreatorEntry, type LoadManifestOptions, type ManifestInspection } from './manifest/load.js';
import type { ManifestIssue } from './manifest/issues.js';
import { EMPTY_CLAIMS, type SectionClaims } from './manifest/sections.js';
import type { ManifestInput, ResolvedCreator, ResolvedManifest } from './manifest/schema.js';
import type { AnyPlugin } from './plugin.js';
import { topoLayers } from './plugin-graph.js';
import { SecretRegistry } from './redact.js';
import type { ServiceRef } from './service-ref.js';
import { stopOnSignals } from './signals.js';
import { CreatorRunner } from './lifecycle/creators.js';
import { FailureReporter } from './lifecycle/failures.js';
import { PluginHooks } from './lifecycle/plugin-hooks.js';
import { PluginSet, type PluginStatus } from './lifecycle/plugins.js';
import { RuntimeHookSet } from './lifecycle/runtime-hooks.js';
import { planReload, restartRequired } from './lifecycle/reload.js';
import { ServiceContainer, ServiceWiringProblems, type ServiceOverride } from './lifecycle/services.js';

export type KernelState = 'created' | 'starting' | 'running' | 'stopping' | 'stopped';
export type { PluginStatus, ServiceOverride };

export interface CreateKernelOptions extends Omit<LoadManifestOptions, 'secrets'> {
  /** Path of a manifest JSON file, or the manifest object. */
  manifest: string | ManifestInput | Record<string, unknown>;
  /** A ready logger; by default one is created at the manifest's logLevel. */
  logger?: Logger;
  /** Where the default logger writes (default stdout; pretty on a TTY). */
  logDestination?: DestinationStream;
  /** Overrides the manifest's logLevel for the default logger. */
  logLevel?: LogLevel;
  /** Line format of the default logger (default: pretty on a TTY, json otherwise). */
  logFormat?: LogFormat;
  clock?: Clock;
  services?: readonly ServiceOverride<any, any>[];
  /**
   * `replay`: the kernel runs recorded events, not live traffic. Plugins
   * declared `replay: 'skip'` (platform connections, chat logging) are left
   * out, as if no creator enabled them. Default `live`.
   */
  mode?: KernelMode;
}

export type KernelMode = 'live' | 'replay';

export interface KernelStatus {
  state: KernelState;
  /** `default`: a default plugin (createKernel's `defaults`) the manifest did not replace. */
  plugins: { id: string; version: string; status: PluginStatus; default?: true; error?: string }[];
  creators: { id: string; plugins: Record<string, PluginStatus> }[];
}

/**
 * Loads and validates the manifest, imports plugin packages, checks the
 * plugin graph and runs every plugin's register(). Nothing is started:
 * subscribe to `kernel.bus`, then `await kernel.start()`.
 *
 * Throws a coded error for a bad manifest (SS_ERR_MANIFEST_*, all problems
 * listed) or a bad plugin graph (SS_ERR_PLUGIN_DEPENDENCY_MISSING,
 * SS_ERR_DEPENDENCY_CYCLE, SS_ERR_KERNEL_VERSION, SS_ERR_PLUGIN_DUPLICATE_ID,
 * SS_ERR_SCOPE_VIOLATION...).
 */
export async function createKernel(options: CreateKernelOptions): Promise<Kernel> {
  const secrets = new SecretRegistry();
  const inspection = await inspectManifest(options.manifest, { ...options, secrets });
  if (inspection.manifest === undefined) {
    const issues = withPluginIssues(inspection, options, secrets);
    throw manifestInvalid(typeof options.manifest === 'string' ? options.manifest : '<inline>', { issues, bootErrors: inspection.bootErrors });
  }
  const logger =
    options.logger ??
    createLogger({
      level: options.logLevel ?? inspection.manifest.logLevel,
      secrets,
      ...(options.logFormat === undefined ? {} : { pretty: options.logFormat === 'pretty' }),
      ...(options.logDestination === undefined ? {} : { destination: options.logDestination }),
    });
  const mode = options.mode ?? 'live';
  return new Kernel(inspection.manifest, inspection.plugins, {
    mode,
    defaults: inspection.defaults,
    sections: inspection.sections,
    logger,
    secrets,
    clock: options.clock ?? systemClock,
    services: options.services ?? [],
    locate: inspection.locate,
    files: inspection.files,
    reload: { ...options, logLevelFixed: options.logger !== undefined || options.logLevel !== undefined },
  });
}

/** The loader's problems and those only plugins find (triggers, wiring), in file order: one run reports all. */
function withPluginIssues(inspection: ManifestInspection, options: CreateKernelOptions, secrets: SecretRegistry): ManifestIssue[] {
  if (inspection.bootErrors.length > 0) return inspection.issues;
  try {
    new Kernel(inspection.partial, inspection.plugins, {
      defaults: inspection.defaults,
      sections: inspection.sections,
      logger: createLogger({ level: 'silent', secrets }),
      secrets,
      clock: options.clock ?? systemClock,
      services: options.services ?? [],
      locate: inspection.locate,
    });
    return inspection.issues;
  } catch (error) {
    const found = isStreamSuitesError(error) && Array.isArray(error.details.issues) ? (error.details.issues as ManifestIssue[]) : [];
    return placeIssues([...inspection.issues, ...found], inspection.locate);
  }
}

export class Kernel {
  readonly bus: EventBus;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly secrets: SecretRegistry;
  /** `replay` while `streamsuites replay` runs recorded events through this kernel. */
  readonly mode: KernelMode;

  // The kernel is a façade: each piece of state lives in the small class that owns it.
  readonly #plugins: PluginSet;
  readonly #failures: FailureReporter;
  readonly #services: ServiceContainer;
  readonly #pluginHooks: PluginHooks;
  readonly #runtimeHooks: RuntimeHookSet;
  readonly #creators: CreatorRunner;
  readonly #sections: SectionClaims;
  readonly #defaults: ReadonlySet<string>;
  /** Services provided by plugins that are not defaults: their contracts are checked at start. */
  readonly #replacements: ServiceRef<unknown>[];
  #state: KernelState = 'created';
  #startedAt: number | undefined;
  #starting: Promise<void> | undefined;
  #stopping: Promise<void> | undefined;
  #manifest: ResolvedManifest;
  #files: string[];
  /** How the manifest was loaded, to load it again on reload (undefined: a kernel built without createKernel). */
  readonly #reloadOptions: (LoadManifestOptions & { logLevelFixed: boolean }) | undefined;
  /** Reloads run one after another. */
  #reloading: Promise<unknown> = Promise.resolve();

  /** @internal Use createKernel(). */
  constructor(
    manifest: ResolvedManifest,
    plugins: readonly AnyPlugin[],
    internals: {
      mode?: KernelMode;
      defaults?: ReadonlySet<string>;
      sections?: SectionClaims;
      logger: Logger;
      secrets: SecretRegistry;
      clock: Clock;
      services: readonly ServiceOverride<any, any>[];
      locate: ManifestInspection['locate'];
      files?: string[];
      reload?: LoadManifestOptions & { logLevelFixed: boolean };
    },
  ) {
    this.#manifest = manifest;
    this.#files = internals.files ?? [];
    this.#reloadOptions = internals.reload;
    this.logger = internals.logger;
    this.secrets = internals.secrets;
    this.clock = internals.clock;
    this.mode = internals.mode ?? 'live';
    this.bus = new EventBus({
      onListenerError: (error, event) => this.logger.error({ err: error, event }, `listener of "${event}" failed`),
      sanitize: (error) => this.secrets.redact(error),
    });
    this.#plugins = new PluginSet(manifest, plugins, this.logger);
    // Failures found before start() are reported when it runs, to the listeners subscribed by then.
    this.#failures = new FailureReporter(this.bus, this.secrets, () => this.#state === 'created');
    this.#services = new ServiceContainer({
      builtins: { bus: this.bus, logger: this.logger, clock: this.clock, secrets: this.secrets, kernel: this },
      dataDir: manifest.dataDir,
      stopMs: manifest.timeouts.stopMs,
      plugin: (pluginId) => this.#plugins.get(pluginId),
      extensions: (point) => this.#plugins.extensions(point),
      creatorDisposers: (creatorId) => this.#creators.get(creatorId)?.disposers,
    });
    this.#pluginHooks = new PluginHooks({
      manifest,
      mode: this.mode,
      logger: this.logger,
      plugins: this.#plugins,
      services: this.#services,
      failures: this.#failures,
    });
    this.#runtimeHooks = new RuntimeHookSet(this.#plugins, this.#services, this.logger);
    this.#creators = new CreatorRunner({
      manifest,
      logger: this.logger,
      bus: this.bus,
      plugins: this.#plugins,
      services: this.#services,
      pluginHooks: this.#pluginHooks,
      runtimeHooks: this.#runtimeHooks,
      failures: this.#failures,
    });

    this.#sections = internals.sections ?? EMPTY_CLAIMS;
    this.#defaults = internals.defaults ?? new Set();
    try {
      this.#replacements = this.#services.register(this.#plugins.register(this.#failures), internals.services, this.#defaults);
    } catch (error) {
      if (error instanceof ServiceWiringProblems) throw wiringError(error.problems, manifest.plugins, internals.locate);
      throw error;
    }
    const issues = [
      ...Object.values(manifest.creators).flatMap((creator) => this.#runtimeHooks.creatorIssues(creator, ['creators', creator.id])),
      ...this.#runtimeHooks.manifestIssues(manifest),
    ];
    if (issues.length > 0) {
      placeIssues(issues, internals.locate);
      throw manifestInvalid(manifest.source, { issues, bootErrors: [] });
    }
  }

  get state(): KernelState {
    return this.#state;
  }

  /** The manifest in effect (the last one a reload applied). */
  get manifest(): ResolvedManifest {
    return this.#manifest;
  }

  /** Every file the manifest in effect was read from (the manifest, its includes, a folder's files). */
  get files(): readonly string[] {
    return this.#files;
  }

  /** Kernel clock time when start() finished, undefined before. */
  get startedAt(): number | undefined {
    return this.#startedAt;
  }

  /** The validated manifest entry of a running creator (added at runtime or not). */
  creator(id: string): ResolvedCreator | undefined {
    return this.#creators.get(id)?.resolved;
  }

  /**
   * Whether a running creator is a hot standby (`startCreator(id, { standby:
   * true })`, not yet promoted): a plugin acting on its own on a creator's
   * events (announcing a go-live) skips it, since the active process acts.
   * False for an active creator and for one not running here.
   */
  isStandby(id: string): boolean {
    return this.#creators.get(id)?.role.standby === true;
  }

  /** Ids of the creators currently running. */
  creators(): string[] {
    return this.#creators.ids();
  }

  /**
   * Resolves once every chat message on the bus so far has been through its
   * triggers and actions (replays wait for it between events, so each
   * event sees the effects of the ones before it).
   */
  async idle(): Promise<void> {
    // One after another (a hook asked later waits for anything the earlier ones' work started),
    // and without Promise.all's per-call allocations: a replay calls this between every two events.
    const idlers = this.#runtimeHooks.idlers();
    for (let i = 0; i < idlers.length; i++) await idlers[i]!();
  }

  /** Resolves a root-scoped service. */
  resolve<T>(ref: ServiceRef<T, 'root'>): T {
    // Resolving a creator service from the root would cache it process-wide.
    if ((ref as ServiceRef<T>).scope === 'creator') throw new SS_ERR_SCOPE_VIOLATION('kernel.resolve()', ref.id);
    return this.#services.resolveIn(this.#services.root, ref, 'kernel.resolve()');
  }

  /** Resolves a service in a creator's scope. */
  resolveFor<T>(creatorId: string, ref: ServiceRef<T>): T {
    const creator = this.#creators.get(creatorId);
    if (creator === undefined) throw new SS_ERR_CREATOR_NOT_FOUND(creatorId);
    return this.#services.resolveIn(creator.scope, ref, `kernel.resolveFor("${creatorId}")`);
  }

  status(): KernelStatus {
    return {
      state: this.#state,
      plugins: this.#plugins.order.map((r) => ({
        id: r.plugin.id,
        version: r.plugin.version,
        status: r.status,
        ...(this.#defaults.has(r.plugin.id) ? { default: true as const } : {}),
        ...(r.error === undefined ? {} : { error: r.error.message }),
      })),
      creators: this.#creators.all().map((c) => ({ id: c.resolved.id, plugins: Object.fromEntries(c.status) })),
    };
  }

  /**
   * Runs init for every plugin (dependency order, independent plugins in
   * parallel), then starts all creators in parallel. A failing plugin is
   * reported as `kernel.plugin.failed` and the rest keep running, unless the
   * manifest sets `onBootFailure: "abort"` (then everything started is
   * stopped and this rejects with SS_ERR_BOOT_ABORTED).
   */
  start(): Promise<void> {
    if (this.#state !== 'created') return Promise.reject(new SS_ERR_KERNEL_STATE('start', this.#state));
    this.#state = 'starting';
    this.#starting = this.#doStart();
    return this.#starting;
  }

  /**
   * Stops everything: creators (each one's plugins in reverse start order),
   * then every plugin's stop() in reverse init order, then root services.
   * Each step has a timeout; failures are collected and reported together
   * (SS_ERR_STOP_FAILED, cause: AggregateError) after every step ran.
   * Idempotent: later calls return the same promise.
   */
  stop(): Promise<void> {
    return (this.#stopping ??= this.#doStop());
  }

  /** Adds and starts a creator at runtime; its config is validated like the manifest's. */
  async addCreator(id: string, entry: Record<string, unknown>): Promise<void> {
    if (this.#state !== 'running') throw new SS_ERR_KERNEL_STATE(`add creator "${id}"`, this.#state);
    if (this.#creators.has(id)) throw new SS_ERR_CREATOR_EXISTS(id);
    const issues: ManifestIssue[] = [];
    const resolved = resolveCreatorEntry(id, entry, this.#plugins.definitions(), this.#sections, issues, ['creators', id]);
    if (resolved !== undefined) {
      issues.push(...this.#runtimeHooks.creatorIssues(resolved, ['creators', id]));
      // Whole-manifest rules (creators per tier) hold with the new creator counted.
      const creators = Object.fromEntries([...this.#creators.all().map((c) => [c.resolved.id, c.resolved] as const), [id, resolved] as const]);
      issues.push(...this.#runtimeHooks.manifestIssues({ ...this.manifest, creators }));
    }
    if (resolved === undefined || issues.length > 0) {
      throw manifestInvalid(`addCreator("${id}")`, { issues, bootErrors: [] });
    }
    await this.#creators.start(resolved);
  }

  /**
   * Starts a creator of the manifest in effect that is not running: one a
   * `placeCreators` hook parked, or one stopped with `stopCreator`. With
   * `standby: true` it runs as a hot standby (`CreatorContext.standby`)
   * until `promoteCreator(id)`. Rejects
   * with SS_ERR_CREATOR_NOT_FOUND (not in the manifest), SS_ERR_CREATOR_EXISTS
   * (already running), or the creator's start failure.
   */
  async startCreator(id: string, options: { standby?: boolean } = {}): Promise<void> {
    if (this.#state !== 'running') throw new SS_ERR_KERNEL_STATE(`start creator "${id}"`, this.#state);
    const resolved = Object.hasOwn(this.manifest.creators, id) ? this.manifest.creators[id] : undefined;
    if (resolved === undefined) throw new SS_ERR_CREATOR_NOT_FOUND(id);
    if (this.#creators.has(id)) throw new SS_ERR_CREATOR_EXISTS(id);
    const failure = await this.#creators.start(resolved, options);
    if (failure !== undefined) throw failure;
  }

  /**
   * Turns a standby creator (started with `{ standby: true }`) into an active
   * one without restarting anything: its connections stay up, and from now on
   * the trigger pipeline and its plugins act for it. Emits
   * `kernel.creator.promoted`. Does nothing for a creator already active.
   */
  promoteCreator(id: string): void {
    const creator = this.#creators.get(id);
    if (creator === undefined) throw new SS_ERR_CREATOR_NOT_FOUND(id);
    if (!creator.role.standby) return;
    creator.role.standby = false;
    this.logger.info({ creator: id }, 'standby creator promoted');
    this.bus.emit('kernel.creator.promoted', { creatorId: id, at: this.clock.now() });
  }

  /**
   * Stops a running creator and parks it: it stays in the manifest, and
   * `startCreator(id)` starts it again (a reload does not, unless a
   * placement hook says so). Same as `removeCreator` for a creator added at
   * runtime.
   */
  stopCreator(id: string): Promise<void> {
    return this.removeCreator(id);
  }

  /** Stops and removes a creator; its scope (and creator-scoped services) is disposed. */
  async removeCreator(id: string): Promise<void> {
    const creator = this.#creators.get(id);
    if (creator === undefined) throw new SS_ERR_CREATOR_NOT_FOUND(id);
    const errors = await this.#creators.stop(creator);
    if (errors.length > 0) throw new SS_ERR_STOP_FAILED(errors.length, { cause: new AggregateError(errors) });
  }

  /**
   * Applies a changed configuration without a restart: reads the manifest
   * again (from where it was loaded, or `input`), validates all of it —
   * every problem the loader and the plugins find, and the changes a
   * running process cannot take (the plugin set, plugin-wide config,
   * dataDir, timeouts) — and only when all is well applies it: creators
   * removed and added, each changed creator's triggers and rules swapped in
   * one step between two chat messages (`creatorUpdated`), and only the
   * plugins whose creator config or enablement changed restarted for that
   * creator. Anything wrong rejects the whole reload with
   * SS_ERR_RELOAD_REJECTED (every problem in `details.issues`, also
   * logged and emitted as `kernel.reload.rejected`) and the running
   * configuration stays. Reloads run one at a time.
   */
  reload(input?: string | ManifestInput | Record<string, unknown>): Promise<ReloadSummary> {
    const run = this.#reloading.then(() => this.#doReload(input));
    this.#reloading = run.catch(() => undefined);
    return run;
  }

  async #doReload(input: string | ManifestInput | Record<string, unknown> | undefined): Promise<ReloadSummary> {
    if (this.#state !== 'running') throw new SS_ERR_KERNEL_STATE('reload', this.#state);
    const source = input ?? (this.#manifest.source === '<inline>' ? undefined : this.#manifest.source);
    const label = typeof source === 'string' ? source : '<inline>';
    const options = this.#reloadOptions ?? {};
    let inspection: ManifestInspection | undefined;
    const issues: ManifestIssue[] = [];
    if (source === undefined) {
      issues.push({ code: SS_ERR_KERNEL_STATE.code, path: '/', message: 'this kernel was created from a manifest object, so there is no file to read again', hint: 'Pass the new manifest: kernel.reload(manifest).' });
    } else {
      try {
        inspection = await inspectManifest(source, { ...options, secrets: this.secrets });
        issues.push(...inspection.issues);
      } catch (error) {
        // Unreadable, or not JSON (a file caught half-written): nothing of it can be applied.
        if (!isStreamSuitesError(error)) throw error;
        const { line, column, file } = error.details as { line?: number; column?: number; file?: string };
        issues.push({
          code: error.code,
          path: '/',
          message: error.message,
          ...(error.hint === undefined ? {} : { hint: error.hint }),
          ...(line === undefined || column === undefined ? {} : { position: { line, column } }),
          ...(typeof file === 'string' ? { file } : {}),
        });
      }
    }
    const next = inspection?.manifest;
    if (inspection !== undefined && next !== undefined) {
      issues.push(...restartRequired(this.#manifest, next, [...this.#plugins.definitions().values()], inspection.plugins));
      for (const creator of Object.values(next.creators)) issues.push(...this.#runtimeHooks.creatorIssues(creator, ['creators', creator.id]));
      issues.push(...this.#runtimeHooks.manifestIssues(next));
      placeIssues(issues, inspection.locate);
    }
    if (issues.length > 0 || next === undefined || inspection === undefined) return this.#rejectReload(label, issues);

    const previous = this.#manifest;
    const running = new Map(this.#creators.all().map((c) => [c.resolved.id, c.resolved] as const));
    const plan = planReload(previous, running, next);
    this.#manifest = next;
    this.#files = inspection.files;
    if (plan.logLevelChanged && !(this.#reloadOptions?.logLevelFixed ?? true)) this.logger.level = next.logLevel;
    if (plan.sections.length > 0) await this.#runtimeHooks.each('manifestUpdated', (hooks, deps) => hooks.manifestUpdated?.(deps, next, previous));
    for (const id of plan.removed) {
      const creator = this.#creators.get(id);
      if (creator !== undefined) await this.#creators.stop(creator);
    }
    const restarted: Record<string, string[]> = {};
    for (const resolved of plan.updated) {
      const creator = this.#creators.get(resolved.id);
      if (creator === undefined) continue;
      const result = await this.#creators.update(creator, resolved);
      if (result.restarted.length > 0) restarted[resolved.id] = result.restarted;
    }
    const placed = this.#runtimeHooks.place(plan.added.map((c) => c.id));
    const added = plan.added.filter((c) => placed.has(c.id));
    for (const resolved of added) await this.#creators.start(resolved);
    const summary: ReloadSummary = {
      source: label,
      added: added.map((c) => c.id),
      removed: plan.removed,
      updated: plan.updated.map((c) => c.id),
      restarted,
      sections: plan.sections,
      at: this.clock.now(),
    };
    this.logger.info({ added: summary.added, removed: summary.removed, updated: summary.updated, restarted, sections: plan.sections }, `reloaded ${label}`);
    this.bus.emit('kernel.reload.applied', summary);
    return summary;
  }

  #rejectReload(source: string, issues: ManifestIssue[]): never {
    const error = new SS_ERR_RELOAD_REJECTED(source, issues.length, { details: { issues } });
    error.message += `\n${issues.map((issue) => `  - ${formatIssue(issue)}`).join('\n')}`;
    this.logger.error({ err: error, issues: issues.length }, `reload of ${source} rejected; the running configuration stays`);
    this.bus.emit('kernel.reload.rejected', { source, issues: issues.length, codes: [...new Set(issues.map((i) => i.code))], at: this.clock.now() });
    throw error;
  }

  /**
   * SIGINT, SIGTERM (and SIGBREAK on Windows) stop the kernel, then exit 0
   * (1 if stopping failed; with `exit: false` the process is left to the
   * caller); a second signal exits at once (130) — with `repeatWindowMs`,
   * only one coming that long after the first (see `handleStopSignals`).
   * Unhandled rejections are logged instead of crashing the process.
   * Returns a function that removes the handlers.
   */
  handleSignals(options: { exit?: boolean; repeatWindowMs?: number } = {}): () => void {
    return stopOnSignals(this, options);
  }

  // ── start ─────────────────────────────────────────────────────────────────

  async #doStart(): Promise<void> {
    this.#failures.flush();
    const contractError = this.#checkReplacements();
    if (contractError !== undefined) return this.#abortBoot(contractError);
    const abortOnFailure = this.manifest.onBootFailure === 'abort';
    let firstFailure: StreamSuitesError | undefined = this.#plugins.order.find((r) => r.status === 'failed')?.error;

    for (const layer of topoLayers(this.#plugins.order.map((r) => r.plugin))) {
      if (abortOnFailure && firstFailure !== undefined) break;
      if (this.#stopping !== undefined) break;
      await Promise.all(
        layer.map(async ({ id }) => {
          const failure = await this.#pluginHooks.init(this.#plugins.get(id)!);
          firstFailure ??= failure;
        }),
      );
    }
    if (abortOnFailure && firstFailure !== undefined) return this.#abortBoot(firstFailure);
    if (this.#stopping !== undefined) return;
    await this.#runtimeHooks.each('beforeCreators', (hooks, deps) => hooks.beforeCreators?.(deps));

    const placed = this.#runtimeHooks.place(Object.keys(this.manifest.creators));
    const results = await Promise.all(
      Object.values(this.manifest.creators)
        .filter((creator) => placed.has(creator.id))
        .map((creator) => this.#creators.start(creator)),
    );
    firstFailure ??= results.find((r) => r !== undefined);
    if (abortOnFailure && firstFailure !== undefined) return this.#abortBoot(firstFailure);
    if (this.#stopping !== undefined) return;
    this.#state = 'running';
    this.#startedAt = this.clock.now();
    const plugins = this.#plugins.order.filter((r) => r.status === 'running').map((r) => r.plugin.id);
    this.logger.info({ creators: this.creators(), plugins, dataDir: this.manifest.dataDir }, 'kernel started');
    this.bus.emit('kernel.started', { creators: this.creators(), plugins, at: this.clock.now() });
  }

  /** Builds each root service a plugin replaced, so one lacking a contract method stops the boot before anything starts. */
  #checkReplacements(): StreamSuitesError | undefined {
    for (const ref of this.#replacements) {
      if (ref.scope !== 'root' || ref.methods.length === 0) continue;
      try {
        this.#services.resolveIn(this.#services.root, ref, 'the kernel (contract check)');
      } catch (error) {
        // Any other failure to build surfaces where the service is first used, as before.
        if (SS_ERR_SERVICE_CONTRACT.is(error)) return error;
      }
    }
    return undefined;
  }

  async #abortBoot(cause: StreamSuitesError): Promise<never> {
    // We are inside start(): stop() must not wait for start() to settle.
    this.#starting = undefined;
    await this.stop().catch((error: unknown) => this.logger.error({ err: error }, 'stop after aborted boot failed'));
    throw new SS_ERR_BOOT_ABORTED(cause.message, { cause });
  }

  // ── stop ──────────────────────────────────────────────────────────────────

  async #doStop(): Promise<void> {
    const wasState = this.#state;
    this.#state = 'stopping';
    this.bus.emit('kernel.stopping', { at: this.clock.now() });
    for (const creator of this.#creators.all()) creator.controller.abort();
    if (this.#starting !== undefined && wasState === 'starting') await this.#starting.catch(() => undefined);

    const errors: StreamSuitesError[] = [];
    errors.push(...(await this.#pluginHooks.runStop('beforeStop')));
    const creators = this.#creators.all().reverse();
    for (const list of await Promise.all(creators.map((c) => this.#creators.stop(c)))) errors.push(...list);

    await this.#runtimeHooks.each('afterCreators', (hooks, deps) => hooks.afterCreators?.(deps));
    errors.push(...(await this.#pluginHooks.runStop('stop')));
    errors.push(...(await this.#services.disposeRoot()));
    this.#state = 'stopped';
    this.logger.info({ errors: errors.length }, 'kernel stopped');
    this.bus.emit('kernel.stopped', { at: this.clock.now(), errors: errors.length });
    if (errors.length > 0) throw new SS_ERR_STOP_FAILED(errors.length, { cause: new AggregateError(errors) });
  }
}
