/**
 * A local Discord for tests and the demo: REST (http://host:port/api/v10/…)
 * and the gateway (ws://host:port/gateway) on one loopback port. An
 * unmodified discord.js 14 Client logs in against it with
 * `rest: { api: fake.restUrl }` — the gateway URL comes from GET /gateway/bot.
 *
 * This module is the shell: the HTTP server, request records and the control
 * API. The gateway is in gateway.ts, the REST routes in rest.ts, rate limits
 * in rate-limits.ts, interaction bookkeeping in interactions.ts.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer } from 'ws';
import { Gateway } from './gateway.js';
import { interactionToken, Interactions } from './interactions.js';
import { interactionPayload, snowflake } from './payloads.js';
import { RateLimits, type RestAnswer } from './rate-limits.js';
import { needsBotAuth, notFound, RestState, unauthorized } from './rest.js';
import type {
  FakeBotUser,
  FakeConnectionInfo,
  FakeDiscord,
  FakeFailure,
  FakeGuild,
  FakeInteraction,
  FakeInteractionInput,
  FakeSessionInfo,
  RestCall,
  StartFakeDiscordOptions,
  StoredMessage,
  UntilOptions,
} from './types.js';
import { listenLocal, Waiters } from '@streamsuites/kernel/testing';

const MAX_BODY = 8 << 20;

export async function startFakeDiscord(options: StartFakeDiscordOptions = {}): Promise<FakeDiscord> {
  const host = options.host ?? '127.0.0.1';
  const server = createServer();
  await listenLocal(server, { port: options.port ?? 0, host });
  return new FakeDiscordServer(server, host, options);
}

class FakeDiscordServer implements FakeDiscord {
  readonly restUrl: string;
  readonly gatewayUrl: string;
  readonly resumeGatewayUrl: string;
  readonly applicationId: string;
  readonly token: string;
  readonly botUser: FakeBotUser;

  readonly #server: Server;
  readonly #wss = new WebSocketServer({ noServer: true });
  readonly #waiters = new Waiters('fake discord');
  readonly #guilds: FakeGuild[];
  readonly #gateway: Gateway;
  readonly #rest: RestState;
  readonly #limits: RateLimits;
  readonly #interactions = new Interactions(this.#waiters);
  readonly #calls: RestCall[] = [];
  readonly #sockets = new Set<Socket>();
  #revoked = false;
  #closing: Promise<void> | null = null;

  constructor(server: Server, host: string, options: StartFakeDiscordOptions) {
    this.#server = server;
    const port = (server.address() as AddressInfo).port;
    const authority = `${host.includes(':') ? `[${host}]` : host}:${port}`;
    this.restUrl = `http://${authority}/api`;
    this.gatewayUrl = `ws://${authority}/gateway`;
    this.resumeGatewayUrl = `ws://${authority}/gateway/resume`;
    this.token = options.token ?? 'fake-bot-token';
    this.applicationId = options.applicationId ?? '1100000000000000001';
    this.botUser = options.botUser ?? { id: this.applicationId, username: 'StreamSuites' };
    this.#guilds = structuredClone(options.guilds ?? []);
    this.#limits = new RateLimits(options.bucketLimit ?? 50, options.bucketWindowMs ?? 1000);
    const isValidToken = (t: unknown): boolean => !this.#revoked && t === this.token;
    const notify = (): void => this.#waiters.notify();
    this.#gateway = new Gateway({
      isValidToken,
      bot: this.botUser,
      applicationId: this.applicationId,
      resumeGatewayUrl: this.resumeGatewayUrl,
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41250,
      privilegedIntents: options.privilegedIntents ?? 0,
      guilds: () => this.#guilds,
      notify,
    });
    this.#rest = new RestState({
      isValidToken,
      bot: this.botUser,
      applicationId: this.applicationId,
      gatewayUrl: this.gatewayUrl,
      guilds: () => this.#guilds,
      identifies: () => this.#gateway.identifies(),
      interactions: this.#interactions,
    });
    server.on('connection', (socket) => {
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
    });
    server.on('request', (req, res) => void this.#onRequest(req, res));
    server.on('upgrade', (req, socket, head) => {
      const path = (req.url ?? '/').split('?')[0];
      if (path !== '/gateway' && path !== '/gateway/resume' && path !== '/gateway/') {
        socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      this.#wss.handleUpgrade(req, socket, head, (ws) => this.#gateway.accept(ws, req.url ?? '/'));
    });
  }

  async #onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const method = req.method ?? 'GET';
    const match = /^\/api\/v(\d+)(\/.*)$/.exec(url.pathname);
    // discord.js percent-encodes segments ('@original' arrives as '%40original'); records and routes use the decoded form.
    const path = (match?.[2] ?? url.pathname).split('/').map(decodeSegment).join('/');
    const call: RestCall = { method, path, query: url.search, body: undefined, status: 0, at: Date.now() };
    this.#calls.push(call);
    let answer: RestAnswer;
    try {
      const raw = await readBody(req);
      call.body = parseBody(raw, req.headers['content-type']);
      answer = this.#answer(match?.[1], method, path, url.searchParams, call.body, req.headers.authorization);
    } catch (e) {
      answer = { status: 400, body: { message: String((e as Error).message), code: 50109 }, headers: {} };
    }
    call.status = answer.status;
    const headers: Record<string, string> = { via: '1.1 google', 'x-fake-discord': '1', ...answer.headers };
    if (answer.status === 204 || answer.body === null || answer.body === undefined) {
      res.writeHead(answer.status === 200 ? 204 : answer.status, headers);
      res.end();
    } else {
      const text = JSON.stringify(answer.body);
      res.writeHead(answer.status, { ...headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) });
      res.end(text);
    }
    this.#waiters.notify();
  }

  #answer(version: string | undefined, method: string, path: string, query: URLSearchParams, body: unknown, auth: string | undefined): RestAnswer {
    if (version !== '10') return notFound();
    if (needsBotAuth(path) && (this.#revoked || auth !== `Bot ${this.token}`)) return unauthorized();
    const failure = this.#limits.scripted(method, path);
    if (failure !== null) return failure;
    const { headers, limited } = this.#limits.take(method, path);
    if (limited !== null) return limited;
    const answer = this.#rest.handle({ method, path, query, body, authorization: auth });
    return { ...answer, headers: { ...headers, ...answer.headers } };
  }

  // ---------------------------------------------------------------- gateway controls

  sessions(): FakeSessionInfo[] {
    return this.#gateway.sessions();
  }

  connections(): FakeConnectionInfo[] {
    return this.#gateway.connections();
  }

  identifies(): number {
    return this.#gateway.identifies();
  }

  resumes(): number {
    return this.#gateway.resumes();
  }

  heartbeats(): number {
    return this.#gateway.heartbeats();
  }

  received(): { op: number; d: unknown }[] {
    return this.#gateway.received();
  }

  dispatch(event: string, data: unknown): number {
    return this.#gateway.dispatch(event, data);
  }

  interact(input: FakeInteractionInput): FakeInteraction {
    const guild = this.#guilds.find((g) => g.id === input.guildId);
    const channel = guild?.channels?.find((c) => c.id === input.channelId) ?? { id: input.channelId, name: 'channel', type: 0 };
    const id = snowflake();
    const token = interactionToken();
    const userId = input.member?.userId ?? '53908232506183680';
    const payload = interactionPayload({
      id,
      token,
      applicationId: this.applicationId,
      type: input.type ?? 2,
      guildId: input.guildId,
      channel,
      commandId: this.#rest.commandId(input.guildId, input.name) ?? snowflake(),
      name: input.name,
      options: input.options,
      user: { id: userId, username: input.member?.username ?? `user${userId.slice(-4)}` },
      permissions: input.member?.permissions ?? '0',
      roles: input.member?.roles ?? [],
      joinedAt: Date.now() - 86_400_000,
    });
    const handle = this.#interactions.add({
      id,
      token,
      guildId: input.guildId,
      channelId: input.channelId,
      expired: input.expired ?? false,
      payload,
      callback: null,
      original: null,
      edits: [],
      followups: [],
    });
    this.#gateway.dispatch('INTERACTION_CREATE', payload);
    return handle;
  }

  makeGuildAvailable(guildId: string): void {
    const guild = this.#guilds.find((g) => g.id === guildId);
    if (guild === undefined) throw new Error(`fake discord: no guild ${guildId}`);
    guild.unavailable = false;
    this.#gateway.makeGuildAvailable(guild);
  }

  requestReconnect(): void {
    this.#gateway.requestReconnect();
  }

  invalidateSession(resumable: boolean): void {
    this.#gateway.invalidateSession(resumable);
  }

  dropConnections(code?: number): void {
    this.#gateway.dropConnections(code);
  }

  stallHeartbeatAcks(stalled: boolean): void {
    this.#gateway.stallHeartbeatAcks(stalled);
  }

  revokeToken(): void {
    this.#revoked = true;
  }

  // ---------------------------------------------------------------- REST records

  calls(): RestCall[] {
    return this.#calls.map((c) => ({ ...c }));
  }

  commands(guildId: string): unknown[] {
    return this.#rest.commands(guildId);
  }

  globalCommands(): unknown[] {
    return this.#rest.commands('');
  }

  messages(channelId: string): StoredMessage[] {
    return this.#rest.messages(channelId);
  }

  failNext(routePrefix: string, failure: FakeFailure, count = 1): void {
    this.#limits.failNext(routePrefix, failure, count);
  }

  until(predicate: () => boolean, options: UntilOptions = {}): Promise<void> {
    return this.#waiters.until(predicate, options);
  }

  close(): Promise<void> {
    return (this.#closing ??= new Promise<void>((resolve) => {
      this.#gateway.terminateAll();
      this.#wss.close();
      for (const s of this.#sockets) s.destroy();
      this.#server.close(() => resolve());
    }));
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new Error('Request entity too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** JSON bodies; for multipart (files) the `payload_json` part. */
function parseBody(raw: Buffer, contentType: string | undefined): unknown {
  if (raw.length === 0) return undefined;
  const text = raw.toString('utf8');
  if (contentType?.startsWith('multipart/form-data')) {
    const m = /name="payload_json"[^\r\n]*\r\n(?:[^\r\n]+\r\n)*\r\n([\s\S]*?)\r\n--/.exec(text);
    return m?.[1] === undefined ? undefined : (JSON.parse(m[1]) as unknown);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new Error('The request body contains invalid JSON.');
  }
}
