import { PLUGIN_ID_PATTERN, Type } from '@streamsuites/kernel';

const Duration = Type.String({
  pattern: '^[0-9]+(\\.[0-9]+)?(ms|s|m|h)$',
  description: 'A duration such as "500ms", "30s", "5m", "1h".',
});

/** One action of a trigger. */
export const ActionDescriptorSchema = Type.Object(
  {
    type: Type.String({ pattern: '^[a-z][a-zA-Z0-9-]*\\.[a-zA-Z][a-zA-Z0-9.-]*$' }),
    params: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    id: Type.Optional(Type.String({ minLength: 1 })),
  },
  { additionalProperties: false },
);

/** The shape of a trigger as written in the manifest (`creators.<id>.triggers[]`). */
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

/** `creators.<id>.triggers`. */
export const TriggersSectionSchema = Type.Array(TriggerDefinitionSchema);
