import {
  jobRegistryRef,
  quotaRegistryRef,
  rateLimitGovernorRef,
  triggerRegistryRef,
  Type,
  type ChatMessage,
  type EventBus,
  type JobRecord,
  type Kernel,
  type PlatformConnectionEvent,
  type PlatformConnectionState,
  type TSchema,
} from '@streamsuites/kernel';
import type { ExportSection, Visibility } from './contract.js';

const iso = (ms: number) => new Date(ms).toISOString();
const Iso = Type.String({ format: 'date-time' });
const byString = <T>(key: (item: T) => string) => (a: T, b: T) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);

function section<T>(
  file: string,
  visibility: Visibility,
  description: string,
  bodySchema: TSchema,
  snapshot: ExportSection<T>['snapshot'],
  watch: ExportSection<T>['watch'] = [],
): ExportSection<T> {
  const name = file.replace(/^.*\//, '').replace(/\.json$/, '');
  return { file, schema: `streamsuites.${name}`, version: 1, visibility, description, bodySchema, snapshot, watch };
}

// ── Public placeholders, replaced by the plugins that own the data ──────────

const Clip = Type.Object({
  id: Type.String(),
  creator: Type.String(),
  title: Type.String(),
  platform: Type.String(),
  state: Type.String(),
  durationSec: Type.Number({ minimum: 0 }),
  /** The clip's public http(s) URL; never a local path or file: URL (public file). */
  url: Type.Optional(Type.String({ pattern: '^https?://' })),
  createdAt: Iso,
  publishedAt: Type.Optional(Iso),
});
const Poll = Type.Object({
  id: Type.String(),
  creator: Type.String(),
  question: Type.String(),
  status: Type.String(),
  options: Type.Array(Type.Object({ label: Type.String(), votes: Type.Integer({ minimum: 0 }) })),
  openedAt: Iso,
  closedAt: Type.Optional(Iso),
});
const Tally = Type.Object({
  id: Type.String(),
  creator: Type.String(),
  name: Type.String(),
  counts: Type.Array(Type.Object({ label: Type.String(), count: Type.Integer() })),
});
const Scoreboard = Type.Object({
  id: Type.String(),
  creator: Type.String(),
  name: Type.String(),
  entries: Type.Array(Type.Object({ rank: Type.Integer({ minimum: 1 }), label: Type.String(), score: Type.Number() })),
});
const SignalEvent = (fields: Record<string, TSchema>) => Type.Object({ at: Iso, creator: Type.String(), ...fields });

/** Files that exist from day one with an empty body until their owning plugin contributes them. */
export const placeholderSections: ExportSection<unknown>[] = [
  section('runtime/exports/clips.json', 'public', 'Published clips, safe for public galleries.', Type.Object({ clips: Type.Array(Clip) }), () => ({ clips: [] })),
  section('runtime/exports/polls.json', 'public', 'Poll questions and aggregated votes, no voter identifiers.', Type.Object({ polls: Type.Array(Poll) }), () => ({ polls: [] })),
  section('runtime/exports/tallies.json', 'public', 'Aggregate tally counts only.', Type.Object({ tallies: Type.Array(Tally) }), () => ({ tallies: [] })),
  section('runtime/exports/scoreboards.json', 'public', 'Ranked scoreboard entries with scores.', Type.Object({ scoreboards: Type.Array(Scoreboard) }), () => ({ scoreboards: [] })),
  section('runtime/signals/poll_votes.json', 'dashboard-only', 'Individual poll votes without personal data.', Type.Object({ events: Type.Array(SignalEvent({ pollId: Type.String(), option: Type.String() })) }), () => ({ events: [] })),
  section('runtime/signals/tally_events.json', 'dashboard-only', 'Increments of tallies.', Type.Object({ events: Type.Array(SignalEvent({ tallyId: Type.String(), label: Type.String(), delta: Type.Number() })) }), () => ({ events: [] })),
  section('runtime/signals/score_events.json', 'dashboard-only', 'Score adjustments feeding scoreboards.', Type.Object({ events: Type.Array(SignalEvent({ scoreboardId: Type.String(), label: Type.String(), delta: Type.Number() })) }), () => ({ events: [] })),
];

/** The files reserved for other plugins (clips, polls, tallies, scoreboards and their signals). */
export type ReservedFile =
  | 'runtime/exports/clips.json'
  | 'runtime/exports/polls.json'
  | 'runtime/exports/tallies.json'
  | 'runtime/exports/scoreboards.json'
  | 'runtime/signals/poll_votes.json'
  | 'runtime/signals/tally_events.json'
  | 'runtime/signals/score_events.json';

/**
 * A reserved file's fixed parts — schema name, version, visibility,
 * description and body schema, exactly as FILES.md and `schemas/` publish
 * them — for the plugin that owns the data to add `snapshot` and `watch`:
 * `{ ...reservedSection('runtime/exports/polls.json'), snapshot, watch }`.
 */
export function reservedSection(file: ReservedFile): Omit<ExportSection<unknown>, 'snapshot' | 'watch'> {
  const found = placeholderSections.find((s) => s.file === file);
  if (found === undefined) throw new TypeError(`"${file}" is not a reserved export file`);
  const { snapshot: _snapshot, watch: _watch, ...fixed } = found;
  return fixed;
}

// ── Chat: counters for the runtime snapshot and the rolling signals window ──

const ChatEvent = SignalEvent({
  platform: Type.String(),
  messageId: Type.String(),
  author: Type.Object({ displayName: Type.String(), roles: Type.Array(Type.String()) }),
  text: Type.String(),
});

interface PlatformActivity {
  messages: number;
  lastMessageAt: number;
}

/** A platform connection as its plugin last reported it (`platform.connection`). */
export interface ConnectionRecord {
  state: PlatformConnectionState;
  /** Kernel time it became `connected`, or left it (the start of the degraded period, across state changes within it). */
  since: number;
  /** The latest reason given while not connected. */
  reason?: string;
  attempt: number;
  /** Whether it was ever `connected` (a first `connecting` is not degraded). */
  everConnected: boolean;
}

const MAX_REASON = 200;

/** What the exports plugin observes on the bus: chat activity, plugin failures and platform connection states. */
export class RuntimeObserver {
  /** The last `size` messages, as received (rows are built when a file is written, off the chat path). */
  readonly #ring: ChatMessage[] = [];
  #next = 0;
  readonly #size: number;
  readonly #activity = new Map<string, Map<string, PlatformActivity>>();
  readonly #failures = new Map<string, number>();
  readonly #connections = new Map<string, ConnectionRecord>();
  readonly #attached = new WeakSet<EventBus>();

  constructor(windowSize: number) {
    this.#size = windowSize;
  }

  /**
   * Follows `platform.connection` on `bus`; once per bus (later calls return
   * a no-op). The runtime snapshot calls it at its first write, so the
   * states reported before `kernel.started` are only seen when the plugin
   * attaches at init.
   */
  attach(bus: EventBus): () => void {
    if (this.#attached.has(bus)) return () => {};
    this.#attached.add(bus);
    const off = bus.on('platform.connection', (event) => this.connection(event));
    const offStopped = bus.once('kernel.stopped', () => off());
    return () => {
      off();
      offStopped();
      this.#attached.delete(bus);
    };
  }

  connection(event: PlatformConnectionEvent): void {
    if (typeof event !== 'object' || event === null || typeof event.creatorId !== 'string' || typeof event.platform !== 'string') return;
    const key = `${event.creatorId}\u0000${event.platform}`;
    const prev = this.#connections.get(key);
    const at = Number.isFinite(event.at) ? event.at : (prev?.since ?? 0);
    const attempt = Number.isInteger(event.attempt) && event.attempt >= 0 ? event.attempt : 0;
    if (event.state === 'connected') {
      this.#connections.set(key, { state: 'connected', since: prev?.state === 'connected' ? prev.since : at, attempt, everConnected: true });
      return;
    }
    const ongoing = prev !== undefined && prev.state !== 'connected';
    const reason = typeof event.reason === 'string' && event.reason.length > 0 ? event.reason.slice(0, MAX_REASON) : ongoing ? prev.reason : undefined;
    this.#connections.set(key, {
      state: event.state,
      since: ongoing ? prev.since : at,
      ...(reason === undefined ? {} : { reason }),
      attempt,
      everConnected: prev?.everConnected ?? false,
    });
  }

  connectionOf(creatorId: string, platform: string): ConnectionRecord | undefined {
    return this.#connections.get(`${creatorId}\u0000${platform}`);
  }

  /** Platforms with a reported connection state for a creator. */
  connectedPlatforms(creatorId: string): string[] {
    const prefix = `${creatorId}\u0000`;
    return [...this.#connections.keys()].filter((key) => key.startsWith(prefix)).map((key) => key.slice(prefix.length));
  }

  chat(message: ChatMessage): void {
    if (typeof message !== 'object' || message === null || typeof message.text !== 'string') return;
    let platforms = this.#activity.get(message.creatorId);
    if (platforms === undefined) this.#activity.set(message.creatorId, (platforms = new Map()));
    let activity = platforms.get(message.platform);
    if (activity === undefined) platforms.set(message.platform, (activity = { messages: 0, lastMessageAt: 0 }));
    activity.messages += 1;
    if (message.receivedAt > activity.lastMessageAt) activity.lastMessageAt = message.receivedAt;
    if (this.#size === 0) return;
    if (this.#ring.length < this.#size) this.#ring.push(message);
    else this.#ring[this.#next] = message;
    this.#next = (this.#next + 1) % this.#size;
  }

  failure(creatorId: string | undefined, pluginId: string): void {
    const key = `${creatorId ?? '*'}\u0000${pluginId}`;
    this.#failures.set(key, (this.#failures.get(key) ?? 0) + 1);
  }

  /** The window's rows, oldest first. */
  chatWindow(): unknown[] {
    const ring = this.#ring;
    const ordered = ring.length < this.#size ? ring : [...ring.slice(this.#next), ...ring.slice(0, this.#next)];
    return ordered.map((message) => ({
      at: iso(message.receivedAt),
      creator: message.creatorId,
      platform: message.platform,
      messageId: message.id,
      author: { displayName: message.author?.displayName ?? '', roles: [...(message.author?.roles ?? [])] },
      text: message.text,
    }));
  }

  activity(creatorId: string): Map<string, PlatformActivity> {
    return this.#activity.get(creatorId) ?? new Map();
  }

  failures(creatorId: string, pluginId: string): number {
    return (this.#failures.get(`${creatorId}\u0000${pluginId}`) ?? 0) + (this.#failures.get(`*\u0000${pluginId}`) ?? 0);
  }
}

const KNOWN_PLATFORMS = new Set(['twitch', 'youtube', 'rumble', 'discord', 'kick', 'x']);

/**
 * A platform's status in the runtime snapshot: the plugin's status (or
 * `receiving` / `unknown` without one), except that a live platform whose
 * connection is not `connected` is `connecting` (never connected yet),
 * `auth-failed`, `offline` (reachable, but the creator is not live: no chat
 * until a stream starts; not a fault), or `degraded` (reconnecting, waiting
 * for a backoff or the quota) — never `running`.
 */
export function platformStatus(pluginStatus: string, connection: ConnectionRecord | undefined): string {
  const live = pluginStatus === 'running' || pluginStatus === 'receiving' || pluginStatus === 'unknown';
  if (!live || connection === undefined || connection.state === 'connected') return pluginStatus;
  if (connection.state === 'auth-failed') return 'auth-failed';
  if (connection.state === 'offline') return 'offline';
  if (connection.state === 'connecting' && !connection.everConnected) return 'connecting';
  return 'degraded';
}

const Connection = Type.Object({
  state: Type.String(),
  since: Iso,
  reason: Type.Optional(Type.String()),
  attempt: Type.Integer({ minimum: 0 }),
});

// ── Built-in sections from kernel services ──────────────────────────────────

const JobRow = Type.Object({
  id: Type.String(),
  type: Type.String(),
  creator: Type.Optional(Type.String()),
  state: Type.String(),
  attempts: Type.Integer({ minimum: 0 }),
  maxAttempts: Type.Integer({ minimum: 1 }),
  createdAt: Iso,
  updatedAt: Iso,
  error: Type.Optional(Type.String()),
});

async function jobRows(kernel: Kernel): Promise<unknown[]> {
  const jobs: JobRecord[] = await kernel.resolve(jobRegistryRef).list();
  return jobs
    .slice(0, 200)
    .map((job) => ({
      id: job.id,
      type: job.type,
      ...(job.creatorId === undefined ? {} : { creator: job.creatorId }),
      state: job.state,
      attempts: job.attempts,
      maxAttempts: job.maxAttempts,
      createdAt: iso(job.createdAt),
      updatedAt: iso(job.updatedAt),
      ...(job.error === undefined ? {} : { error: job.error }),
    }))
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || (a.id < b.id ? -1 : 1));
}

export function builtinSections(observer: RuntimeObserver): ExportSection<unknown>[] {
  const creatorIds = (kernel: Kernel) => kernel.creators().sort();
  return [
    section(
      'runtime/signals/chat_events.json',
      'dashboard-only',
      'Normalized chat events, the most recent window.',
      Type.Object({ events: Type.Array(ChatEvent) }),
      () => ({ events: observer.chatWindow() }),
      ['chat.message'],
    ),
    section(
      'runtime/admin/creators.json',
      'dashboard-only',
      'Creator registry snapshot.',
      Type.Object({
        creators: Type.Array(Type.Object({ id: Type.String(), displayName: Type.Optional(Type.String()), plugins: Type.Array(Type.String()), dryRun: Type.Boolean() })),
      }),
      ({ kernel }) => {
        const status = new Map(kernel.status().creators.map((c) => [c.id, c.plugins]));
        return {
          creators: creatorIds(kernel).map((id) => {
            const creator = kernel.creator(id);
            const plugins = Object.entries(status.get(id) ?? {}).filter(([, s]) => s === 'running').map(([p]) => p).sort();
            return { id, ...(creator?.displayName === undefined ? {} : { displayName: creator.displayName }), plugins, dryRun: creator?.dryRun ?? false };
          }),
        };
      },
      ['kernel.creator.added', 'kernel.creator.removed', 'kernel.plugin.failed'],
    ),
    section(
      'runtime/admin/chat_triggers.json',
      'dashboard-only',
      'Trigger definitions, for reference only.',
      Type.Object({ triggers: Type.Array(Type.Object({ creator: Type.String(), id: Type.String(), type: Type.String() }, { additionalProperties: true })) }),
      ({ kernel }) => ({
        triggers: creatorIds(kernel).flatMap((creator) =>
          [...kernel.resolveFor(creator, triggerRegistryRef).list()]
            .sort(byString((t) => t.id))
            .map((trigger) => ({ creator, ...trigger })),
        ),
      }),
      ['kernel.creator.added', 'kernel.creator.removed'],
    ),
    section('runtime/admin/jobs.json', 'dashboard-only', 'Job queue visibility (read-only).', Type.Object({ jobs: Type.Array(JobRow) }), async ({ kernel }) => ({ jobs: await jobRows(kernel) }), ['job.state']),
    section('shared/state/jobs.json', 'dashboard-only', 'Job queue and timestamps for the dashboard.', Type.Object({ jobs: Type.Array(JobRow) }), async ({ kernel }) => ({ jobs: await jobRows(kernel) }), ['job.state']),
    section(
      'runtime/admin/rate_limits.json',
      'dashboard-only',
      'Rate limit policies and current use.',
      Type.Object({
        limits: Type.Array(Type.Object({ key: Type.String(), capacity: Type.Integer(), windowMs: Type.Integer(), used: Type.Integer(), available: Type.Integer(), waiting: Type.Integer() })),
      }),
      ({ kernel }) => ({
        limits: kernel
          .resolve(rateLimitGovernorRef)
          .snapshot()
          .map((l) => ({ key: l.key, capacity: l.policy.capacity, windowMs: l.policy.windowMs, used: l.used, available: l.available, waiting: l.waiting }))
          .sort(byString((l) => l.key)),
      }),
    ),
    section(
      'shared/state/quotas.json',
      'dashboard-only',
      'Quota usage per creator and platform.',
      Type.Object({
        quotas: Type.Array(
          Type.Object({
            creatorId: Type.String(),
            platform: Type.String(),
            daily: Type.Integer(),
            buffer: Type.Integer(),
            used: Type.Integer(),
            remaining: Type.Integer(),
            status: Type.String(),
            resetsAt: Iso,
          }),
        ),
      }),
      async ({ kernel }) => ({
        quotas: (await kernel.resolve(quotaRegistryRef).snapshot()).map((q) => ({
          creatorId: q.creatorId,
          platform: q.platform,
          daily: q.daily,
          buffer: q.buffer,
          used: q.used,
          remaining: q.remaining,
          status: q.status,
          resetsAt: iso(q.resetsAt),
        })),
      }),
      ['quota.warning', 'quota.exceeded'],
    ),
    section(
      'shared/state/runtime_snapshot.json',
      'dashboard-only',
      'Runtime status: uptime, and per creator and platform the status (degraded while the connection is not connected), connection state since when and why, messages, last message time and errors.',
      Type.Object({
        runtime: Type.Object({ state: Type.String(), startedAt: Type.Optional(Iso), uptimeSec: Type.Integer({ minimum: 0 }) }),
        creators: Type.Array(
          Type.Object({
            id: Type.String(),
            platforms: Type.Array(
              Type.Object({
                platform: Type.String(),
                status: Type.String(),
                connection: Type.Optional(Connection),
                messages: Type.Integer(),
                lastMessageAt: Type.Optional(Iso),
                errors: Type.Integer(),
              }),
            ),
          }),
        ),
      }),
      ({ kernel, now }) => {
        observer.attach(kernel.bus);
        const status = new Map(kernel.status().creators.map((c) => [c.id, c.plugins]));
        const startedAt = kernel.startedAt;
        return {
          runtime: {
            state: kernel.state,
            ...(startedAt === undefined ? {} : { startedAt: iso(startedAt) }),
            uptimeSec: startedAt === undefined ? 0 : Math.max(0, Math.floor((now - startedAt) / 1000)),
          },
          creators: creatorIds(kernel).map((id) => {
            const plugins = status.get(id) ?? {};
            const activity = observer.activity(id);
            const names = new Set([...activity.keys(), ...observer.connectedPlatforms(id), ...Object.keys(plugins).filter((p) => KNOWN_PLATFORMS.has(p))]);
            return {
              id,
              platforms: [...names].sort().map((platform) => {
                const seen = activity.get(platform);
                const connection = observer.connectionOf(id, platform);
                return {
                  platform,
                  status: platformStatus(plugins[platform] ?? (seen === undefined ? 'unknown' : 'receiving'), connection),
                  ...(connection === undefined
                    ? {}
                    : {
                        connection: {
                          state: connection.state,
                          since: iso(connection.since),
                          ...(connection.reason === undefined ? {} : { reason: connection.reason }),
                          attempt: connection.attempt,
                        },
                      }),
                  messages: seen?.messages ?? 0,
                  ...(seen === undefined ? {} : { lastMessageAt: iso(seen.lastMessageAt) }),
                  errors: observer.failures(id, platform),
                };
              }),
            };
          }),
        };
      },
      ['kernel.started', 'kernel.creator.added', 'kernel.creator.removed', 'kernel.plugin.failed', 'platform.connection'],
    ),
    section(
      'runtime/admin/integrations.json',
      'internal-only',
      'Integration endpoints and statuses.',
      Type.Object({ integrations: Type.Array(Type.Object({ plugin: Type.String(), version: Type.String(), status: Type.String() })) }),
      ({ kernel }) => ({
        integrations: kernel
          .status()
          .plugins.map((p) => ({ plugin: p.id, version: p.version, status: p.status }))
          .sort(byString((p) => p.plugin)),
      }),
      ['kernel.plugin.failed'],
    ),
    section('runtime/admin/permissions.json', 'internal-only', 'Placeholder for future principal/role mapping.', Type.Object({ principals: Type.Array(Type.Unknown()) }), () => ({ principals: [] })),
  ];
}

/** `runtime/exports/meta.json`: the export surface itself. */
export function metaSection(all: () => readonly ExportSection<unknown>[]): ExportSection<unknown> {
  return section(
    'runtime/exports/meta.json',
    'public',
    'Manifest describing the export surface.',
    Type.Object({
      files: Type.Array(Type.Object({ path: Type.String(), visibility: Type.String(), schema: Type.String(), description: Type.String() })),
    }),
    () => ({
      files: [...all()]
        .sort(byString((s) => s.file))
        .map((s) => ({ path: s.file, visibility: s.visibility, schema: s.schema, description: s.description })),
    }),
  );
}
