import type { Kernel, PlatformConnectionState } from '@streamsuites/kernel';

export interface ConnectionInfo {
  creatorId: string;
  platform: string;
  state: PlatformConnectionState;
  attempt: number;
  /** Redundant links, when the plugin keeps several. */
  links?: { up: number; total: number };
  reason?: string;
  at: number;
}

/**
 * The latest `platform.connection` state of every creator + platform. The
 * kernel's status() knows plugins, not sockets: this is where health sees a
 * Twitch connection that keeps reconnecting.
 */
export class ConnectionTracker {
  readonly #latest = new Map<string, ConnectionInfo>();
  readonly #off: () => void;

  constructor(kernel: Pick<Kernel, 'bus'>) {
    this.#off = kernel.bus.on('platform.connection', (e) => {
      this.#latest.set(`${e.creatorId}\u0000${e.platform}`, {
        creatorId: e.creatorId,
        platform: e.platform,
        state: e.state,
        attempt: e.attempt,
        ...(e.links === undefined ? {} : { links: e.links }),
        ...(e.reason === undefined ? {} : { reason: e.reason }),
        at: e.at,
      });
    });
  }

  /** Every known connection, ordered by creator, then platform. */
  all(): ConnectionInfo[] {
    return [...this.#latest.values()].sort((a, b) => a.creatorId.localeCompare(b.creatorId) || a.platform.localeCompare(b.platform));
  }

  close(): void {
    this.#off();
  }
}

/** States that mean chat is not being read although it should be. */
export const FAULTY_CONNECTION_STATES: ReadonlySet<PlatformConnectionState> = new Set(['reconnecting', 'auth-failed']);
