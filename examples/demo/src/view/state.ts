/**
 * What the demo's terminal view shows: one plain snapshot, built by
 * `DemoStats.snapshot()` and rendered by the pure functions in `render.ts`.
 */

/**
 * A creator's connection to one platform, as far as the bus tells:
 * - `starting`: the kernel has not started the creator yet;
 * - `connecting`: the platform plugin runs, nothing arrived from the chat yet;
 * - `connected`: the chat answered (room state or a message);
 * - `failed`: the plugin failed for this creator, or the platform refused its credentials;
 * - `stopped`: the creator was stopped.
 */
export type ConnectionStatus = 'starting' | 'connecting' | 'connected' | 'reconnecting' | 'offline' | 'failed' | 'stopped';

export type DemoPhase = 'starting' | 'running' | 'stopping' | 'stopped';

export interface PlatformRow {
  creatorId: string;
  platform: string;
  status: ConnectionStatus;
  /** Chat messages received since start. */
  messages: number;
  /** Messages per second over the last few seconds. */
  ratePerSec: number;
  /** Triggers fired by this creator's chat on this platform. */
  triggers: number;
  /** Errors concerning this creator and platform (plugin failures, failed actions). */
  errors: number;
  /** When the last message arrived (ms since epoch). */
  lastMessageAt?: number;
}

export interface ActionCounts {
  executed: number;
  dryRun: number;
  failed: number;
  /** Queued actions (e.g. replies waiting for a rate limit) abandoned because the demo stopped: not errors. */
  cancelled: number;
}

export type ActivityKind = 'trigger' | 'action' | 'error';

export interface ActivityLine {
  at: number;
  kind: ActivityKind;
  creatorId?: string;
  text: string;
}

/** One bar: `used` of `capacity`; `reserved` is a quota's buffer (the last units kept for essential calls). */
export interface LimitBar {
  label: string;
  used: number;
  capacity: number;
  reserved?: number;
  /** Short extra text: "3 waiting", "resets 00:00 America/Los_Angeles"... */
  note?: string;
}

/**
 * Quota bars when any quota is configured (kernel QuotaRegistry); otherwise
 * the rate-limit governor's keys; `none` while neither has anything yet.
 */
export interface Limits {
  source: 'quotas' | 'rate-limits' | 'none';
  bars: LimitBar[];
}

export interface ViewState {
  now: number;
  startedAt: number;
  phase: DemoPhase;
  /** Seconds the demo runs (`--duration`), undefined: until Ctrl-C. */
  durationSec?: number;
  rows: PlatformRow[];
  totals: {
    messages: number;
    triggers: number;
    actions: ActionCounts;
    errors: number;
  };
  /** Newest last. */
  recent: ActivityLine[];
  limits: Limits;
  /** Set once the first snapshots were written. */
  dashboardUrl?: string;
  /** The first creator's page on the dashboard (`<dashboardUrl>#/creator/<id>`). */
  dashboardCreatorUrl?: string;
  /** Said next to the URL, e.g. why it is not on the preferred port. */
  dashboardNote?: string;
  /** Why there is no dashboard, when starting it failed. */
  dashboardProblem?: string;
  exportsRoot: string;
  exportFiles: number;
  /** Where the log lines go while the view owns the terminal. */
  logFile?: string;
  /** The last error, one line. */
  lastError?: string;
}
