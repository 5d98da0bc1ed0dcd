import { Type, type Static } from '@streamsuites/kernel';

/** Plugin-wide settings (`plugins.pilled.config`). Nothing to set yet: the plugin has no API of its own to point at. */
export const configSchema = Type.Object({}, { additionalProperties: false, description: 'Plugin-wide Pilled settings; there is nothing to set yet.' });

/**
 * A Pilled channel name as in `https://pilled.net/<channel>`: letters, digits,
 * `_`, `-` and `.`, no slashes, so a full URL pasted by mistake is refused
 * with a path instead of silently becoming a wrong channel.
 */
export const PILLED_CHANNEL_PATTERN = '^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$';

/** Per creator (`creators.<id>.config.pilled`). */
export const creatorConfigSchema = Type.Object(
  {
    channel: Type.String({
      pattern: PILLED_CHANNEL_PATTERN,
      minLength: 1,
      maxLength: 64,
      description: "The creator's Pilled channel name, as in `https://pilled.net/<channel>` (e.g. `ThirdRailify`), not the full URL.",
    }),
    botUsername: Type.Optional(
      Type.String({ minLength: 1, maxLength: 64, description: 'The account a transport sends as; its own lines coming back are not emitted as chat.' }),
    ),
  },
  { additionalProperties: false, description: "One creator's Pilled channel." },
);

export type PilledConfig = Static<typeof configSchema>;
export type PilledCreatorConfig = Static<typeof creatorConfigSchema>;
