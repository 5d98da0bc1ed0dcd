import { Type, type Static } from '@streamsuites/kernel';

/** Params of an `emoteCombo` trigger; all have defaults, so a trigger may leave `params` out. */
export const emoteComboParams = Type.Object(
  {
    /** Messages carrying the emote that make a combo. */
    count: Type.Integer({ minimum: 2, maximum: 1000, default: 5 }),
    /** The messages must arrive within this many seconds (first to last). */
    windowSec: Type.Number({ exclusiveMinimum: 0, maximum: 3600, default: 10 }),
    /** Only this emote (its name, or its id when the platform sends no name); any emote when left out. */
    emote: Type.Optional(Type.String({ minLength: 1 })),
  },
  { additionalProperties: false },
);

export type EmoteComboParams = Static<typeof emoteComboParams>;
