/**
 * The fake gateway: sockets ("connections") and Discord sessions (what READY's
 * session_id names and RESUME continues). A session outlives its socket; its
 * dispatches are logged so a RESUME replays those after the client's seq.
 *
 * Follows docs/events/gateway.mdx: HELLO on open; op 1 → op 11; IDENTIFY →
 * READY + one GUILD_CREATE per available guild; RESUME → replay + RESUMED, or
 * op 9 false for an unknown session; bad token → close 4004.
 */
import type { WebSocket } from 'ws';
import { guildCreatePayload, readyPayload } from './payloads.js';
import type { FakeBotUser, FakeConnectionInfo, FakeGuild, FakeSessionInfo } from './types.js';

const REPLAY_LOG_LIMIT = 1000;
/** GuildMembers | GuildPresences | MessageContent. */
const PRIVILEGED_INTENTS = (1 << 1) | (1 << 8) | (1 << 15);

export interface GatewayContext {
  isValidToken(token: unknown): boolean;
  readonly bot: FakeBotUser;
  readonly applicationId: string;
  readonly resumeGatewayUrl: string;
  readonly heartbeatIntervalMs: number;
  readonly privilegedIntents: number;
  guilds(): FakeGuild[];
  notify(): void;
}

interface Frame {
  op: number;
  d: unknown;
  s: number | null;
  t: string | null;
}

interface Connection {
  ws: WebSocket;
  url: string;
  session: Session | null;
  closeCode: number | null;
  openedAt: number;
}

interface Session {
  id: string;
  intents: number;
  shard: [number, number];
  seq: number;
  log: Frame[];
  resumed: number;
  conn: Connection | null;
  dead: boolean;
}

export class Gateway {
  readonly #ctx: GatewayContext;
  readonly #connections: Connection[] = [];
  readonly #sessions = new Map<string, Session>();
  readonly #received: { op: number; d: unknown }[] = [];
  #identifies = 0;
  #resumes = 0;
  #heartbeats = 0;
  #stalled = false;

  constructor(ctx: GatewayContext) {
    this.#ctx = ctx;
  }

  accept(ws: WebSocket, url: string): void {
    const conn: Connection = { ws, url, session: null, closeCode: null, openedAt: Date.now() };
    this.#connections.push(conn);
    const params = new URL(url, 'ws://fake').searchParams;
    ws.on('close', (code) => {
      conn.closeCode ??= code;
      if (conn.session?.conn === conn) conn.session.conn = null;
      this.#ctx.notify();
    });
    ws.on('error', () => ws.terminate());
    if (params.get('v') !== '10') return this.#close(conn, 4012, 'Invalid API version.');
    if ((params.get('encoding') ?? 'json') !== 'json') return this.#close(conn, 4002, 'Error while decoding payload.');
    ws.on('message', (data, isBinary) => this.#onMessage(conn, isBinary ? null : data.toString()));
    this.#send(conn, { op: 10, d: { heartbeat_interval: this.#ctx.heartbeatIntervalMs, _trace: ['["fake-discord-gateway",{"micros":0.0}]'] }, s: null, t: null });
    this.#ctx.notify();
  }

  #onMessage(conn: Connection, text: string | null): void {
    let frame: { op?: unknown; d?: unknown } | null = null;
    try {
      frame = text === null ? null : (JSON.parse(text) as { op?: unknown; d?: unknown });
    } catch {
      frame = null;
    }
    if (frame === null || typeof frame.op !== 'number') return this.#close(conn, 4002, 'Error while decoding payload.');
    this.#received.push({ op: frame.op, d: frame.d });
    const d = (frame.d ?? {}) as Record<string, unknown>;
    switch (frame.op) {
      case 1:
        this.#heartbeats++;
        if (!this.#stalled) this.#send(conn, { op: 11, d: null, s: null, t: null });
        break;
      case 2:
        this.#identify(conn, d);
        break;
      case 6:
        this.#resume(conn, d);
        break;
      case 3: // presence update
      case 4: // voice state update
      case 8: // request guild members
        if (conn.session === null) this.#close(conn, 4003, 'Not authenticated.');
        break;
      default:
        this.#close(conn, 4001, 'Unknown opcode.');
    }
    this.#ctx.notify();
  }

  #identify(conn: Connection, d: Record<string, unknown>): void {
    if (conn.session !== null) return this.#close(conn, 4005, 'Already authenticated.');
    if (!this.#ctx.isValidToken(d.token)) return this.#close(conn, 4004, 'Authentication failed.');
    const intents = d.intents;
    if (typeof intents !== 'number' || !Number.isInteger(intents) || intents < 0) return this.#close(conn, 4013, 'Invalid intent(s).');
    if ((intents & PRIVILEGED_INTENTS & ~this.#ctx.privilegedIntents) !== 0) return this.#close(conn, 4014, 'Disallowed intent(s).');
    this.#identifies++;
    const shard = Array.isArray(d.shard) && d.shard.length === 2 ? (d.shard as [number, number]) : [0, 1];
    const session: Session = { id: randomHex(32), intents, shard: shard as [number, number], seq: 0, log: [], resumed: 0, conn, dead: false };
    this.#sessions.set(session.id, session);
    conn.session = session;
    const guilds = this.#ctx.guilds();
    this.#dispatchTo(session, 'READY', readyPayload({
      bot: this.#ctx.bot,
      guilds,
      sessionId: session.id,
      resumeGatewayUrl: this.#ctx.resumeGatewayUrl,
      applicationId: this.#ctx.applicationId,
      shard: session.shard,
    }));
    for (const g of guilds) if (!g.unavailable) this.#dispatchTo(session, 'GUILD_CREATE', guildCreatePayload(g, this.#ctx.bot, Date.now()));
  }

