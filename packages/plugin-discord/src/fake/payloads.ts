/**
 * Gateway and REST payload builders. The shapes follow the vendored samples in
 * test/fixtures/discord/ (READY and GUILD_CREATE from Discord4J's gateway
 * captures, interactions from the API docs' examples); fields discord.js 14.28
 * reads that the older samples lack (`entitlements`, `channel`,
 * `authorizing_integration_owners`, `context`) are added. test/fake-fixtures.test.ts
 * checks the key sets against the samples.
 */
import type { FakeBotUser, FakeChannel, FakeCommandOption, FakeGuild } from './types.js';

// Discord's epoch; snowflakes carry a millisecond timestamp in their top bits.
const EPOCH = 1420070400000n;
let increment = 0n;

export function snowflake(at = Date.now()): string {
  increment = (increment + 1n) & 0xfffn;
  return (((BigInt(at) - EPOCH) << 22n) | (1n << 17n) | increment).toString();
}

export function iso(at: number): string {
  return new Date(at).toISOString().replace('Z', '+00:00');
}

export function userObject(user: FakeBotUser, bot = false): Record<string, unknown> {
  return {
    id: user.id,
    username: user.username,
    discriminator: '0',
    global_name: null,
    avatar: null,
    public_flags: 0,
    ...(bot ? { bot: true } : {}),
  };
}

/** d4j.gateway.READY.json shape. */
export function readyPayload(args: {
  bot: FakeBotUser;
  guilds: FakeGuild[];
  sessionId: string;
  resumeGatewayUrl: string;
  applicationId: string;
  shard: [number, number];
}): Record<string, unknown> {
  return {
    v: 10,
    user_settings: {},
    user: {
      ...userObject(args.bot, true),
      verified: true,
      mfa_enabled: false,
      flags: 0,
      email: null,
    },
    shard: args.shard,
    session_id: args.sessionId,
    resume_gateway_url: args.resumeGatewayUrl,
    session_type: 'normal',
    relationships: [],
    private_channels: [],
    presences: [],
    guilds: args.guilds.map((g) => ({ unavailable: true, id: g.id })),
    guild_join_requests: [],
    geo_ordered_rtc_regions: ['us-east', 'us-central'],
    // GATEWAY_GUILD_MEMBERS_LIMITED | GATEWAY_MESSAGE_CONTENT_LIMITED, as in the sample.
    application: { id: args.applicationId, flags: 40960 },
    _trace: ['["fake-discord-gateway",{"micros":0}]'],
  };
}

export function channelObject(guildId: string, c: FakeChannel, position: number): Record<string, unknown> {
  return {
    id: c.id,
    type: c.type ?? 0,
    name: c.name,
    guild_id: guildId,
    position,
    permission_overwrites: [],
    topic: null,
    nsfw: false,
    rate_limit_per_user: 0,
    parent_id: null,
    last_message_id: null,
    flags: 0,
  };
}

function roleObject(id: string, name: string, permissions: string, position: number): Record<string, unknown> {
  return {
    id,
    name,
    permissions,
    position,
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    managed: false,
    mentionable: false,
    icon: null,
    unicode_emoji: null,
    flags: 0,
  };
}

/** d4j.gateway.GUILD_CREATE.json shape. */
export function guildCreatePayload(g: FakeGuild, bot: FakeBotUser, joinedAt: number): Record<string, unknown> {
  const everyone = g.roles?.find((r) => r.id === g.id);
  const roles = [
    roleObject(g.id, '@everyone', everyone?.permissions ?? '0', 0),
    ...(g.roles ?? []).filter((r) => r.id !== g.id).map((r, i) => roleObject(r.id, r.name, r.permissions, i + 1)),
  ];
  const channels = (g.channels ?? []).map((c, i) => channelObject(g.id, c, i));
  return {
    id: g.id,
    name: g.name,
    icon: null,
    splash: null,
    discovery_splash: null,
    banner: null,
    description: null,
    owner_id: g.ownerId ?? '134127815531560960',
    application_id: null,
    afk_channel_id: null,
    afk_timeout: 300,
    rules_channel_id: null,
    public_updates_channel_id: null,
    system_channel_id: null,
    system_channel_flags: 0,
    verification_level: 0,
    explicit_content_filter: 0,
    default_message_notifications: 1,
    mfa_level: 0,
    nsfw: false,
    nsfw_level: 0,
    premium_tier: 0,
    premium_subscription_count: 0,
    premium_progress_bar_enabled: false,
    preferred_locale: 'en-US',
    vanity_url_code: null,
    hub_type: null,
    features: [],
    max_members: 250000,
    max_video_channel_users: 25,
    application_command_count: 0,
    application_command_counts: { 1: 0, 2: 0, 3: 0 },
    joined_at: iso(joinedAt),
    large: false,
    lazy: true,
    unavailable: false,
    member_count: 1,
    members: [
      { user: userObject(bot, true), roles: [], nick: null, flags: 0, mute: false, deaf: false, joined_at: iso(joinedAt) },
    ],
    channels,
    threads: [],
    roles,
    emojis: [],
    stickers: [],
    presences: [],
    voice_states: [],
    stage_instances: [],
    guild_scheduled_events: [],
    embedded_activities: [],
    guild_hashes: { version: 1 },
  };
}

