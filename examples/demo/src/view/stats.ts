import type { EventBus, SerializedError } from '@streamsuites/kernel';
// Event map augmentations only (exports.*, platform.*, chat.room-state).
import type {} from '@streamsuites/plugin-exports';
import type {} from '@streamsuites/plugin-twitch';
import { DEGRADED_THRESHOLD_MS, type DegradedPeriod, DegradedTracker } from './degraded.js';
import { RateMeter } from './rate-meter.js';
import type { ActivityLine, DemoPhase, Limits, PlatformRow, ViewState } from './state.js';

export { DEGRADED_THRESHOLD_MS } from './degraded.js';
export type { DegradedPeriod } from './degraded.js';
export { RateMeter } from './rate-meter.js';

export interface DemoStatsOptions {
  bus: EventBus;
  /** Creator id → the platform plugins it enables, in display order. */
  creators: Readonly<Record<string, readonly string[]>>;
  exportsRoot: string;
  durationSec?: number;
  now?: () => number;
  /** Lines kept in the activity list (default 6). */
  recentLimit?: number;
  /** Seconds the msg/s figure averages over (default 5). */
  rateWindowSec?: number;
  /** A platform degraded at least this long counts as an error (default `DEGRADED_THRESHOLD_MS`). */
  degradedThresholdMs?: number;
}

interface Row extends PlatformRow {
  meter: RateMeter;
}

/**
 * Counts what the demo shows, from bus events only: messages, triggers,
 * actions and errors per creator and platform, the last few things that
 * happened. `snapshot()` turns it into the plain `ViewState` the renderers
 * take; limits, the dashboard URL and the log file are set from outside.
 */
export class DemoStats {
  readonly #options: DemoStatsOptions;
  readonly #now: () => number;
  readonly #rows = new Map<string, Row>();
  readonly #recent: ActivityLine[] = [];
  readonly #authors = new Map<string, string>();
  readonly #offs: (() => void)[] = [];
  readonly #startedAt: number;
  readonly #perCreator = new Map<string, number>();
  readonly #exported = new Set<string>();
  readonly #degraded: DegradedTracker;
  #phase: DemoPhase = 'starting';
  #triggers = 0;
  #actions = { executed: 0, dryRun: 0, failed: 0, cancelled: 0 };
  #errors = 0;
  #lastError: string | undefined;
  #limits: Limits = { source: 'none', bars: [] };
  #dashboardUrl: string | undefined;
  #dashboardCreatorUrl: string | undefined;
  #dashboardNote: string | undefined;
  #dashboardProblem: string | undefined;
  #logFile: string | undefined;

