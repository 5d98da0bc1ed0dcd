import { CREATOR_ID_PATTERN, PLUGIN_ID_PATTERN, Type, type TSchema } from '@streamsuites/kernel';

/**
 * The files of a configuration folder and their own schemas. The schemas
 * check each file's envelope (its keys, the lists and maps, the flags); the
 * settings inside (a platform's `channel`, a rule's thresholds) are checked
 * by the plugin or section they map to, after the keys are converted, and
 * reported back at the file's key.
 */

const SchemaRef = Type.Optional(Type.String({ description: 'The JSON Schema of this file (editor completion), e.g. "../schemas/creators.schema.json".' }));
const Version = Type.Literal(1, { description: 'Format version of this file; 1.' });
const Enabled = Type.Optional(Type.Boolean({ default: true, description: 'false: off (the plugin is not loaded, or the creator does not use it). Default true.' }));
const Package = Type.String({ minLength: 1, description: 'npm package of the plugin; official platforms and services need none.' });
const CreatorId = Type.String({ pattern: CREATOR_ID_PATTERN });
const Settings = (description: string) => Type.Record(Type.String(), Type.Unknown(), { description });

/** A platform or service as a creator uses it: `enabled` plus that plugin's creator settings (snake_case). */
const CreatorPlugin = Type.Object(
  { enabled: Enabled },
  { additionalProperties: true, description: 'enabled, plus the plugin\'s creator settings in snake_case (e.g. channel, bot_login, token).' },
);

const CreatorEntry = Type.Object(
  {
    creator_id: Type.String({ pattern: CREATOR_ID_PATTERN, description: 'Stable id: lowercase letters, digits, - and _.' }),
    display_name: Type.Optional(Type.String({ minLength: 1 })),
    enabled: Enabled,
    tier: Type.Optional(Type.String({ minLength: 1, description: 'A tier named in tiers.json.' })),
    platforms: Type.Optional(Type.Record(Type.String({ pattern: PLUGIN_ID_PATTERN }), CreatorPlugin, {
      description: 'Per platform (twitch, youtube, rumble, discord...): enabled and the creator\'s settings there. Enabled platforms start their workers.',
    })),
    services: Type.Optional(Type.Record(Type.String({ pattern: PLUGIN_ID_PATTERN }), CreatorPlugin, {
      description: 'Per service (clips, engagement, chatlog, exports...): enabled and the creator\'s settings.',
    })),
  },
  { additionalProperties: false },
);

export const CreatorsFileSchema = Type.Object(
  {
    $schema: SchemaRef,
    version: Version,
    creators: Type.Array(CreatorEntry, { description: 'Every creator, as the dashboard lists them.' }),
  },
  { additionalProperties: false, title: 'creators.json', description: 'The creators, their tier and their per-platform and per-service flags and settings (dashboard-generated).' },
);

const PluginEntry = Type.Object(
  { enabled: Enabled, package: Type.Optional(Package) },
  { additionalProperties: true, description: 'enabled, package (not for official plugins), plus the plugin-wide settings in snake_case.' },
);

export const PlatformsFileSchema = Type.Object(
  {
    $schema: SchemaRef,
    version: Version,
    platforms: Type.Record(Type.String({ pattern: PLUGIN_ID_PATTERN }), PluginEntry, { description: 'Platform enablement and plugin-wide settings.' }),
  },
  { additionalProperties: false, title: 'platforms.json', description: 'Which platforms run and their plugin-wide settings (dashboard-generated).' },
);

export const ServicesFileSchema = Type.Object(
  {
    $schema: SchemaRef,
    version: Version,
    services: Type.Record(Type.String({ pattern: PLUGIN_ID_PATTERN }), PluginEntry, { description: 'Non-platform plugins: enablement, package and plugin-wide settings.' }),
  },
  { additionalProperties: false, title: 'services.json', description: 'Services (clips, exports, chatlog, storage, your own plugins) and their plugin-wide settings.' },
);

const LogLevel = Type.Union(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)));

