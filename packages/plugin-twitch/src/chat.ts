import { SecretRegistry, type PlatformConnectionState } from '@streamsuites/kernel';
import { ChatConnection, type ChatConnectionOptions, type ChatConnectionStats, type ConnectionListener, type ConnectionState } from './connection.js';
import { SS_ERR_TWITCH_NOT_CONNECTED } from './errors.js';
import { authError, authFailedEvent } from './normalize/auth.js';
import { RoomStates } from './normalize/rooms.js';
import { OwnEchoes } from './own-echoes.js';
import type { TwitchServerNotice } from './normalize/types.js';

/**
 * A ChatConnection's options, less what the chat gives each connection
 * itself (the shared room states, the listener, the name, the current token).
 */
export interface TwitchChatOptions extends Omit<ChatConnectionOptions, 'token' | 'rooms' | 'echoes' | 'listener' | 'name'> {
  /** The token to log in with (a refresh replaces it for every connection). */
  token: string;
  /**
   * Read connections kept open at once (default 1). With 2, each on its own
   * socket, a message reaches the bus when either connection has it, and a
   * connection that drops is replaced while the other carries the chat.
   */
  redundancy?: number;
  /** Room states already emitted, shared with another transport (EventSub) so a change is emitted once. */
  rooms?: RoomStates;
}

export type TwitchChatState = 'idle' | PlatformConnectionState;

/**
 * A creator's Twitch chat: `redundancy` independent connections to the same
 * channel, one bus. Every message id reaches the bus once whichever
 * connection brought it; a dropped connection reconnects on its own while
 * the others carry the chat; a server RECONNECT is make-before-break (the
 * replacement joins before the old connection is let go). When every
 * connection is down the window is reported as `chat.gap`, never silent.
 * On the bus it is one `platform.connection` (connected while any connection
 * is, with `links`), one `platform.auth-failed`.
 */
export class TwitchChat {
  readonly #options: TwitchChatOptions;
  readonly #links: ChatConnection[] = [];
  /** Connections Twitch asked to leave, each with the replacement that takes over once joined. */
  readonly #retiring = new Map<ChatConnection, ChatConnection>();
  readonly #rooms: RoomStates;
  readonly #echoes = new OwnEchoes();
  readonly #secrets: SecretRegistry;
  readonly #waiters = new Set<() => void>();
  readonly #listener: ConnectionListener;
  #state: TwitchChatState = 'idle';
  #up = -1;
  #token: string;
  #refreshing: Promise<string> | undefined;
  /** Stats and attempts of connections already let go. */
  readonly #retired: ChatConnectionStats = { lines: 0, ignored: 0, normalizeFailed: 0, duplicates: 0, ownEchoes: 0 };
  #retiredAttempts = 0;
  #everJoined = false;
  /** While every connection is down after chat was read: since when, and why. */
  #gap: { from: number; reason?: string } | undefined;
  #lastReason: string | undefined;
  #names = 0;

