import { mkdir } from 'node:fs/promises';
import {
  SS_ERR_DASHBOARD_LISTEN_FAILED,
  SS_ERR_DASHBOARD_PORT_IN_USE,
  startDashboardServer,
  type DashboardServer,
} from '@streamsuites/dashboard';

export interface DemoDashboardOptions {
  /** The exports root (created if missing: the first snapshots may not be written yet). */
  root: string;
  /** Preferred port; 0 asks for any free port. */
  port: number;
  /** Default 127.0.0.1: the demo's state stays on this machine. */
  host?: string;
}

export interface DemoDashboard extends DashboardServer {
  /** True when the preferred port was taken (or refused) and another one is used. */
  fellBack: boolean;
  /** Why the preferred port was not used, when it was not. */
  fallbackReason?: string;
}

/**
 * Starts the read-only dashboard over the demo's snapshots on the preferred
 * port, or on any free port when that one is in use (or cannot be bound):
 * a second demo, or anything else on 8787, never stops the demo.
 */
export async function startDemoDashboard(options: DemoDashboardOptions): Promise<DemoDashboard> {
  const host = options.host ?? '127.0.0.1';
  await mkdir(options.root, { recursive: true });
  try {
    const server = await startDashboardServer({ root: options.root, port: options.port, host });
    return Object.assign(server, { fellBack: false });
  } catch (error) {
    const portProblem = SS_ERR_DASHBOARD_PORT_IN_USE.is(error) || SS_ERR_DASHBOARD_LISTEN_FAILED.is(error);
    if (!portProblem || options.port === 0) throw error;
    const server = await startDashboardServer({ root: options.root, port: 0, host });
    const reason = SS_ERR_DASHBOARD_PORT_IN_USE.is(error) ? `port ${options.port} is in use` : `port ${options.port} could not be bound`;
    return Object.assign(server, { fellBack: true, fallbackReason: reason });
  }
}

/** The dashboard's page for one creator (its URL hash route), e.g. `http://127.0.0.1:8787/#/creator/daniel`. */
export function creatorViewUrl(dashboardUrl: string, creatorId: string): string {
  return `${dashboardUrl}#/creator/${encodeURIComponent(creatorId)}`;
}
