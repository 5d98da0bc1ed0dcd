import {
  quotaRegistryRef,
  rateLimitGovernorRef,
  SS_ERR_SERVICE_NOT_FOUND,
  type Kernel,
  type ServiceRef,
  type PlatformConnectionState,
  type QuotaRegistry,
  type RateLimitGovernor,
} from '@streamsuites/kernel';
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';

export interface OpsMetrics {
  /** The prom-client registry (its own, never prom-client's global one). */
  readonly registry: Registry;
  /** `Content-Type` of `text()`: the Prometheus text format 0.0.4. */
  readonly contentType: string;
  /** The exposition text, as `/metrics` serves it. */
  text(): Promise<string>;
  /** Unsubscribes from the bus and stops the event-loop monitor. */
  close(): void;
}

export interface CreateMetricsOptions {
  /** Process metrics (`process_*`, `nodejs_*`, including `nodejs_eventloop_lag_seconds`). Default true. */
  processMetrics?: boolean;
}

const CONNECTION_STATES: readonly PlatformConnectionState[] = ['connecting', 'connected', 'reconnecting', 'offline', 'auth-failed', 'stopped'];
const JOB_ACTIVE_STATES = new Set(['queued', 'running']);

/** `twitch:send:bot`, `twitch.join:bot` → `twitch`: rate-limit keys start with their platform by convention. */
const keyPlatform = (key: string): string => /^[a-z0-9-]+/i.exec(key)?.[0] ?? '';

/**
 * Prometheus metrics of a kernel: counters fed by bus events (subscribe
 * before `kernel.start()` to count from the first message) and gauges read
 * at scrape time from `kernel.status()`, the quota registry and the
 * rate-limit governor. Labels are `creator` and `platform` wherever the
 * event carries them; none is ever a user name or a message.
 */