  #resume(conn: Connection, d: Record<string, unknown>): void {
    if (!this.#ctx.isValidToken(d.token)) return this.#close(conn, 4004, 'Authentication failed.');
    const session = typeof d.session_id === 'string' ? this.#sessions.get(d.session_id) : undefined;
    if (session === undefined || session.dead) {
      this.#send(conn, { op: 9, d: false, s: null, t: null });
      return;
    }
    const seq = typeof d.seq === 'number' ? d.seq : 0;
    if (seq > session.seq) return this.#close(conn, 4007, 'Invalid seq.');
    // A session lives on one socket: a RESUME elsewhere takes it over.
    if (session.conn !== null && session.conn !== conn) {
      const old = session.conn;
      old.session = null;
      this.#close(old, 4000, 'Session resumed elsewhere.');
    }
    session.conn = conn;
    conn.session = session;
    this.#resumes++;
    session.resumed++;
    for (const f of session.log) if (f.s !== null && f.s > seq) this.#send(conn, f);
    this.#dispatchTo(session, 'RESUMED', { _trace: ['["fake-discord-gateway",{"micros":0}]'] });
  }

  dispatch(event: string, data: unknown): number {
    let n = 0;
    for (const s of this.#sessions.values()) {
      if (s.dead) continue;
      this.#dispatchTo(s, event, data);
      n++;
    }
    this.#ctx.notify();
    return n;
  }

  #dispatchTo(session: Session, t: string, d: unknown): void {
    const frame: Frame = { op: 0, t, s: ++session.seq, d };
    session.log.push(frame);
    if (session.log.length > REPLAY_LOG_LIMIT) session.log.shift();
    if (session.conn !== null) this.#send(session.conn, frame);
  }

  makeGuildAvailable(guild: FakeGuild): void {
    for (const s of this.#sessions.values()) if (!s.dead) this.#dispatchTo(s, 'GUILD_CREATE', guildCreatePayload(guild, this.#ctx.bot, Date.now()));
    this.#ctx.notify();
  }

  requestReconnect(): void {
    for (const c of this.#open()) if (c.session !== null) this.#send(c, { op: 7, d: null, s: null, t: null });
  }

  invalidateSession(resumable: boolean): void {
    for (const c of this.#open()) {
      const session = c.session;
      if (session === null) continue;
      if (!resumable) {
        session.dead = true;
        session.conn = null;
        c.session = null;
      }
      this.#send(c, { op: 9, d: resumable, s: null, t: null });
    }
    this.#ctx.notify();
  }

  dropConnections(code?: number): void {
    for (const c of this.#open()) {
      if (code === undefined) {
        c.closeCode = 1006;
        c.ws.terminate();
      } else c.ws.close(code);
    }
  }

  stallHeartbeatAcks(stalled: boolean): void {
    this.#stalled = stalled;
  }

  sessions(): FakeSessionInfo[] {
    return [...this.#sessions.values()].map((s) => ({
      id: s.id,
      identified: !s.dead,
      resumed: s.resumed,
      seq: s.seq,
      intents: s.intents,
      open: s.conn !== null && s.conn.ws.readyState === s.conn.ws.OPEN,
    }));
  }

  connections(): FakeConnectionInfo[] {
    return this.#connections.map((c) => ({
      url: c.url,
      open: c.ws.readyState === c.ws.OPEN,
      closeCode: c.closeCode,
      openedAt: c.openedAt,
    }));
  }

  identifies(): number {
    return this.#identifies;
  }

  resumes(): number {
    return this.#resumes;
  }

  heartbeats(): number {
    return this.#heartbeats;
  }

  received(): { op: number; d: unknown }[] {
    return [...this.#received];
  }

  terminateAll(): void {
    for (const c of this.#connections) c.ws.terminate();
  }

  #open(): Connection[] {
    return this.#connections.filter((c) => c.ws.readyState === c.ws.OPEN);
  }

  #send(conn: Connection, frame: Frame): void {
    if (conn.ws.readyState === conn.ws.OPEN) conn.ws.send(JSON.stringify(frame));
  }

  #close(conn: Connection, code: number, reason: string): void {
    conn.closeCode = code;
    if (conn.session?.conn === conn) conn.session.conn = null;
    conn.session = null;
    if (conn.ws.readyState === conn.ws.OPEN || conn.ws.readyState === conn.ws.CONNECTING) conn.ws.close(code, reason);
    this.#ctx.notify();
  }
}

function randomHex(length: number): string {
  let out = '';
  while (out.length < length) out += Math.floor(Math.random() * 0xffffffff).toString(16).padStart(8, '0');
  return out.slice(0, length);
}

