import { backoffDelay, delay, type Clock, type Logger } from '@streamsuites/kernel';
import { SS_ERR_TWITCH_EVENTSUB_REVOKED } from '../errors.js';
import { MessageIdLru } from '../normalize/dedupe.js';
import { EventSubSocket, type EventSubEnd } from './socket.js';
import { createSubscription, userIdOf, type ConditionIds, type HelixAccess, type SubscriptionCost, type SubscriptionSpec } from './subscriptions.js';
import type { EventSubFrame, EventSubSubscription, NormalizedNotification, NotificationNormalizer } from './types.js';

export type EventSubState = 'connecting' | 'connected' | 'reconnecting' | 'stopped';

export interface EventSubClientOptions {
  creatorId: string;
  /** `wss://eventsub.wss.twitch.tv/ws` or a local fake. */
  url: string;
  helix: HelixAccess;
  /** The channel (broadcaster login) and the account whose token reads it (the bot). */
  broadcasterLogin: string;
  userLogin: string;
  subscriptions: readonly SubscriptionSpec[];
  normalizers: Readonly<Record<string, NotificationNormalizer>>;
  clock: Clock;
  logger: Logger;
  /** Every normalized notification, once (frame ids deduplicated across reconnects and handovers). */
  deliver(notification: NormalizedNotification, type: string): void;
  onState?(state: EventSubState, reason?: string): void;
  /** Notifications may be missing between `from` and `to`: the session was lost (not handed over). */
  onGap?(from: number, to: number, reason: string): void;
  /** A subscription Twitch refused or revoked; the others go on. */
  onSubscriptionProblem?(type: string, error: { code?: string; message: string }): void;
  keepaliveTimeoutSec?: number;
  backoff?: { initialMs: number; maxMs: number; factor?: number; jitter?: number };
  /** Frame ids remembered (default 10,000). */
  dedupeWindow?: number;
}

export interface EventSubStats {
  frames: number;
  notifications: number;
  duplicates: number;
  handovers: number;
  sessions: number;
  revocations: number;
  unknownTypes: number;
  lastCost?: SubscriptionCost;
}

/**
 * EventSub over WebSocket for one creator: a session, the subscriptions on
 * it, and notifications delivered exactly once.
 *
 * - `session_reconnect` is make-before-break: the replacement socket opens
 *   on `reconnect_url` while the old one still delivers, and the old one is
 *   closed only once the new one is welcomed (subscriptions move with it).
 * - A lost session (close, error, keepalive lapse) is replaced by a fresh
 *   one with backoff, subscriptions created again, and the window reported
 *   through `onGap` — Twitch does not redeliver what was sent meanwhile.
 * - `metadata.message_id` is deduplicated across both sockets of a handover
 *   and across sessions (Twitch may deliver a message twice).
 * - Unknown subscription types or versions are logged once and ignored.
 */
export class EventSubClient {
  readonly #o: EventSubClientOptions;
  readonly #frames: MessageIdLru;
  readonly #abort = new AbortController();
  readonly #unknown = new Set<string>();
  readonly stats: EventSubStats = { frames: 0, notifications: 0, duplicates: 0, handovers: 0, sessions: 0, revocations: 0, unknownTypes: 0 };
  #current: EventSubSocket | undefined;
  #ids: ConditionIds | undefined;
  #idsLookup: Promise<ConditionIds> | undefined;
  #loop: Promise<void> | undefined;
  #lastFrameAt: number | undefined;
  /** Resolves when the current socket ended without a handover. */
  #lost: (() => void) | undefined;
  #endReason = '';

  constructor(options: EventSubClientOptions) {
    this.#o = options;
    this.#frames = new MessageIdLru(options.dedupeWindow ?? 10_000);
  }

