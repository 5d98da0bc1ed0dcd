import WebSocket from 'ws';
import type { EventSubFrame, EventSubSession } from './types.js';

/** Why an EventSub socket ended. */
export type EventSubEnd = 'closed' | 'keepalive-lapsed' | 'welcome-timeout' | 'error' | 'stopped';

export interface EventSubSocketOptions {
  /** `wss://eventsub.wss.twitch.tv/ws` (or a reconnect_url, or a local fake). */
  url: string;
  /** Asked of Twitch (10-600 s); it answers with the value it uses in the welcome. */
  keepaliveTimeoutSec?: number;
  /** No welcome this long after opening: the socket is dropped (default 10 s). */
  welcomeTimeoutMs?: number;
  /** Every frame, welcome included, in arrival order. */
  onFrame(frame: EventSubFrame): void;
  /** Once, when the socket is gone for good. */
  onEnd(reason: EventSubEnd, detail?: string): void;
}

/** Slack over the announced keepalive: frames in flight, timer jitter. */
const KEEPALIVE_GRACE_MS = 1500;

/**
 * One EventSub WebSocket: opens, waits for `session_welcome`, watches the
 * keepalive (any frame proves life; silence longer than the announced
 * `keepalive_timeout_seconds` means a dead connection: Twitch says to
 * reconnect then), and reports its end once. It never reconnects by itself:
 * the EventSubClient decides, and on `session_reconnect` opens the
 * replacement while this one still delivers (make-before-break).
 */
export class EventSubSocket {
  readonly #o: EventSubSocketOptions;
  #ws: WebSocket | undefined;
  #session: EventSubSession | undefined;
  #watchdog: NodeJS.Timeout | undefined;
  #keepaliveMs = 0;
  #ended = false;

  constructor(options: EventSubSocketOptions) {
    this.#o = options;
  }

  /** The welcomed session (undefined before the welcome). */
  get session(): EventSubSession | undefined {
    return this.#session;
  }

  get ended(): boolean {
    return this.#ended;
  }

  /** Opens the socket; resolves with the session at the welcome, rejects (and ends) otherwise. */
  open(): Promise<EventSubSession> {
    return new Promise<EventSubSession>((resolve, reject) => {
      const url = new URL(this.#o.url);
      if (this.#o.keepaliveTimeoutSec !== undefined && !url.searchParams.has('keepalive_timeout_seconds')) {
        url.searchParams.set('keepalive_timeout_seconds', String(this.#o.keepaliveTimeoutSec));
      }
      let welcomed = false;
      const ws = new WebSocket(url);
      this.#ws = ws;
      this.#arm(this.#o.welcomeTimeoutMs ?? 10_000, 'welcome-timeout');
      ws.on('message', (data) => {
        let frame: EventSubFrame;
        try {
          frame = JSON.parse(data.toString()) as EventSubFrame;
        } catch {
          return; // not a frame; the keepalive watchdog still counts only real frames
        }
        if (typeof frame !== 'object' || frame === null || typeof frame.metadata?.message_type !== 'string') return;
        if (frame.metadata.message_type === 'session_welcome' && !welcomed) {
          welcomed = true;
          const session = (frame.payload as { session: EventSubSession }).session;
          this.#session = session;
          this.#keepaliveMs = (session.keepalive_timeout_seconds ?? this.#o.keepaliveTimeoutSec ?? 10) * 1000 + KEEPALIVE_GRACE_MS;
          resolve(session);
        }
        if (welcomed) this.#arm(this.#keepaliveMs, 'keepalive-lapsed');
        this.#o.onFrame(frame);
      });
      ws.on('close', (code, reason) => {
        if (!welcomed) reject(new Error(`closed before the welcome (${code})`));
        this.#end('closed', `${code}${reason.length > 0 ? ` ${reason.toString()}` : ''}`);
      });
      ws.on('error', (error) => {
        if (!welcomed) reject(error);
        this.#end('error', error.message);
      });
    });
  }

  /** Closes cleanly (reported as `stopped`); idempotent. */
  close(reason: EventSubEnd = 'stopped'): void {
    this.#end(reason);
  }

  #arm(ms: number, reason: EventSubEnd): void {
    clearTimeout(this.#watchdog);
    this.#watchdog = setTimeout(() => this.#end(reason, `no frame for ${ms} ms`), ms);
    this.#watchdog.unref?.();
  }

  #end(reason: EventSubEnd, detail?: string): void {
    if (this.#ended) return;
    this.#ended = true;
    clearTimeout(this.#watchdog);
    const ws = this.#ws;
    if (ws !== undefined && ws.readyState !== WebSocket.CLOSED) {
      // A lapsed or failed socket is cut at once; a stop closes politely.
      if (reason === 'stopped') ws.close(1000);
      else ws.terminate();
    }
    this.#o.onEnd(reason, detail);
  }
}
