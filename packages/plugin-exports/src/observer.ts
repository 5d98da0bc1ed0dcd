/** What the exports plugin observes on the bus: chat activity, plugin failures and platform connection states. */
import type { ChatMessage, EventBus, PlatformConnectionEvent, PlatformConnectionState } from '@streamsuites/kernel';
import { iso } from './section.js';

export interface PlatformActivity {
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
