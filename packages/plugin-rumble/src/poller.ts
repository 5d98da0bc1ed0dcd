import {
  backoffDelay,
  delay,
  redactedSample,
  type ChatMessage,
  type Clock,
  type EventBus,
  type Logger,
  type PlatformConnectionState,
  type RateLimitGovernor,
  type SecretRegistry,
  type Sleep,
  type StateStore,
  type StreamStatus,
} from '@streamsuites/kernel';
import type { Poll } from './api/client.js';
import type { SkippedEntry } from './api/parse.js';
import type { ApiBody, ApiChatEntry, ApiLivestream } from './api/types.js';
import { withOccurrenceIds } from './dedupe/ids.js';
import { SeenWindow } from './dedupe/seen-window.js';
import { SS_ERR_RUMBLE_API, SS_ERR_RUMBLE_KEY_REJECTED, SS_ERR_RUMBLE_NORMALIZE_FAILED } from './errors.js';
import { followerNotice, subscriberNotice, toChatMessage, type NormalizeContext } from './normalize.js';
import type { RumbleChatEntry } from './types.js';

export interface PollerOptions {
  creatorId: string;
  api: { get(signal: AbortSignal): Promise<Poll> };
  bus: EventBus;
  clock: Clock;
  logger: Logger;
  store: StateStore;
  secrets: SecretRegistry;
  limits: RateLimitGovernor;
  /** Governor key every request is taken from. */
  limitKey: string;
  intervalMs: number;
  backoff: { initialMs: number; maxMs: number; jitter: number };
  seenWindow: number;
  /** The configured channel name (else the API's username). */
  channel?: string;
  notices: { followers: boolean; subscribers: boolean };
  /** False for an entry not to emit: the bot's own reply coming back, or (both sources on) one the page already delivered. */
  admit?: (entry: RumbleChatEntry) => boolean;
  sleep?: Sleep;
  random?: () => number;
}

export interface PollerStats {
  polls: number;
  failures: number;
  messages: number;
  rants: number;
  notices: number;
  /** Entries of a body that could not be read (reported as platform.normalize-failed). */
  skipped: number;
  /** Entries `admit` turned down (own echoes, already read by the page). */
  notAdmitted: number;
}

/** What a body held of one livestream, with derived ids. */
interface Fresh {
  at: number;
  id: string;
  emit: () => void;
}

/**
 * Polls one creator's keyed Live Stream API: live transitions
 * (`stream.online` / `stream.offline`), chat and rants exactly once
 * (derived ids in a persisted window), follower and subscriber notices,
 * jittered backoff on 429 / 5xx / bad bodies, and a stop on a rejected key.
 * Every request is taken from the rate-limit governor first.
 */
export class RumblePoller {
  readonly #o: PollerOptions;
  readonly #sleep: Sleep;
  readonly #abort = new AbortController();
  #loop: Promise<void> | undefined;
  #seen: SeenWindow | undefined;
  #state: PlatformConnectionState | undefined;
  #attempt = 0;
  #live: StreamStatus | undefined;
  #channel: string;
  #ownerLogin: string | undefined;
  #lastOkAt: number | undefined;
  /** Kernel time the poller started: what the first poll holds from before it is history. */
  #startedAt = 0;
  /** Livestreams read in an earlier poll of this run (a full list of only unseen entries there is a gap). */
  readonly #known = new Set<string>();
  readonly stats: PollerStats = { polls: 0, failures: 0, messages: 0, rants: 0, notices: 0, skipped: 0, notAdmitted: 0 };

  constructor(options: PollerOptions) {
    this.#o = options;
    this.#sleep = options.sleep ?? delay;
    this.#channel = options.channel ?? options.creatorId;
  }

  /** The channel events carry (the API's username once known, unless configured). */
  get channel(): string {
    return this.#channel;
  }

  /** The live stream now, or undefined. */
  get live(): StreamStatus | undefined {
    return this.#live;
  }

  get state(): PlatformConnectionState | undefined {
    return this.#state;
  }

