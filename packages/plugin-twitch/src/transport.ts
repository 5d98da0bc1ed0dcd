import tmi from 'tmi.js';

/**
 * The connection to Twitch chat, reduced to raw IRC lines in and out, so the
 * pipeline (our parser, normalization, dedupe, reconnect policy) does not
 * depend on how the socket is driven. The default implementation drives
 * tmi.js; a raw-IRC transport can replace it.
 */
export interface TwitchTransport {
  /** Opens the socket and logs in; lines start flowing through onLine. Resolves once the socket is open. */
  connect(): Promise<void>;
  /** Sends one raw IRC line (no CRLF). */
  sendRaw(line: string): void;
  /** Whether the socket is open now (a line sent otherwise would be lost). */
  isOpen(): boolean;
  /** Sends a chat message to a channel; throws when the socket is not open. */
  say(channel: string, text: string): Promise<void>;
  /** Drops the socket at once, without a closing handshake (dead connections). */
  terminate(): void;
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
}

type TmiClient = tmi.Client & {
  ws: { readyState: number; send(data: string): void; terminate?(): void; close(): void } | null;
  _onMessage: (event: { data: string }) => void;
};

/**
 * tmi.js behind TwitchTransport. tmi.js parses and handles the protocol
 * (CAP, PASS/NICK, JOIN with its own interval, PING/PONG); we tap the raw
 * frames before tmi.js sees them and run our own parser, and we keep
 * reconnecting to ourselves (`reconnect: false`), so backoff, the auth
 * circuit breaker and exactly-once delivery are ours.
 */
export function createTmiTransport(options: TransportOptions): TwitchTransport {
  const url = new URL(options.url);
  const secure = url.protocol === 'wss:';
  const lineListeners: ((line: string) => void)[] = [];
  const closeListeners: ((reason: string) => void)[] = [];
  const password = options.token.startsWith('oauth:') ? options.token : `oauth:${options.token}`;
  const client = new tmi.Client({
    options: { skipUpdatingEmotesets: true, skipMembership: true },
    connection: { server: url.hostname, port: Number(url.port || (secure ? 443 : 80)), secure, reconnect: false, timeout: 9999 },
    identity: { username: options.login, password },
    channels: options.channels.map((c) => `#${c}`),
    logger: { info: () => {}, warn: () => {}, error: () => {} },
  }) as TmiClient;

  // Tap raw frames: one frame may carry several CRLF-separated lines.
  const original = client._onMessage;
  client._onMessage = function tap(event) {
    for (const line of String(event.data).split('\r\n')) {
      if (line.length > 0) for (const listener of lineListeners) listener(line);
    }
    original.call(client, event);
  };
  let closedOnce = false;
  client.on('disconnected', (reason: string) => {
    if (closedOnce) return;
    closedOnce = true;
    for (const listener of closeListeners) listener(reason);
  });

  return {
    async connect() {
      closedOnce = false;
      // tmi.js rejects with its own reasons; the caller learns the real cause from the lines (NOTICE) and onClose.
      await client.connect().catch(() => undefined);
    },
    sendRaw(line) {
      client.ws?.send(line);
    },
    isOpen() {
      return client.ws?.readyState === 1;
    },
    async say(channel, text) {
      // ws drops a frame sent on a closing socket without a word: refuse instead, so the caller can wait and retry.
      if (client.ws?.readyState !== 1) throw new Error('the Twitch socket is not open');
      client.ws.send(`PRIVMSG #${channel} :${chatSafe(text)}`);
    },
    terminate() {
      const ws = client.ws;
      if (ws?.terminate !== undefined) ws.terminate();
      else ws?.close();
    },
    async close() {
      await client.disconnect().catch(() => undefined);
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
