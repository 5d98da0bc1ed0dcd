/**
 * `runtime/signals/events.json`: the runtime's notable events as a timeline
 * a dashboard lists — streams going live or offline, platform connections,
 * credentials refused, quotas, failed clips, actions, triggers and plugins,
 * and chat gaps — each with a short human sentence. The last 300 are kept.
 *
 * A sentence never carries a secret, a keyed URL or a local path: every text
 * taken from an event goes through the kernel's SecretRegistry and has its
 * absolute local paths reduced to `…/<file name>` (as plugin-clips does for
 * clip errors), then is cut to a few hundred characters. The exporter
 * redacts every string of the file again when it writes it.
 */
import {
  maskLocalPaths,
  SecretRegistry,
  Type,
  type ActionFailedEvent,
  type ChatGapEvent,
  type EventBus,
  type EventName,
  type PlatformAuthFailedEvent,
  type PlatformConnectionEvent,
  type PluginFailedEvent,
  type QuotaExceededEvent,
  type QuotaSnapshot,
  type SerializedError,
  type StreamStatus,
  type TriggerFailedEvent,
} from '@streamsuites/kernel';
import type { ExportSection } from './contract.js';
import { Ring } from './ring.js';
import { Iso, iso, section } from './section.js';

export const EVENTS_FILE = 'runtime/signals/events.json';
/** Rows kept. */
export const TIMELINE_SIZE = 300;
/** Identical reconnect reports within this time of the row's first one are one row with a `count`. */
export const COLLAPSE_MS = 60_000;
const MAX_TEXT = 160;
const MAX_MESSAGE = 300;

export const EVENT_KINDS = [
  'stream.online',
  'stream.offline',
  'platform.connected',
  'platform.reconnecting',
  'platform.auth-failed',
  'quota.warning',
  'quota.exceeded',
  'clip.failed',
  'action.failed',
  'trigger.failed',
  'plugin.failed',
  'chat.gap',
] as const;
export type TimelineKind = (typeof EVENT_KINDS)[number];

export interface TimelineRow {
  at: number;
  kind: TimelineKind;
  creator?: string;
  platform?: string;
  message: string;
  count?: number;
}

/** `clip.state` as plugin-clips declares it; only the fields read here (no import of plugin-clips). */
interface ClipStateLike {
  clipId?: unknown;
  creatorId?: unknown;
  platform?: unknown;
  state?: unknown;
  reason?: unknown;
  at?: unknown;
}


const str = (value: unknown): string | undefined => (typeof value === 'string' && value.length > 0 ? value : undefined);
const num = (value: unknown, fallback: number): number => (typeof value === 'number' && Number.isFinite(value) ? value : fallback);
const units = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '?');

/** A serialized error as one line: the innermost cause's message (what actually went wrong) and its code. */
function errorText(error: SerializedError | undefined): string {
  if (typeof error !== 'object' || error === null) return 'unknown error';
  let inner: SerializedError = error;
  while (typeof inner.cause === 'object' && inner.cause !== null && typeof inner.cause.message === 'string') inner = inner.cause;
  const message = str(inner.message) ?? str(error.message) ?? 'unknown error';
  const code = str(inner.code) ?? str(error.code);
  return code === undefined || message.includes(code) ? message : `${code}: ${message}`;
}

function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 === 0 ? `${m} min` : `${m} min ${s % 60} s`;
  const h = Math.floor(m / 60);
  return m % 60 === 0 ? `${h} h` : `${h} h ${m % 60} min`;
}

/** What a reconnect row reported, for the collapse rule (kept off the row: not exported). */
const sameReport = new WeakMap<TimelineRow, { state: string; reason?: string }>();

/** The timeline: a bounded ring of rows, fed from the bus. */
export class EventTimeline {
  readonly #secrets: SecretRegistry;
  readonly #now: () => number;
  readonly #ring: Ring<TimelineRow>;
  /** Per creator and platform: the latest row, while it is in the ring (the collapse rule looks at it). */
  readonly #latest = new Map<string, TimelineRow>();
  /** creator/platform keys that have been connected at least once. */
  readonly #everConnected = new Set<string>();

  constructor(options: { secrets?: SecretRegistry; now?: () => number; size?: number } = {}) {
    this.#ring = new Ring(options.size ?? TIMELINE_SIZE);
    this.#secrets = options.secrets ?? new SecretRegistry();
    this.#now = options.now ?? (() => 0);
  }

