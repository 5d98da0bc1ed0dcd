import {
  isStreamSuitesError,
  SecretRegistry,
  type Clock,
  type EventBus,
  type Logger,
  type PlatformConnectionState,
  type QuotaTracker,
  type StateStore,
} from '@streamsuites/kernel';
import type { YouTubeApi } from './api/client.js';
import { failureOf } from './api/errors.js';
import { type Cursor, CursorStore, historyCut, isHistory } from './chat-cursor.js';
import { emitNormalized, reportNormalizeFailed } from './chat-emit.js';
import { SS_ERR_YOUTUBE_AUTH } from './errors.js';
import { reasonOf } from './normalize/item.js';
import type { LiveDiscovery, LiveTarget } from './discovery.js';
import { failureFrom, isPermanentAuth, QUICK_STREAM_END_MS, retryDelayMs, streamReopenBackoffMs, untilQuotaResetMs } from './retry-policy.js';
import { SeenIds } from './seen.js';
import { defaultSleep, type Sleep } from './sleep.js';
import type { BudgetState, LiveChatPage, NormalizeContext, NormalizedItem, PollObservation } from './types.js';

export type { Sleep } from './sleep.js';

/** What the session needs of the budget governor. */
export interface PollGovernor {
  observe(observation: PollObservation): void;
  nextDelayMs(state: BudgetState): number;
}


export interface ChatSessionOptions {
  creatorId: string;
  /** `channel` of the events: the creator's channel id (or the video id). */
  channel: string;
  api: YouTubeApi;
  discovery: LiveDiscovery;
  tracker: QuotaTracker;
  store: StateStore;
  bus: EventBus;
  clock: Clock;
  logger: Logger;
  governor: PollGovernor;
  normalize(item: NonNullable<LiveChatPage['items']>[number], ctx: NormalizeContext): NormalizedItem;
  transport: 'auto' | 'stream' | 'poll';
  discoveryIntervalMs: number;
  /** Waits `ms` (kernel time); tests and simulations pass a virtual one. */
  sleep?: Sleep;
  /** The kernel's secrets (`secretsRef`): the item sample in `platform.normalize-failed` is redacted with it. */
  secrets?: SecretRegistry;
}

/** What a ChatSession did with the chat items it read (since it was made). */
export interface ChatSessionStats {
  /** Items normalized (delivered ids skipped before normalizing are not counted). */
  items: number;
  /** Items the normalizer skipped on purpose (malformed, tombstones, kinds not mapped). */
  ignored: number;
  /** Items the normalizer threw on: skipped, each reported as `platform.normalize-failed`. */
  normalizeFailed: number;
}

/** Delivered message ids remembered (and persisted) per chat. */
const SEEN_CAPACITY = 5000;

/**
 * One creator's YouTube chat: discover the live chat cheaply, then read it
 * — server streaming when offered, else polling at the pace the budget
 * governor sets (never faster than `pollingIntervalMillis`) — and put every
 * item on the bus once. The first page of a chat is its backlog and is not
 * replayed; the page token and the delivered ids are persisted, so a restart
 * neither replays history nor duplicates messages. A saved token the API
 * rejects (`400 invalidPageToken`: expired, or from before a reset) is dropped
 * at once and the chat read again without it: delivered ids are skipped,
 * items published since the last saved page are delivered, older ones are
 * history — no wait, no replay. A saved position of another live chat (a new
 * broadcast) is never used. Errors never loop tightly: quota errors wait for
 * the daily reset, rate limits and transient failures back off
 * exponentially, an ended chat goes offline and discovery resumes; every
 * wait is `platform.connection` `reconnecting` with its reason, until the
 * next page arrives (`connected`).
 */
export class ChatSession {
  readonly #o: ChatSessionOptions;
  readonly #controller = new AbortController();
  readonly #sleep: Sleep;
  readonly #cursors: CursorStore;
  #target: LiveTarget | undefined;
  #cursor: Cursor | undefined;
  #seen = new SeenIds(SEEN_CAPACITY);
  #failures = 0;
  #streamUnsupported = false;
  #state: PlatformConnectionState | undefined;
  #reason: string | undefined;
  #loop: Promise<void> | undefined;
  readonly #finished: Promise<void>;
  #markFinished!: () => void;
  #streamStartedAt = 0;
  /** Streams in a row that the server ended within 30 s. */
  #quickStreamEnds = 0;

