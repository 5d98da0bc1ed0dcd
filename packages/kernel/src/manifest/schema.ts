import { Type, type Static } from 'typebox';

/** Plugin ids: lowercase, as used in `enable` lists. */
export const PLUGIN_ID_PATTERN = '^[a-z][a-z0-9-]{0,63}$';
/** Creator ids (also used in file names and URLs). */
export const CREATOR_ID_PATTERN = '^[a-z0-9][a-z0-9_-]{0,63}$';
export const CREATOR_ID = new RegExp(CREATOR_ID_PATTERN);
export const PLUGIN_ID = new RegExp(PLUGIN_ID_PATTERN);

export const CreatorManifestSchema = Type.Object(
  {
    displayName: Type.Optional(Type.String({ minLength: 1 })),
    enable: Type.Array(Type.String({ minLength: 1 }), { uniqueItems: true }),
    config: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  // Any other key is a section a plugin claims (manifestSectionsExtensionPoint), checked by its schema.
);

/** The keys of a creator entry that are the kernel's own. */
export const CREATOR_KEYS: readonly string[] = Object.keys(CreatorManifestSchema.properties);

export const PluginEntrySchema = Type.Object(
  {
    package: Type.Optional(Type.String({ minLength: 1 })),
    config: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { additionalProperties: false },
);

export const ManifestSchema = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    /** Configuration folders or manifest files merged under this manifest (its own values win). */
    include: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { uniqueItems: true })),
    kernel: Type.Optional(Type.String({ minLength: 1 })),
    dataDir: Type.Optional(Type.String({ minLength: 1 })),
    logLevel: Type.Optional(
      Type.Union([Type.Literal('fatal'), Type.Literal('error'), Type.Literal('warn'), Type.Literal('info'), Type.Literal('debug'), Type.Literal('trace'), Type.Literal('silent')]),
    ),
    onBootFailure: Type.Optional(Type.Union([Type.Literal('continue'), Type.Literal('abort')])),
    timeouts: Type.Optional(
      Type.Object(
        {
          initMs: Type.Optional(Type.Integer({ minimum: 1 })),
          startMs: Type.Optional(Type.Integer({ minimum: 1 })),
          stopMs: Type.Optional(Type.Integer({ minimum: 1 })),
        },
        { additionalProperties: false },
      ),
    ),
    plugins: Type.Optional(Type.Record(Type.String(), PluginEntrySchema)),
    creators: Type.Record(Type.String(), CreatorManifestSchema),
  },
  // Other top-level keys are sections plugins claim.
);

/** The top-level keys that are the kernel's own. */
export const MANIFEST_KEYS: readonly string[] = Object.keys(ManifestSchema.properties);

/** The manifest as written (before defaults). */
export type ManifestInput = Static<typeof ManifestSchema>;
export type CreatorManifest = Static<typeof CreatorManifestSchema>;
export type PluginEntry = Static<typeof PluginEntrySchema>;

export const DEFAULT_TIMEOUTS = Object.freeze({ initMs: 30_000, startMs: 30_000, stopMs: 10_000 });

/** The manifest after validation: defaults applied, paths absolute, env resolved. */
export interface ResolvedManifest {
  /** Absolute path of the file, or `<inline>`. */
  source: string;
  kernel?: string;
  dataDir: string;
  logLevel: NonNullable<ManifestInput['logLevel']>;
  onBootFailure: 'continue' | 'abort';
  timeouts: { initMs: number; startMs: number; stopMs: number };
  /** Top-level sections claimed by plugins (`dryRun`...), validated; read them with the section's `read()`. */
  sections: Readonly<Record<string, unknown>>;
  plugins: Record<string, { package?: string; config: Record<string, unknown> }>;
  creators: Record<string, ResolvedCreator>;
}

export interface ResolvedCreator {
  id: string;
  displayName?: string;
  enable: string[];
  /** Per-plugin creator config, validated, defaults applied. */
  config: Record<string, Record<string, unknown>>;
  /** Creator sections claimed by plugins (`triggers`, `quotas`, `dryRun`...), validated; read them with the section's `read()`. */
  sections: Readonly<Record<string, unknown>>;
}