export const SystemFileSchema = Type.Object(
  {
    $schema: SchemaRef,
    version: Version,
    system: Type.Optional(
      Type.Object(
        {
          kernel: Type.Optional(Type.String({ minLength: 1, description: 'Semver range of kernels this configuration works with.' })),
          data_dir: Type.Optional(Type.String({ minLength: 1, description: 'State folder, relative to the project root (the folder holding shared/).' })),
          log_level: Type.Optional(LogLevel),
          on_boot_failure: Type.Optional(Type.Union([Type.Literal('continue'), Type.Literal('abort')])),
          timeouts: Type.Optional(
            Type.Object(
              {
                init_ms: Type.Optional(Type.Integer({ minimum: 1 })),
                start_ms: Type.Optional(Type.Integer({ minimum: 1 })),
                stop_ms: Type.Optional(Type.Integer({ minimum: 1 })),
              },
              { additionalProperties: false },
            ),
          ),
        },
        { additionalProperties: false, description: 'Runtime settings: kernel range, data_dir, log_level, on_boot_failure, timeouts.' },
      ),
    ),
    clips: Type.Optional(
      Type.Object(
        {
          concurrency: Type.Optional(Type.Integer({ minimum: 1, maximum: 16, default: 2, description: 'Encodes at once (default 2).' })),
          default_destination: Type.Optional(
            Type.Object({ channel_url: Type.Optional(Type.String({ pattern: '^https?://' })) }, { additionalProperties: false, description: 'The Rumble channel clips go to by default.' }),
          ),
        },
        { additionalProperties: true, description: 'The clips plugin: concurrency, default_destination.channel_url, destination, rumble, and its other settings in snake_case.' },
      ),
    ),
    exports: Type.Optional(Settings('The exports plugin\'s settings (root, cadence_ms, mirror...) in snake_case.')),
    chatlog: Type.Optional(Settings('The chat log plugin\'s settings (retention_days...) in snake_case.')),
  },
  { additionalProperties: false, title: 'system.json', description: 'Runtime settings and the settings of the clips, exports and chatlog plugins.' },
);

const Rate = Type.Integer({ minimum: 0 });

export const RateLimitsFileSchema = Type.Object(
  {
    $schema: SchemaRef,
    version: Version,
    platforms: Type.Object(
      {
        twitch: Type.Optional(
          Type.Object(
            {
              logins_per_10s: Type.Optional(Type.Integer({ minimum: 1, maximum: 2000, description: 'Logins and JOINs per 10 s per bot (20; 2,000 for a verified bot).' })),
              send_queue_limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, description: 'Replies waiting for the send limit before the oldest are dropped.' })),
              messages_per_30s: Type.Optional(Rate),
              moderator_messages_per_30s: Type.Optional(Rate),
            },
            { additionalProperties: false },
          ),
        ),
        youtube: Type.Optional(
          Type.Object(
            {
              daily_units: Type.Optional(Type.Integer({ minimum: 1, description: 'YouTube Data API units per day, per creator.' })),
              buffer_units: Type.Optional(Type.Integer({ minimum: 0, description: 'Units kept for essential calls.' })),
              time_zone: Type.Optional(Type.String({ minLength: 1, description: 'IANA zone of the quota day (YouTube: America/Los_Angeles).' })),
            },
            { additionalProperties: false },
          ),
        ),
        rumble: Type.Optional(
          Type.Object(
            {
              requests_per_minute: Type.Optional(Type.Integer({ minimum: 1, maximum: 6000, description: 'Livestream API requests per minute.' })),
              sends_per_minute: Type.Optional(Type.Integer({ minimum: 1, maximum: 60, description: 'Chat messages sent (browser) per minute.' })),
            },
            { additionalProperties: false },
          ),
        ),
        discord: Type.Optional(Type.Object({ requests_per_second: Type.Optional(Rate) }, { additionalProperties: false })),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false, title: 'ratelimits.json', description: 'Rate limits and quotas per platform.' },
);

export const TiersFileSchema = Type.Object(
  {
    $schema: SchemaRef,
    version: Version,
    tiers: Type.Record(Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$' }), Settings('The tier\'s limits in snake_case (max_triggers, max_clip_sec, clips_per_hour, platforms...).'), {
      description: 'Named tiers with their limits; a creator names one with "tier".',
    }),
  },
  { additionalProperties: false, title: 'tiers.json', description: 'Named tiers and their limits (the manifest\'s top-level "tiers").' },
);

/** chat_behaviour.json, clip_rules.json, posting_rules.json, monetization.json: a default for every creator, and per-creator rules over it. */
function ruleFileSchema(file: string, section: string, what: string): TSchema {
  return Type.Object(
    {
      $schema: SchemaRef,
      version: Version,
      defaults: Type.Optional(Settings(`${what} of every creator (snake_case); a creator's own entry overrides it key by key.`)),
      creators: Type.Optional(Type.Record(CreatorId, Settings(`${what} of this creator (snake_case), over "defaults".`))),
    },
    { additionalProperties: false, title: file, description: `${what}: the creator section "${section}" of the manifest.` },
  );
}

