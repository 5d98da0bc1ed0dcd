import { backoffDelay, type Clock, type EventBus, type Logger, type PlatformConnectionState } from '@streamsuites/kernel';
import WebSocket from 'ws';
import { CHAT_MESSAGE_EVENT, chatroomChannel, type PusherFrame } from './types.js';

export interface PusherChatOptions {
  /** The Pusher app URL (wss://ws-us2.pusher.com/app/<key>?protocol=7&...). */
  url: string;
  chatroomId: number;
  creatorId: string;
  bus: EventBus;
  clock: Clock;
  logger: Logger;
  backoff: { initialMs: number; maxMs: number };
  /** One chat event's decoded data. */
  onChatMessage: (data: unknown) => void;
}

const PONG_TIMEOUT_MS = 30_000;

/**
 * The UNOFFICIAL read-only chat socket: the Pusher connection Kick's own web
 * client uses. Subscribes to `chatrooms.<id>.v2`, answers Pusher pings,
 * pings when the line is quiet for the server's activity_timeout and
 * reconnects with backoff. Kick does not document or support it: it may
 * change or be blocked at any time.
 */
export class PusherChat {
  #ws: WebSocket | undefined;
  #stopped = false;
  #attempt = 0;
  #state: PlatformConnectionState | undefined;
  #reconnect: ReturnType<typeof setTimeout> | undefined;
  #idle: ReturnType<typeof setTimeout> | undefined;
  #activityMs = 120_000;

  constructor(private readonly o: PusherChatOptions) {}

  start(): void {
    this.#connect();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#reconnect);
    clearTimeout(this.#idle);
    const ws = this.#ws;
    this.#ws = undefined;
    if (ws !== undefined && ws.readyState !== WebSocket.CLOSED) {
      await new Promise<void>((resolve) => {
        ws.once('close', () => resolve());
        ws.terminate();
      });
    }
    this.#setState('stopped');
  }

  #connect(): void {
    if (this.#stopped) return;
    this.#attempt += 1;
    this.#setState(this.#attempt === 1 ? 'connecting' : 'reconnecting');
    const ws = new WebSocket(this.o.url, { handshakeTimeout: 15_000 });
    this.#ws = ws;
    ws.on('message', (raw) => this.#onFrame(ws, raw.toString()));
    ws.on('error', (error) => this.o.logger.warn({ reason: error.message }, 'kick unofficial chat socket: connection error'));
    ws.on('close', (code) => {
      clearTimeout(this.#idle);
      if (this.#ws !== ws || this.#stopped) return;
      this.#ws = undefined;
      const delay = backoffDelay({ initialMs: this.o.backoff.initialMs, maxMs: this.o.backoff.maxMs, jitter: 0.3 }, this.#attempt);
      this.o.logger.warn({ code, retryInMs: delay }, 'kick unofficial chat socket closed; reconnecting');
      this.#setState('reconnecting', `closed (${code})`);
      this.#reconnect = setTimeout(() => this.#connect(), delay);
    });
  }

  #onFrame(ws: WebSocket, text: string): void {
    this.#armIdle(ws);
    let frame: PusherFrame;
    try {
      frame = JSON.parse(text) as PusherFrame;
    } catch {
      return;
    }
    const data = typeof frame.data === 'string' ? safeJson(frame.data) : frame.data;
    switch (frame.event) {
      case 'pusher:connection_established': {
        const timeout = (data as { activity_timeout?: number } | undefined)?.activity_timeout;
        if (typeof timeout === 'number' && timeout > 0) this.#activityMs = timeout * 1000;
        ws.send(JSON.stringify({ event: 'pusher:subscribe', data: { auth: '', channel: chatroomChannel(this.o.chatroomId) } }));
        return;
      }
      case 'pusher_internal:subscription_succeeded':
        this.#attempt = 0;
        this.#setState('connected');
        return;
      case 'pusher:ping':
        ws.send(JSON.stringify({ event: 'pusher:pong', data: {} }));
        return;
      case 'pusher:error':
        this.o.logger.warn({ error: data }, 'kick unofficial chat socket: Pusher error');
        return;
      case CHAT_MESSAGE_EVENT:
        if (frame.channel === chatroomChannel(this.o.chatroomId)) this.o.onChatMessage(data);
        return;
      default:
    }
  }

  /** A ping after activity_timeout of silence; no answer within 30 s ends the connection (and reconnects). */
  #armIdle(ws: WebSocket): void {
    clearTimeout(this.#idle);
    this.#idle = setTimeout(() => {
      if (ws.readyState !== WebSocket.OPEN) return;
      ws.send(JSON.stringify({ event: 'pusher:ping', data: {} }));
      this.#idle = setTimeout(() => ws.terminate(), PONG_TIMEOUT_MS);
    }, this.#activityMs);
  }

  #setState(state: PlatformConnectionState, reason?: string): void {
    if (this.#state === state) return;
    this.#state = state;
    this.o.bus.emit('platform.connection', {
      creatorId: this.o.creatorId,
      platform: 'kick',
      state,
      attempt: this.#attempt,
      ...(reason === undefined ? {} : { reason }),
      at: this.o.clock.now(),
    });
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
