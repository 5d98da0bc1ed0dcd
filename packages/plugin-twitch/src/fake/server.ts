/**
 * A local Twitch chat server (IRC over WebSocket) for tests and the demo.
 * It follows the real server closely enough that an unmodified tmi.js 1.8.5
 * client connects, authenticates, joins, chats and reconnects against it.
 *
 * This module is the shell: the WebSocket server, connections, and the
 * controls tests call. Answers to client commands are in client-commands.ts,
 * sessions and line delivery in sessions.ts.
 */
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import { applyChannelOptions } from './channels.js';
import { handleClientLine } from './client-commands.js';
import { type ChatRole, type FakeUser, privmsgLine, SERVER } from './messages.js';
import { ChatServerState, type Session, stripOauth } from './sessions.js';
import type {
  FakeChannelOptions,
  FakeClientInfo,
  FakeTwitchChat,
  Framing,
  PongRecord,
  ReceivedLine,
  SentChatMessage,
  StartFakeTwitchChatOptions,
  UntilOptions,
} from './types.js';
import { Waiters } from '@streamsuites/kernel/testing';
import { normalizeChannel, routeOf, splitFrame, type TagSet } from './wire.js';

export async function startFakeTwitchChat(options: StartFakeTwitchChatOptions = {}): Promise<FakeTwitchChat> {
  const host = options.host ?? '127.0.0.1';
  const gate = { refusing: false, refused: 0 };
  // While refusing (refuseConnections), the WebSocket upgrade is answered 503, as an overloaded edge would.
  const verifyClient = (_info: unknown, done: (ok: boolean, code?: number, message?: string) => void) => {
    if (gate.refusing) gate.refused++;
    done(!gate.refusing, 503, 'Service Unavailable');
  };
  const wss = new WebSocketServer({ host, port: options.port ?? 0, verifyClient });
  await new Promise<void>((resolve, reject) => {
    wss.once('listening', resolve);
    wss.once('error', reject);
  });
  return new FakeServer(wss, host, options, gate);
}

class FakeServer implements FakeTwitchChat {
  readonly url: string;
  readonly port: number;
  readonly host: string;

  readonly #wss: WebSocketServer;
  readonly #state: ChatServerState;
  readonly #waiters = new Waiters('fake twitch chat');
  readonly #timers = new Set<NodeJS.Timeout>();
  #reconnectDelay: number;
  #connections = 0;
  #nextId = 1;
  #closing: Promise<void> | null = null;
  readonly #gate: { refusing: boolean; refused: number };

