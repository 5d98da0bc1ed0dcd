import { Client, Events, GatewayIntentBits, REST } from 'discord.js';
import { backoffDelay, type BackoffPolicy, type Logger } from '@streamsuites/kernel';
import { COMMANDS } from './commands/definitions.js';
import { syncGuildCommands } from './commands/registration.js';
import type { DiscordGuildConfig } from './config.js';
import { SS_ERR_DISCORD_AUTH } from './errors.js';
import type { DiscordStatus } from './status.js';

/** How long a stop waits for a login in flight. */
const LOGIN_GRACE_MS = 5000;

export interface ControlPlaneOptions {
  token: string;
  restUrl: string;
  guilds: readonly DiscordGuildConfig[];
  restart: BackoffPolicy;
  heartbeatIntervalMs: number;
  status: DiscordStatus;
  logger: Logger;
  /** Called for every interaction of a connected client. */
  onInteraction(interaction: import('discord.js').Interaction): void;
  random?: () => number;
}

/**
 * Owns the discord.js client and keeps it running, apart from the streaming
 * runtime: `start()` returns at once, a failure is logged and the client is
 * rebuilt after a backoff (discord.js itself resumes dropped gateway
 * sessions), a rejected token stops it for good with SS_ERR_DISCORD_AUTH
 * (no retry storm), and nothing it does can throw into the kernel.
 */
export class DiscordControlPlane {
  readonly #o: ControlPlaneOptions;
  readonly #stopping = new AbortController();
  #client: Client | undefined;
  #loop: Promise<void> | undefined;
  #heartbeat: NodeJS.Timeout | undefined;

  constructor(options: ControlPlaneOptions) {
    this.#o = options;
  }

  #rest: REST | undefined;

  /** A REST client of its own (announcements work while the gateway reconnects). */
  rest(): REST {
    return (this.#rest ??= new REST({ api: this.#o.restUrl }).setToken(this.#o.token));
  }

  start(): void {
    this.#loop ??= this.#supervise().catch((error: unknown) => this.#o.logger.error({ err: error }, 'the Discord supervisor stopped unexpectedly'));
    this.#heartbeat = setInterval(() => this.#beat(), this.#o.heartbeatIntervalMs);
    this.#heartbeat.unref();
  }

  async stop(): Promise<void> {
    this.#stopping.abort();
    clearInterval(this.#heartbeat);
    // A login in flight is let finish (destroying a client mid-login leaves discord.js
    // connecting in the background); one that hangs is cut after LOGIN_GRACE_MS.
    let grace: NodeJS.Timeout | undefined;
    await Promise.race([this.#loop, new Promise((resolve) => (grace = setTimeout(resolve, LOGIN_GRACE_MS)))]);
    clearTimeout(grace);
    await this.#client?.destroy().catch(() => undefined);
    this.#o.status.disconnected('stopped');
  }

  async #supervise(): Promise<void> {
    let attempt = 0;
    while (!this.#stopping.signal.aborted) {
      const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: this.#o.restUrl } });
      this.#client = client;
      const ended = new Promise<string>((resolve) => {
        client.on(Events.Invalidated, () => resolve('session invalidated'));
        this.#stopping.signal.addEventListener('abort', () => resolve('stopped'), { once: true });
      });
      // discord.js emits 'error' for problems it recovers from; unhandled, an EventEmitter error would crash the process.
      client.on(Events.Error, (error) => this.#o.status.error('SS_ERR_DISCORD_CLIENT', error.message, this.#o.logger));
      client.on(Events.ShardDisconnect, (event) => this.#o.status.disconnected(`gateway closed (${event.code})`));
      client.on(Events.ShardResume, () => this.#o.status.connected(client));
      client.on(Events.InteractionCreate, (interaction) => this.#o.onInteraction(interaction));
      client.once(Events.ClientReady, (ready) => void this.#ready(ready));
      try {
        await client.login(this.#o.token);
        if (this.#stopping.signal.aborted) {
          await client.destroy().catch(() => undefined);
          return;
        }
        attempt = 0;
      } catch (error) {
        await client.destroy().catch(() => undefined);
        if (this.#stopping.signal.aborted) return;
        if (isAuthFailure(error)) {
          const coded = new SS_ERR_DISCORD_AUTH(describe(error));
          this.#o.status.error(coded.code, coded.message, this.#o.logger);
          this.#o.status.disconnected('token rejected');
          return;
        }
        attempt += 1;
        this.#o.status.error('SS_ERR_DISCORD_CONNECT', describe(error), this.#o.logger);
        await this.#wait(backoffDelay(this.#o.restart, attempt, this.#o.random));
        continue;
      }
      const reason = await ended;
      await client.destroy().catch(() => undefined);
      this.#o.status.disconnected(reason);
      if (this.#stopping.signal.aborted) return;
      attempt += 1;
      this.#o.status.restarted();
      await this.#wait(backoffDelay(this.#o.restart, attempt, this.#o.random));
    }
  }

  async #ready(client: Client<true>): Promise<void> {
    this.#o.status.connected(client);
    this.#beat();
    const applicationId = client.application.id;
    for (const guild of this.#o.guilds) {
      if (!client.guilds.cache.has(guild.id)) {
        this.#o.status.guildCommands(guild.id, 'not-joined');
        continue;
      }
      try {
        const outcome = await syncGuildCommands(client.rest, applicationId, guild.id, COMMANDS);
        this.#o.logger.info({ guild: guild.id, outcome }, `Discord commands in ${guild.id}: ${outcome}`);
        this.#o.status.guildCommands(guild.id, outcome);
      } catch (error) {
        this.#o.status.guildCommands(guild.id, 'failed');
        this.#o.status.error('SS_ERR_DISCORD_REGISTER', `registering commands in ${guild.id}: ${describe(error)}`, this.#o.logger);
      }
    }
  }

  #beat(): void {
    const client = this.#client;
    this.#o.status.heartbeat(client?.isReady() === true ? client.ws.ping : undefined);
  }

  #wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      timer.unref();
      this.#stopping.signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
    });
  }
}

/** A token Discord rejected: REST 401 on login, or the gateway's 4004 close. */
function isAuthFailure(error: unknown): boolean {
  const e = error as { code?: unknown; status?: unknown; message?: unknown };
  return e?.code === 'TokenInvalid' || e?.status === 401 || e?.code === 4004 || /401|4004|Authentication failed|invalid token/i.test(String(e?.message ?? ''));
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
