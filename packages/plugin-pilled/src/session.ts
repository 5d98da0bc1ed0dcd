import { redactedSample, type Clock, type EventBus, type Logger, type SecretRegistry, type StreamStatus } from '@streamsuites/kernel';
import { SS_ERR_PILLED_ITEM_INVALID, SS_ERR_PILLED_TRANSPORT } from './errors.js';
import { pilledItemProblem, sortRoles, type PilledChatItem, type PilledConnection, type PilledItem, type PilledLiveItem, type PilledTransport } from './transport.js';

export interface PilledSessionOptions {
  creatorId: string;
  channel: string;
  botUsername?: string;
  transport: PilledTransport;
  bus: EventBus;
  clock: Clock;
  logger: Logger;
  secrets: SecretRegistry;
}

/**
 * One creator's Pilled feed through a transport: opens it, turns its items
 * into kernel events, reports the connection, and closes it on stop. No
 * reconnect: a transport that needs one does it behind its iterable.
 */
export class PilledSession {
  readonly #o: PilledSessionOptions;
  readonly #abort = new AbortController();
  #connection: PilledConnection | undefined;
  #pump: Promise<void> | undefined;
  #live: StreamStatus | undefined;
  #stopping = false;
  #stop: Promise<void> | undefined;

  constructor(options: PilledSessionOptions) {
    this.#o = options;
  }

  /** The open connection's send, if the transport has one. */
  get send(): ((text: string) => Promise<void>) | undefined {
    const connection = this.#connection;
    return connection?.send === undefined ? undefined : (text) => connection.send!(text);
  }

  /** Opens the feed; a transport that cannot connect fails the creator's start with SS_ERR_PILLED_TRANSPORT. */
  async start(): Promise<void> {
    const { creatorId, channel, transport } = this.#o;
    this.#connectionState('connecting');
    try {
      this.#connection = await transport.connect({
        creatorId,
        channel,
        ...(this.#o.botUsername === undefined ? {} : { botUsername: this.#o.botUsername }),
        signal: this.#abort.signal,
      });
    } catch (error) {
      const failure = new SS_ERR_PILLED_TRANSPORT(creatorId, transport.name, `connect failed: ${this.#redact(error)}`, { cause: error });
      this.#connectionState('stopped', failure.message);
      throw failure;
    }
    this.#connectionState('connected');
    this.#pump = this.#read(this.#connection);
  }

  /** Closes the feed (idempotent); emits stream.offline if it was live and the connection `stopped`. */
  stop(): Promise<void> {
    return (this.#stop ??= this.#doStop());
  }

  async #doStop(): Promise<void> {
    this.#stopping = true;
    this.#abort.abort();
    try {
      await this.#connection?.close();
    } catch (error) {
      this.#o.logger.warn({ err: error, transport: this.#o.transport.name }, 'Pilled transport close failed');
    }
    await this.#pump;
  }

  async #read(connection: PilledConnection): Promise<void> {
    let reason = 'stopped';
    try {
      for await (const item of connection) {
        if (this.#stopping) break;
        this.#handle(item);
      }
      if (!this.#stopping) reason = 'the transport ended its feed';
    } catch (error) {
      if (!this.#stopping) {
        const failure = new SS_ERR_PILLED_TRANSPORT(this.#o.creatorId, this.#o.transport.name, `feed failed: ${this.#redact(error)}`, { cause: error });
        this.#o.logger.error({ err: failure }, failure.message);
        reason = failure.message;
      }
    }
    this.#goOffline();
    this.#connectionState('stopped', reason);
  }

  #handle(item: PilledItem): void {
    const problem = pilledItemProblem(item);
    if (problem !== undefined) {
      // Skipped and counted on the bus, never silent; the feed goes on.
      const error = new SS_ERR_PILLED_ITEM_INVALID(problem);
      this.#o.bus.emit('platform.normalize-failed', {
        creatorId: this.#o.creatorId,
        platform: 'pilled',
        code: error.code,
        message: error.message,
        sample: redactedSample(this.#o.secrets, safeJson(item)),
        at: this.#o.clock.now(),
      });
      return;
    }
    if (item.kind === 'chat') this.#chat(item);
    else this.#liveStatus(item);
  }

  #chat(item: PilledChatItem): void {
    const login = item.author.login.toLowerCase();
    if (this.#o.botUsername !== undefined && login === this.#o.botUsername.toLowerCase()) return; // our own reply coming back
    const receivedAt = this.#o.clock.now();
    this.#o.bus.emit('chat.message', {
      id: item.id,
      platform: 'pilled',
      creatorId: this.#o.creatorId,
      channel: this.#o.channel,
      receivedAt,
      sentAt: item.sentAt ?? receivedAt,
      author: { id: item.author.id, login, displayName: item.author.displayName ?? item.author.login, roles: sortRoles(item.author.roles) },
      text: item.text,
      isAction: false,
    });
  }

  #liveStatus(item: PilledLiveItem): void {
    if (!item.live) return this.#goOffline();
    if (this.#live !== undefined) return;
    this.#live = {
      creatorId: this.#o.creatorId,
      platform: 'pilled',
      channel: this.#o.channel,
      at: this.#o.clock.now(),
      ...(item.title === undefined ? {} : { title: item.title }),
      ...(item.streamId === undefined ? {} : { streamId: item.streamId }),
      ...(item.startedAt === undefined ? {} : { startedAt: item.startedAt }),
    };
    this.#o.bus.emit('stream.online', this.#live);
  }

  #goOffline(): void {
    if (this.#live === undefined) return;
    const was = this.#live;
    this.#live = undefined;
    this.#o.bus.emit('stream.offline', { ...was, at: this.#o.clock.now() });
  }

  #connectionState(state: 'connecting' | 'connected' | 'stopped', reason?: string): void {
    this.#o.bus.emit('platform.connection', {
      creatorId: this.#o.creatorId,
      platform: 'pilled',
      state,
      attempt: 1,
      ...(reason === undefined ? {} : { reason }),
      at: this.#o.clock.now(),
    });
  }

  #redact(error: unknown): string {
    return this.#o.secrets.redactString(error instanceof Error ? error.message : String(error));
  }
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
