import type { Kernel, PlatformConnectionState } from '@streamsuites/kernel';

export interface ConnectionInfo {
  creatorId: string;
  platform: string;
  state: PlatformConnectionState;
  attempt: number;
  /** Redundant links, when the plugin keeps several. */
  links?: { up: number; total: number };
  reason?: string;
  /**
   * Connected before in this process and not connected now: an outage, even
   * while the state says `connecting` (an attempt in progress) rather than
   * `reconnecting` (waiting for the next one).
   */
  lost: boolean;
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
      const key = `${e.creatorId}\u0000${e.platform}`;
      const before = this.#latest.get(key);
      const lost = e.state === 'connected' || e.state === 'stopped' || e.state === 'offline' ? false : before?.state === 'connected' || before?.lost === true;
      this.#latest.set(key, {
        creatorId: e.creatorId,
        platform: e.platform,
        state: e.state,
        attempt: e.attempt,
        ...(e.links === undefined ? {} : { links: e.links }),
        ...(e.reason === undefined ? {} : { reason: e.reason }),
        lost,
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
const FAULTY_STATES: ReadonlySet<PlatformConnectionState> = new Set(['reconnecting', 'auth-failed']);

/** Chat is not being read although it should be: refused, waiting to reconnect, or lost and trying again. */
export const isFaulty = (c: ConnectionInfo): boolean => FAULTY_STATES.has(c.state) || c.lost;
