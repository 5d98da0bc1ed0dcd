/**
 * A local Twitch chat server (IRC over WebSocket) for tests and the demo.
 * It follows the real server closely enough that an unmodified tmi.js 1.8.5
 * client connects, authenticates, joins, chats and reconnects against it.
 */
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import { applyChannelOptions, type ChannelState, checkSend, createChannel } from './channels.js';
import {
  type ChatRole,
  type FakeUser,
  globalUserStateLine,
  hostmask,
  joinLines,
  MSG_DUPLICATE,
  MSG_RATELIMIT,
  msgSlowmode,
  noticeLine,
  privmsgLine,
  roomStateLine,
  SERVER,
  userStateLine,
  welcomeLines,
} from './messages.js';
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
import { type ClientLine, normalizeChannel, parseClientLine, routeOf, splitFrame, stripTags, type TagSet } from './wire.js';

const KNOWN_CAPS = new Set(['twitch.tv/tags', 'twitch.tv/commands', 'twitch.tv/membership']);
/** Twitch-specific commands the server only sends with the `twitch.tv/commands` capability. */
const COMMANDS_CAP_ONLY = new Set(['USERSTATE', 'ROOMSTATE', 'GLOBALUSERSTATE', 'CLEARCHAT', 'CLEARMSG', 'USERNOTICE', 'HOSTTARGET', 'RECONNECT', 'WHISPER']);

interface Session {
  id: number;
  ws: WebSocket;
  nick: string | null;
  pass: string | null;
  caps: Set<string>;
  registered: boolean;
  anonymous: boolean;
  channels: Set<string>;
  connectedAt: number;
}

const stripOauth = (token: string): string => token.replace(/^oauth:/i, '');

export async function startFakeTwitchChat(options: StartFakeTwitchChatOptions = {}): Promise<FakeTwitchChat> {
  const host = options.host ?? '127.0.0.1';
  const wss = new WebSocketServer({ host, port: options.port ?? 0 });
  await new Promise<void>((resolve, reject) => {
    wss.once('listening', resolve);
    wss.once('error', reject);
  });
  return new FakeServer(wss, host, options);
}

class FakeServer implements FakeTwitchChat {
  readonly url: string;
  readonly port: number;
  readonly host: string;

  readonly #wss: WebSocketServer;
  readonly #now: () => number;
  readonly #sessions = new Map<number, Session>();
  readonly #channels = new Map<string, ChannelState>();
  readonly #received: ReceivedLine[] = [];
  readonly #sent: SentChatMessage[] = [];
  readonly #pongs: PongRecord[] = [];
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #waiters = new Set<() => void>();
  #validTokens: Set<string> | null = null;
  #framing: Framing;
  #reconnectDelay: number;
  #stalled = false;
  #connections = 0;
  #nextId = 1;
  #closing: Promise<void> | null = null;