  readonly #stats: ChatSessionStats = { items: 0, ignored: 0, normalizeFailed: 0 };
  readonly #secrets: SecretRegistry;

  constructor(options: ChatSessionOptions) {
    this.#o = options;
    this.#secrets = options.secrets ?? new SecretRegistry();
    this.#sleep = options.sleep ?? defaultSleep;
    this.#cursors = new CursorStore(options.store, options.creatorId, options.logger);
    this.#finished = new Promise((resolve) => (this.#markFinished = resolve));
  }

  /**
   * Settles once the session has stopped for good: after `stop()`, or by
   * itself when YouTube refuses the credentials for good (`auth-failed`).
   * Then no call, retry or wait of the session is pending.
   */
  get finished(): Promise<void> {
    return this.#finished;
  }

  /** Items read, ignored and failed so far (a copy). */
  get stats(): ChatSessionStats {
    return { ...this.#stats };
  }

  get liveChatId(): string | undefined {
    return this.#target?.liveChatId;
  }

  start(): void {
    this.#loop ??= this.#run()
      .catch((error: unknown) => this.#o.logger.error({ err: error }, 'YouTube chat loop crashed'))
      .finally(() => this.#markFinished());
  }

  async stop(): Promise<void> {
    this.#controller.abort();
    await this.#loop;
    this.#markFinished(); // never started
    if (this.#state !== 'auth-failed') this.#setState('stopped');
  }

  async #run(): Promise<void> {
    const signal = this.#controller.signal;
    while (!signal.aborted) {
      try {
        if (this.#target === undefined) {
          await this.#discover();
          continue;
        }
        const useStream = this.#o.transport === 'stream' || (this.#o.transport === 'auto' && !this.#streamUnsupported);
        if (useStream) await this.#readStream();
        else await this.#pollOnce();
        this.#failures = 0;
      } catch (error) {
        if (signal.aborted) return;
        await this.#onError(error);
      }
    }
  }

  async #discover(): Promise<void> {
    // Looking for the first time is `connecting`; looking again after a
    // stream ended (or found none) stays `offline`.
    if (this.#state !== 'offline') this.#setState('connecting');
    const target = await this.#o.discovery.find();
    if (target === undefined) {
      this.#setState('offline', 'not live');
      await this.#wait(this.#o.discoveryIntervalMs);
      return;
    }
    this.#target = target;
    this.#streamStartedAt = target.startedAt ?? this.#o.clock.now();
    this.#cursor = await this.#cursors.load(target);
    this.#seen = new SeenIds(SEEN_CAPACITY, this.#cursor.seen);
    this.#o.logger.info({ videoId: target.videoId, resumed: this.#cursor.pageToken !== undefined }, 'YouTube chat found');
    this.#o.bus.emit('stream.online', {
      creatorId: this.#o.creatorId,
      platform: 'youtube',
      channel: this.#o.channel,
      at: this.#o.clock.now(),
      ...(target.title === undefined ? {} : { title: target.title }),
      ...(target.startedAt === undefined ? {} : { startedAt: target.startedAt }),
      ...(target.videoId === undefined ? {} : { streamId: target.videoId }),
    });
    this.#setState('connected');
  }

  async #pollOnce(): Promise<void> {
    const cursor = this.#cursor!;
    let page: LiveChatPage;
    try {
      page = await this.#o.api.chatPage(cursor.liveChatId, cursor.pageToken);
    } catch (error) {
      if (await this.#tokenRejected(error)) return; // read again at once, without the token
      throw error;
    }
    const items = await this.#deliver(page);
    if (this.#target === undefined) return; // the chat ended
    this.#o.governor.observe({ at: this.#o.clock.now(), items });
    const quota = await this.#o.tracker.snapshot();
    const delay = this.#o.governor.nextDelayMs({
      now: this.#o.clock.now(),
      remainingUnits: quota.remaining,
      resetsAt: quota.resetsAt,
      streamStartedAt: this.#streamStartedAt,
      serverMinIntervalMs: Math.max(0, Number(page.pollingIntervalMillis) || 0),
    });
    await this.#wait(delay);
  }

