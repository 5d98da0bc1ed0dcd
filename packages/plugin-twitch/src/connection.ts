import { backoffDelay, redactedSample, SecretRegistry, type BackoffPolicy, type Clock, type EventBus, type Logger } from '@streamsuites/kernel';
import { SS_ERR_TWITCH_NORMALIZE_FAILED, SS_ERR_TWITCH_NOT_CONNECTED } from './errors.js';
import { reasonOf } from './normalize/line.js';
import { authError, authFailedEvent } from './normalize/auth.js';
import type { NormalizeContext, NormalizedLine, TwitchServerNotice } from './normalize/types.js';
import type { ReplySender } from './sender.js';
import type { TransportOptions, TwitchTransport } from './transport.js';

/** Remembers message ids across reconnects; `add` is false for an id already seen. */
export interface SeenIds {
  add(id: string): boolean;
}

export interface ChatConnectionOptions {
  creatorId: string;
  channel: string;
  login: string;
  token: string;
  url: string;
  bus: EventBus;
  clock: Clock;
  logger: Logger;
  normalize(line: string, ctx: NormalizeContext): NormalizedLine;
  transport(options: TransportOptions): TwitchTransport;
  seen: SeenIds;
  backoff: BackoffPolicy;
  pingIntervalMs: number;
  pingTimeoutMs: number;
  sender?: ReplySender;
  /** Exchanges the refresh token for a new access token (once per auth failure); undefined when not configured. */
  refreshToken?: () => Promise<string>;
  random?: () => number;
  /**
   * The kernel's secrets (`secretsRef`): the raw line in a
   * `platform.normalize-failed` event is redacted with it. The connection's
   * own token is added. Default: a registry holding only that token.
   */
  secrets?: SecretRegistry;
}

/** What a ChatConnection did with the lines it received (since it was made, across reconnects). */
export interface ChatConnectionStats {
  /** Every line received. */
  lines: number;
  /** Lines the normalizer skipped on purpose (not IRC, commands we do not use, lines without what they need). */
  ignored: number;
  /** Lines the normalizer threw on: skipped, each one reported as `platform.normalize-failed`. */
  normalizeFailed: number;
}


export type ConnectionState = 'idle' | 'connecting' | 'connected' | 'waiting' | 'auth-failed' | 'stopped';

const WATCHDOG_TOKEN = 'streamsuites-watchdog';

/**
 * One creator's chat connection: connects, turns every line into bus events
 * exactly once (message ids survive reconnects in `seen`), and keeps the
 * connection alive — reconnect with exponential backoff and jitter after any
 * close, at once after a server RECONNECT, a PING watchdog that drops a
 * silent socket, and an auth circuit breaker: a rejected login is retried at
 * most once, after refreshing the token if refresh credentials exist, then
 * the creator's Twitch stops with `platform.auth-failed` — never a storm of
 * reconnects with a bad token.
 */
export class ChatConnection {
  readonly #options: ChatConnectionOptions;
  #state: ConnectionState = 'idle';
  #transport: TwitchTransport | undefined;
  #attempt = 0;
  #connections = 0;
  /** The login NOTICE of the current connection, when Twitch rejected the token. */
  #authRejected: TwitchServerNotice | undefined;
  #refreshedSinceLogin = false;
  #token: string;
  #retryTimer: NodeJS.Timeout | undefined;
  #watchdog: NodeJS.Timeout | undefined;
  #lastLineAt = 0;
  #pingSentAt: number | undefined;
  /** Set by a server RECONNECT: the next connection starts without backoff. */
  #reconnectNow = false;
  /** `say` calls waiting for a connection. */
  readonly #waiters = new Set<() => void>();
  readonly #secrets: SecretRegistry;
  readonly #stats: ChatConnectionStats = { lines: 0, ignored: 0, normalizeFailed: 0 };

  constructor(options: ChatConnectionOptions) {
    this.#options = options;
    this.#token = options.token;
    this.#secrets = options.secrets ?? new SecretRegistry();
    this.#secrets.add(options.token);
  }

