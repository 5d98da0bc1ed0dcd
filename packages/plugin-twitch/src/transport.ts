import WebSocket from 'ws';
import { parseIrcLine } from './irc/parse.js';

/**
 * The connection to Twitch chat, reduced to raw IRC lines in and out, so the
 * pipeline (our parser, normalization, dedupe, reconnect policy) does not
 * depend on how the socket is driven. One transport is one connection: it
 * never reconnects by itself; the ChatConnection makes a new one.
 */
export interface TwitchTransport {
  /** Opens the socket and logs in; lines start flowing through onLine. Resolves once the socket is open (or failed to open: then onClose tells why). */
  connect(): Promise<void>;
  /** Sends one raw IRC line (no CRLF); dropped when the socket is not open. */
  sendRaw(line: string): void;
  /** Whether the socket is open now (a line sent otherwise would be lost). */
  isOpen(): boolean;
  /** Sends a chat message to a channel; throws when the socket is not open. */
  say(channel: string, text: string): Promise<void>;
  /** Drops the socket at once, without a closing handshake (dead connections); `reason` is what onClose reports. */
  terminate(reason?: string): void;
  /** Closes cleanly. */
  close(): Promise<void>;
  onLine(listener: (line: string) => void): void;
  /** Called once per connection when its socket closed, for whatever reason. */
  onClose(listener: (reason: string) => void): void;
}

export interface TransportOptions {
  /** `wss://irc-ws.chat.twitch.tv:443` or a local fake. */
  url: string;
  login: string;
  /** OAuth token with or without `oauth:`. */
  token: string;
  channels: readonly string[];
  /** No 001 welcome this long after connect() means a dead login: the socket is dropped (default 15 s). */
  loginTimeoutMs?: number;
}

/** Capabilities we ask for: tags (ids, badges, emotes) and Twitch's commands (USERNOTICE, CLEARCHAT, ROOMSTATE, RECONNECT...). No membership: JOIN/PART of every viewer is noise. */
const CAPABILITIES = 'twitch.tv/tags twitch.tv/commands';
/** A clean close that the server does not answer is cut after this long. */
const CLOSE_GRACE_MS = 2000;
const AT = 64;

/**
 * IRC over WebSocket, owned by us (the `ws` package, which the fake server
 * uses too). The protocol part is small: CAP REQ, PASS, NICK on open; JOIN
 * at the 001 welcome; PONG to the server's PING. Every received line goes to
 * onLine unchanged, in order, exactly as it arrived; reconnecting, the PING
 * watchdog, RECONNECT, the auth circuit breaker and dedupe are the
 * ChatConnection's. A transport never reopens once its socket closed, so no
 * connection outlives the ChatConnection that made it.
 */
export function createWebSocketTransport(options: TransportOptions): TwitchTransport {
  const lineListeners: ((line: string) => void)[] = [];
  const closeListeners: ((reason: string) => void)[] = [];
  const password = options.token.startsWith('oauth:') ? options.token : `oauth:${options.token}`;
  let ws: WebSocket | undefined;
  let closed = false;
  let loginTimer: NodeJS.Timeout | undefined;
  /** Why we ended the connection ourselves, or the socket error; reported by onClose instead of the bare close code. */
  let cause: string | undefined;

  const emitLine = (line: string) => {
    // Twitch never tags PING or the numerics, so a tagged line (every chat line) skips this check.
    if (line.charCodeAt(0) !== AT) {
      const msg = parseIrcLine(line);
      if (msg?.command === 'PING') {
        send(`PONG :${msg.trailing ?? msg.params[0] ?? 'tmi.twitch.tv'}`);
      } else if (msg?.command === '001') {
        clearTimeout(loginTimer);
        // JOIN before the line reaches the listeners: a reply they send on the welcome must come after it on the wire.
        if (options.channels.length > 0) send(`JOIN ${options.channels.map((c) => `#${c}`).join(',')}`);
      }
    }
    for (const listener of lineListeners) listener(line);
  };

  const onFrame = (data: WebSocket.RawData, isBinary: boolean) => {
    if (isBinary) return; // Twitch speaks text frames only
    // One frame may carry several CRLF-terminated lines.
    const text = data.toString();
    let start = 0;
    for (;;) {
      const end = text.indexOf('\n', start);
      const stop = end === -1 ? text.length : end;
      const line = text.charCodeAt(stop - 1) === 13 ? text.slice(start, stop - 1) : text.slice(start, stop);
      if (line.length > 0) emitLine(line);
      if (end === -1) return;
      start = end + 1;
    }
  };

  const finish = (reason: string) => {
    clearTimeout(loginTimer);
    if (closed) return;
    closed = true;
    for (const listener of closeListeners) listener(reason);
  };

  function send(line: string): boolean {
    if (ws?.readyState !== WebSocket.OPEN) return false;
    ws.send(line);
    return true;
  }

  return {
    connect() {
      if (ws !== undefined) return Promise.resolve(); // one transport, one connection
      return new Promise<void>((resolve) => {
        let socket: WebSocket;
        try {
          socket = new WebSocket(options.url, 'irc');
        } catch (error) {
          // An unusable URL: reported like any failed connection, never thrown into the reconnect timer.
          finish((error as Error).message);
          resolve();
          return;
        }
        ws = socket;
        socket.on('open', () => {
          socket.send(`CAP REQ :${CAPABILITIES}`);
          socket.send(`PASS ${password}`);
          socket.send(`NICK ${options.login}`);
          resolve();
        });
        socket.on('message', onFrame);
        // ws emits 'close' after every 'error'; the error only names the cause.
        socket.on('error', (error) => void (cause ??= error.message));
        socket.on('close', (code, reason) => {
          resolve();
          const text = reason.toString();
          finish(cause ?? `${code === 1006 ? 'connection lost' : 'closed by the server'} (${code}${text.length > 0 ? ` ${text}` : ''})`);
        });
        loginTimer = setTimeout(() => {
          cause ??= 'no welcome from Twitch after login';
          socket.terminate();
        }, options.loginTimeoutMs ?? 15_000);
        loginTimer.unref();
      });
    },
    sendRaw(line) {
      send(line);
    },
    isOpen() {
      return ws?.readyState === WebSocket.OPEN;
    },
    async say(channel, text) {
      // ws drops a frame sent on a closing socket without a word: refuse instead, so the caller can wait and retry.
      if (!send(`PRIVMSG #${channel} :${chatSafe(text)}`)) throw new Error('the Twitch socket is not open');
    },
    terminate(reason) {
      cause ??= reason;
      ws?.terminate();
    },
    async close() {
      const socket = ws;
      cause ??= 'closed';
      if (socket === undefined || closed) {
        finish(cause);
        return;
      }
      await new Promise<void>((resolve) => {
        const grace = setTimeout(() => socket.terminate(), CLOSE_GRACE_MS);
        socket.once('close', () => {
          clearTimeout(grace);
          resolve();
        });
        socket.close(1000);
      });
    },
    onLine(listener) {
      lineListeners.push(listener);
    },
    onClose(listener) {
      closeListeners.push(listener);
    },
  };
}

/**
 * Chat text that cannot act as a command or break the IRC line: CR/LF become
 * spaces, and a leading `/`, `.` or `\\` (Twitch command syntax, which a
 * templated `{args}` could otherwise smuggle in) gets a zero-width space.
 */
export function chatSafe(text: string): string {
  const flat = text.replace(/[\r\n]+/g, ' ');
  return /^[/.\\]/.test(flat) ? `\u200b${flat}` : flat;
}