  async #readStream(): Promise<void> {
    const cursor = this.#cursor!;
    const openedAt = this.#o.clock.now();
    try {
      for await (const page of this.#o.api.chatStream(cursor.liveChatId, cursor.pageToken, this.#controller.signal)) {
        const items = await this.#deliver(page);
        this.#o.governor.observe({ at: this.#o.clock.now(), items });
        if (this.#target === undefined) return;
      }
    } catch (error) {
      if (await this.#tokenRejected(error)) return; // open again at once, without the token
      const failure = failureOf(error);
      // No streaming here (404/501, or not enabled for this project): poll instead, at once.
      if (this.#o.transport === 'auto' && failure !== undefined && (failure.status === 404 || failure.status === 501)) {
        this.#o.logger.info('YouTube streamList unavailable; polling liveChatMessages.list instead');
        this.#streamUnsupported = true;
        return;
      }
      throw error;
    }
    // The server closed the stream (YouTube does after about 10 s). Each new
    // stream costs quota when it opens, so the next one opens the budget
    // governor's delay after this one opened (as polls are spaced), at least
    // 1 s after it closed; streams that keep ending quickly back off
    // exponentially (a server closing at once must not become a
    // 5-units-a-second loop).
    const openFor = this.#o.clock.now() - openedAt;
    this.#quickStreamEnds = openFor < QUICK_STREAM_END_MS ? this.#quickStreamEnds + 1 : 0;
    const backoff = streamReopenBackoffMs(this.#quickStreamEnds);
    const quota = await this.#o.tracker.snapshot();
    const budget = this.#o.governor.nextDelayMs({
      now: this.#o.clock.now(),
      remainingUnits: quota.remaining,
      resetsAt: quota.resetsAt,
      streamStartedAt: this.#streamStartedAt,
      serverMinIntervalMs: 0,
    });
    const rest = budget - openFor; // what is left of the delay the governor set
    if (this.#quickStreamEnds > 1 && backoff > rest) this.#setState('reconnecting', 'the chat stream keeps closing');
    await this.#wait(Math.max(backoff, rest));
  }

  /**
   * True when `error` is the API refusing the page token just sent (`400
   * invalidPageToken`): the token is dropped and saved without it, so the
   * next request — made at once — reads from the live position. Without a
   * token sent, it is an ordinary error.
   */
  async #tokenRejected(error: unknown): Promise<boolean> {
    const cursor = this.#cursor;
    if (cursor?.pageToken === undefined || failureOf(error)?.kind !== 'page-token') return false;
    await this.#cursors.dropToken(cursor);
    return true;
  }

  /**
   * Emits a page's new items and returns how many it emitted: delivered ids
   * are skipped, and so is history (see `historyCut`).
   */
  async #deliver(page: LiveChatPage): Promise<number> {
    const cursor = this.#cursor!;
    const cut = historyCut(cursor, this.#o.clock.now());
    const receivedAt = this.#o.clock.now();
    const ctx = { creatorId: this.#o.creatorId, channel: this.#o.channel, receivedAt };
    this.#setState('connected');
    let fresh = 0;
    let skipped = 0;
    let ended = false;
    for (const item of page.items ?? []) {
      // A null or a number among the items is the normalizer's to skip (ignored), not a failed page.
      const id = typeof item?.id === 'string' ? item.id : undefined;
      if (id !== undefined && !this.#seen.add(id)) continue;
      const result = this.#normalize(item, ctx);
      if (result.kind === 'failed') {
        this.#normalizeFailed(item, result.reason);
        continue;
      }
      if (result.kind === 'ignored') this.#stats.ignored += 1;
      if (result.kind === 'chat-ended') ended = true;
      if (isHistory(item ?? {}, cut)) {
        skipped += 1;
        continue;
      }
      fresh += 1;
      emitNormalized(this.#o.bus, this.#o.logger, result);
    }
    if (cut.backlog && skipped > 0) this.#o.logger.debug({ skipped }, 'YouTube chat backlog skipped');
    if (cut.resyncFrom !== undefined) this.#o.logger.info({ delivered: fresh, skipped }, 'YouTube chat read again from the live position');
    if (typeof page.nextPageToken === 'string' && page.nextPageToken.length > 0) cursor.pageToken = page.nextPageToken;
    cursor.seen = this.#seen.toArray();
    cursor.savedAt = receivedAt;
    await this.#cursors.save(cursor);
    if (ended || (typeof page.offlineAt === 'string' && page.offlineAt.length > 0)) this.#offline('the live chat ended');
    return fresh;
  }

  /** The normalizer, with a net: a throw is a `failed` item, never a failed page. */
  #normalize(item: NonNullable<LiveChatPage['items']>[number], ctx: NormalizeContext): NormalizedItem {
    this.#stats.items += 1;
    try {
      return this.#o.normalize(item, ctx);
    } catch (error) {
      return { kind: 'failed', reason: reasonOf(error) };
    }
  }

  /** An item the normalizer threw on: skipped, counted, reported (platform.normalize-failed). */
  #normalizeFailed(item: unknown, reason: string): void {
    this.#stats.normalizeFailed += 1;
    reportNormalizeFailed({ ...this.#o, secrets: this.#secrets }, item, reason);
  }

  #offline(reason: string): void {
    const target = this.#target;
    if (target === undefined) return;
    this.#target = undefined;
    this.#o.logger.info({ reason }, 'YouTube stream offline');
    this.#o.bus.emit('stream.offline', {
      creatorId: this.#o.creatorId,
      platform: 'youtube',
      channel: this.#o.channel,
      at: this.#o.clock.now(),
      ...(target.videoId === undefined ? {} : { streamId: target.videoId }),
    });
    this.#setState('offline', reason);
  }