/** A message object as POST /channels/:id/messages and the webhook routes return it. */
export function messageObject(args: {
  id: string;
  channelId: string;
  guildId?: string;
  author: FakeBotUser;
  body: Record<string, unknown>;
  createdAt: number;
  editedAt?: number;
  webhookId?: string;
  applicationId?: string;
}): Record<string, unknown> {
  const b = args.body;
  return {
    id: args.id,
    type: 0,
    channel_id: args.channelId,
    ...(args.guildId ? { guild_id: args.guildId } : {}),
    author: userObject(args.author, true),
    content: typeof b.content === 'string' ? b.content : '',
    timestamp: iso(args.createdAt),
    edited_timestamp: args.editedAt === undefined ? null : iso(args.editedAt),
    tts: b.tts === true,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: [],
    embeds: Array.isArray(b.embeds) ? b.embeds : [],
    components: Array.isArray(b.components) ? b.components : [],
    pinned: false,
    flags: typeof b.flags === 'number' ? b.flags : 0,
    ...(args.webhookId ? { webhook_id: args.webhookId } : {}),
    ...(args.applicationId ? { application_id: args.applicationId } : {}),
  };
}

export interface InteractionPayloadArgs {
  id: string;
  token: string;
  applicationId: string;
  type: 2 | 4;
  guildId: string;
  channel: FakeChannel;
  commandId: string;
  name: string;
  options?: FakeCommandOption[];
  user: FakeBotUser;
  permissions: string;
  roles: string[];
  joinedAt: number;
}

/**
 * interaction.type2.slash-command.member.json / interaction.type4.autocomplete.json
 * shape. discord.js 14.28 needs: `application_id` (editReply/followUp URLs),
 * `token`, `entitlements` (an array, else the constructor throws),
 * `authorizing_integration_owners` (an object, else it throws), `member.user`,
 * `data.type` 1 for a ChatInputCommandInteraction, `channel` (Interaction#channelId comes
 * from `channel.id`, not `channel_id`).
 */
export function interactionPayload(a: InteractionPayloadArgs): Record<string, unknown> {
  return {
    id: a.id,
    application_id: a.applicationId,
    type: a.type,
    token: a.token,
    version: 1,
    guild_id: a.guildId,
    guild: { id: a.guildId, locale: 'en-US', features: [] },
    channel_id: a.channel.id,
    channel: channelObject(a.guildId, a.channel, 0),
    member: {
      user: userObject(a.user),
      roles: a.roles,
      premium_since: null,
      permissions: a.permissions,
      pending: false,
      nick: null,
      mute: false,
      deaf: false,
      flags: 0,
      joined_at: iso(a.joinedAt),
    },
    // What the bot may do in the channel (docs sample: 442368).
    app_permissions: '442368',
    locale: 'en-US',
    guild_locale: 'en-US',
    entitlements: [],
    authorizing_integration_owners: { '0': a.guildId },
    context: 0,
    attachment_size_limit: 8388608,
    data: {
      id: a.commandId,
      name: a.name,
      type: 1,
      guild_id: a.guildId,
      ...(a.options ? { options: a.options } : {}),
    },
  };
}

/** A stored application command, as d4j.rest.application-command.response.json. */
export function storedCommand(
  body: Record<string, unknown>,
  ids: { id: string; applicationId: string; guildId?: string },
): Record<string, unknown> {
  return {
    default_permission: true,
    default_member_permissions: null,
    type: 1,
    name_localizations: null,
    description_localizations: null,
    nsfw: false,
    ...body,
    id: ids.id,
    application_id: ids.applicationId,
    version: snowflake(),
    ...(ids.guildId ? { guild_id: ids.guildId } : {}),
  };
}
