import { Type, type Static } from '@streamsuites/kernel';

export const configSchema = Type.Object(
  {
    /** Exports root, relative to the manifest's dataDir. */
    root: Type.String({ minLength: 1, default: 'state' }),
    /** Every file is rewritten at least this often. */
    cadenceMs: Type.Integer({ minimum: 1000, maximum: 86_400_000, default: 30_000 }),
    /** Quiet time after a change event before the files it touches are rewritten. */
    debounceMs: Type.Integer({ minimum: 0, maximum: 60_000, default: 500 }),
    /** Events kept in each signals file. */
    signalsWindow: Type.Integer({ minimum: 1, maximum: 100_000, default: 500 }),
    /** Publish root to mirror to (after the environment variables; relative to the working directory). */
    mirrorRoot: Type.Optional(Type.String({ minLength: 1 })),
    /** Set false to never mirror. */
    mirror: Type.Boolean({ default: true }),
    /** `meta.source` of every file. */
    source: Type.String({ minLength: 1, default: 'streamsuites-runtime' }),
  },
  { additionalProperties: false },
);

export type ExportsConfig = Static<typeof configSchema>;
