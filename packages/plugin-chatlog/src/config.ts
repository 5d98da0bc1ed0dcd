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
    /** Folder of the logs, relative to the manifest's dataDir. */
    dir: Type.String({ minLength: 1, default: 'chatlog' }),
    /** Event names to log (each must carry a `creatorId`). */
    events: Type.Array(Type.String({ pattern: '^[a-z][a-z0-9.-]*$' }), { minItems: 1, maxItems: 100, default: [...DEFAULT_EVENTS] }),
    /** How often buffered events are written. */
    flushIntervalMs: Type.Integer({ minimum: 50, maximum: 60_000, default: 1000 }),
    /** Events held in memory per creator; beyond it new events are dropped and counted (the runtime never blocks on the disk). */
    maxBufferedEvents: Type.Integer({ minimum: 100, maximum: 1_000_000, default: 50_000 }),
    /** A day's file rolls over to `<day>.<n>.jsonl` beyond this size. */
    maxFileBytes: Type.Integer({ minimum: 4096, default: 256 * 1024 * 1024 }),
    /** Files of days older than this are deleted (0 = keep forever). */
    retentionDays: Type.Integer({ minimum: 0, maximum: 36_500, default: 30 }),
    /** Secret for hashing user ids (HMAC-SHA256), needed by creators with `hashUserIds`. */
    hashSalt: Type.Optional(Type.String({ minLength: 16 })),
  },
  { additionalProperties: false },
);

/** Per creator (`creators.<id>.config.chatlog`); enabling the plugin for a creator is the opt-in. */
export const creatorConfigSchema = Type.Object(
  {
    /** Replace user ids with a keyed hash (stable per user, not reversible without the salt). */
    hashUserIds: Type.Boolean({ default: false }),
  },
  { additionalProperties: false },
);

export type ChatLogConfig = Static<typeof configSchema>;
export type ChatLogCreatorConfig = Static<typeof creatorConfigSchema>;