  constructor(wss: WebSocketServer, host: string, options: StartFakeTwitchChatOptions, gate: { refusing: boolean; refused: number }) {
    this.#wss = wss;
    this.#gate = gate;
    this.host = host;
    this.port = (wss.address() as AddressInfo).port;
    this.url = `ws://${host.includes(':') ? `[${host}]` : host}:${this.port}`;
    this.#state = new ChatServerState(options.now ?? Date.now, options.framing ?? 'line');
    this.#reconnectDelay = options.reconnectCloseDelayMs ?? 1000;
    this.setValidTokens(options.validTokens ?? null);
    for (const [name, o] of Object.entries(options.channels ?? {})) this.configureChannel(name, o);
    if (options.pingIntervalMs && options.pingIntervalMs > 0) {
      const timer = setInterval(() => this.ping(), options.pingIntervalMs);
      timer.unref();
      this.#timers.add(timer);
    }
    wss.on('connection', (ws) => this.#accept(ws));
  }

  #accept(ws: WebSocket): void {
    this.#connections++;
    const session: Session = {
      id: this.#nextId++,
      ws,
      nick: null,
      pass: null,
      caps: new Set(),
      registered: false,
      anonymous: false,
      channels: new Set(),
      connectedAt: this.#state.now(),
    };
    const sessions = this.#state.sessions;
    sessions.set(session.id, session);
    ws.on('message', (data, isBinary) => {
      if (isBinary) return; // Twitch ignores binary frames; so do we.
      for (const raw of splitFrame(data.toString())) handleClientLine(this.#state, session, raw);
      this.#waiters.notify();
    });
    ws.on('close', () => {
      sessions.delete(session.id);
      this.#waiters.notify();
    });
    ws.on('error', () => ws.terminate());
    this.#waiters.notify();
  }

  // ---------------------------------------------------------------- control API

  say(channel: string, user: string | FakeUser, text: string, tags: TagSet = {}): string {
    const name = normalizeChannel(channel);
    const { line, id } = privmsgLine(name, this.#state.channel(name).room.roomId, user, text, tags, this.#state.now());
    for (const s of this.#state.joined(name)) this.#state.send(s, [line]);
    this.#waiters.notify();
    return id;
  }

  replay(lines: Iterable<string>, options: { to?: 'joined' | 'all' } = {}): number {
    const perSession = new Map<Session, string[]>();
    let deliveries = 0;
    for (const input of lines) {
      const line = input.replace(/\r?\n$/, '');
      const { channel } = routeOf(line);
      for (const s of this.#state.sessions.values()) {
        if (!s.registered) continue;
        if (options.to !== 'all' && channel !== null && !s.channels.has(channel)) continue;
        let batch = perSession.get(s);
        if (!batch) perSession.set(s, (batch = []));
        batch.push(line);
        deliveries++;
      }
    }
    for (const [s, batch] of perSession) this.#state.write(s, batch);
    this.#waiters.notify();
    return deliveries;
  }

  sendFrame(data: string | Uint8Array, options: { binary?: boolean } = {}): number {
    let sent = 0;
    for (const s of this.#state.sessions.values()) {
      if (!s.registered || s.ws.readyState !== s.ws.OPEN) continue;
      s.ws.send(data, { binary: options.binary ?? false });
      sent++;
    }
    this.#waiters.notify();
    return sent;
  }

  disconnectAll(options: { code?: number; reason?: string } = {}): void {
    for (const s of this.#state.sessions.values()) {
      // No code: drop the TCP connection without a close frame, like a network failure (client sees 1006).
      if (options.code === undefined) s.ws.terminate();
      else s.ws.close(options.code, options.reason);
    }
  }

  disconnect(clientId: number, options: { code?: number; reason?: string } = {}): boolean {
    const s = this.#state.sessions.get(clientId);
    if (s === undefined) return false;
    if (options.code === undefined) s.ws.terminate();
    else s.ws.close(options.code, options.reason);
    return true;
  }

  refuseConnections(refuse: boolean): void {
    this.#gate.refusing = refuse;
  }

  sendReconnect(options: { closeAfterMs?: number } = {}): void {
    const delay = options.closeAfterMs ?? this.#reconnectDelay;
    for (const s of this.#state.sessions.values()) {
      if (!s.registered) continue;
      this.#state.send(s, [`:${SERVER} RECONNECT`]);
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        s.ws.close(1000);
      }, delay);
      this.#timers.add(timer);
    }
  }

  stallPongs(stalled: boolean): void {
    this.#state.stalled = stalled;
  }

  ping(): void {
    for (const s of this.#state.sessions.values()) if (s.registered) this.#state.write(s, [`PING :${SERVER}`]);
  }

  setBotRole(channel: string, role: ChatRole): void {
    this.#state.channel(normalizeChannel(channel)).botRole = role;
  }

  configureChannel(channel: string, options: FakeChannelOptions): void {
    applyChannelOptions(this.#state.channel(normalizeChannel(channel)), options);
  }

  setValidTokens(tokens: Iterable<string> | null): void {
    this.#state.validTokens = tokens === null ? null : new Set([...tokens].map(stripOauth));
  }

  setFraming(framing: Framing): void {
    this.#state.framing = framing;
  }

  roomId(channel: string): string {
    return this.#state.channel(normalizeChannel(channel)).room.roomId;
  }

  clients(): FakeClientInfo[] {
    return [...this.#state.sessions.values()].map((s) => ({
      id: s.id,
      nick: s.nick,
      registered: s.registered,
      anonymous: s.anonymous,
      capabilities: [...s.caps],
      channels: [...s.channels],
      connectedAt: s.connectedAt,
    }));
  }

  connections(): number {
    return this.#connections;
  }

  refusedConnections(): number {
    return this.#gate.refused;
  }

  received(): string[] {
    return this.#state.received.map((r) => r.line);
  }

  receivedLines(): ReceivedLine[] {
    return [...this.#state.received];
  }

  sent(channel: string): string[] {
    return this.sentMessages(channel).filter((m) => m.rejected === undefined).map((m) => m.text);
  }

  sentMessages(channel?: string): SentChatMessage[] {
    const name = channel === undefined ? undefined : normalizeChannel(channel);
    return this.#state.sent.filter((m) => name === undefined || m.channel === name);
  }

  pongs(): PongRecord[] {
    return [...this.#state.pongs];
  }

  until(predicate: () => boolean, options: UntilOptions = {}): Promise<void> {
    return this.#waiters.until(predicate, options);
  }

  close(): Promise<void> {
    return (this.#closing ??= new Promise<void>((resolve) => {
      for (const t of this.#timers) clearTimeout(t);
      this.#timers.clear();
      for (const s of this.#state.sessions.values()) s.ws.terminate();
      this.#wss.close(() => resolve());
    }));
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