  constructor(options: DemoStatsOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#startedAt = this.#now();
    this.#degraded = new DegradedTracker(this.#now, options.degradedThresholdMs ?? DEGRADED_THRESHOLD_MS, ({ creatorId, platform, reason }) => {
      this.#row(creatorId, platform).errors += 1;
      const why = reason === undefined ? '' : ` (${reason})`;
      this.#error(`${platform} degraded for ${Math.round(this.#degraded.thresholdMs / 1000)} s or more${why}`, creatorId);
    });
    for (const [creatorId, platforms] of Object.entries(options.creators)) {
      for (const platform of platforms) this.#row(creatorId, platform);
    }
    const { bus } = options;
    this.#offs.push(
      bus.on('kernel.started', () => void (this.#phase = 'running')),
      bus.on('kernel.stopping', () => {
        this.#phase = 'stopping';
        // Stopping is not degradation: whatever was still degraded ends here.
        this.#degraded.closeOpen();
      }),
      bus.on('kernel.stopped', () => void (this.#phase = 'stopped')),
      bus.on('kernel.creator.added', ({ creatorId, plugins }) => {
        for (const row of this.#rowsOf(creatorId)) {
          if (row.status === 'starting') row.status = plugins.includes(row.platform) ? 'connecting' : 'failed';
        }
      }),
      bus.on('kernel.creator.removed', ({ creatorId }) => {
        for (const row of this.#rowsOf(creatorId)) if (row.status !== 'failed') row.status = 'stopped';
        this.#degraded.closeOpen(creatorId);
      }),
      bus.on('chat.room-state', ({ creatorId, platform }) => this.#connected(this.#row(creatorId, platform))),
      bus.on('chat.message', (message) => {
        const at = this.#now();
        const row = this.#row(message.creatorId, message.platform);
        this.#connected(row);
        row.messages += 1;
        row.lastMessageAt = at;
        row.meter.add(at);
        this.#perCreator.set(message.creatorId, (this.#perCreator.get(message.creatorId) ?? 0) + 1);
        this.#author(message.id, message.author.displayName || message.author.login);
      }),
      // Who did it, for an event trigger's line (its messageId is the event's eventId).
      ...(['twitch.follow', 'twitch.raid', 'twitch.redemption'] as const).map((name) =>
        bus.on(name, ({ eventId, user }) => this.#author(eventId, user.displayName || user.login)),
      ),
      bus.on('trigger.fired', ({ creatorId, platform, triggerId, messageId, args }) => {
        this.#triggers += 1;
        this.#row(creatorId, platform).triggers += 1;
        const author = this.#authors.get(messageId);
        const detail = [author === undefined ? '' : ` by ${author}`, args.length > 0 ? ` (${args.join(' ')})` : ''].join('');
        this.#activity('trigger', `trigger ${triggerId} fired${detail}`, creatorId);
      }),
      bus.on('action.dispatched', ({ creatorId, action, dryRun }) => {
        if (dryRun) this.#actions.dryRun += 1;
        else this.#actions.executed += 1;
        this.#activity('action', `${action.type}${dryRun ? ' (dry-run)' : ''}${describeParams(action.params)}`, creatorId);
      }),
      bus.on('action.failed', ({ creatorId, action, error }) => {
        // Stopping aborts what is still queued (replies waiting for a rate limit): cancelled, not failed.
        if (this.#phase === 'stopping' || this.#phase === 'stopped') {
          this.#actions.cancelled += 1;
          return;
        }
        this.#actions.failed += 1;
        for (const row of this.#rowsOf(creatorId)) row.errors += 1;
        this.#error(`${action.type} failed: ${errorText(error)}`, creatorId);
      }),
      bus.on('kernel.plugin.failed', ({ pluginId, creatorId, phase, error }) => {
        for (const row of this.#rows.values()) {
          if (row.platform === pluginId && (creatorId === undefined || row.creatorId === creatorId)) {
            row.status = 'failed';
            row.errors += 1;
          }
        }
        this.#error(`plugin ${pluginId} ${phase} failed: ${errorText(error)}`, creatorId);
      }),
      // The platform plugin's own word on its connection (a reconnect shows as it happens).
      bus.on('platform.connection', ({ creatorId, platform, state, reason }) => {
        this.#degraded.track(creatorId, platform, state, reason, this.#phase === 'stopping' || this.#phase === 'stopped');
        const row = this.#row(creatorId, platform);
        if (state === 'auth-failed') return; // platform.auth-failed says why
        if (row.status === 'failed' && state !== 'connected') return;
        row.status = state === 'stopped' ? 'stopped' : state;
        if (state === 'reconnecting') this.#activity('error', `${platform} disconnected${reason === undefined ? '' : ` (${reason})`}; reconnecting`, creatorId);
      }),
      bus.on('platform.auth-failed', ({ creatorId, platform, error }) => {
        const row = this.#row(creatorId, platform);
        row.status = 'failed';
        row.errors += 1;
        this.#error(`${platform} refused the credentials: ${errorText(error)}`, creatorId);
      }),
      bus.on('exports.written', ({ files }) => files.forEach((file) => this.#exported.add(file))),
      bus.on('exports.failed', ({ file, error }) => this.#error(`export ${file} failed: ${errorText(error)}`)),
      bus.on('kernel.listener.error', ({ event, error }) => this.#error(`a listener of ${event} failed: ${errorText(error)}`)),
    );
  }

  /** Errors so far, a degraded period at least the threshold long included. */
  get errors(): number {
    this.#degraded.check();
    return this.#errors;
  }

  /**
   * Every period a platform was degraded, oldest first (an open one up to
   * now); a first connect shorter than the threshold is normal start-up and
   * not listed.
   */
  degradedPeriods(): DegradedPeriod[] {
    return this.#degraded.periods();
  }

  /** The threshold in use (ms). */
  get degradedThresholdMs(): number {
    return this.#degraded.thresholdMs;
  }

  get triggers(): number {
    return this.#triggers;
  }

  get actions(): Readonly<ViewState['totals']['actions']> {
    return { ...this.#actions };
  }

  /** Chat messages received by a creator (all platforms). */
  messagesOf(creatorId: string): number {
    return this.#perCreator.get(creatorId) ?? 0;
  }

  /** Chat messages per creator and platform (`creator/platform` → count), in view order. */
  messagesByPlatform(): ReadonlyMap<string, number> {
    return new Map([...this.#rows.values()].map((row) => [`${row.creatorId}/${row.platform}`, row.messages]));
  }

  /** Distinct snapshot files written so far. */
  get exportFiles(): number {
    return this.#exported.size;
  }

  setLimits(limits: Limits): void {
    this.#limits = limits;
  }

  setDashboard(url: string, note?: string, creatorViewUrl?: string): void {
    this.#dashboardUrl = url;
    this.#dashboardNote = note;
    this.#dashboardCreatorUrl = creatorViewUrl;
  }

  setDashboardProblem(problem: string): void {
    this.#dashboardProblem = problem;
  }

  setLogFile(file: string): void {
    this.#logFile = file;
  }

  snapshot(): ViewState {
    this.#degraded.check();
    const now = this.#now();
    return {
      now,
      startedAt: this.#startedAt,
      phase: this.#phase,
      ...(this.#options.durationSec === undefined ? {} : { durationSec: this.#options.durationSec }),
      rows: [...this.#rows.values()].map(({ meter, ...row }) => ({ ...row, ratePerSec: meter.rate(now) })),
      totals: {
        messages: [...this.#rows.values()].reduce((n, row) => n + row.messages, 0),
        triggers: this.#triggers,
        actions: { ...this.#actions },
        errors: this.#errors,
      },
      recent: [...this.#recent],
      limits: { source: this.#limits.source, bars: [...this.#limits.bars] },
      ...(this.#dashboardUrl === undefined ? {} : { dashboardUrl: this.#dashboardUrl }),
      ...(this.#dashboardCreatorUrl === undefined ? {} : { dashboardCreatorUrl: this.#dashboardCreatorUrl }),
      ...(this.#dashboardNote === undefined ? {} : { dashboardNote: this.#dashboardNote }),
      ...(this.#dashboardProblem === undefined ? {} : { dashboardProblem: this.#dashboardProblem }),
      exportsRoot: this.#options.exportsRoot,
      exportFiles: this.#exported.size,
      ...(this.#logFile === undefined ? {} : { logFile: this.#logFile }),
      ...(this.#lastError === undefined ? {} : { lastError: this.#lastError }),
    };
  }

  /** Unsubscribes from the bus. */
  dispose(): void {
    for (const off of this.#offs.splice(0)) off();
  }

  #row(creatorId: string, platform: string): Row {
    const key = `${creatorId}\u0000${platform}`;
    let row = this.#rows.get(key);
    if (row === undefined) {
      const rateWindow = this.#options.rateWindowSec ?? 5;
      row = { creatorId, platform, status: 'starting', messages: 0, ratePerSec: 0, triggers: 0, errors: 0, meter: new RateMeter(rateWindow, this.#now()) };
      this.#rows.set(key, row);
    }
    return row;
  }

  #rowsOf(creatorId: string): Row[] {
    return [...this.#rows.values()].filter((row) => row.creatorId === creatorId);
  }

  #connected(row: Row): void {
    if (row.status === 'starting' || row.status === 'connecting') row.status = 'connected';
  }

  /** Remembers who wrote a message or did an event (the last 512), for the trigger lines. */
  #author(id: string, name: string): void {
    this.#authors.set(id, name);
    if (this.#authors.size > 512) this.#authors.delete(this.#authors.keys().next().value!);
  }

  #activity(kind: ActivityLine['kind'], text: string, creatorId?: string): void {
    this.#recent.push({ at: this.#now(), kind, text, ...(creatorId === undefined ? {} : { creatorId }) });
    const limit = this.#options.recentLimit ?? 6;
    if (this.#recent.length > limit) this.#recent.splice(0, this.#recent.length - limit);
  }

  #error(text: string, creatorId?: string): void {
    this.#errors += 1;
    this.#lastError = creatorId === undefined ? text : `${creatorId}: ${text}`;
    this.#activity('error', text, creatorId);
  }
}

/** `chat.reply "hello anna"`: the text param if there is one, else nothing. */
function describeParams(params: Record<string, unknown>): string {
  return typeof params.text === 'string' ? ` "${params.text}"` : '';
}

function errorText(error: Pick<SerializedError, 'message'> & { code?: string }): string {
  return error.code === undefined ? error.message : `${error.code} ${error.message}`;
}