  constructor(options: TwitchChatOptions) {
    this.#options = options;
    this.#rooms = options.rooms ?? new RoomStates();
    this.#token = options.token;
    this.#secrets = options.secrets ?? new SecretRegistry();
    this.#secrets.add(options.token);
    this.#listener = {
      state: (link, state, reason) => this.#onLinkState(link, state, reason),
      joined: (link) => this.#onJoined(link),
      authFailed: (link, notice) => this.#onAuthFailed(link, notice),
      reconnectRequested: (link) => this.#replace(link),
    };
  }

  /** Connections kept at once. */
  get #total(): number {
    return Math.max(1, this.#options.redundancy ?? 1);
  }

  get state(): TwitchChatState {
    return this.#state;
  }

  /** The connections open or reconnecting now (replacements included). */
  get links(): readonly ChatConnection[] {
    return [...this.#links];
  }

  /** Connection attempts so far, over every connection. */
  get connections(): number {
    return this.#links.reduce((sum, link) => sum + link.connections, this.#retiredAttempts);
  }

  /** Lines received, ignored, failed and duplicated, over every connection. */
  get stats(): ChatConnectionStats {
    const total = { ...this.#retired };
    for (const link of this.#links) add(total, link.stats);
    return total;
  }

  /** Whether any connection has a reconnect scheduled. */
  get retryPending(): boolean {
    return this.#links.some((link) => link.retryPending);
  }

  async start(): Promise<void> {
    if (this.#state !== 'idle') return;
    for (let i = 0; i < this.#total; i++) this.#links.push(this.#link());
    for (const link of this.#links) link.start();
  }

  async stop(): Promise<void> {
    if (this.#state === 'stopped') return;
    const wasAuthFailed = this.#state === 'auth-failed';
    this.#state = 'stopped';
    this.#wakeWaiters();
    const links = this.#links.splice(0);
    this.#retiring.clear();
    await Promise.all(links.map((link) => this.#retire(link)));
    this.#endGap(false);
    if (!wasAuthFailed) this.#emitConnection('stopped');
  }

  /**
   * Sends a chat line on a connected connection. While none is connected the
   * line waits for one (until `signal` aborts); it fails at once when the
   * chat is stopped or its login was refused.
   */
  async say(text: string, signal?: AbortSignal): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      if (this.#state === 'stopped' || this.#state === 'auth-failed' || this.#state === 'idle') {
        throw new SS_ERR_TWITCH_NOT_CONNECTED(this.#options.creatorId);
      }
      for (const link of this.#links) if (await link.trySay(text)) return;
      await this.#untilConnected(signal);
    }
  }

  #link(): ChatConnection {
    const o = this.#options;
    return new ChatConnection({
      creatorId: o.creatorId,
      channel: o.channel,
      login: o.login,
      token: () => this.#token,
      url: o.url,
      bus: o.bus,
      clock: o.clock,
      logger: o.logger,
      normalize: o.normalize,
      transport: o.transport,
      seen: o.seen,
      rooms: this.#rooms,
      echoes: this.#echoes,
      listener: this.#listener,
      backoff: o.backoff,
      pingIntervalMs: o.pingIntervalMs,
      pingTimeoutMs: o.pingTimeoutMs,
      secrets: this.#secrets,
      name: String(++this.#names),
      ...(o.sender === undefined ? {} : { sender: o.sender }),
      ...(o.refreshToken === undefined ? {} : { refreshToken: () => this.#refresh() }),
      ...(o.random === undefined ? {} : { random: o.random }),
      ...(o.beforeLogin === undefined ? {} : { beforeLogin: o.beforeLogin }),
    });
  }

  /** One refresh at a time for every connection (they share the token). */
  #refresh(): Promise<string> {
    this.#refreshing ??= this.#options.refreshToken!()
      .then((token) => {
        this.#token = token;
        this.#secrets.add(token);
        return token;
      })
      .finally(() => {
        this.#refreshing = undefined;
      });
    return this.#refreshing;
  }

  /** RECONNECT: open a replacement now; the old connection goes once the replacement joined (or when its socket closes). */
  #replace(link: ChatConnection): void {
    if (this.#state === 'stopped' || this.#retiring.has(link) || !this.#links.includes(link)) return;
    const replacement = this.#link();
    this.#retiring.set(link, replacement);
    this.#links.push(replacement);
    replacement.start();
  }

  #onJoined(link: ChatConnection): void {
    this.#everJoined = true;
    this.#endGap(true);
    for (const [old, replacement] of this.#retiring) {
      if (replacement === link) void this.#letGo(old);
    }
    this.#report();
  }

  #onLinkState(link: ChatConnection, state: ConnectionState, reason: string | undefined): void {
    // A stopped connection was let go on purpose; a refused login is reported by authFailed, right after.
    if (state === 'stopped' || state === 'auth-failed' || !this.#links.includes(link)) return;
    if (reason !== undefined) this.#lastReason = reason;
    if (state === 'waiting' && this.#retiring.has(link)) {
      // Twitch closed the connection it asked us to leave: the replacement is on its way.
      void this.#letGo(link);
    }
    if (state === 'connected') this.#wakeWaiters();
    if (this.#everJoined && this.#gap === undefined && !this.#links.some((l) => l.joined)) {
      this.#gap = { from: link.lastLineAt, ...(reason === undefined ? {} : { reason }) };
      this.#options.logger.warn({ reason }, 'every Twitch chat connection is down: messages may be missed until one is back');
    }
    this.#report();
  }

  #onAuthFailed(_link: ChatConnection, notice: TwitchServerNotice): void {
    if (this.#state === 'auth-failed' || this.#state === 'stopped') return;
    this.#setState('auth-failed');
    this.#wakeWaiters();
    const links = this.#links.splice(0);
    this.#retiring.clear();
    for (const link of links) void this.#retire(link);
    const error = authError(this.#options.creatorId, notice);
    this.#options.logger.error({ err: error }, error.message);
    this.#options.bus.emit('platform.auth-failed', authFailedEvent(this.#options.creatorId, notice, this.#options.clock.now()));
  }

  /** Stops a connection Twitch asked us to leave and forgets it. */
  async #letGo(link: ChatConnection): Promise<void> {
    this.#retiring.delete(link);
    const index = this.#links.indexOf(link);
    if (index < 0) return;
    this.#links.splice(index, 1);
    await this.#retire(link);
    this.#report();
  }

  async #retire(link: ChatConnection): Promise<void> {
    await link.stop();
    add(this.#retired, link.stats);
    this.#retiredAttempts += link.connections;
  }

  /** Emits `chat.gap` for the window that just ended (chat read again, or stopped). */
  #endGap(resumed: boolean): void {
    const gap = this.#gap;
    if (gap === undefined) return;
    this.#gap = undefined;
    const now = this.#options.clock.now();
    this.#options.logger.warn({ fromMs: gap.from, toMs: now, resumed }, 'Twitch chat was not read for %d ms', now - gap.from);
    this.#options.bus.emit('chat.gap', {
      creatorId: this.#options.creatorId,
      platform: 'twitch',
      channel: this.#options.channel,
      from: gap.from,
      to: now,
      ...(gap.reason === undefined ? {} : { reason: gap.reason }),
      resumed,
      at: now,
    });
  }

  /** The creator's state from its connections': connected while any is. */
  #report(): void {
    if (this.#state === 'stopped' || this.#state === 'auth-failed') return;
    const states = this.#links.map((link) => link.state);
    this.#setState(states.includes('connected') ? 'connected' : states.includes('connecting') ? 'connecting' : 'reconnecting');
  }

  #setState(state: TwitchChatState): void {
    const up = this.#links.filter((link) => link.state === 'connected').length;
    // With redundancy, a connection lost or back while another carries the chat is news too.
    const linksChanged = state === 'connected' && up !== this.#up && this.#total > 1;
    if (state === this.#state && !linksChanged) return;
    if (state === 'connected') this.#lastReason = undefined;
    this.#state = state;
    this.#up = up;
    if (state !== 'idle') this.#emitConnection(state);
  }

  #emitConnection(state: PlatformConnectionState): void {
    const reason = state === 'connected' ? undefined : this.#lastReason;
    const total = this.#total;
    this.#options.bus.emit('platform.connection', {
      creatorId: this.#options.creatorId,
      platform: 'twitch',
      state,
      attempt: this.connections,
      ...(reason === undefined || reason.length === 0 ? {} : { reason }),
      ...(total > 1 ? { links: { up: this.#up, total } } : {}),
      at: this.#options.clock.now(),
    });
  }

  /** Resolves when a connection may accept a line (or the chat ended); rejects when `signal` aborts. */
  #untilConnected(signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
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

  #wakeWaiters(): void {
    const waiters = [...this.#waiters];
    this.#waiters.clear();
    for (const wake of waiters) wake();
  }
}

function add(total: ChatConnectionStats, stats: ChatConnectionStats): void {
  total.lines += stats.lines;
  total.ignored += stats.ignored;
  total.normalizeFailed += stats.normalizeFailed;
  total.duplicates += stats.duplicates;
  total.ownEchoes += stats.ownEchoes;
}
