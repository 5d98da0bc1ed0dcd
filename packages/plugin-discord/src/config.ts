import { Type, type Static } from '@streamsuites/kernel';

const Snowflake = Type.String({ pattern: '^[0-9]{15,21}$' });
/** A Discord id, with what it names. */
const snowflake = (description: string) => Type.String({ pattern: '^[0-9]{15,21}$', description });

/** One Discord server the bot serves (the allow-list). */
const GuildSchema = Type.Object(
  {
    id: snowflake('The server (guild) id.'),
    announceChannelId: Type.Optional(
      snowflake('The channel where go-live and clip announcements are posted. Absent: nothing is announced in this server.'),
    ),
    adminRoleIds: Type.Array(Snowflake, {
      default: [],
      description: 'Roles that may use the admin commands, besides members with Administrator or Manage Server.',
    }),
    readRoleIds: Type.Array(Snowflake, {
      default: [],
      description: 'When set, only these roles (and admins) may use the read-only commands. Empty: every member may.',
    }),
  },
  { additionalProperties: false, description: 'One Discord server the bot serves.' },
);

const Backoff = Type.Object(
  {
    initialMs: Type.Integer({ minimum: 100, default: 2000, description: 'Delay before the first restart, in milliseconds.' }),
    maxMs: Type.Integer({ minimum: 1000, default: 300_000, description: 'Longest delay between restarts, in milliseconds.' }),
    factor: Type.Number({ minimum: 1, maximum: 10, default: 2, description: 'Each further restart waits this many times longer than the one before, up to `maxMs`.' }),
    jitter: Type.Number({ minimum: 0, maximum: 1, default: 0.3, description: 'Fraction of the delay randomised (0 = none, 0.5 = ±50 %).' }),
  },
  {
    additionalProperties: false,
    default: {},
    description: 'Backoff between restarts of the Discord client after a failure (the streaming runtime is never restarted).',
  },
);

/** Plugin-wide settings (`plugins.discord.config`). */
export const configSchema = Type.Object(
  {
    token: Type.String({
      minLength: 20,
      description: 'The bot token, usually `${env:DISCORD_BOT_TOKEN}`. Registered as a secret: never in logs, exports or replies.',
    }),
    guilds: Type.Array(GuildSchema, {
      minItems: 1,
      maxItems: 100,
      description: 'The servers the bot answers in; an interaction from any other server is refused.',
    }),
    restUrl: Type.String({
      pattern: '^https?://',
      default: 'https://discord.com/api',
      description: "Discord's REST base URL; the gateway URL comes from it. Change it only to point at the local fake in tests.",
    }),
    mode: Type.Union([Type.Literal('integrated'), Type.Literal('standalone')], {
      default: 'integrated',
      description:
        '`integrated`: inside `streamsuites run`, reading and acting on the runtime. `standalone` (`streamsuites discord <manifest>`): apart from the runtime, reading its published state under `stateRoot`; commands that act answer SS_ERR_DISCORD_NOT_AVAILABLE and nothing is announced.',
    }),
    stateRoot: Type.String({
      minLength: 1,
      default: 'state',
      description: "The exports root the standalone mode reads, relative to the manifest's `dataDir` (as plugin-exports' `root`).",
    }),
    heartbeatIntervalMs: Type.Integer({
      minimum: 1000,
      maximum: 600_000,
      default: 30_000,
      description: 'How often, in milliseconds, the heartbeat (latency, guilds) is recorded in runtime.json.',
    }),
    restart: Backoff,
    announcements: Type.Object(
      {
        live: Type.String({
          minLength: 1,
          maxLength: 1000,
          default: '🔴 **{creator}** is live on {platforms}: {title}',
          description: 'The go-live text; `{creator}`, `{platforms}` and `{title}` are filled in.',
        }),
        ended: Type.String({
          minLength: 1,
          maxLength: 500,
          default: 'Stream ended after {duration}.',
          description: 'Appended to the announcement when the last platform goes offline; `{duration}` is filled in.',
        }),
        clips: Type.Boolean({ default: false, description: 'Post published clips too.' }),
        clip: Type.String({
          minLength: 1,
          maxLength: 1000,
          default: '🎬 New clip from **{creator}**: {title} {url}',
          description: 'The clip text; `{creator}`, `{title}` and `{url}` are filled in (only `http(s)` URLs are posted).',
        }),
      },
      {
        additionalProperties: false,
        default: {},
        description:
          'The default announcement texts and clip posting. `postingRules` for stream.online, stream.offline and clip.published override them per creator: `to` without "discord" posts nothing, `template` or `templates.discord` replace the text, `minIntervalSec` spaces posts of one kind.',
      },
    ),
  },
  { additionalProperties: false, description: 'Plugin-wide Discord settings: the bot token, the servers it serves, its mode and announcements.' },
);

/** Per creator (`creators.<id>.config.discord`). */
export const creatorConfigSchema = Type.Object(
  {
    displayName: Type.Optional(
      Type.String({ minLength: 1, maxLength: 100, description: 'The name announcements use for this creator. Absent: the creator id.' }),
    ),
    announce: Type.Boolean({ default: true, description: "Announce this creator's streams in the servers' announcement channels." }),
  },
  { additionalProperties: false, description: 'How Discord announces one creator.' },
);

export type DiscordConfig = Static<typeof configSchema>;
export type DiscordGuildConfig = Static<typeof GuildSchema>;
export type DiscordCreatorConfig = Static<typeof creatorConfigSchema>;