  start(): void {
    this.#loop ??= this.#run().catch((error: unknown) => {
      if (!this.#abort.signal.aborted) this.#o.logger.error({ err: error }, 'EventSub client stopped unexpectedly');
    });
  }

  async stop(): Promise<void> {
    this.#abort.abort(new Error('stopped'));
    this.#current?.close('stopped');
    this.#lost?.();
    await this.#loop;
    this.#o.onState?.('stopped');
  }

  async #run(): Promise<void> {
    const signal = this.#abort.signal;
    let attempt = 0;
    let lostAt: number | undefined;
    let lostReason = '';
    while (!signal.aborted) {
      this.#o.onState?.(attempt === 0 ? 'connecting' : 'reconnecting', attempt === 0 ? undefined : lostReason);
      const ended = new Promise<void>((resolve) => (this.#lost = resolve));
      this.#endReason = '';
      try {
        const socket = this.#socket(this.#o.url);
        const session = await socket.open();
        this.#current = socket;
        this.stats.sessions += 1;
        await this.#subscribe(session.id);
        attempt = 0;
        if (lostAt !== undefined) {
          this.#o.onGap?.(lostAt, this.#o.clock.now(), lostReason);
          lostAt = undefined;
        }
        this.#o.onState?.('connected');
        await ended;
      } catch (error) {
        if (signal.aborted) return;
        this.#endReason ||= (error as Error).message;
        this.#current?.close('error');
      }
      if (signal.aborted) return;
      lostAt ??= this.#lastFrameAt ?? this.#o.clock.now();
      lostReason = this.#endReason || 'connection lost';
      attempt += 1;
      const backoff = this.#o.backoff ?? { initialMs: 1000, maxMs: 60_000 };
      const wait = backoffDelay({ initialMs: backoff.initialMs, maxMs: backoff.maxMs, factor: backoff.factor ?? 2, jitter: backoff.jitter ?? 0.3 }, attempt);
      this.#o.logger.warn({ attempt, delayMs: wait }, `EventSub session lost (${lostReason}); reconnecting`);
      await delay(wait, signal).catch(() => undefined);
    }
  }

  /** A socket whose frames go to #onFrame; its end (unless handed over) ends the current session. */
  #socket(url: string, keepalive = true): EventSubSocket {
    const socket: EventSubSocket = new EventSubSocket({
      url,
      ...(keepalive && this.#o.keepaliveTimeoutSec !== undefined ? { keepaliveTimeoutSec: this.#o.keepaliveTimeoutSec } : {}),
      onFrame: (frame) => this.#onFrame(frame, socket),
      onEnd: (reason: EventSubEnd, detail?: string) => {
        if (socket !== this.#current) return;
        this.#endReason = `${reason}${detail === undefined ? '' : `: ${detail}`}`;
        this.#lost?.();
      },
    });
    return socket;
  }

  /** The channel's and the reading account's user ids (looked up once through Get Users). */
  async ids(): Promise<ConditionIds> {
    this.#idsLookup ??= (async () => {
      const { helix } = this.#o;
      const [broadcasterId, userId] = await Promise.all([userIdOf(helix, this.#o.broadcasterLogin), userIdOf(helix, this.#o.userLogin)]);
      if (broadcasterId === undefined || userId === undefined) throw new Error(`unknown Twitch user ${broadcasterId === undefined ? this.#o.broadcasterLogin : this.#o.userLogin}`);
      this.#ids = { broadcasterId, userId };
      return this.#ids;
    })().catch((error: unknown) => {
      this.#idsLookup = undefined; // asked again next time
      throw error;
    });
    return this.#idsLookup;
  }

  async #subscribe(sessionId: string): Promise<void> {
    const { helix } = this.#o;
    await this.ids();
    // Twitch wants the first subscription within 10 s of the welcome: all at once.
    await Promise.all(
      this.#o.subscriptions.map(async (spec) => {
        try {
          const created = await createSubscription(helix, spec, this.#ids!, sessionId);
          if (created.cost !== undefined) this.stats.lastCost = created.cost;
        } catch (error) {
          const coded = error as { code?: string; message?: string };
          this.#o.logger.warn({ code: coded.code, type: spec.type }, coded.message ?? String(error));
          this.#o.onSubscriptionProblem?.(spec.type, { ...(coded.code === undefined ? {} : { code: coded.code }), message: coded.message ?? String(error) });
        }
      }),
    );
  }

  #onFrame(frame: EventSubFrame, socket: EventSubSocket): void {
    this.stats.frames += 1;
    this.#lastFrameAt = this.#o.clock.now();
    switch (frame.metadata.message_type) {
      case 'session_reconnect':
        if (socket === this.#current) void this.#handover((frame.payload as { session: { reconnect_url: string | null } }).session.reconnect_url);
        return;
      case 'revocation':
        this.#revoked((frame.payload as { subscription: EventSubSubscription }).subscription);
        return;
      case 'notification':
        this.#notification(frame as Extract<EventSubFrame, { payload: { event: unknown } }>);
        return;
      default:
        return;
    }
  }

  /** Make-before-break: the replacement is welcomed before the old socket is let go. */
  async #handover(url: string | null): Promise<void> {
    const old = this.#current;
    if (url === null || old === undefined) return;
    const replacement = this.#socket(url, false);
    try {
      await replacement.open();
    } catch (error) {
      // The old socket still delivers until Twitch closes it; its end then starts a fresh session.
      this.#o.logger.warn({ err: error }, 'EventSub reconnect_url could not be opened; keeping the old socket until it closes');
      return;
    }
    if (this.#abort.signal.aborted) return replacement.close('stopped');
    this.#current = replacement;
    this.stats.handovers += 1;
    old.close('stopped');
  }

  #revoked(subscription: EventSubSubscription): void {
    this.stats.revocations += 1;
    const error = new SS_ERR_TWITCH_EVENTSUB_REVOKED(subscription.type, subscription.status);
    this.#o.logger.warn({ code: error.code, type: subscription.type, status: subscription.status }, error.message);
    this.#o.onSubscriptionProblem?.(subscription.type, { code: error.code, message: error.message });
  }

  #notification(frame: Extract<EventSubFrame, { payload: { event: unknown } }>): void {
    if (!this.#frames.add(frame.metadata.message_id)) {
      this.stats.duplicates += 1;
      return;
    }
    const { type, version } = frame.payload.subscription;
    const normalize = this.#o.normalizers[type];
    if (normalize === undefined) {
      this.stats.unknownTypes += 1;
      if (!this.#unknown.has(`${type}@${version}`)) {
        this.#unknown.add(`${type}@${version}`);
        this.#o.logger.info({ type, version }, 'EventSub notification of a type this plugin does not read: ignored');
      }
      return;
    }
    const sentAt = Date.parse(frame.metadata.message_timestamp);
    const receivedAt = this.#o.clock.now();
    this.stats.notifications += 1;
    let normalized: NormalizedNotification;
    try {
      normalized = normalize(frame.payload.event, version, {
        creatorId: this.#o.creatorId,
        receivedAt,
        sentAt: Number.isFinite(sentAt) ? sentAt : receivedAt,
        messageId: frame.metadata.message_id,
      });
    } catch (error) {
      // Normalizers never throw by contract; one that does is a bug, reported like any other failure.
      normalized = { kind: 'failed', reason: `${type}: ${(error as Error).message}` };
    }
    this.#o.deliver(normalized, type);
  }
}
