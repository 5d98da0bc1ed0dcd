import { Type, type Static } from '@streamsuites/kernel';

/** `plugins.store-sqlite.config` in the manifest. */
export const configSchema = Type.Object(
  {
    file: Type.String({
      minLength: 1,
      default: 'streamsuites.db',
      description: "The database file, relative to the manifest's `dataDir` (an absolute path is kept).",
    }),
    busyTimeoutMs: Type.Integer({
      minimum: 0,
      default: 5000,
      description: "Milliseconds a write waits for another connection's lock before SS_ERR_STORE_LOCKED.",
    }),
    synchronous: Type.Union([Type.Literal('normal'), Type.Literal('full')], {
      default: 'normal',
      description:
        '`normal`: a commit survives a crash of the process (kill -9) and the database is never corrupted, but a power cut or OS crash may lose the last commits. `full`: every commit is fsynced, so it also survives power loss, at one disk flush per write.',
    }),
  },
  { additionalProperties: false, description: 'The SQLite state store: the database file and its durability.' },
);

export type StoreSqliteConfig = Static<typeof configSchema>;
