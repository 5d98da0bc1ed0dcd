import type { Kernel, KernelState, PluginStatus } from '@streamsuites/kernel';
import { isFaulty, type ConnectionInfo, type ConnectionTracker } from './connections.js';

/**
 * - `starting`: the kernel is booting (not ready yet).
 * - `ok`: running; every plugin and creator plugin runs, no connection is reconnecting or refused.
 * - `degraded`: running, but something is wrong (a failed plugin, a connection reconnecting).
 * - `failed`: not running any more (stopping, stopped) or a boot failure.
 */
export type HealthStatus = 'starting' | 'ok' | 'degraded' | 'failed';

export interface HealthReport {
  status: HealthStatus;
  /** The process answers and the kernel has not stopped. */
  live: boolean;
  /** The kernel has started (creators running): the runtime is doing its job, possibly degraded. */
  ready: boolean;
  kernel: KernelState;
  /** Why the status is not `ok`, one short line each (never a secret). */
  problems: string[];
  plugins: { id: string; version: string; status: PluginStatus; default?: true; error?: string }[];
  creators: { id: string; plugins: Record<string, PluginStatus>; connections: ConnectionInfo[] }[];
  /** Process uptime in seconds. */
  uptimeSec: number;
  at: number;
}

/** The health of a runtime now, from `kernel.status()` and the latest platform connection states. */
export function healthReport(kernel: Pick<Kernel, 'status' | 'secrets'>, connections: ConnectionTracker, now = Date.now()): HealthReport {
  const status = kernel.status();
  // Plugin error messages come from plugins: masked like log lines before they leave the process.
  const plugins = status.plugins.map((p) => (p.error === undefined ? p : { ...p, error: kernel.secrets.redactString(p.error) }));
  const problems: string[] = [];
  for (const p of plugins) if (p.status === 'failed') problems.push(`plugin ${p.id} failed${p.error === undefined ? '' : `: ${p.error}`}`);
  const known = connections.all();
  const creators = status.creators.map((c) => {
    for (const [plugin, s] of Object.entries(c.plugins)) if (s === 'failed') problems.push(`creator ${c.id}: plugin ${plugin} failed`);
    const mine = known.filter((k) => k.creatorId === c.id);
    for (const k of mine) {
      if (isFaulty(k)) problems.push(`creator ${c.id}: ${k.platform} ${k.state}${k.lost ? ' (connection lost)' : ''}${k.reason === undefined ? '' : ` (${k.reason})`}`);
    }
    return { id: c.id, plugins: c.plugins, connections: mine };
  });
  const live = status.state !== 'stopped';
  const ready = status.state === 'running';
  let overall: HealthStatus;
  if (ready) overall = problems.length === 0 ? 'ok' : 'degraded';
  else if (status.state === 'created' || status.state === 'starting') overall = 'starting';
  else {
    overall = 'failed';
    problems.unshift(`kernel ${status.state}`);
  }
  return { status: overall, live, ready, kernel: status.state, problems, plugins, creators, uptimeSec: Math.round(process.uptime()), at: now };
}