  /** Follows the timeline's events on `bus`; returns the unsubscribe. */
  attach(bus: EventBus): () => void {
    const on = bus.on.bind(bus) as unknown as (event: string, listener: (payload: any) => void) => () => void;
    const offs = [
      on('stream.online', (e: StreamStatus) => this.streamOnline(e)),
      on('stream.offline', (e: StreamStatus) => this.streamOffline(e)),
      on('platform.connection', (e: PlatformConnectionEvent) => this.connection(e)),
      on('platform.auth-failed', (e: PlatformAuthFailedEvent) => this.authFailed(e)),
      on('quota.warning', (e: QuotaSnapshot) => this.quotaWarning(e)),
      on('quota.exceeded', (e: QuotaExceededEvent) => this.quotaExceeded(e)),
      // plugin-clips declares `clip.state` by augmentation; subscribed by name, so this plugin needs none of its code.
      on('clip.state', (e: ClipStateLike) => this.clipState(e)),
      on('action.failed', (e: ActionFailedEvent) => this.actionFailed(e)),
      on('trigger.failed', (e: TriggerFailedEvent) => this.triggerFailed(e)),
      on('kernel.plugin.failed', (e: PluginFailedEvent) => this.pluginFailed(e)),
      on('chat.gap', (e: ChatGapEvent) => this.chatGap(e)),
    ];
    return () => {
      for (const off of offs) off();
    };
  }

  /** Rows oldest first (by arrival; each row's `at` is its event's time). */
  rows(): TimelineRow[] {
    return this.#ring.toArray();
  }

  /** A text from an event, safe for the file: secrets masked, local paths reduced to file names, cut. */
  #clean(text: string, max = MAX_TEXT): string {
    const masked = maskLocalPaths(this.#secrets.redactString(text)).replace(/\s+/g, ' ').trim();
    const chars = [...masked];
    return chars.length <= max ? masked : `${chars.slice(0, max - 1).join('')}…`;
  }

