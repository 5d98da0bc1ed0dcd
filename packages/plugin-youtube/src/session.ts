import {
  SS_ERR_QUOTA_EXHAUSTED,
  type Clock,
  type EventBus,
  type Logger,
  type PlatformConnectionState,
  type QuotaTracker,
  type StateStore,
} from '@streamsuites/kernel';
import type { YouTubeApi } from './api/client.js';
import { failureOf, type ApiFailure } from './api/errors.js';
import { SS_ERR_YOUTUBE_AUTH } from './errors.js';
import type { LiveDiscovery, LiveTarget } from './discovery.js';
import { SeenIds } from './seen.js';
import type { BudgetState, LiveChatPage, NormalizeContext, NormalizedItem, PollObservation } from './types.js';

/** What the session needs of the budget governor. */
export interface PollGovernor {
  observe(observation: PollObservation): void;
  nextDelayMs(state: BudgetState): number;
}

export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>;

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
}

/** Persisted per creator: where the chat was read up to, and the ids already delivered. */
interface Cursor {
  liveChatId: string;
  pageToken?: string;
  seen: string[];
}

const NAMESPACE = 'youtube.chat';
/** Reasons that retrying cannot fix: the creator's YouTube chat stops with platform.auth-failed. */
const PERMANENT_AUTH = new Set(['invalid_grant', 'keyInvalid', 'unauthorized_client', 'invalid_client']);
const BACKOFF_MIN_MS = 2_000;
const BACKOFF_MAX_MS = 300_000;

/**
 * One creator's YouTube chat: discover the live chat cheaply, then read it
 * — server streaming when offered, else polling at the pace the budget
 * governor sets (never faster than `pollingIntervalMillis`) — and put every
 * item on the bus once. The first page of a chat is its backlog and is not
 * replayed; the page token and the delivered ids are persisted, so a restart
 * neither replays history nor duplicates messages. Errors never loop
 * tightly: quota errors wait for the daily reset, rate limits and transient
 * failures back off exponentially, an ended chat goes offline and discovery
 * resumes.
 */
export class ChatSession {
  readonly #o: ChatSessionOptions;
  readonly #controller = new AbortController();
  readonly #sleep: Sleep;
  #target: LiveTarget | undefined;
  #cursor: Cursor | undefined;
  #seen = new SeenIds(5000);
  #failures = 0;
  #streamUnsupported = false;
  #state: PlatformConnectionState | undefined;
  #loop: Promise<void> | undefined;
  #streamStartedAt = 0;
  /** Streams in a row that the server ended within 30 s. */
  #quickStreamEnds = 0;

  constructor(options: ChatSessionOptions) {
    this.#o = options;
    this.#sleep = options.sleep ?? defaultSleep;
  }

  get liveChatId(): string | undefined {
    return this.#target?.liveChatId;
  }

  start(): void {
    this.#loop ??= this.#run().catch((error: unknown) => this.#o.logger.error({ err: error }, 'YouTube chat loop crashed'));
  }

