import { type ExportSection, Type } from '@streamsuites/kernel';
import type { DiscordStatus, GuildBody, RuntimeBody } from './status.js';

const Iso = Type.String({ format: 'date-time' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

/** Body of `shared/state/discord/runtime.json`. */
export const runtimeBodySchema = Type.Object(
  {
    connected: Type.Boolean(),
    since: Nullable(Iso),
    reason: Type.Optional(Type.String({ maxLength: 300 })),
    user: Nullable(Type.Object({ id: Type.String(), username: Type.String() }, { additionalProperties: false })),
    latencyMs: Nullable(Type.Integer({ minimum: 0 })),
    lastHeartbeat: Nullable(Iso),
    restarts: Type.Integer({ minimum: 0 }),
    commandsHandled: Type.Integer({ minimum: 0 }),
    lastCommand: Nullable(
      Type.Object(
        { name: Type.String(), guildId: Type.String(), outcome: Type.Union([Type.Literal('ok'), Type.Literal('refused'), Type.Literal('failed')]), code: Type.Optional(Type.String({ pattern: '^SS_ERR_' })), at: Iso },
        { additionalProperties: false },
      ),
    ),
    guilds: Type.Array(Type.Object({ id: Type.String(), available: Type.Boolean(), name: Type.Optional(Type.String()) }, { additionalProperties: false })),
    errors: Type.Array(Type.Object({ code: Type.String(), message: Type.String({ maxLength: 300 }), at: Iso }, { additionalProperties: false }), { maxItems: 10 }),
  },
  { additionalProperties: false },
);

/** Body of `shared/state/discord/guilds/<guildId>.json`. */
export const guildBodySchema = Type.Object(
  {
    guildId: Type.String(),
    available: Type.Boolean(),
    name: Type.Optional(Type.String()),
    commands: Type.Union(['pending', 'unchanged', 'updated', 'failed', 'not-joined'].map((v) => Type.Literal(v))),
    commandsAt: Nullable(Iso),
    announceChannelId: Nullable(Type.String()),
    lastAnnouncement: Nullable(
      Type.Object({ creator: Type.String(), kind: Type.String(), messageId: Type.String(), at: Iso }, { additionalProperties: false }),
    ),
  },
  { additionalProperties: false },
);


/** The control plane's export sections (written by plugin-exports when it is loaded). */
export function discordSections(source: () => { status: DiscordStatus; guilds: readonly { id: string; announceChannelId?: string }[] } | undefined): ExportSection[] {
  const runtime: ExportSection<RuntimeBody> = {
    file: 'shared/state/discord/runtime.json',
    schema: 'streamsuites.discord.runtime',
    version: 1,
    visibility: 'dashboard-only',
    description: 'The Discord control plane: connection, guilds, latency, last command, last heartbeat, recent errors.',
    bodySchema: runtimeBodySchema,
    snapshot: () => source()?.status.runtime() ?? idleRuntime(),
    watch: ['discord.status'],
  };
  const guild: ExportSection<GuildBody> = {
    file: 'shared/state/discord/guilds/{key}.json',
    schema: 'streamsuites.discord.guild',
    version: 1,
    visibility: 'dashboard-only',
    description: 'One allowed Discord server: commands registered, announcement channel, last announcement.',
    bodySchema: guildBodySchema,
    keys: () => source()?.guilds.map((g) => g.id) ?? [],
    snapshot: ({ key }) => {
      const s = source();
      const config = s?.guilds.find((g) => g.id === key);
      if (s === undefined || config === undefined) throw new Error(`no allowed server ${key}`);
      return s.status.guildFile(config.id, config.announceChannelId);
    },
    watch: ['discord.status'],
  };
  return [runtime, guild];
}

function idleRuntime(): RuntimeBody {
  return { connected: false, since: null, user: null, latencyMs: null, lastHeartbeat: null, restarts: 0, commandsHandled: 0, lastCommand: null, guilds: [], errors: [] };
}