  #add(kind: TimelineKind, at: unknown, message: string, creator?: unknown, platform?: unknown): TimelineRow {
    const row: TimelineRow = {
      at: num(at, this.#now()),
      kind,
      ...(str(creator) === undefined ? {} : { creator: creator as string }),
      ...(str(platform) === undefined ? {} : { platform: platform as string }),
      message: this.#clean(message, MAX_MESSAGE),
    };
    if (this.#ring.capacity === 0) return row;
    const evicted = this.#ring.push(row);
    if (evicted !== undefined) {
      const key = keyOf(evicted.creator, evicted.platform);
      if (this.#latest.get(key) === evicted) this.#latest.delete(key);
    }
    if (row.creator !== undefined || row.platform !== undefined) this.#latest.set(keyOf(row.creator, row.platform), row);
    return row;
  }

  streamOnline(e: StreamStatus): void {
    if (!valid(e)) return;
    const title = str(e.title);
    this.#add('stream.online', e.at, `Live on ${e.platform}${title === undefined ? '' : `: “${this.#clean(title, 80)}”`}`, e.creatorId, e.platform);
  }

  streamOffline(e: StreamStatus): void {
    if (!valid(e)) return;
    this.#add('stream.offline', e.at, `Stream on ${e.platform} ended`, e.creatorId, e.platform);
  }

  connection(e: PlatformConnectionEvent): void {
    if (!valid(e) || typeof e.state !== 'string') return;
    const key = keyOf(e.creatorId, e.platform);
    if (e.state === 'connected') {
      this.#everConnected.add(key);
      this.#add('platform.connected', e.at, `Connected to ${e.platform}`, e.creatorId, e.platform);
      return;
    }
    // Starting and stopping are not reconnects: the first `connecting` (never connected yet) and a
    // stop with no reason (the runtime stopping it) are left out; a plugin that fails says so in
    // `plugin.failed`, and a `connecting` after a connection was up is a reconnect.
    if ((e.state === 'connecting' && !this.#everConnected.has(key)) || (e.state === 'stopped' && str(e.reason) === undefined)) return;
    const reason = str(e.reason) === undefined ? undefined : this.#clean(e.reason!);
    const at = num(e.at, this.#now());
    const latest = this.#latest.get(key);
    // Consecutive identical reports (nothing else of this creator and platform between) within a minute: one row, counted.
    if (latest !== undefined && latest.kind === 'platform.reconnecting' && sameReport.get(latest)?.state === e.state && sameReport.get(latest)?.reason === reason && at - latest.at < COLLAPSE_MS && at >= latest.at) {
      latest.count = (latest.count ?? 1) + 1;
      return;
    }
    const row = this.#add('platform.reconnecting', at, `${e.platform} connection ${e.state}${reason === undefined ? '' : `: ${reason}`}`, e.creatorId, e.platform);
    sameReport.set(row, { state: e.state, ...(reason === undefined ? {} : { reason }) });
  }

  authFailed(e: PlatformAuthFailedEvent): void {
    if (!valid(e)) return;
    const code = str(e.error?.code);
    const message = str(e.error?.message);
    this.#add('platform.auth-failed', e.at, `${e.platform} refused the credentials${message === undefined ? '' : `: ${message}`}${code === undefined || message?.includes(code) ? '' : ` (${code})`}`, e.creatorId, e.platform);
  }

  quotaWarning(e: QuotaSnapshot): void {
    if (!valid(e)) return;
    const what = e.status === 'exhausted' ? 'is used up' : 'reached its reserve';
    this.#add('quota.warning', undefined, `${e.platform} quota ${what}: ${units(e.used)} of ${units(e.daily)} units used`, e.creatorId, e.platform);
  }

  quotaExceeded(e: QuotaExceededEvent): void {
    if (!valid(e)) return;
    const reason = str(e.reason);
    this.#add(
      'quota.exceeded',
      undefined,
      `${e.platform} quota refused ${units(e.requested)} units${reason === undefined ? '' : ` for ${reason}`}: ${units(e.used)} of ${units(e.daily)} used`,
      e.creatorId,
      e.platform,
    );
  }

  clipState(e: ClipStateLike): void {
    if (typeof e !== 'object' || e === null || e.state !== 'failed') return;
    const reason = str(e.reason);
    this.#add('clip.failed', e.at, `Clip ${str(e.clipId) ?? '?'} failed${reason === undefined ? '' : `: ${reason}`}`, e.creatorId, e.platform);
  }

  actionFailed(e: ActionFailedEvent): void {
    if (typeof e !== 'object' || e === null) return;
    const type = str(e.action?.type) ?? 'action';
    this.#add('action.failed', e.at, `Action ${type} failed: ${errorText(e.error)}`, e.creatorId, e.platform);
  }

  triggerFailed(e: TriggerFailedEvent): void {
    if (typeof e !== 'object' || e === null) return;
    this.#add('trigger.failed', e.at, `Trigger ${str(e.triggerId) ?? '?'} (${str(e.triggerType) ?? 'unknown type'}) failed: ${errorText(e.error)}`, e.creatorId, e.platform);
  }

  pluginFailed(e: PluginFailedEvent): void {
    if (typeof e !== 'object' || e === null) return;
    this.#add('plugin.failed', undefined, `Plugin ${str(e.pluginId) ?? '?'} failed${str(e.phase) === undefined ? '' : ` at ${e.phase}`}: ${errorText(e.error)}`, e.creatorId);
  }

  chatGap(e: ChatGapEvent): void {
    if (!valid(e)) return;
    const span = num(e.to, 0) - num(e.from, 0);
    const reason = str(e.reason);
    this.#add(
      'chat.gap',
      e.at,
      `Chat on ${e.platform} may be missing for ${duration(span)}${reason === undefined ? '' : ` (${reason})`}${e.resumed === false ? '; reading stopped' : ''}`,
      e.creatorId,
      e.platform,
    );
  }
}

function keyOf(creator: string | undefined, platform: string | undefined): string {
  return `${creator ?? ''}\u0000${platform ?? ''}`;
}

function valid(e: { creatorId?: unknown; platform?: unknown } | null | undefined): e is { creatorId: string; platform: string } {
  return typeof e === 'object' && e !== null && typeof e.creatorId === 'string' && typeof e.platform === 'string';
}

const Row = Type.Object({
  at: Iso,
  kind: Type.Union(EVENT_KINDS.map((kind) => Type.Literal(kind))),
  creator: Type.Optional(Type.String()),
  platform: Type.Optional(Type.String()),
  message: Type.String(),
  count: Type.Optional(Type.Integer({ minimum: 2 })),
});

export function eventsSection(timeline: EventTimeline): ExportSection<unknown> {
  return section(
    EVENTS_FILE,
    'dashboard-only',
    'Timeline of notable runtime events (streams, connections, credentials, quotas, failed clips, actions, triggers and plugins, chat gaps), oldest first, the last 300; identical reconnect reports within a minute are one row with a count.',
    Type.Object({ events: Type.Array(Row, { maxItems: TIMELINE_SIZE }) }),
    () => ({
      events: timeline.rows().map((row) => ({
        at: iso(row.at),
        kind: row.kind,
        ...(row.creator === undefined ? {} : { creator: row.creator }),
        ...(row.platform === undefined ? {} : { platform: row.platform }),
        message: row.message,
        ...(row.count === undefined ? {} : { count: row.count }),
      })),
    }),
    // `clip.state` is plugin-clips' event (declared by augmentation, not known to this package's types).
    ['stream.online', 'stream.offline', 'platform.connection', 'platform.auth-failed', 'quota.warning', 'quota.exceeded', 'clip.state' as EventName, 'action.failed', 'trigger.failed', 'kernel.plugin.failed', 'chat.gap'],
  );
}
