import { Type, type Static } from '@streamsuites/kernel';

/** The events written by default: everything platform plugins normalize from chat. */
export const DEFAULT_EVENTS = [
  'chat.message',
  'chat.notice',
  'chat.deleted',
  'chat.cleared',
  'chat.user-timeout',
  'chat.room-state',
  'chat.gap',
  'stream.online',
  'stream.offline',
] as const;

/** Plugin-wide settings (`plugins.chatlog.config`). */
export const configSchema = Type.Object(
  {
    dir: Type.String({ minLength: 1, default: 'chatlog', description: "Folder of the logs, relative to the manifest's `dataDir`." }),
    events: Type.Array(Type.String({ pattern: '^[a-z][a-z0-9.-]*$' }), {
      minItems: 1,
      maxItems: 100,
      default: [...DEFAULT_EVENTS],
      description: 'Names of the bus events to log; each must carry a `creatorId`.',
    }),
    flushIntervalMs: Type.Integer({ minimum: 50, maximum: 60_000, default: 1000, description: 'How often buffered events are written, in milliseconds.' }),
    maxBufferedEvents: Type.Integer({
      minimum: 100,
      maximum: 1_000_000,
      default: 50_000,
      description: 'Events held in memory per creator; beyond it new events are dropped and counted (the runtime never blocks on the disk).',
    }),
    maxFileBytes: Type.Integer({
      minimum: 4096,
      default: 256 * 1024 * 1024,
      description: "Size in bytes beyond which a day's file rolls over to `<day>.<n>.jsonl`.",
    }),
    retentionDays: Type.Integer({
      minimum: 0,
      maximum: 36_500,
      default: 30,
      description: 'Files of days older than this many days are deleted; 0 keeps them forever.',
    }),
    hashSalt: Type.Optional(
      Type.String({ minLength: 16, description: 'Secret key for hashing user ids (HMAC-SHA256); needed by creators with `hashUserIds`.' }),
    ),
  },
  { additionalProperties: false, description: 'Plugin-wide chat log settings: the folder, the events logged, buffering, file size and retention.' },
);

/** Per creator (`creators.<id>.config.chatlog`); enabling the plugin for a creator is the opt-in. */
export const creatorConfigSchema = Type.Object(
  {
    hashUserIds: Type.Boolean({
      default: false,
      description: "Replace user ids with a keyed hash: stable per user, not reversible without the plugin's `hashSalt`.",
    }),
  },
  { additionalProperties: false, description: "One creator's chat log; enabling the plugin for the creator is the opt-in." },
);

export type ChatLogConfig = Static<typeof configSchema>;
export type ChatLogCreatorConfig = Static<typeof creatorConfigSchema>;
