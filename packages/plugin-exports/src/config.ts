import { Type, type Static } from '@streamsuites/kernel';

export const configSchema = Type.Object(
  {
    root: Type.String({ minLength: 1, default: 'state', description: "The exports root folder, relative to the manifest's `dataDir`." }),
    cadenceMs: Type.Integer({
      minimum: 1000,
      maximum: 86_400_000,
      default: 30_000,
      description: 'Every file is rewritten at least this often, in milliseconds.',
    }),
    debounceMs: Type.Integer({
      minimum: 0,
      maximum: 60_000,
      default: 500,
      description: 'Quiet time after a change event, in milliseconds, before the files it touches are rewritten.',
    }),
    signalsWindow: Type.Integer({ minimum: 1, maximum: 100_000, default: 500, description: 'Events kept in each signals file.' }),
    mirrorRoot: Type.Optional(
      Type.String({
        minLength: 1,
        description:
          'The dashboard publish root files are mirrored to, relative to the working directory. DASHBOARD_STATE_PUBLISH_ROOT or STREAMSUITES_STATE_PUBLISH_ROOT win over it; absent: `../StreamSuites-Dashboard/docs` if that checkout exists.',
      }),
    ),
    mirror: Type.Boolean({ default: true, description: 'false never mirrors the files to a publish root.' }),
    source: Type.String({ minLength: 1, default: 'streamsuites-runtime', description: 'The `meta.source` of every exported file.' }),
  },
  { additionalProperties: false, description: 'Where and how often the runtime state is exported as JSON files for dashboards, and where they are mirrored.' },
);

export type ExportsConfig = Static<typeof configSchema>;