export function createMetrics(kernel: Kernel, options: CreateMetricsOptions = {}): OpsMetrics {
  const registry = new Registry();
  const offs: (() => void)[] = [];
  const on: Kernel['bus']['on'] = (event, listener) => {
    const off = kernel.bus.on(event, listener);
    offs.push(off);
    return off;
  };
  const counter = (name: string, help: string, labelNames: readonly string[]) => new Counter({ name, help, labelNames, registers: [registry] });

  const messages = counter('streamsuites_chat_messages_total', 'Chat messages received (after normalizing and dedupe).', ['creator', 'platform']);
  on('chat.message', (m) => messages.inc({ creator: m.creatorId, platform: m.platform }));

  const triggers = counter('streamsuites_triggers_fired_total', 'Triggers that matched a message and passed their cooldowns.', ['creator', 'platform', 'trigger']);
  on('trigger.fired', (e) => triggers.inc({ creator: e.creatorId, platform: e.platform, trigger: e.triggerId }));

  const actions = counter(
    'streamsuites_actions_total',
    'Actions dispatched, by outcome: executed, dry_run (recorded, not run) or failed (including refusals). platform is that of the message that caused the action, empty when none did.',
    ['creator', 'platform', 'type', 'outcome'],
  );
  on('action.dispatched', (e) => actions.inc({ creator: e.creatorId, platform: e.platform ?? '', type: e.action.type, outcome: e.dryRun ? 'dry_run' : 'executed' }));
  on('action.failed', (e) => actions.inc({ creator: e.creatorId, platform: e.platform ?? '', type: e.action.type, outcome: 'failed' }));

  const errors = counter(
    'streamsuites_errors_total',
    'Failures reported on the bus, by kind (plugin_failed, listener_error, trigger_failed, action_failed, auth_failed, normalize_failed) and SS_ERR code.',
    ['creator', 'platform', 'kind', 'code'],
  );
  on('kernel.plugin.failed', (e) => errors.inc({ creator: e.creatorId ?? '', platform: '', kind: 'plugin_failed', code: e.error.code ?? '' }));
  on('kernel.listener.error', (e) => errors.inc({ creator: '', platform: '', kind: 'listener_error', code: e.error.code ?? '' }));
  on('trigger.failed', (e) => errors.inc({ creator: e.creatorId, platform: e.platform, kind: 'trigger_failed', code: e.code }));
  on('action.failed', (e) => errors.inc({ creator: e.creatorId, platform: e.platform ?? '', kind: 'action_failed', code: e.error.code ?? '' }));
  on('platform.auth-failed', (e) => errors.inc({ creator: e.creatorId, platform: e.platform, kind: 'auth_failed', code: e.error.code }));
  on('platform.normalize-failed', (e) => errors.inc({ creator: e.creatorId, platform: e.platform, kind: 'normalize_failed', code: e.code }));

  const reconnects = counter(
    'streamsuites_platform_reconnects_total',
    'Times a connected platform connection was lost and had to reconnect (failed attempts while down are not counted again).',
    ['creator', 'platform'],
  );
  const connectionState = new Gauge({
    name: 'streamsuites_platform_connection_state',
    help: 'Current state of each platform connection: 1 for the current state, 0 for the others.',
    labelNames: ['creator', 'platform', 'state'],
    registers: [registry],
  });
  const previous = new Map<string, PlatformConnectionState>();
  on('platform.connection', (e) => {
    const key = `${e.creatorId}\u0000${e.platform}`;
    // Counted once per loss: a refused attempt while down goes connecting → reconnecting again, which is the same outage.
    if ((e.state === 'reconnecting' || e.state === 'connecting') && previous.get(key) === 'connected') reconnects.inc({ creator: e.creatorId, platform: e.platform });
    previous.set(key, e.state);
    for (const state of CONNECTION_STATES) connectionState.set({ creator: e.creatorId, platform: e.platform, state }, state === e.state ? 1 : 0);
  });
  const gaps = counter('streamsuites_chat_gaps_total', 'Windows in which no connection read a creator\'s chat (messages may be missing).', ['creator', 'platform']);
  on('chat.gap', (e) => gaps.inc({ creator: e.creatorId, platform: e.platform }));

  const quotaExceeded = counter('streamsuites_quota_refusals_total', 'Calls refused by a daily quota (buffer reserved or exhausted).', ['creator', 'platform']);
  on('quota.exceeded', (e) => quotaExceeded.inc({ creator: e.creatorId, platform: e.platform }));

  const waits = counter('streamsuites_ratelimit_waits_total', 'Rate-limited calls that had to queue before they were granted.', ['platform', 'key']);
  const waitSeconds = counter('streamsuites_ratelimit_wait_seconds_total', 'Total time rate-limited calls spent queued.', ['platform', 'key']);
  on('ratelimit.waited', (e) => {
    const labels = { platform: keyPlatform(e.key), key: e.key };
    waits.inc(labels);
    waitSeconds.inc(labels, e.waitedMs / 1000);
  });

  // Jobs: transitions counted; queued and running jobs tracked by id (finished ones dropped).
  const jobTransitions = counter('streamsuites_job_transitions_total', 'Job state changes (queued, running, succeeded, failed, cancelled) by job type, e.g. clips.*.', ['creator', 'type', 'state']);
  const activeJobs = new Map<string, { creator: string; type: string; state: string }>();
  new Gauge({
    name: 'streamsuites_jobs',
    help: 'Jobs queued or running now, by type (seen since this process started).',
    labelNames: ['creator', 'type', 'state'],
    registers: [registry],
    collect() {
      this.reset();
      for (const job of activeJobs.values()) this.inc({ creator: job.creator, type: job.type, state: job.state });
    },
  });
  on('job.state', (e) => {
    jobTransitions.inc({ creator: e.creatorId ?? '', type: e.type, state: e.state });
    if (JOB_ACTIVE_STATES.has(e.state)) activeJobs.set(e.jobId, { creator: e.creatorId ?? '', type: e.type, state: e.state });
    else activeJobs.delete(e.jobId);
  });
  // clip.state belongs to @streamsuites/plugin-clips (not a dependency): subscribed by name.
  const clipStates = counter('streamsuites_clip_states_total', 'Clip state changes (plugin-clips), by state.', ['creator', 'platform', 'state']);
  const onByName = kernel.bus.on.bind(kernel.bus) as unknown as (event: string, listener: (e: { creatorId?: string; platform?: string; state?: string }) => void) => () => void;
  offs.push(onByName('clip.state', (e) => clipStates.inc({ creator: e.creatorId ?? '', platform: e.platform ?? '', state: String(e.state ?? '') })));

  const reloads = counter('streamsuites_reloads_total', 'Configuration reloads, applied or rejected.', ['outcome']);
  on('kernel.reload.applied', () => reloads.inc({ outcome: 'applied' }));
  on('kernel.reload.rejected', () => reloads.inc({ outcome: 'rejected' }));

  // Scrape-time gauges: read from the kernel and its services.
  new Gauge({
    name: 'streamsuites_up',
    help: '1 while the kernel runs (state running), else 0.',
    registers: [registry],
    collect() {
      this.set(kernel.status().state === 'running' ? 1 : 0);
    },
  });
  new Gauge({
    name: 'streamsuites_plugin_running',
    help: 'Per plugin: 1 when running, 0 when registered, failed or skipped.',
    labelNames: ['plugin', 'status'],
    registers: [registry],
    collect() {
      this.reset();
      for (const p of kernel.status().plugins) this.set({ plugin: p.id, status: p.status }, p.status === 'running' ? 1 : 0);
    },
  });
  new Gauge({
    name: 'streamsuites_creator_plugin_running',
    help: 'Per creator and plugin: 1 when running for the creator, else 0.',
    labelNames: ['creator', 'plugin', 'status'],
    registers: [registry],
    collect() {
      this.reset();
      for (const c of kernel.status().creators) for (const [plugin, status] of Object.entries(c.plugins)) this.set({ creator: c.id, plugin, status }, status === 'running' ? 1 : 0);
    },
  });

  const quotaGauge = (name: string, help: string, pick: (s: Awaited<ReturnType<QuotaRegistry['snapshot']>>[number]) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['creator', 'platform'],
      registers: [registry],
      async collect() {
        this.reset();
        const quotas = service(kernel, quotaRegistryRef);
        if (quotas === undefined) return;
        for (const s of await quotas.snapshot()) this.set({ creator: s.creatorId, platform: s.platform }, pick(s));
      },
    });
  quotaGauge('streamsuites_quota_used_units', 'Quota units charged in the current quota day.', (s) => s.used);
  quotaGauge('streamsuites_quota_remaining_units', 'Quota units left today (daily - used; the buffer is part of it).', (s) => s.remaining);
  quotaGauge('streamsuites_quota_daily_units', 'The daily quota (hard cap).', (s) => s.daily);

  const limitGauge = (name: string, help: string, pick: (s: ReturnType<RateLimitGovernor['snapshot']>[number]) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['platform', 'key'],
      registers: [registry],
      collect() {
        this.reset();
        const governor = service(kernel, rateLimitGovernorRef);
        if (governor === undefined) return;
        for (const s of governor.snapshot()) this.set({ platform: keyPlatform(s.key), key: s.key }, pick(s));
      },
    });
  limitGauge('streamsuites_ratelimit_waiting', 'Calls queued on a rate-limit key now.', (s) => s.waiting);
  limitGauge('streamsuites_ratelimit_available', 'Units a rate-limit key can grant now.', (s) => s.available);

  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 10 });

  return {
    registry,
    contentType: registry.contentType,
    text: () => registry.metrics(),
    close() {
      for (const off of offs.splice(0)) off();
      // The event-loop delay histogram is the default metrics' only resource; clear() drops it.
      registry.clear();
    },
  };
}

/** A root service of a running kernel, or undefined (not running, or no plugin provides it). */
function service<T>(kernel: Kernel, ref: ServiceRef<T, 'root'>): T | undefined {
  if (kernel.status().state !== 'running') return undefined;
  try {
    return kernel.resolve(ref);
  } catch (error) {
    // A kernel booted without the defaults has no quota registry: the metric stays empty. Anything else is a bug.
    if (SS_ERR_SERVICE_NOT_FOUND.is(error)) return undefined;
    throw error;
  }
}