  constructor(wss: WebSocketServer, host: string, options: StartFakeTwitchChatOptions) {
    this.#wss = wss;
    this.host = host;
    this.port = (wss.address() as AddressInfo).port;
    this.url = `ws://${host.includes(':') ? `[${host}]` : host}:${this.port}`;
    this.#now = options.now ?? Date.now;
    this.#framing = options.framing ?? 'line';
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

  // ---------------------------------------------------------------- connections

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
      connectedAt: this.#now(),
    };
    this.#sessions.set(session.id, session);
    ws.on('message', (data, isBinary) => {
      if (isBinary) return; // Twitch ignores binary frames; so do we.
      for (const raw of splitFrame(data.toString())) this.#onLine(session, raw);
      this.#notify();
    });
    ws.on('close', () => {
      this.#sessions.delete(session.id);
      this.#notify();
    });
    ws.on('error', () => ws.terminate());
    this.#notify();
  }

  #onLine(s: Session, raw: string): void {
    this.#received.push({ clientId: s.id, line: raw, at: this.#now() });
    const msg = parseClientLine(raw);
    if (!msg) return;
    switch (msg.command) {
      case 'CAP':
        return this.#onCap(s, msg);
      case 'PASS':
        s.pass = msg.params[0] ?? null;
        return;
      case 'NICK':
        return this.#onNick(s, msg.params[0]);
      case 'PING':
        return this.#onPing(s, msg.params[0]);
      case 'PONG':
        this.#pongs.push({ clientId: s.id, arg: msg.params[0] ?? null, at: this.#now() });
        return;
    }
    if (!s.registered) return; // the real server ignores commands before login
    switch (msg.command) {
      case 'JOIN':
        for (const c of (msg.params[0] ?? '').split(',')) if (c) this.#onJoin(s, normalizeChannel(c));
        return;
      case 'PART':
        for (const c of (msg.params[0] ?? '').split(',')) if (c) this.#onPart(s, normalizeChannel(c));
        return;
      case 'PRIVMSG':
        return this.#onPrivmsg(s, msg);
    }
  }

  #onCap(s: Session, msg: ClientLine): void {
    const sub = (msg.params[0] === '*' ? msg.params[1] : msg.params[0])?.toUpperCase();
    if (sub === 'LS') return this.#send(s, [`:${SERVER} CAP * LS :${[...KNOWN_CAPS].join(' ')}`]);
    if (sub !== 'REQ') return;
    const requested = (msg.params.at(-1) ?? '').split(' ').filter(Boolean);
    const ok = requested.every((c) => KNOWN_CAPS.has(c));
    if (ok) for (const c of requested) s.caps.add(c);
    this.#send(s, [`:${SERVER} CAP * ${ok ? 'ACK' : 'NAK'} :${requested.join(' ')}`]);
  }

  #onNick(s: Session, nick: string | undefined): void {
    if (s.registered || !nick) return;
    s.nick = nick.toLowerCase();
    if (/^justinfan\d+$/.test(s.nick)) {
      s.anonymous = true; // anonymous read-only login, no PASS needed
    } else if (!s.pass || !/^oauth:/i.test(s.pass)) {
      return this.#reject(s, 'Improperly formatted auth');
    } else if (this.#validTokens && !this.#validTokens.has(stripOauth(s.pass))) {
      return this.#reject(s, 'Login authentication failed');
    }
    s.registered = true;
    const lines = welcomeLines(s.nick);
    if (!s.anonymous) lines.push(globalUserStateLine(s.nick));
    this.#send(s, lines);
  }

  /** What Twitch does on a bad login: one NOTICE to `*`, then it closes the socket. */
  #reject(s: Session, text: string): void {
    this.#send(s, [noticeLine('*', text)]);
    s.ws.close(1000);
  }

  #onPing(s: Session, arg: string | undefined): void {
    if (this.#stalled) return;
    // With an argument Twitch answers `:tmi.twitch.tv PONG tmi.twitch.tv :<arg>`
    // (fixtures/twitch/connection.irc). tmi.js sends a bare `PING` and only
    // recognises a prefix-less `PONG`, so that is what a bare PING gets.
    this.#send(s, [arg === undefined ? `PONG :${SERVER}` : `:${SERVER} PONG ${SERVER} :${arg}`]);
  }

  #onJoin(s: Session, name: string): void {
    const nick = s.nick as string;
    const channel = this.#channel(name);
    s.channels.add(name);
    this.#send(s, [
      ...joinLines(nick, name),
      ...(s.anonymous ? [] : [userStateLine(nick, name, channel.botRole)]),
      roomStateLine(name, channel.room),
    ]);
  }

  #onPart(s: Session, name: string): void {
    if (!s.channels.delete(name)) return;
    this.#send(s, [`:${hostmask(s.nick as string)} PART #${name}`]);
  }

  #onPrivmsg(s: Session, msg: ClientLine): void {
    const target = msg.params[0];
    if (s.anonymous || !target?.startsWith('#')) return; // anonymous users cannot chat
    const nick = s.nick as string;
    const name = normalizeChannel(target);
    const channel = this.#channel(name);
    const text = msg.params[1] ?? '';
    const now = this.#now();
    const history = this.#sent.filter((m) => m.channel === name);
    const verdict = checkSend(channel, history, nick, text, now);
    const record: SentChatMessage = { clientId: s.id, nick, channel: name, text, tags: msg.tags, at: now };
    this.#sent.push(record);
    if (verdict) {
      record.rejected = verdict.rejected;
      const notice =
        verdict.rejected === 'msg_ratelimit' ? MSG_RATELIMIT
        : verdict.rejected === 'msg_duplicate' ? MSG_DUPLICATE
        : msgSlowmode(verdict.waitSeconds ?? channel.room.slow);
      this.#send(s, [noticeLine(`#${name}`, notice, verdict.rejected)]);
      return;
    }
    // Accepted: the sender gets USERSTATE (not its own PRIVMSG), everyone else the PRIVMSG.
    const user: FakeUser = { login: nick, role: channel.botRole };
    const { line, id } = privmsgLine(name, channel.room.roomId, user, text, pickReplyTags(msg.tags), now);
    record.id = id;
    this.#send(s, [userStateLine(nick, name, channel.botRole, id)]);
    for (const other of this.#joined(name)) if (other !== s) this.#send(other, [line]);
  }

  // ---------------------------------------------------------------- sending

  #joined(channel: string): Session[] {
    return [...this.#sessions.values()].filter((s) => s.registered && s.channels.has(channel));
  }

  /** Sends server-built lines, honouring the client's capabilities and the framing mode. */
  #send(s: Session, lines: string[]): void {
    const out: string[] = [];
    for (const line of lines) {
      if (!s.caps.has('twitch.tv/commands') && COMMANDS_CAP_ONLY.has(routeOf(line).command)) continue;
      out.push(s.caps.has('twitch.tv/tags') ? line : stripTags(line));
    }
    this.#write(s, out);
  }

  /** Writes lines as-is, each `\r\n`-terminated, one per frame or all in one frame. */
  #write(s: Session, lines: string[]): void {
    if (lines.length === 0 || s.ws.readyState !== s.ws.OPEN) return;
    if (this.#framing === 'batch') s.ws.send(lines.map((l) => `${l}\r\n`).join(''));
    else for (const l of lines) s.ws.send(`${l}\r\n`);
  }

  #channel(name: string): ChannelState {
    let channel = this.#channels.get(name);
    if (!channel) this.#channels.set(name, (channel = createChannel(name)));
    return channel;
  }

  #notify(): void {
    for (const check of [...this.#waiters]) check();
  }

  // ---------------------------------------------------------------- control API

  say(channel: string, user: string | FakeUser, text: string, tags: TagSet = {}): string {
    const name = normalizeChannel(channel);
    const { line, id } = privmsgLine(name, this.#channel(name).room.roomId, user, text, tags, this.#now());
    for (const s of this.#joined(name)) this.#send(s, [line]);
    this.#notify();
    return id;
  }

  replay(lines: Iterable<string>, options: { to?: 'joined' | 'all' } = {}): number {
    const perSession = new Map<Session, string[]>();
    let deliveries = 0;
    for (const input of lines) {
      const line = input.replace(/\r?\n$/, '');
      const { channel } = routeOf(line);
      for (const s of this.#sessions.values()) {
        if (!s.registered) continue;
        if (options.to !== 'all' && channel !== null && !s.channels.has(channel)) continue;
        let batch = perSession.get(s);
        if (!batch) perSession.set(s, (batch = []));
        batch.push(line);
        deliveries++;
      }
    }
    for (const [s, batch] of perSession) this.#write(s, batch);
    this.#notify();
    return deliveries;
  }

  disconnectAll(options: { code?: number; reason?: string } = {}): void {
    for (const s of this.#sessions.values()) {
      // No code: drop the TCP connection without a close frame, like a network failure (client sees 1006).
      if (options.code === undefined) s.ws.terminate();
      else s.ws.close(options.code, options.reason);
    }
  }

  sendReconnect(options: { closeAfterMs?: number } = {}): void {
    const delay = options.closeAfterMs ?? this.#reconnectDelay;
    for (const s of this.#sessions.values()) {
      if (!s.registered) continue;
      this.#send(s, [`:${SERVER} RECONNECT`]);
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        s.ws.close(1000);
      }, delay);
      this.#timers.add(timer);
    }
  }

  stallPongs(stalled: boolean): void {
    this.#stalled = stalled;
  }

  ping(): void {
    for (const s of this.#sessions.values()) if (s.registered) this.#write(s, [`PING :${SERVER}`]);
  }

  setBotRole(channel: string, role: ChatRole): void {
    this.#channel(normalizeChannel(channel)).botRole = role;
  }

  configureChannel(channel: string, options: FakeChannelOptions): void {
    applyChannelOptions(this.#channel(normalizeChannel(channel)), options);
  }

  setValidTokens(tokens: Iterable<string> | null): void {
    this.#validTokens = tokens === null ? null : new Set([...tokens].map(stripOauth));
  }

  setFraming(framing: Framing): void {
    this.#framing = framing;
  }

  roomId(channel: string): string {
    return this.#channel(normalizeChannel(channel)).room.roomId;
  }

  clients(): FakeClientInfo[] {
    return [...this.#sessions.values()].map((s) => ({
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

  received(): string[] {
    return this.#received.map((r) => r.line);
  }

  receivedLines(): ReceivedLine[] {
    return [...this.#received];
  }

  sent(channel: string): string[] {
    return this.sentMessages(channel).filter((m) => m.rejected === undefined).map((m) => m.text);
  }

  sentMessages(channel?: string): SentChatMessage[] {
    const name = channel === undefined ? undefined : normalizeChannel(channel);
    return this.#sent.filter((m) => name === undefined || m.channel === name);
  }

  pongs(): PongRecord[] {
    return [...this.#pongs];
  }

  until(predicate: () => boolean, options: UntilOptions = {}): Promise<void> {
    if (predicate()) return Promise.resolve();
    const timeoutMs = options.timeoutMs ?? 5000;
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (!predicate()) return;
        clearTimeout(timer);
        clearInterval(poll);
        this.#waiters.delete(check);
        resolve();
      };
      // Server events re-check at once; the poll covers predicates on client-side state.
      const poll = setInterval(check, 10);
      const timer = setTimeout(() => {
        clearInterval(poll);
        this.#waiters.delete(check);
        reject(new Error(`fake twitch chat: timed out after ${timeoutMs} ms${options.message ? `: ${options.message}` : ''}`));
      }, timeoutMs);
      this.#waiters.add(check);
    });
  }

  close(): Promise<void> {
    return (this.#closing ??= new Promise<void>((resolve) => {
      for (const t of this.#timers) clearTimeout(t);
      this.#timers.clear();
      for (const s of this.#sessions.values()) s.ws.terminate();
      this.#wss.close(() => resolve());
    }));
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

/** The bot's own tags that Twitch carries over to the PRIVMSG others see (replies). */
function pickReplyTags(tags: Record<string, string>): TagSet {
  const out: TagSet = {};
  const parent = tags['reply-parent-msg-id'];
  if (parent) out['reply-parent-msg-id'] = parent;
  return out;
}