  async #onError(error: unknown): Promise<void> {
    // The quota contract's code (the tracker is whichever plugin provides quotaRegistryRef).
    if (isStreamSuitesError(error) && error.code === 'SS_ERR_QUOTA_EXHAUSTED') {
      const { resetsAt } = await this.#o.tracker.snapshot();
      const wait = untilQuotaResetMs(resetsAt, this.#o.clock.now());
      this.#o.logger.warn({ resumesAt: new Date(resetsAt).toISOString() }, 'YouTube quota used up: chat paused until the daily reset');
      this.#setState('reconnecting', 'quota exhausted');
      await this.#wait(wait);
      return;
    }
    const failure = failureFrom(error);
    if (failure.kind === 'quota') {
      // Google says the project's quota is gone (other apps may share it): wait for the reset.
      const { resetsAt } = await this.#o.tracker.snapshot();
      this.#o.logger.warn({ reason: failure.reason }, 'YouTube reports the quota exceeded: chat paused until the daily reset');
      this.#setState('reconnecting', failure.reason);
      await this.#wait(untilQuotaResetMs(resetsAt, this.#o.clock.now()));
      return;
    }
    if (isPermanentAuth(failure)) {
      // A revoked refresh token or a deleted API key will not come back by retrying.
      const error = new SS_ERR_YOUTUBE_AUTH(this.#o.creatorId, failure.reason);
      this.#o.logger.error({ err: error }, error.message);
      this.#setState('auth-failed', failure.reason);
      this.#o.bus.emit('platform.auth-failed', { creatorId: this.#o.creatorId, platform: 'youtube', error: { code: error.code, message: error.message }, at: this.#o.clock.now() });
      this.#controller.abort();
      return;
    }
    if (failure.kind === 'chat-gone') {
      this.#offline(failure.reason);
      await this.#wait(this.#o.discoveryIntervalMs);
      return;
    }
    this.#failures += 1;
    const delay = retryDelayMs(failure, this.#failures);
    // A coded error's message is safe to log (never a URL, a key or a body).
    const coded = isStreamSuitesError(error) ? { code: error.code, error: error.message } : {};
    this.#o.logger.warn({ ...coded, reason: failure.reason, status: failure.status, kind: failure.kind, retryInMs: delay }, 'YouTube call failed; retrying');
    // `reconnecting` until the next page arrives (#deliver says `connected`).
    this.#setState('reconnecting', failure.reason);
    await this.#wait(delay);
  }

  async #wait(ms: number): Promise<void> {
    if (this.#controller.signal.aborted) return;
    await this.#sleep(ms, this.#controller.signal).catch(() => undefined);
  }

  #setState(state: PlatformConnectionState, reason?: string): void {
    // Once per change; a new reason while still reconnecting is a change too.
    if (this.#state === state && this.#reason === reason) return;
    this.#state = state;
    this.#reason = reason;
    this.#o.bus.emit('platform.connection', {
      creatorId: this.#o.creatorId,
      platform: 'youtube',
      state,
      attempt: this.#failures,
      ...(reason === undefined ? {} : { reason }),
      at: this.#o.clock.now(),
    });
  }
}