  async stop(): Promise<void> {
    this.#controller.abort();
    await this.#loop;
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
    this.#setState('connecting');
    const target = await this.#o.discovery.find();
    if (target === undefined) {
      await this.#wait(this.#o.discoveryIntervalMs);
      return;
    }
    this.#target = target;
    this.#streamStartedAt = target.startedAt ?? this.#o.clock.now();
    const stored = await this.#o.store.get<Cursor>(NAMESPACE, this.#o.creatorId).catch(() => undefined);
    if (stored !== undefined && stored.liveChatId === target.liveChatId && Array.isArray(stored.seen)) {
      this.#cursor = stored;
      this.#seen = new SeenIds(5000, stored.seen);
    } else {
      this.#cursor = { liveChatId: target.liveChatId, seen: [] };
      this.#seen = new SeenIds(5000);
    }
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
    const page = await this.#o.api.chatPage(cursor.liveChatId, cursor.pageToken);
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
      const failure = failureOf(error);
      // No streaming here (404/501, or not enabled for this project): poll instead, at once.
      if (this.#o.transport === 'auto' && failure !== undefined && (failure.status === 404 || failure.status === 501)) {
        this.#o.logger.info('YouTube streamList unavailable; polling liveChatMessages.list instead');
        this.#streamUnsupported = true;
        return;
      }
      throw error;
    }
    // The server closed the stream. Each new stream costs quota, so the next
    // one waits as long as the budget governor would between polls, and
    // streams that keep ending quickly back off exponentially (a server
    // closing at once must not become a 5-units-a-second loop).
    this.#quickStreamEnds = this.#o.clock.now() - openedAt < 30_000 ? this.#quickStreamEnds + 1 : 0;
    const backoff = this.#quickStreamEnds === 0 ? 1000 : Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** (this.#quickStreamEnds - 1));
    const quota = await this.#o.tracker.snapshot();
    const budget = this.#o.governor.nextDelayMs({
      now: this.#o.clock.now(),
      remainingUnits: quota.remaining,
      resetsAt: quota.resetsAt,
      streamStartedAt: this.#streamStartedAt,
      serverMinIntervalMs: 0,
    });
    await this.#wait(Math.max(backoff, budget));
  }

  /** Emits a page's new items (none for a chat's first page: that is backlog); returns how many were new. */
  async #deliver(page: LiveChatPage): Promise<number> {
    const cursor = this.#cursor!;
    const backlog = cursor.pageToken === undefined && cursor.seen.length === 0;
    const receivedAt = this.#o.clock.now();
    const ctx = { creatorId: this.#o.creatorId, channel: this.#o.channel, receivedAt };
    let fresh = 0;
    let ended = false;
    for (const item of page.items ?? []) {
      const id = typeof item.id === 'string' ? item.id : undefined;
      if (id !== undefined && !this.#seen.add(id)) continue;
      fresh += 1;
      const result = this.#o.normalize(item, ctx);
      if (result.kind === 'chat-ended') ended = true;
      if (backlog) continue;
      this.#emit(result);
    }
    if (backlog && fresh > 0) this.#o.logger.debug({ skipped: fresh }, 'YouTube chat backlog skipped');
    if (typeof page.nextPageToken === 'string') cursor.pageToken = page.nextPageToken;
    cursor.seen = this.#seen.toArray();
    await this.#o.store.set(NAMESPACE, this.#o.creatorId, cursor).catch((error: unknown) => this.#o.logger.warn({ err: error }, 'could not save the YouTube chat position'));
    if (ended || (typeof page.offlineAt === 'string' && page.offlineAt.length > 0)) this.#offline('the live chat ended');
    return backlog ? 0 : fresh;
  }

  #emit(result: NormalizedItem): void {
    const bus = this.#o.bus;
    switch (result.kind) {
      case 'message':
        bus.emit('chat.message', result.message);
        return;
      case 'notice':
        bus.emit('chat.notice', result.notice);
        return;
      case 'deleted':
        bus.emit('chat.deleted', result.event);
        return;
      case 'user-timeout':
        bus.emit('chat.user-timeout', result.event);
        return;
      case 'ignored':
        this.#o.logger.debug({ reason: result.reason, type: result.type }, 'YouTube chat item skipped');
        return;
      default:
        return;
    }
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
    this.#setState('reconnecting', reason);
  }

  async #onError(error: unknown): Promise<void> {
    if (SS_ERR_QUOTA_EXHAUSTED.is(error)) {
      const { resetsAt } = await this.#o.tracker.snapshot();
      const wait = Math.max(60_000, resetsAt - this.#o.clock.now() + 1000);
      this.#o.logger.warn({ resumesAt: new Date(resetsAt).toISOString() }, 'YouTube quota used up: chat paused until the daily reset');
      this.#setState('reconnecting', 'quota exhausted');
      await this.#wait(wait);
      return;
    }
    const failure: ApiFailure = failureOf(error) ?? { kind: 'transient', status: 0, reason: (error as Error)?.message ?? 'unknown' };
    if (failure.kind === 'quota') {
      // Google says the project's quota is gone (other apps may share it): wait for the reset.
      const { resetsAt } = await this.#o.tracker.snapshot();
      this.#o.logger.warn({ reason: failure.reason }, 'YouTube reports the quota exceeded: chat paused until the daily reset');
      this.#setState('reconnecting', failure.reason);
      await this.#wait(Math.max(60_000, resetsAt - this.#o.clock.now() + 1000));
      return;
    }
    if (PERMANENT_AUTH.has(failure.reason)) {
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
    const base = failure.kind === 'rate' ? 10_000 : failure.kind === 'auth' || failure.kind === 'invalid' ? 60_000 : BACKOFF_MIN_MS;
    const delay = Math.min(BACKOFF_MAX_MS, base * 2 ** Math.min(8, this.#failures - 1));
    this.#o.logger.warn({ reason: failure.reason, status: failure.status, kind: failure.kind, retryInMs: delay }, 'YouTube call failed; retrying');
    this.#setState('reconnecting', failure.reason);
    await this.#wait(delay);
    if (this.#target !== undefined) this.#setState('connected');
  }

  async #wait(ms: number): Promise<void> {
    if (this.#controller.signal.aborted) return;
    await this.#sleep(ms, this.#controller.signal).catch(() => undefined);
  }

  #setState(state: PlatformConnectionState, reason?: string): void {
    if (this.#state === state) return;
    this.#state = state;
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

const defaultSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
