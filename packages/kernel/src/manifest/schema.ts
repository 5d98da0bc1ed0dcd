import { Type, type Static } from 'typebox';

/** Plugin ids: lowercase, as used in `enable` lists. */
export const PLUGIN_ID_PATTERN = '^[a-z][a-z0-9-]{0,63}$';
/** Creator ids (also used in file names and URLs). */
export const CREATOR_ID_PATTERN = '^[a-z0-9][a-z0-9_-]{0,63}$';
export const CREATOR_ID = new RegExp(CREATOR_ID_PATTERN);
export const PLUGIN_ID = new RegExp(PLUGIN_ID_PATTERN);

export const CreatorManifestSchema = Type.Object(
  {
    displayName: Type.Optional(Type.String({ minLength: 1, description: 'The name shown for this creator in logs, exports and the dashboard; the creator id when left out.' })),
    enable: Type.Array(Type.String({ minLength: 1 }), { uniqueItems: true, description: 'The ids of the plugins that run for this creator, each declared under "plugins" or a default plugin.' }),
    config: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: "Per-plugin creator config, by plugin id; each is checked against that plugin's creator config schema." })),
  },
  { description: 'One creator (streamer) by id: lowercase letters, digits, "-" and "_".' },
  // Any other key is a section a plugin claims (manifestSectionsExtensionPoint), checked by its schema.
);

/** The keys of a creator entry that are the kernel's own. */
export const CREATOR_KEYS: readonly string[] = Object.keys(CreatorManifestSchema.properties);

export const PluginEntrySchema = Type.Object(
  {
    package: Type.Optional(Type.String({ minLength: 1, description: 'The npm package the plugin is loaded from, resolved from the manifest\'s folder; left out for a plugin the host provides, such as a default plugin.' })),
    config: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: "The plugin's config, checked against its config schema after its defaults are filled in." })),
  },
  { additionalProperties: false, description: 'A plugin by id: where to load it from and its config.' },
);

export const ManifestSchema = Type.Object(
  {
    $schema: Type.Optional(Type.String({ description: 'The JSON Schema editors check this file against, such as the output of `streamsuites schema`; ignored by the loader.' })),
    /** Configuration folders or manifest files merged under this manifest (its own values win). */
    include: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { uniqueItems: true, description: 'Configuration folders or manifest files merged under this manifest, relative to its folder; its own values win.' })),
    kernel: Type.Optional(Type.String({ minLength: 1, description: 'The semver range of @streamsuites/kernel this manifest was written for, such as "^0.2.0"; checked at load.' })),
    dataDir: Type.Optional(Type.String({ minLength: 1, description: 'Where plugins keep their files, such as state, chat logs and exports, relative to the manifest\'s folder; "./data" when left out.' })),
    logLevel: Type.Optional(
      Type.Union([Type.Literal('fatal'), Type.Literal('error'), Type.Literal('warn'), Type.Literal('info'), Type.Literal('debug'), Type.Literal('trace'), Type.Literal('silent')], {
        description: 'The lowest log level written; "info" when left out.',
      }),
    ),
    onBootFailure: Type.Optional(
      Type.Union([Type.Literal('continue'), Type.Literal('abort')], {
        description: 'What happens when a plugin or creator fails to start: "continue" reports it and runs the rest, "abort" stops everything started; "continue" when left out.',
      }),
    ),
    timeouts: Type.Optional(
      Type.Object(
        {
          initMs: Type.Optional(Type.Integer({ minimum: 1, description: "Time limit of each plugin's init, in milliseconds; 30000 when left out." })),
          startMs: Type.Optional(Type.Integer({ minimum: 1, description: "Time limit of each plugin's start for one creator, in milliseconds; 30000 when left out." })),
          stopMs: Type.Optional(Type.Integer({ minimum: 1, description: 'Time limit of each stop step, in milliseconds; 10000 when left out.' })),
        },
        { additionalProperties: false, description: 'Time limits of the lifecycle steps; a step that takes longer fails with a coded error.' },
      ),
    ),
    plugins: Type.Optional(Type.Record(Type.String(), PluginEntrySchema, { description: 'The plugins to load, by plugin id, with their config.' })),
    creators: Type.Record(Type.String(), CreatorManifestSchema, { description: 'The creators, by creator id, each with the plugins enabled for them and their config.' }),
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
