import { backoffDelay, redactedSample, SecretRegistry } from '@streamsuites/kernel';
import type { ChatConnectionOptions, ChatConnectionStats, ConnectionState } from './connection-options.js';
import { SS_ERR_TWITCH_NORMALIZE_FAILED } from './errors.js';
import { reasonOf } from './normalize/line.js';
import type { NormalizedLine, TwitchServerNotice } from './normalize/types.js';
import { chatSafe, type TwitchTransport } from './transport.js';

export type { ChatConnectionOptions, ChatConnectionStats, ConnectionListener, ConnectionState, SeenIds } from './connection-options.js';

const WATCHDOG_TOKEN = 'streamsuites-watchdog';

/**
 * One connection to a creator's chat (one socket at a time): connects, turns
 * every line into bus events — each message id, deletion and clear once across
 * every connection of the creator (`seen`), room modes only when they change
 * (`rooms`) — and keeps itself alive: reconnect with exponential backoff and
 * jitter after any close, a PING watchdog that drops a silent socket, and an
 * auth circuit breaker (a rejected login is retried at most once, after a
 * token refresh when refresh credentials exist; then it stops and tells its
 * listener — never a storm of reconnects with a bad token). Its owner,
 * `TwitchChat`, runs one or more of them per creator and reports their
 * states on the bus.
 */
export class ChatConnection {
  readonly #options: ChatConnectionOptions;
  #state: ConnectionState = 'idle';
  #joined = false;
  #transport: TwitchTransport | undefined;
  #attempt = 0;
  #connections = 0;
  /** The login NOTICE of the current connection, when Twitch rejected the token. */
  #authRejected: TwitchServerNotice | undefined;
  /** The token the current socket logged in with. */
  #loginToken = '';
  #refreshedSinceLogin = false;
  #retryTimer: NodeJS.Timeout | undefined;
  #watchdog: NodeJS.Timeout | undefined;
  #lastLineAt = 0;
  #pingSentAt: number | undefined;
  /** Set by a server RECONNECT: the next connection starts without backoff. */
  #reconnectNow = false;
  /** Aborts a wait in `beforeLogin` when the connection stops. */
  readonly #stopping = new AbortController();
  readonly #secrets: SecretRegistry;
  readonly #stats: ChatConnectionStats = { lines: 0, ignored: 0, normalizeFailed: 0, duplicates: 0, ownEchoes: 0 };

  constructor(options: ChatConnectionOptions) {
    this.#options = options;
    this.#secrets = options.secrets ?? new SecretRegistry();
    this.#secrets.add(options.token());
  }

