/** Public option and record types of the fake Discord (gateway + REST). */

export interface UntilOptions {
  /** Default 5000. */
  timeoutMs?: number;
  /** Appended to the timeout error. */
  message?: string;
}

export interface FakeChannel {
  id: string;
  name: string;
  /** Discord channel type: 0 text (default), 2 voice, 4 category, 5 announcement, 15 forum… */
  type?: number;
}

export interface FakeRole {
  id: string;
  name: string;
  /** Decimal string of permission bits. */
  permissions: string;
}

export interface FakeGuild {
  id: string;
  name: string;
  /** In READY as unavailable and NOT followed by GUILD_CREATE (until `makeGuildAvailable`). */
  unavailable?: boolean;
  channels?: FakeChannel[];
  /** Extra roles; the @everyone role (id = guild id, permissions '0' unless given here) is always added. */
  roles?: FakeRole[];
  ownerId?: string;
}

export interface FakeBotUser {
  id: string;
  username: string;
}

export interface StartFakeDiscordOptions {
  /** Loopback by default; the fake is for tests and the demo only. */
  host?: string;
  /** 0 (default) picks a free port. One port serves REST and the gateway. */
  port?: number;
  /** The one valid bot token (default 'fake-bot-token'). */
  token?: string;
  /** Snowflake string; default a fixed id. */
  applicationId?: string;
  botUser?: FakeBotUser;
  guilds?: FakeGuild[];
  /** HELLO heartbeat_interval; default 41250 (Discord's). */
  heartbeatIntervalMs?: number;
  /**
   * Privileged intents the application has enabled in the "developer portal"
   * (bitmask of GuildMembers 1<<1, GuildPresences 1<<8, MessageContent 1<<15).
   * IDENTIFY asking for any other privileged intent is closed with 4014. Default 0.
   */
  privilegedIntents?: number;
  /** Per-bucket request limit reported in X-RateLimit-* headers and enforced (429 when exceeded). Default 50. */
  bucketLimit?: number;
  /** Bucket window; default 1000 ms. */
  bucketWindowMs?: number;
}

export interface FakeSessionInfo {
  /** session_id. */
  id: string;
  identified: boolean;
  /** How many times this session was resumed. */
  resumed: number;
  /** Last sequence number dispatched. */
  seq: number;
  intents: number;
  /** Has an open socket right now. */
  open: boolean;
}

export interface FakeConnectionInfo {
  /** Request path and query of the WebSocket upgrade, e.g. '/gateway?v=10&encoding=json'. */
  url: string;
  open: boolean;
  /** Close code (ours or the client's), once closed. */
  closeCode: number | null;
  openedAt: number;
}

export interface RestCall {
  method: string;
  /** Without the /api/v10 prefix and without the query, e.g. '/channels/1/messages'. */
  path: string;
  query: string;
  body: unknown;
  status: number;
  at: number;
}

export interface StoredMessage {
  id: string;
  channelId: string;
  content?: string;
  embeds?: unknown[];
  createdAt: number;
  editedAt?: number;
}

export type FakeFailure =
  | { status: 429; retryAfterSec: number; global?: boolean; scope?: 'user' | 'shared' }
  | { status: 500 | 502 | 503 };

export interface FakeCommandOption {
  name: string;
  /** ApplicationCommandOptionType: 1 subcommand, 2 group, 3 string, 4 integer, 5 boolean, 6 user, 7 channel, 8 role, 10 number. */
  type: number;
  value?: string | number | boolean;
  focused?: boolean;
  options?: FakeCommandOption[];
}

export interface FakeInteractionInput {
  guildId: string;
  channelId: string;
  /** Command name. Its id is the stored command's (PUT/POST) when there is one. */
  name: string;
  options?: FakeCommandOption[];
  /** 2 application command (default), 4 autocomplete. */
  type?: 2 | 4;
  member?: { userId?: string; username?: string; permissions?: string; roles?: string[] };
  /** The callback answers 404 {code:10062,"message":"Unknown interaction"} (as after Discord's 3 s window). */
  expired?: boolean;
}

export interface InteractionCallbackBody {
  type: number;
  data?: any;
}

export interface FakeInteraction {
  readonly id: string;
  readonly token: string;
  /** The raw INTERACTION_CREATE `d` that was dispatched. */
  readonly payload: Record<string, unknown>;
  /** Resolves with the POST /interactions/:id/:token/callback body. Default timeout 5000. */
  callback(timeoutMs?: number): Promise<InteractionCallbackBody>;
  /** Resolves with the first PATCH /webhooks/:app/:token/messages/@original body. */
  original(timeoutMs?: number): Promise<any>;
  /** POST /webhooks/:app/:token bodies so far. */
  followups(): any[];
  /** All PATCH @original bodies so far (edits after the first too). */
  edits(): any[];
}

export interface FakeDiscord extends AsyncDisposable {
  /** 'http://127.0.0.1:PORT/api' — pass as `rest: { api }`. */
  readonly restUrl: string;
  /** 'ws://127.0.0.1:PORT/gateway' — what GET /gateway/bot answers. */
  readonly gatewayUrl: string;
  /** 'ws://127.0.0.1:PORT/gateway/resume' — READY's resume_gateway_url. */
  readonly resumeGatewayUrl: string;
  readonly applicationId: string;
  readonly token: string;
  readonly botUser: FakeBotUser;

  // gateway
  sessions(): FakeSessionInfo[];
  connections(): FakeConnectionInfo[];
  identifies(): number;
  resumes(): number;
  heartbeats(): number;
  /** Every payload the clients sent (op + d), in order. */
  received(): { op: number; d: unknown }[];
  /** Sends a dispatch to every live identified session with its next seq (kept for RESUME replay, also while disconnected); returns how many sessions. */
  dispatch(event: string, data: unknown): number;
  interact(input: FakeInteractionInput): FakeInteraction;
  /** Sends GUILD_CREATE for a guild that started unavailable. */
  makeGuildAvailable(guildId: string): void;
  /** op 7 to every open session; discord.js closes (4200) and RESUMEs on a new socket ~500 ms later. */
  requestReconnect(): void;
  /** op 9; false also forgets the sessions (a later RESUME gets op 9 false). */
  invalidateSession(resumable: boolean): void;
  /** Closes sockets without op 7: no code = terminate (client sees 1006, resumes); 1000 makes discord.js re-IDENTIFY. */
  dropConnections(code?: number): void;
  /** Stop (true) or resume answering heartbeats with op 11 (discord.js then closes the zombie connection and resumes). */
  stallHeartbeatAcks(stalled: boolean): void;
  /** The token stops being valid: REST 401, IDENTIFY/RESUME closed with 4004. */
  revokeToken(): void;

  // REST
  calls(): RestCall[];
  commands(guildId: string): unknown[];
  globalCommands(): unknown[];
  messages(channelId: string): StoredMessage[];
  /** Next `count` (default 1) requests whose 'METHOD /path' or '/path' starts with routePrefix fail. */
  failNext(routePrefix: string, failure: FakeFailure, count?: number): void;

  until(predicate: () => boolean, options?: UntilOptions): Promise<void>;
  close(): Promise<void>;
}
