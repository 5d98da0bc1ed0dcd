import { Type, type Static } from '@streamsuites/kernel';

/** `plugins.store-sqlite.config` in the manifest. */
export const configSchema = Type.Object(
  {
    /** The database file, relative to the manifest's dataDir (absolute paths are kept). */
    file: Type.String({ minLength: 1, default: 'streamsuites.db' }),
    /** How long a write waits for another connection's lock before SS_ERR_STORE_LOCKED. */
    busyTimeoutMs: Type.Integer({ minimum: 0, default: 5000 }),
    /**
     * `normal` (default): a commit survives a crash of the process (kill -9),
     * and the database is never corrupted; a power cut or OS crash may lose
     * the last commits. `full`: every commit is fsynced, so it also survives
     * power loss, at the price of one disk flush per write.
     */
    synchronous: Type.Union([Type.Literal('normal'), Type.Literal('full')], { default: 'normal' }),
  },
  { additionalProperties: false },
);

export type StoreSqliteConfig = Static<typeof configSchema>;
