import { defineError } from '@streamsuites/kernel';

/*
 * Identity error codes: the operator's `identities` section and the `!link`
 * flow. Chat-side codes are never thrown at the viewer: the flow answers in
 * chat and logs a line carrying the code.
 */

export const SS_ERR_IDENTITY_ACCOUNT_DUPLICATE = defineError(
  'SS_ERR_IDENTITY_ACCOUNT_DUPLICATE',
  (account: string, firstPath: string, secondPath: string) => `Account "${account}" is linked to two persons: at ${firstPath} and at ${secondPath}`,
  'An account belongs to one person: remove it from one of the two "accounts" lists (or merge the two persons into one).',
);
export const SS_ERR_IDENTITY_LINK_CREATOR_UNKNOWN = defineError(
  'SS_ERR_IDENTITY_LINK_CREATOR_UNKNOWN',
  (creatorId: string) => `plugins.identity.config.link.creators names creator "${creatorId}", which the manifest does not declare`,
  'List only creators of "creators" (or leave out "creators" to offer !link in every creator\'s chat).',
);
export const SS_ERR_IDENTITY_CODE_UNKNOWN = defineError(
  'SS_ERR_IDENTITY_CODE_UNKNOWN',
  (platform: string) => `A link code typed on ${platform} matches no pending code`,
  'The viewer mistyped the code, or it was never issued: they can ask for a new one with the link command on their other account.',
);
export const SS_ERR_IDENTITY_CODE_EXPIRED = defineError(
  'SS_ERR_IDENTITY_CODE_EXPIRED',
  (platform: string, ageSec: number) => `A link code typed on ${platform} expired ${ageSec} s ago`,
  'Codes live plugins.identity.config.link.codeTtlSec seconds: the viewer asks for a new one (or raise codeTtlSec).',
);
export const SS_ERR_IDENTITY_CODE_USED = defineError(
  'SS_ERR_IDENTITY_CODE_USED',
  (platform: string) => `A link code typed on ${platform} was already used`,
  'Each code links once: the viewer asks for a new one if they want to link another account.',
);
export const SS_ERR_IDENTITY_CODE_SAME_ACCOUNT = defineError(
  'SS_ERR_IDENTITY_CODE_SAME_ACCOUNT',
  (platform: string) => `A link code was typed on ${platform} by the account that asked for it, or asked for naming that same account`,
  'The code must be typed by the viewer\'s other account, the one named in "!link <platform> <name>"; a code typed by the asker stays valid for that account.',
);
export const SS_ERR_IDENTITY_CODE_WRONG_ACCOUNT = defineError(
  'SS_ERR_IDENTITY_CODE_WRONG_ACCOUNT',
  (platform: string, tries: number, max: number) => `A link code was typed on ${platform} by an account it is not for (${tries} of ${max} such tries); nothing was linked`,
  'Only the account named when the code was asked for may type it: on that platform, with that login or display name. The code stays valid for it (someone may have copied it from chat first).',
);
export const SS_ERR_IDENTITY_CODE_WITHDRAWN = defineError(
  'SS_ERR_IDENTITY_CODE_WITHDRAWN',
  (platform: string, max: number) => `A link code typed on ${platform} is withdrawn after ${max} tries from accounts it is not for`,
  'The viewer asks for a new code with "!link <platform> <name>" and types it from the account named, before others do.',
);
export const SS_ERR_IDENTITY_LINK_PLATFORM_UNKNOWN = defineError(
  'SS_ERR_IDENTITY_LINK_PLATFORM_UNKNOWN',
  (platform: string) => `"!link" named platform "${platform}", which is neither a known platform nor one chat came from; no code issued`,
  'The viewer names the platform of their other account as its plugin id (twitch, youtube, rumble, kick...).',
);
export const SS_ERR_IDENTITY_CODE_RATE_LIMITED = defineError(
  'SS_ERR_IDENTITY_CODE_RATE_LIMITED',
  (platform: string, max: number, windowSec: number) => `A ${platform} account asked for more than ${max} link codes within ${windowSec} s; no new code issued`,
  'The viewer waits, or the operator raises plugins.identity.config.link.maxCodesPerAccount / rateWindowSec.',
);
export const SS_ERR_IDENTITY_LINK_CONFLICT = defineError(
  'SS_ERR_IDENTITY_LINK_CONFLICT',
  (reason: string) => `Chat cannot change this link: ${reason}`,
  'Links the operator made in the manifest\'s "identities" section change only there: edit that section.',
);
export const SS_ERR_IDENTITY_STORE_FAILED = defineError(
  'SS_ERR_IDENTITY_STORE_FAILED',
  (what: string) => `The state store failed while ${what}; nothing was linked`,
  'See the cause (disk space, database file permissions); the viewer can try again once the store works.',
);