  start(): void {
    this.#loop ??= this.#run().catch((error: unknown) => {
      if (this.#abort.signal.aborted) return;
      // A bug, not a platform failure: reported, and the rest of the runtime goes on.
      this.#o.logger.error({ err: error }, 'Rumble poller stopped unexpectedly');
      this.#setState('stopped', 'internal error');
    });
  }

  /** Stops polling, waits for the poll in flight, and saves the seen window. Idempotent. */
  async stop(): Promise<void> {
    this.#abort.abort(new Error('stopped'));
    await this.#loop;
    await this.#seen?.save(this.#o.store, this.#o.creatorId).catch((error: unknown) => {
      this.#o.logger.warn({ err: error }, 'could not save the Rumble seen window');
    });
    if (this.#state !== 'auth-failed') this.#setState('stopped');
  }

  async #run(): Promise<void> {
    const { store, creatorId, limits, limitKey } = this.#o;
    const signal = this.#abort.signal;
    this.#startedAt = this.#o.clock.now();
    this.#seen = await SeenWindow.load(store, creatorId, this.#o.seenWindow);
    this.#setState('connecting');
    while (!signal.aborted) {
      let poll: Poll;
      try {
        await limits.acquire(limitKey, { signal });
        poll = await this.#o.api.get(signal);
      } catch (error) {
        if (signal.aborted) return;
        if (SS_ERR_RUMBLE_KEY_REJECTED.is(error)) return this.#rejected(error);
        await this.#failed(error, signal);
        continue;
      }
      this.stats.polls += 1;
      this.#attempt = 0;
      try {
        await this.#read(poll);
      } catch (error) {
        if (signal.aborted) return;
        // The store failed: the entries stay unseen and are emitted by a later poll, never lost.
        this.#o.logger.warn({ err: error }, 'Rumble poll could not be recorded; it is read again');
      }
      await this.#sleep(this.#o.intervalMs, signal).catch(() => undefined);
    }
  }

  #rejected(error: InstanceType<typeof SS_ERR_RUMBLE_KEY_REJECTED>): void {
    const { bus, clock, creatorId, logger } = this.#o;
    logger.error({ code: error.code, hint: error.hint }, error.message);
    bus.emit('platform.auth-failed', { creatorId, platform: 'rumble', error: { code: error.code, message: error.message }, at: clock.now() });
    this.#setState('auth-failed', error.message);
    if (this.#live !== undefined) this.#offline(this.#live);
  }

  async #failed(error: unknown, signal: AbortSignal): Promise<void> {
    const { logger, backoff } = this.#o;
    this.stats.failures += 1;
    this.#attempt += 1;
    const coded = error as { code?: string; message?: string; details?: { retryAfterMs?: number } };
    const reason = this.#o.secrets.redactString(coded?.message ?? String(error));
    const asked = SS_ERR_RUMBLE_API.is(error) ? coded.details?.retryAfterMs : undefined;
    const delay = Math.max(
      asked ?? 0,
      backoffDelay({ initialMs: backoff.initialMs, maxMs: backoff.maxMs, factor: 2, jitter: { below: backoff.jitter, above: 0 } }, this.#attempt, this.#o.random),
    );
    logger.warn({ code: coded?.code, attempt: this.#attempt, delayMs: delay }, `Rumble poll failed, retrying: ${reason}`);
    this.#setState('reconnecting', reason);
    await this.#sleep(delay, signal).catch(() => undefined);
  }

  async #read(poll: Poll): Promise<void> {
    const { body } = poll;
    const { clock, creatorId } = this.#o;
    for (const entry of poll.skipped) this.#reportSkipped(entry);
    if (this.#o.channel === undefined) this.#channel = body.username ?? body.channelName ?? creatorId;
    if (body.username !== undefined) this.#ownerLogin = body.username.toLowerCase();
    const now = clock.now();
    const ctx: NormalizeContext = { creatorId, channel: this.#channel, receivedAt: now, ...(this.#ownerLogin === undefined ? {} : { ownerLogin: this.#ownerLogin }) };

    this.#liveTransitions(body, now);
    const seen = this.#seen!;
    const fresh = this.#collect(body, ctx);
    if (!seen.primed) {
      // The first poll ever for this creator: what was said before we started watching is history,
      // recorded, not replayed. "Before" on Rumble's clock (its `now` against ours in the same answer),
      // with a second of slack for its second-precision timestamps.
      const startedOnRumble = this.#startedAt + (body.now - now) - 1000;
      fresh.sort((a, b) => a.at - b.at);
      for (const item of fresh) {
        if (seen.add(item.id) && item.at >= startedOnRumble) item.emit();
      }
      seen.markPrimed();
    } else {
      this.#reportGaps(body, now);
      fresh.sort((a, b) => a.at - b.at);
      for (const item of fresh) {
        if (!seen.add(item.id)) continue;
        item.emit();
      }
    }
    for (const stream of body.livestreams) this.#known.add(stream.id);
    this.#lastOkAt = now;
    await seen.save(this.#o.store, creatorId);
  }

  /** Everything in the body with its derived id, seen or not. */
  #collect(body: ApiBody, ctx: NormalizeContext): Fresh[] {
    const { bus, notices } = this.#o;
    const out: Fresh[] = [];
    for (const stream of body.livestreams) {
      const chat = (kind: 'm' | 'r', list: readonly ApiChatEntry[]) =>
        withOccurrenceIds(list, (e) => [kind, stream.id, e.username, e.createdOn, e.text]).map(({ entry, id }) => ({
          at: entry.createdAt,
          id: `${kind}.${id}`,
          emit: () => this.#emitChat(toEntry(entry), `${kind}.${id}`, ctx),
        }));
      out.push(...chat('m', stream.messages), ...chat('r', stream.rants));
    }
    if (notices.followers) {
      for (const { entry, id } of withOccurrenceIds(body.followers, (f) => ['follow', f.username, f.raw])) {
        out.push({ at: entry.at, id: `f.${id}`, emit: () => this.#notice(() => bus.emit('chat.notice', followerNotice(entry, `f.${id}`, ctx, body.followersTotal))) });
      }
    }
    if (notices.subscribers) {
      for (const { entry, id } of withOccurrenceIds(body.subscribers, (s) => ['sub', s.username, s.raw, String(s.amountCents)])) {
        out.push({ at: entry.at, id: `s.${id}`, emit: () => this.#notice(() => bus.emit('chat.notice', subscriberNotice(entry, `s.${id}`, ctx))) });
      }
    }
    return out;
  }

  #emitChat(entry: RumbleChatEntry, id: string, ctx: NormalizeContext): void {
    if (this.#o.admit !== undefined && !this.#o.admit(entry)) {
      this.stats.notAdmitted += 1;
      return;
    }
    const message: ChatMessage = toChatMessage(entry, id, ctx);
    if (entry.rant === undefined) this.stats.messages += 1;
    else this.stats.rants += 1;
    this.#o.bus.emit('chat.message', message);
  }

  #notice(emit: () => void): void {
    this.stats.notices += 1;
    emit();
  }

  #liveTransitions(body: ApiBody, now: number): void {
    const stream = body.livestreams.find((s) => s.isLive);
    const current = this.#live;
    if (current !== undefined && current.streamId !== stream?.id) this.#offline(current);
    if (stream !== undefined && this.#live === undefined) {
      this.#live = this.#status(stream, now);
      this.#o.bus.emit('stream.online', this.#live);
    }
    this.#setState(this.#live === undefined ? 'offline' : 'connected');
  }

  #offline(status: StreamStatus): void {
    this.#live = undefined;
    this.#o.bus.emit('stream.offline', { ...status, at: this.#o.clock.now() });
  }

  #status(stream: ApiLivestream, now: number): StreamStatus {
    return {
      creatorId: this.#o.creatorId,
      platform: 'rumble',
      channel: this.#channel,
      at: now,
      streamId: stream.id,
      ...(stream.title === '' ? {} : { title: stream.title }),
      ...(stream.category === undefined ? {} : { category: stream.category }),
      ...(stream.createdAt === undefined ? {} : { startedAt: stream.createdAt }),
    };
  }

  /**
   * A livestream read before whose whole (full) list is unseen: more was
   * said between two polls than the API returns, so some may be missing.
   * Said once, as a chat.gap, never silently.
   */
  #reportGaps(body: ApiBody, now: number): void {
    const cap = body.maxResults;
    if (cap === undefined || this.#lastOkAt === undefined) return;
    for (const stream of body.livestreams) {
      if (!this.#known.has(stream.id) || stream.messages.length < cap) continue;
      const ids = withOccurrenceIds(stream.messages, (e) => ['m', stream.id, e.username, e.createdOn, e.text]);
      if (ids.some(({ id }) => this.#seen!.has(`m.${id}`))) continue;
      this.#o.bus.emit('chat.gap', {
        creatorId: this.#o.creatorId,
        platform: 'rumble',
        channel: this.#channel,
        from: this.#lastOkAt,
        to: now,
        reason: `more than ${cap} messages between two polls (the API returns the last ${cap}); poll more often`,
        resumed: true,
        at: now,
      });
    }
  }

  #reportSkipped(entry: SkippedEntry): void {
    const { bus, clock, creatorId, logger, secrets } = this.#o;
    this.stats.skipped += 1;
    try {
      const error = new SS_ERR_RUMBLE_NORMALIZE_FAILED(`${entry.path}: ${entry.reason}`);
      const sample = redactedSample(secrets, JSON.stringify(secrets.redact(entry.value)) ?? String(entry.value));
      logger.warn({ code: error.code, sample }, error.message);
      bus.emit('platform.normalize-failed', { creatorId, platform: 'rumble', code: error.code, message: error.message, sample, at: clock.now() });
    } catch {
      // Reporting must never stop reading chat; the count stands.
    }
  }

  #setState(state: PlatformConnectionState, reason?: string): void {
    if (this.#state === state) return;
    this.#state = state;
    this.#o.bus.emit('platform.connection', {
      creatorId: this.#o.creatorId,
      platform: 'rumble',
      state,
      attempt: this.#attempt,
      ...(reason === undefined ? {} : { reason }),
      at: this.#o.clock.now(),
    });
  }
}

function toEntry(entry: ApiChatEntry & { amountCents?: number }): RumbleChatEntry {
  return {
    source: 'api',
    username: entry.username,
    text: entry.text,
    badges: entry.badges,
    createdAt: entry.createdAt,
    ...(entry.amountCents === undefined ? {} : { rant: { amountCents: entry.amountCents } }),
  };
}
