import { CREATOR_ID_PATTERN, Type, type Static } from '@streamsuites/kernel';

/** A chat command: one token, `!` optional. */
const command = (fallback: string, description: string) => Type.String({ pattern: '^!?[A-Za-z0-9_-]{1,32}$', default: fallback, description });

/**
 * `plugins.identity.config`. The `!link` flow is off unless the operator
 * turns it on: once on, it runs in the chat of every creator, or only of
 * those in `link.creators` (a per-creator opt-in kept in one place, because
 * a person spans creators: a code asked for in one creator's chat may be
 * typed in another's, if both offer the flow).
 */
export const identityConfigSchema = Type.Object(
  {
    link: Type.Object(
      {
        enabled: Type.Boolean({ default: false, description: 'Offer the !link / !unlink commands in chat.' }),
        command: command('!link', 'With a platform and a name ("!link youtube @anna"): asks for a code for that account. With a code: redeems it. Alone: how to use it.'),
        unlinkCommand: command('!unlink', 'Removes the link of the account that types it.'),
        codeTtlSec: Type.Integer({ minimum: 30, maximum: 86_400, default: 600, description: 'Seconds a code stays valid.' }),
        maxCodesPerAccount: Type.Integer({ minimum: 1, maximum: 100, default: 3, description: 'Codes one account may ask for within rateWindowSec.' }),
        rateWindowSec: Type.Integer({ minimum: 1, maximum: 86_400, default: 3600, description: 'The window, in seconds, that `maxCodesPerAccount` counts codes in.' }),
        creators: Type.Optional(
          Type.Array(Type.String({ pattern: CREATOR_ID_PATTERN }), { uniqueItems: true, description: 'Only these creators offer the flow (default: every creator).' }),
        ),
      },
      { additionalProperties: false, default: {}, description: 'The `!link` chat flow, by which viewers link their own accounts across platforms; off unless enabled.' },
    ),
  },
  { additionalProperties: false, description: 'Settings of the identity plugin, which links accounts on several platforms into one person.' },
);

export type IdentityConfig = Static<typeof identityConfigSchema>;
export type LinkFlowConfig = IdentityConfig['link'];
