/**
 * The exports plugin's own files: the built-in sections from kernel services
 * and the bus, and `meta.json`. Placeholders for other plugins' files are in
 * placeholders.ts, the bus observer in observer.ts, the runtime snapshot in
 * runtime-snapshot.ts.
 */
import {
  jobRegistryRef,
  quotaRegistryRef,
  rateLimitGovernorRef,
  triggerRegistryRef,
  Type,
  type JobRecord,
  type Kernel,
} from '@streamsuites/kernel';
import type { ExportSection } from './contract.js';
import type { RuntimeObserver } from './observer.js';
import { metricsSection, QuotaSamples } from './metrics.js';
import { runtimeSnapshotSection } from './runtime-snapshot.js';
import { byString, Iso, iso, section, SignalEvent } from './section.js';
import { EventTimeline, eventsSection } from './timeline.js';

export { placeholderSections, reservedSection } from './placeholders.js';
export type { ReservedFile } from './placeholders.js';
export { RuntimeObserver } from './observer.js';
export type { ConnectionRecord } from './observer.js';
export { platformStatus } from './runtime-snapshot.js';
export { ChatRate, QuotaSamples, METRICS_FILE } from './metrics.js';
export { EventTimeline, EVENTS_FILE } from './timeline.js';

// ── Chat: the rolling signals window (the observer keeps the messages) ──────

const ChatEvent = SignalEvent({
  platform: Type.String(),
  messageId: Type.String(),
  author: Type.Object({ displayName: Type.String(), roles: Type.Array(Type.String()) }),
  text: Type.String(),
  /** Only on the bot's own replies (see RuntimeObserver.action). */
  bot: Type.Optional(Type.Literal(true)),
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

/** The plugin's own sections; `timeline` and `quotas` are fed from the bus by the plugin (defaults: empty ones, for the schemas). */
export function builtinSections(
  observer: RuntimeObserver,
  extra: { timeline?: EventTimeline; quotas?: QuotaSamples } = {},
): ExportSection<unknown>[] {
  const creatorIds = (kernel: Kernel) => kernel.creators().sort();
  return [
    section(
      'runtime/signals/chat_events.json',
      'dashboard-only',
      "Normalized chat events, the most recent window; the bot's own replies carry `bot: true`.",
      Type.Object({ events: Type.Array(ChatEvent) }),
      () => ({ events: observer.chatWindow() }),
      ['chat.message', 'action.dispatched'],
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
            return { id, ...(creator?.displayName === undefined ? {} : { displayName: creator.displayName }), plugins, dryRun: creator?.sections.dryRun === true };
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
    runtimeSnapshotSection(observer, creatorIds),
    metricsSection(observer.rate, extra.quotas ?? new QuotaSamples()),
    eventsSection(extra.timeline ?? new EventTimeline()),
    section(
      'runtime/admin/integrations.json',
      'internal-only',
      'Integration endpoints and statuses.',
      Type.Object({ integrations: Type.Array(Type.Object({ plugin: Type.String(), version: Type.String(), status: Type.String() })) }),
      ({ kernel }) => ({
        integrations: kernel
          .status()
          // The plugins the manifest declares: default services (triggers, quotas...) are not integrations.
          .plugins.filter((p) => p.default !== true)
          .map((p) => ({ plugin: p.id, version: p.version, status: p.status }))
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
