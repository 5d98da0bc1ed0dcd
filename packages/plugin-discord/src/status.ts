import type { Client } from 'discord.js';
import type { EventBus, Logger, SecretRegistry } from '@streamsuites/kernel';
import type { PostedAnnouncement } from './announcer.js';
import type { SyncOutcome } from './commands/registration.js';
import type { CommandRecord } from './interactions.js';

declare module '@streamsuites/kernel' {
  interface StreamSuitesEvents {
    /** The control plane's state changed (connected, a command, an error...): runtime.json is rewritten. */
    'discord.status': { at: number };
  }
}

const MAX_ERRORS = 10;

export type GuildCommands = SyncOutcome | 'failed' | 'not-joined';

interface GuildState {
  name?: string;
  available: boolean;
  commands?: GuildCommands;
  commandsAt?: number;
  lastAnnouncement?: PostedAnnouncement;
}

/**
 * The control plane's own state, for `shared/state/discord/runtime.json` and
 * the per-guild files: connection, guilds, latency, last command, last
 * heartbeat, recent errors (coded, secrets removed). Every change is a
 * `discord.status` event so the exports plugin rewrites the files.
 */
export class DiscordStatus {
  #connected = false;
  #since: number | undefined;
  #reason: string | undefined;
  #user: { id: string; username: string } | undefined;
  #latencyMs: number | undefined;
  #lastHeartbeatAt: number | undefined;
  #lastCommand: CommandRecord | undefined;
  #restarts = 0;
  #commands = 0;
  readonly #errors: { code: string; message: string; at: number }[] = [];
  readonly #guilds = new Map<string, GuildState>();

  constructor(
    private readonly bus: EventBus,
    private readonly secrets: SecretRegistry,
    private readonly now: () => number,
    guilds: readonly { id: string; announceChannelId?: string }[],
  ) {
    for (const { id, announceChannelId } of guilds) {
      this.#guilds.set(id, { available: false });
      if (announceChannelId !== undefined) this.#channelGuild.set(announceChannelId, id);
    }
  }

  /** Announcement channel → its guild. */
  readonly #channelGuild = new Map<string, string>();

  connected(client: Client): void {
    this.#connected = true;
    this.#since = this.now();
    this.#reason = undefined;
    if (client.user !== null) this.#user = { id: client.user.id, username: client.user.username };
    for (const [id, guild] of this.#guilds) {
      const cached = client.guilds.cache.get(id);
      guild.available = cached?.available ?? false;
      if (cached?.name !== undefined) guild.name = cached.name;
    }
    this.#changed();
  }

  disconnected(reason: string): void {
    if (!this.#connected && this.#reason === reason) return;
    this.#connected = false;
    this.#since = this.now();
    this.#reason = this.secrets.redactString(reason);
    this.#changed();
  }

  restarted(): void {
    this.#restarts += 1;
    this.#changed();
  }

  heartbeat(latencyMs: number | undefined): void {
    this.#lastHeartbeatAt = this.now();
    if (latencyMs !== undefined && Number.isFinite(latencyMs) && latencyMs >= 0) this.#latencyMs = Math.round(latencyMs);
    this.#changed();
  }

  error(code: string, message: string, logger: Logger): void {
    const clean = this.secrets.redactString(message).slice(0, 300);
    logger.warn({ code }, `Discord: ${clean}`);
    this.#errors.push({ code, message: clean, at: this.now() });
    if (this.#errors.length > MAX_ERRORS) this.#errors.splice(0, this.#errors.length - MAX_ERRORS);
    this.#changed();
  }

  guildCommands(guildId: string, outcome: GuildCommands): void {
    const guild = this.#guilds.get(guildId);
    if (guild === undefined) return;
    guild.commands = outcome;
    guild.commandsAt = this.now();
    this.#changed();
  }

  command(record: CommandRecord): void {
    this.#lastCommand = record;
    this.#commands += 1;
    this.#changed();
  }

  announced(record: PostedAnnouncement): void {
    const guildId = this.#channelGuild.get(record.channelId);
    const guild = guildId === undefined ? undefined : this.#guilds.get(guildId);
    if (guild !== undefined) guild.lastAnnouncement = record;
    this.#changed();
  }

  /** Body of runtime.json (ISO times from the kernel clock). */
  runtime(): RuntimeBody {
    const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());
    return {
      connected: this.#connected,
      since: iso(this.#since),
      ...(this.#reason === undefined ? {} : { reason: this.#reason }),
      user: this.#user ?? null,
      latencyMs: this.#latencyMs ?? null,
      lastHeartbeat: iso(this.#lastHeartbeatAt),
      restarts: this.#restarts,
      commandsHandled: this.#commands,
      lastCommand: this.#lastCommand === undefined ? null : { name: this.#lastCommand.name, guildId: this.#lastCommand.guildId, outcome: this.#lastCommand.outcome, ...(this.#lastCommand.code === undefined ? {} : { code: this.#lastCommand.code }), at: iso(this.#lastCommand.at)! },
      guilds: [...this.#guilds].sort(([a], [b]) => a.localeCompare(b)).map(([id, g]) => ({ id, available: g.available, ...(g.name === undefined ? {} : { name: g.name }) })),
      errors: this.#errors.map((e) => ({ code: e.code, message: e.message, at: iso(e.at)! })),
    };
  }

  /** Body of guilds/<id>.json. */
  guildFile(guildId: string, announceChannelId: string | undefined): GuildBody {
    const g = this.#guilds.get(guildId) ?? { available: false };
    const iso = (ms: number) => new Date(ms).toISOString();
    return {
      guildId,
      available: g.available,
      ...(g.name === undefined ? {} : { name: g.name }),
      commands: g.commands ?? 'pending',
      commandsAt: g.commandsAt === undefined ? null : iso(g.commandsAt),
      announceChannelId: announceChannelId ?? null,
      lastAnnouncement: g.lastAnnouncement === undefined ? null : { creator: g.lastAnnouncement.creatorId, kind: g.lastAnnouncement.kind, messageId: g.lastAnnouncement.messageId, at: iso(g.lastAnnouncement.at) },
    };
  }

  #changed(): void {
    this.bus.emit('discord.status', { at: this.now() });
  }
}

export interface RuntimeBody {
  connected: boolean;
  since: string | null;
  reason?: string;
  user: { id: string; username: string } | null;
  latencyMs: number | null;
  lastHeartbeat: string | null;
  restarts: number;
  commandsHandled: number;
  lastCommand: { name: string; guildId: string; outcome: string; code?: string; at: string } | null;
  guilds: { id: string; available: boolean; name?: string }[];
  errors: { code: string; message: string; at: string }[];
}

export interface GuildBody {
  guildId: string;
  available: boolean;
  name?: string;
  commands: GuildCommands | 'pending';
  commandsAt: string | null;
  announceChannelId: string | null;
  lastAnnouncement: { creator: string; kind: string; messageId: string; at: string } | null;
}