  /** Lines received, ignored, failed and duplicated so far (a copy). */
  get stats(): ChatConnectionStats {
    return { ...this.#stats };
  }

  get state(): ConnectionState {
    return this.#state;
  }

  /** Whether Twitch confirmed our JOIN on the current socket (chat is flowing). */
  get joined(): boolean {
    return this.#joined;
  }

  /** Connection attempts so far (for tests and status). */
  get connections(): number {
    return this.#connections;
  }

  /** Kernel time of the last line received (or of the last connection attempt). */
  get lastLineAt(): number {
    return this.#lastLineAt;
  }

  /** Whether a reconnect is scheduled (a timer is pending). */
  get retryPending(): boolean {
    return this.#retryTimer !== undefined;
  }

  /** How logs name this connection (`link`). */
  get name(): string {
    return this.#options.name ?? '1';
  }

  /** Starts connecting (returns at once; `state` and the listener tell the rest). */
  start(): void {
    if (this.#state !== 'idle') return;
    this.#watchdog = setInterval(() => this.#checkAlive(), Math.max(250, Math.min(this.#options.pingIntervalMs, this.#options.pingTimeoutMs) / 2));
    this.#watchdog.unref();
    // Not awaited: the first login may wait for the bot account's login limit
    // (many creators on one bot), and a creator's start must not wait for Twitch.
    this.#connect().catch((error: unknown) => this.#options.logger.error({ err: error, link: this.name }, 'could not start the Twitch connection'));
  }

  async stop(): Promise<void> {
    if (this.#state === 'stopped') return;
    this.#stopping.abort();
    this.#joined = false;
    this.#clearRetry();
    clearInterval(this.#watchdog);
    this.#setState('stopped');
    const transport = this.#transport;
    this.#transport = undefined;
    await transport?.close();
  }

  /**
   * Writes a chat line on this connection when it is connected; false when it
   * is not (or the socket closed under the write), so the caller can try
   * another connection or wait. IRC has no acknowledgements: a line written
   * to a socket that dies right after is gone.
   */
  async trySay(text: string): Promise<boolean> {
    const transport = this.#transport;
    if (this.#state !== 'connected' || transport === undefined || !transport.isOpen()) return false;
    try {
      // Recorded first: the echo can reach another connection before this write returns.
      this.#options.echoes.sent(chatSafe(text), this.#options.clock.now());
      await transport.say(this.#options.channel, text);
      return true;
    } catch {
      return false; // closed between the check and the write
    }
  }

  async #connect(): Promise<void> {
    this.#clearRetry();
    if (this.#state === 'stopped' || this.#state === 'auth-failed') return;
    this.#connections += 1;
    this.#setState('connecting');
    this.#authRejected = undefined;
    this.#pingSentAt = undefined;
    this.#lastLineAt = this.#options.clock.now();
    if (this.#options.beforeLogin !== undefined) {
      try {
        await this.#options.beforeLogin(this.#stopping.signal);
      } catch (error) {
        if (this.#stopping.signal.aborted) return;
        this.#options.logger.warn({ err: error, link: this.name }, 'the Twitch login limiter failed; logging in anyway');
      }
      if (this.#state !== 'connecting') return;
    }
    this.#loginToken = this.#options.token();
    this.#secrets.add(this.#loginToken);
    const transport = this.#options.transport({ url: this.#options.url, login: this.#options.login, token: this.#loginToken, channels: [this.#options.channel] });
    this.#transport = transport;
    transport.onLine((line) => {
      if (this.#transport === transport) this.#onLine(line);
    });
    transport.onClose((reason) => {
      if (this.#transport === transport) this.#onClose(reason);
    });
    await transport.connect();
  }

  #clearRetry(): void {
    clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
  }

  /** True the first time any connection of the creator delivers `key` (a message id or a dedupe key). */
  #first(key: string): boolean {
    if (this.#options.seen.add(key)) return true;
    this.#stats.duplicates += 1;
    return false;
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
        if (result.message.author.login === this.#options.login && this.#options.echoes.consume(result.message.text, now)) {
          this.#stats.ownEchoes += 1;
          return;
        }
        if (this.#first(result.message.id)) bus.emit('chat.message', result.message);
        return;
      case 'notice':
        if (this.#first(result.notice.id)) bus.emit('chat.notice', result.notice);
        return;
      case 'deleted':
        if (this.#first(`CLEARMSG ${result.event.messageId}`)) bus.emit('chat.deleted', result.event);
        return;
      case 'cleared':
        if (result.key === undefined || this.#first(result.key)) bus.emit('chat.cleared', result.event);
        return;
      case 'user-timeout':
        if (result.key === undefined || this.#first(result.key)) bus.emit('chat.user-timeout', result.event);
        return;
      case 'room-state':
        if (this.#options.rooms.changed(result.event.channel, result.event.state)) bus.emit('chat.room-state', result.event);
        else this.#stats.duplicates += 1;
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
        this.#attempt = 0;
        this.#refreshedSinceLogin = false;
        this.#setState('connected');
        return;
      case 'join':
        if (!this.#joined && result.channel === this.#options.channel && result.login === this.#options.login) {
          this.#joined = true;
          this.#options.listener.joined(this);
        }
        return;
      case 'pong':
        this.#pingSentAt = undefined;
        return;
      case 'reconnect':
        this.#options.logger.info({ link: this.name }, 'Twitch asked to reconnect');
        if (this.#options.listener.reconnectRequested !== undefined) {
          this.#options.listener.reconnectRequested(this);
          return;
        }
        // Twitch is about to restart this server: leave now and come back without waiting.
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
    this.#joined = false;
    if (this.#state === 'stopped' || this.#state === 'auth-failed') return;
    if (this.#authRejected !== undefined) {
      void this.#onAuthRejected(this.#authRejected);
      return;
    }
    const now = this.#reconnectNow;
    this.#reconnectNow = false;
    if (!now) this.#attempt += 1;
    const delay = now ? 0 : backoffDelay(this.#options.backoff, this.#attempt, this.#options.random);
    this.#options.logger.warn({ link: this.name, reason, attempt: this.#attempt, delayMs: delay }, 'Twitch chat disconnected; reconnecting');
    this.#retryTimer = setTimeout(() => void this.#connect(), delay);
    this.#retryTimer.unref();
    this.#setState('waiting', reason);
  }

  async #onAuthRejected(notice: TwitchServerNotice): Promise<void> {
    if (this.#options.token() !== this.#loginToken) {
      // Another connection of the creator refreshed the token meanwhile: log in with the new one.
      await this.#connect();
      return;
    }
    const refresh = this.#options.refreshToken;
    if (refresh !== undefined && !this.#refreshedSinceLogin) {
      this.#refreshedSinceLogin = true;
      try {
        await refresh();
        this.#options.logger.info({ link: this.name }, 'Twitch rejected the token; refreshed it, trying once more');
        await this.#connect();
        return;
      } catch (error) {
        this.#options.logger.error({ err: error }, 'refreshing the Twitch token failed');
      }
    }
    if (this.#state === 'stopped') return;
    clearInterval(this.#watchdog);
    this.#setState('auth-failed');
    this.#options.listener.authFailed(this, notice);
  }

  /** Records the new state and tells the listener, once per change. */
  #setState(state: ConnectionState, reason?: string): void {
    if (this.#state === state) return;
    this.#state = state;
    this.#options.listener.state(this, state, reason);
  }

  /** PING after silence; drop the socket when the PONG does not come back. */
  #checkAlive(): void {
    if (this.#state !== 'connected' || this.#transport === undefined) return;
    const now = this.#options.clock.now();
    if (this.#pingSentAt !== undefined) {
      if (now - this.#pingSentAt >= this.#options.pingTimeoutMs) {
        this.#options.logger.warn({ link: this.name, silentMs: now - this.#lastLineAt }, 'no PONG from Twitch: dropping the dead connection');
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
