import { Type, type Static } from 'typebox';
import type { TriggerDefinition } from '../contracts/triggers.js';

/** Plugin ids: lowercase, as used in `enable` lists. */
export const PLUGIN_ID_PATTERN = '^[a-z][a-z0-9-]{0,63}$';
/** Creator ids (also used in file names and URLs). */
export const CREATOR_ID_PATTERN = '^[a-z0-9][a-z0-9_-]{0,63}$';
export const CREATOR_ID = new RegExp(CREATOR_ID_PATTERN);
export const PLUGIN_ID = new RegExp(PLUGIN_ID_PATTERN);

const Duration = Type.String({
  pattern: '^[0-9]+(\\.[0-9]+)?(ms|s|m|h)$',
  description: 'A duration such as "500ms", "30s", "5m", "1h".',
});

export const ActionDescriptorSchema = Type.Object(
  {
    type: Type.String({ pattern: '^[a-z][a-zA-Z0-9-]*\\.[a-zA-Z][a-zA-Z0-9.-]*$' }),
    params: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    id: Type.Optional(Type.String({ minLength: 1 })),
  },
  { additionalProperties: false },
);

export const TriggerDefinitionSchema = Type.Object(
  {
    id: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    type: Type.String({ minLength: 1 }),
    // Optional: a type whose params are all optional or defaulted needs none (the type's schema decides when triggers compile).
    params: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    platforms: Type.Optional(Type.Array(Type.String({ pattern: PLUGIN_ID_PATTERN }))),
    roles: Type.Optional(
      Type.Array(Type.Union([Type.Literal('broadcaster'), Type.Literal('moderator'), Type.Literal('vip'), Type.Literal('subscriber'), Type.Literal('member')])),
    ),
    minAmountMicros: Type.Optional(Type.Integer({ minimum: 0 })),
    cooldown: Type.Optional(
      Type.Object(
        { user: Type.Optional(Duration), creator: Type.Optional(Duration), global: Type.Optional(Duration) },
        { additionalProperties: false },
      ),
    ),
    actions: Type.Array(ActionDescriptorSchema, { minItems: 1 }),
    enabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const QuotaPolicySchema = Type.Object(
  {
    daily: Type.Integer({ minimum: 1 }),
    buffer: Type.Optional(Type.Integer({ minimum: 0 })),
    timeZone: Type.Optional(Type.String({ minLength: 1 })),
  },
  { additionalProperties: false },
);

export const CreatorManifestSchema = Type.Object(
  {
    displayName: Type.Optional(Type.String({ minLength: 1 })),
    enable: Type.Array(Type.String({ minLength: 1 }), { uniqueItems: true }),
    config: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    triggers: Type.Optional(Type.Array(TriggerDefinitionSchema)),
    quotas: Type.Optional(Type.Record(Type.String(), QuotaPolicySchema)),
    dryRun: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

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
    dryRun: Type.Optional(Type.Boolean()),
    plugins: Type.Optional(Type.Record(Type.String(), PluginEntrySchema)),
    creators: Type.Record(Type.String(), CreatorManifestSchema),
  },
  { additionalProperties: false },
);

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
  dryRun: boolean;
  plugins: Record<string, { package?: string; config: Record<string, unknown> }>;
  creators: Record<string, ResolvedCreator>;
}

export interface ResolvedCreator {
  id: string;
  displayName?: string;
  enable: string[];
  /** Per-plugin creator config, validated, defaults applied. */
  config: Record<string, Record<string, unknown>>;
  /** Shape-checked here; types, params and actions are checked against the plugins when the kernel is created. */
  triggers: TriggerDefinition[];
  quotas: Record<string, Static<typeof QuotaPolicySchema>>;
  dryRun: boolean;
}
