import { Type, type Static } from '@streamsuites/kernel';

const Snowflake = Type.String({ pattern: '^[0-9]{15,21}$' });

/** One Discord server the bot serves (the allow-list). */
const GuildSchema = Type.Object(
  {
    id: Snowflake,
    /** Where go-live and clip announcements are posted (absent: none in this server). */
    announceChannelId: Type.Optional(Snowflake),
    /** Roles that may use the admin commands besides Administrator / Manage Server. */
    adminRoleIds: Type.Array(Snowflake, { default: [] }),
    /** When set, only these roles (and admins) may use the read-only commands; empty: every member. */
    readRoleIds: Type.Array(Snowflake, { default: [] }),
  },
  { additionalProperties: false },
);

const Backoff = Type.Object(
  {
    initialMs: Type.Integer({ minimum: 100, default: 2000 }),
    maxMs: Type.Integer({ minimum: 1000, default: 300_000 }),
    factor: Type.Number({ minimum: 1, maximum: 10, default: 2 }),
    jitter: Type.Number({ minimum: 0, maximum: 1, default: 0.3 }),
  },
  { additionalProperties: false, default: {} },
);

/** Plugin-wide settings (`plugins.discord.config`). */
export const configSchema = Type.Object(
  {
    /** The bot token, usually `${env:DISCORD_BOT_TOKEN}` (registered as a secret). */
    token: Type.String({ minLength: 20 }),
    /** The servers the bot answers in; an interaction from any other server is refused. */
    guilds: Type.Array(GuildSchema, { minItems: 1, maxItems: 100 }),
    /** Discord's REST base (the gateway URL comes from it); tests point it at the local fake. */
    restUrl: Type.String({ pattern: '^https?://', default: 'https://discord.com/api' }),
    /**
     * `integrated`: inside `streamsuites run`, reading and acting on the
     * runtime. `standalone` (`streamsuites discord <manifest>`): apart from
     * the runtime, reading its published state under `stateRoot`; commands
     * that act answer SS_ERR_DISCORD_NOT_AVAILABLE and nothing is announced.
     */
    mode: Type.Union([Type.Literal('integrated'), Type.Literal('standalone')], { default: 'integrated' }),
    /** The exports root the standalone mode reads, relative to the manifest's dataDir (as plugin-exports' `root`). */
    stateRoot: Type.String({ minLength: 1, default: 'state' }),
    /** How often the heartbeat is recorded (latency, guilds) in runtime.json. */
    heartbeatIntervalMs: Type.Integer({ minimum: 1000, maximum: 600_000, default: 30_000 }),
    /** Restarts of the Discord client after a failure (never of the streaming runtime). */
    restart: Backoff,
    /**
     * The default texts and clip posting; a creator's (or the top-level)
     * `postingRules` for stream.online / stream.offline / clip.published
     * override them per creator: `to` without "discord" posts nothing,
     * `template` / `templates.discord` replace the text, `minIntervalSec`
     * spaces posts of one kind.
     */
    announcements: Type.Object(
      {
        /** `{creator}`, `{platforms}`, `{title}` are filled in. */
        live: Type.String({ minLength: 1, maxLength: 1000, default: '🔴 **{creator}** is live on {platforms}: {title}' }),
        /** Appended when a stream ends: `{duration}`. */
        ended: Type.String({ minLength: 1, maxLength: 500, default: 'Stream ended after {duration}.' }),
        /** Post published clips (`{creator}`, `{title}`, `{url}`); off by default. */
        clips: Type.Boolean({ default: false }),
        clip: Type.String({ minLength: 1, maxLength: 1000, default: '🎬 New clip from **{creator}**: {title} {url}' }),
      },
      { additionalProperties: false, default: {} },
    ),
  },
  { additionalProperties: false },
);

/** Per creator (`creators.<id>.config.discord`). */
export const creatorConfigSchema = Type.Object(
  {
    /** The name announcements use (default: the creator id). */
    displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    /** Announce this creator's streams (default true). */
    announce: Type.Boolean({ default: true }),
  },
  { additionalProperties: false },
);

export type DiscordConfig = Static<typeof configSchema>;
export type DiscordGuildConfig = Static<typeof GuildSchema>;
export type DiscordCreatorConfig = Static<typeof creatorConfigSchema>;
