import { PLUGIN_ID_PATTERN, Type } from '@streamsuites/kernel';

/** A duration such as "500ms", "30s", "5m", "1h", with what it is for. */
const duration = (what: string) =>
  Type.String({
    pattern: '^[0-9]+(\\.[0-9]+)?(ms|s|m|h)$',
    description: `${what}, as a duration such as "500ms", "30s", "5m", "1h".`,
  });

/** One action of a trigger. */
export const ActionDescriptorSchema = Type.Object(
  {
    type: Type.String({
      pattern: '^[a-z][a-zA-Z0-9-]*\\.[a-zA-Z][a-zA-Z0-9.-]*$',
      description: 'The action type, e.g. `chat.reply` or `clip.create`; types other than the built-in chat ones come from plugins.',
    }),
    params: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), {
        description: "The action's params, checked against its type's schema; text values may hold placeholders such as `{user}`.",
      }),
    ),
    id: Type.Optional(
      Type.String({ minLength: 1, description: "Names the action in its action id (and so its records). Absent: the action's position in the list." }),
    ),
  },
  { additionalProperties: false, description: 'One action: its type and params.' },
);

/** The shape of a trigger as written in the manifest (`creators.<id>.triggers[]`). */
export const TriggerDefinitionSchema = Type.Object(
  {
    id: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 128,
        description: 'The trigger id (for cooldowns, logs and `registry.remove`). Absent: one derived from its type and params, stable across restarts.',
      }),
    ),
    type: Type.String({
      minLength: 1,
      description: 'The trigger type: `command`, `keyword`, `regex`, `event`, or a type a plugin adds (the creator must enable that plugin).',
    }),
    // Optional: a type whose params are all optional or defaulted needs none (the type's schema decides when triggers compile).
    params: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), {
        description: "The trigger type's params, checked against its schema; may be left out when every param is optional or has a default.",
      }),
    ),
    platforms: Type.Optional(
      Type.Array(Type.String({ pattern: PLUGIN_ID_PATTERN }), { description: 'Only messages from these platforms fire the trigger. Absent: every platform.' }),
    ),
    roles: Type.Optional(
      Type.Array(Type.Union([Type.Literal('broadcaster'), Type.Literal('moderator'), Type.Literal('vip'), Type.Literal('subscriber'), Type.Literal('member')]), {
        description: 'Only authors with any of these roles fire the trigger; the broadcaster always passes. Absent: everyone.',
      }),
    ),
    minAmountMicros: Type.Optional(
      Type.Integer({
        minimum: 0,
        description: 'Only messages carrying at least this amount (bits, Super Chats...) fire the trigger, in millionths of the currency unit: 1 bit is 1000000.',
      }),
    ),
    cooldown: Type.Optional(
      Type.Object(
        {
          user: Type.Optional(duration('How long before the same user can fire this trigger again')),
          creator: Type.Optional(duration("How long before this trigger fires again in the creator's chat")),
          global: Type.Optional(duration("How long before any creator's trigger with the same id fires again")),
        },
        {
          additionalProperties: false,
          description: 'Cooldowns of the trigger, kept in the state store so a restart keeps them.',
        },
      ),
    ),
    actions: Type.Array(ActionDescriptorSchema, { minItems: 1, description: 'The actions run, in order, when the trigger fires.' }),
    enabled: Type.Optional(Type.Boolean({ description: 'false keeps the trigger loaded and checked but never fired. Absent: enabled.' })),
  },
  { additionalProperties: false, description: 'One chat or event trigger: what fires it, filters, cooldowns and the actions it runs.' },
);

/** `creators.<id>.triggers`. */
export const TriggersSectionSchema = Type.Array(TriggerDefinitionSchema, { description: "The creator's triggers, checked when the kernel is created." });