  /** Lines received, ignored and failed so far (a copy). */
  get stats(): ChatConnectionStats {
    return { ...this.#stats };
  }

  get state(): ConnectionState {
    return this.#state;
  }

  /** Connection attempts so far (for tests and status). */
  get connections(): number {
    return this.#connections;
  }

  async start(): Promise<void> {
    if (this.#state !== 'idle') return;
    this.#watchdog = setInterval(() => this.#checkAlive(), Math.max(250, Math.min(this.#options.pingIntervalMs, this.#options.pingTimeoutMs) / 2));
    this.#watchdog.unref();
    await this.#connect();
  }

  async stop(): Promise<void> {
    this.#setState('stopped');
    clearTimeout(this.#retryTimer);
    clearInterval(this.#watchdog);
    this.#wakeWaiters();
    await this.#transport?.close();
  }

  /**
   * Sends a chat line (the ReplySender calls this). While the connection is
   * being re-established the line waits for it (until `signal` aborts);
   * it fails at once when the connection is stopped or its login was refused.
   * A line written to an open socket that dies right after is gone: IRC has
   * no acknowledgements.
   */
  async say(text: string, signal?: AbortSignal): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      if (this.#state === 'stopped' || this.#state === 'auth-failed' || this.#state === 'idle') {
        throw new SS_ERR_TWITCH_NOT_CONNECTED(this.#options.creatorId);
      }
      const transport = this.#transport;
      if (this.#state === 'connected' && transport !== undefined && transport.isOpen()) {
        try {
          await transport.say(this.#options.channel, text);
          return;
        } catch {
          // Closed between the check and the write: wait for the next connection.
        }
      }
      await this.#untilConnected(signal);
    }
  }

  /** Resolves at the next welcome (or state change that ends waiting); rejects when `signal` aborts. */
  #untilConnected(signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const done = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = () => {
        this.#waiters.delete(done);
        reject(signal!.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiters.add(done);
    });
  }

  /** Wakes every waiting `say` to look at the state again. */
  #wakeWaiters(): void {
    const waiters = [...this.#waiters];
    this.#waiters.clear();
    for (const wake of waiters) wake();
  }

  async #connect(): Promise<void> {
    if (this.#state === 'stopped' || this.#state === 'auth-failed') return;
    this.#connections += 1;
    this.#setState('connecting');
    this.#authRejected = undefined;
    this.#pingSentAt = undefined;
    this.#lastLineAt = this.#options.clock.now();
    const transport = this.#options.transport({ url: this.#options.url, login: this.#options.login, token: this.#token, channels: [this.#options.channel] });
    this.#transport = transport;
    transport.onLine((line) => {
      if (this.#transport === transport) this.#onLine(line);
    });
    transport.onClose((reason) => {
      if (this.#transport === transport) this.#onClose(reason);
    });
    await transport.connect();
  }

  #onLine(line: string): void {
    const now = this.#options.clock.now();
    this.#lastLineAt = now;
    this.#stats.lines += 1;
    let result: NormalizedLine;
    try {
      result = this.#options.normalize(line, { creatorId: this.#options.creatorId, receivedAt: now });
    } catch (error) {
      // Normalization is total; this is a safety net, never a reason to drop the connection.
      this.#normalizeFailed(line, reasonOf(error), undefined);
      return;
    }
    const { bus } = this.#options;
    switch (result.kind) {
      case 'ignored':
        this.#stats.ignored += 1;
        return;
      case 'failed':
        this.#normalizeFailed(line, result.reason, result.command);
        return;
      case 'message':
        if (this.#options.seen.add(result.message.id)) bus.emit('chat.message', result.message);
        return;
      case 'notice':
        if (this.#options.seen.add(result.notice.id)) bus.emit('chat.notice', result.notice);
        return;
      case 'deleted':
        bus.emit('chat.deleted', result.event);
        return;
      case 'cleared':
        bus.emit('chat.cleared', result.event);
        return;
      case 'user-timeout':
        bus.emit('chat.user-timeout', result.event);
        return;
      case 'room-state':
        bus.emit('chat.room-state', result.event);
        return;
      case 'user-state':
        this.#options.sender?.setModerator(result.state.channel, result.state.elevated);
        return;
      case 'server-notice':
        if (result.notice.authFailed) this.#authRejected = result.notice;
        else if (result.notice.msgId !== undefined && result.notice.channel !== undefined) {
          void this.#options.sender?.notice(result.notice.channel, result.notice.msgId).catch(() => undefined);
        }
        return;
      case 'welcome':
        this.#setState('connected');
        this.#attempt = 0;
        this.#refreshedSinceLogin = false;
        this.#wakeWaiters();
        return;
      case 'pong':
        this.#pingSentAt = undefined;
        return;
      case 'reconnect':
        // Twitch is about to restart this server: leave now and come back without waiting.
        this.#options.logger.info('Twitch asked to reconnect');
        this.#reconnectNow = true;
        this.#transport?.terminate('Twitch asked to reconnect');
        return;
      default:
        return;
    }
  }

  /** A line the normalizer threw on: skipped, counted, reported on the bus with a redacted, truncated sample. */
  #normalizeFailed(line: string, reason: string, command: string | undefined): void {
    this.#stats.normalizeFailed += 1;
    try {
      const secrets = this.#secrets;
      secrets.add(this.#token); // a refreshed token too
      const error = new SS_ERR_TWITCH_NORMALIZE_FAILED(command ?? 'IRC', redactedSample(secrets, reason));
      const sample = redactedSample(secrets, line);
      this.#options.logger.warn({ code: error.code, command, sample }, error.message);
      this.#options.bus.emit('platform.normalize-failed', {
        creatorId: this.#options.creatorId,
        platform: 'twitch',
        code: error.code,
        message: error.message,
        sample,
        at: this.#options.clock.now(),
      });
    } catch {
      // Reporting must never stop the line loop; the count above stands.
    }
  }

  #onClose(reason: string): void {
    this.#transport = undefined;
    if (this.#state === 'stopped' || this.#state === 'auth-failed') return;
    if (this.#authRejected !== undefined) {
      void this.#onAuthRejected(this.#authRejected);
      return;
    }
    this.#setState('waiting', reason);
    const now = this.#reconnectNow;
    this.#reconnectNow = false;
    if (!now) this.#attempt += 1;
    const delay = now ? 0 : backoffDelay(this.#options.backoff, this.#attempt, this.#options.random);
    this.#options.logger.warn({ reason, attempt: this.#attempt, delayMs: delay }, 'Twitch chat disconnected; reconnecting');
    this.#retryTimer = setTimeout(() => void this.#connect(), delay);
    this.#retryTimer.unref();
  }

  async #onAuthRejected(notice: TwitchServerNotice): Promise<void> {
    const refresh = this.#options.refreshToken;
    if (refresh !== undefined && !this.#refreshedSinceLogin) {
      this.#refreshedSinceLogin = true;
      try {
        this.#token = await refresh();
        this.#options.logger.info('Twitch rejected the token; refreshed it, trying once more');
        await this.#connect();
        return;
      } catch (error) {
        this.#options.logger.error({ err: error }, 'refreshing the Twitch token failed');
      }
    }
    this.#setState('auth-failed');
    clearInterval(this.#watchdog);
    this.#wakeWaiters();
    const error = authError(this.#options.creatorId, notice);
    this.#options.logger.error({ err: error }, error.message);
    this.#options.bus.emit('platform.auth-failed', authFailedEvent(this.#options.creatorId, notice, this.#options.clock.now()));
  }

  /** Records the new state and tells the bus (`platform.connection`), once per change. */
  #setState(state: ConnectionState, reason?: string): void {
    if (this.#state === state) return;
    this.#state = state;
    if (state === 'idle') return;
    this.#options.bus.emit('platform.connection', {
      creatorId: this.#options.creatorId,
      platform: 'twitch',
      state: state === 'waiting' ? 'reconnecting' : state,
      attempt: this.#connections,
      ...(reason === undefined || reason.length === 0 ? {} : { reason }),
      at: this.#options.clock.now(),
    });
  }

  /** PING after silence; drop the socket when the PONG does not come back. */
  #checkAlive(): void {
    if (this.#state !== 'connected' || this.#transport === undefined) return;
    const now = this.#options.clock.now();
    if (this.#pingSentAt !== undefined) {
      if (now - this.#pingSentAt >= this.#options.pingTimeoutMs) {
        this.#options.logger.warn({ silentMs: now - this.#lastLineAt }, 'no PONG from Twitch: dropping the dead connection');
        this.#pingSentAt = undefined;
        this.#transport.terminate(`no PONG within ${this.#options.pingTimeoutMs} ms`);
      }
      return;
    }
    if (now - this.#lastLineAt >= this.#options.pingIntervalMs) {
      this.#pingSentAt = now;
      this.#transport.sendRaw(`PING :${WATCHDOG_TOKEN}`);
    }
  }
}
