import { CREATOR_ID_PATTERN, defineManifestSection, pointer, Type, type ManifestIssue, type Static } from '@streamsuites/kernel';
import { SS_ERR_IDENTITY_ACCOUNT_DUPLICATE } from './errors.js';

/** `<platform>:<platform user id>`: the platform id as plugins name it, then the platform's stable user id (not the login). */
export const ACCOUNT_PATTERN = '^[a-z][a-z0-9-]{0,31}:[^\\s:][^\\s]{0,127}$';

const PersonSchema = Type.Object(
  {
    accounts: Type.Array(Type.String({ pattern: ACCOUNT_PATTERN, description: '"<platform>:<user id>", e.g. "twitch:12345", "youtube:UCxxxx".' }), {
      minItems: 1,
      maxItems: 50,
      uniqueItems: true,
      description: "The person's accounts, as \"<platform>:<user id>\" (the platform's stable user id, not the login); an account belongs to one person only.",
    }),
    displayName: Type.Optional(
      Type.String({ minLength: 1, maxLength: 100, description: "A name for the operator's own reading of the manifest; never exported." }),
    ),
  },
  { additionalProperties: false, description: 'One person: the accounts on several platforms that are them.' },
);

/** Top-level `identities`: person id (like a creator id) → the accounts that are that person. */
export const IdentitiesSchema = Type.Record(Type.String(), PersonSchema, {
  // Person ids are path-safe like creator ids (a bad one is reported as such, not as an "unknown key").
  propertyNames: { type: 'string', pattern: CREATOR_ID_PATTERN, description: 'A person id: lowercase letters, digits, "-" and "_", like a creator id.' },
  description: 'Accounts on several platforms that are one person (per-user cooldowns, poll votes and chat limits count them once). Never exported.',
});

export type IdentitiesSection = Static<typeof IdentitiesSchema>;

/** Splits `<platform>:<user id>` at its first colon. */
export function parseAccount(account: string): { platform: string; userId: string } {
  const at = account.indexOf(':');
  return { platform: account.slice(0, at), userId: account.slice(at + 1) };
}

/** One account in two persons: each duplicate named with both JSON paths. */
function duplicateAccounts(value: IdentitiesSection, path: readonly (string | number)[]): ManifestIssue[] {
  const seen = new Map<string, string>();
  const issues: ManifestIssue[] = [];
  for (const [personId, person] of Object.entries(value)) {
    person.accounts.forEach((account, index) => {
      const here = pointer([...path, personId, 'accounts', index]);
      const first = seen.get(account);
      if (first === undefined) {
        seen.set(account, here);
        return;
      }
      const error = new SS_ERR_IDENTITY_ACCOUNT_DUPLICATE(account, first, here);
      issues.push({ code: error.code, path: here, message: error.message, hint: error.hint! });
    });
  }
  return issues;
}

/** The operator's links, claimed by the identity plugin and applied before creators start. */
export const identitiesSection = defineManifestSection({ key: 'identities', scope: 'manifest', schema: IdentitiesSchema, check: duplicateAccounts });