const Trigger = Type.Record(Type.String(), Type.Unknown(), { description: 'A trigger as in the manifest (type, params, cooldown, roles, actions), keys in snake_case.' });

export const TriggersFileSchema = Type.Object(
  {
    $schema: SchemaRef,
    version: Version,
    defaults: Type.Optional(Type.Array(Trigger, { description: 'Triggers of every creator; a creator\'s trigger with the same id replaces one.' })),
    creators: Type.Optional(Type.Record(CreatorId, Type.Array(Trigger))),
  },
  { additionalProperties: false, title: 'chat_triggers.json', description: 'Chat triggers per creator (the manifest\'s creators.<id>.triggers).' },
);

export const IdentitiesFileSchema = Type.Object(
  {
    $schema: SchemaRef,
    version: Version,
    people: Type.Record(
      CreatorId,
      Type.Object(
        {
          display_name: Type.Optional(Type.String({ minLength: 1 })),
          accounts: Type.Array(
            Type.Object(
              { platform: Type.String({ pattern: PLUGIN_ID_PATTERN }), user_id: Type.String({ minLength: 1, description: 'The platform\'s stable user id (not the login).' }) },
              { additionalProperties: false },
            ),
            { minItems: 1 },
          ),
        },
        { additionalProperties: false },
      ),
      { description: 'One person\'s accounts on several platforms (cooldowns, votes and chat limits count them once).' },
    ),
  },
  { additionalProperties: false, title: 'identities.json', description: 'Operator-configured identity links (the manifest\'s top-level "identities").' },
);

export const LoggingFileSchema = Type.Object(
  {
    $schema: SchemaRef,
    version: Version,
    level: Type.Optional(LogLevel),
    pretty: Type.Optional(Type.Boolean()),
    redact: Type.Optional(Type.Array(Type.String())),
  },
  { additionalProperties: false, title: 'logging.json', description: 'Log level (the others are the reference\'s: pretty follows the terminal, secrets are redacted by key).' },
);

export interface ConfigFile {
  /** File name in the folder. */
  name: string;
  schema: TSchema;
  required: boolean;
}

/** Every file a configuration folder may hold, in reading order. */
export const CONFIG_FILES: readonly ConfigFile[] = [
  { name: 'creators.json', schema: CreatorsFileSchema, required: true },
  { name: 'platforms.json', schema: PlatformsFileSchema, required: false },
  { name: 'services.json', schema: ServicesFileSchema, required: false },
  { name: 'system.json', schema: SystemFileSchema, required: false },
  { name: 'logging.json', schema: LoggingFileSchema, required: false },
  { name: 'ratelimits.json', schema: RateLimitsFileSchema, required: false },
  { name: 'tiers.json', schema: TiersFileSchema, required: false },
  { name: 'chat_triggers.json', schema: TriggersFileSchema, required: false },
  { name: 'chat_behaviour.json', schema: ruleFileSchema('chat_behaviour.json', 'chatBehaviour', 'Chat behaviour (greeting, auto-replies, banned phrases, per-user rate limits)'), required: false },
  { name: 'clip_rules.json', schema: ruleFileSchema('clip_rules.json', 'clipRules', 'Clip rules (who may clip, max length, cooldowns, destinations)'), required: false },
  { name: 'posting_rules.json', schema: ruleFileSchema('posting_rules.json', 'postingRules', 'Posting rules (which events post where, templates, minimum interval)'), required: false },
  { name: 'monetization.json', schema: ruleFileSchema('monetization.json', 'monetization', 'Monetization rules (bits, Super Chats, rants mapped to actions by threshold)'), required: false },
  { name: 'identities.json', schema: IdentitiesFileSchema, required: false },
];

/** Rule files → the creator section each fills. */
export const RULE_SECTIONS: Readonly<Record<string, string>> = {
  'chat_behaviour.json': 'chatBehaviour',
  'clip_rules.json': 'clipRules',
  'posting_rules.json': 'postingRules',
  'monetization.json': 'monetization',
};

/**
 * Platform names as the dashboard writes them → plugin ids. `twitter` is
 * the reference's older name of X.
 */
export const PLATFORM_PLUGINS: Readonly<Record<string, string>> = {
  twitch: 'twitch',
  youtube: 'youtube',
  rumble: 'rumble',
  discord: 'discord',
  kick: 'kick',
  x: 'x',
  twitter: 'x',
  pilled: 'pilled',
};
