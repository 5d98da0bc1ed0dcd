import { defineError } from '@streamsuites/kernel';

/** Coded errors of @streamsuites/config; every code is in the README "Errors" table. */

export const SS_ERR_CONFIG_DIR_NOT_FOUND = defineError(
  'SS_ERR_CONFIG_DIR_NOT_FOUND',
  (dir: string, reason: string) => `cannot read the configuration folder ${dir}: ${reason}`,
  'Pass the folder that holds creators.json (a reference-style shared/config folder).',
);
export const SS_ERR_CONFIG_FILE_MISSING = defineError(
  'SS_ERR_CONFIG_FILE_MISSING',
  (file: string) => `${file} is missing`,
  'Every configuration folder needs creators.json (the dashboard writes it); see the @streamsuites/config README for its format.',
);
export const SS_ERR_CONFIG_FILE_UNKNOWN = defineError(
  'SS_ERR_CONFIG_FILE_UNKNOWN',
  (file: string) => `${file} is not a configuration file StreamSuites reads; it is ignored`,
  'Rename it if it is misspelt, or move it out of the folder.',
);
export const SS_ERR_CONFIG_PARSE = defineError(
  'SS_ERR_CONFIG_PARSE',
  (file: string, problem: string) => `${file} is not valid JSON: ${problem}`,
  'The file may be half-written (a save in progress, a failed copy): fix or rewrite it; nothing of it is used meanwhile.',
);
export const SS_ERR_CONFIG_SCHEMA = defineError(
  'SS_ERR_CONFIG_SCHEMA',
  (file: string, problem: string) => `${file}: ${problem}`,
  'See the file formats in the @streamsuites/config README, or let the editor complete it through the file\'s "$schema".',
);
export const SS_ERR_CONFIG_UNKNOWN_KEY = defineError(
  'SS_ERR_CONFIG_UNKNOWN_KEY',
  (file: string, key: string) => `${file}: unknown key "${key}"`,
  'Remove the key or check its spelling.',
);
export const SS_ERR_CONFIG_DUPLICATE_KEY = defineError(
  'SS_ERR_CONFIG_DUPLICATE_KEY',
  (file: string) => `${file}: the key appears more than once`,
  'Remove the duplicate: JSON keeps only the last one.',
);
export const SS_ERR_CONFIG_DUPLICATE_CREATOR = defineError(
  'SS_ERR_CONFIG_DUPLICATE_CREATOR',
  (creatorId: string) => `creator "${creatorId}" is listed more than once in creators.json`,
  'Each creator_id must appear once; merge the entries.',
);
export const SS_ERR_CONFIG_UNKNOWN_TIER = defineError(
  'SS_ERR_CONFIG_UNKNOWN_TIER',
  (creatorId: string, tier: string) => `creator "${creatorId}" is on tier "${tier}", which tiers.json does not define`,
  'Use a tier named in tiers.json, or add it there.',
);
export const SS_ERR_CONFIG_UNKNOWN_PLATFORM = defineError(
  'SS_ERR_CONFIG_UNKNOWN_PLATFORM',
  (where: string, platform: string) => `${where} names platform "${platform}", which is neither a StreamSuites platform nor in platforms.json`,
  'Check the name (twitch, youtube, rumble, discord, kick, x, pilled), or declare the platform with its "package" in platforms.json.',
);
export const SS_ERR_CONFIG_UNKNOWN_SERVICE = defineError(
  'SS_ERR_CONFIG_UNKNOWN_SERVICE',
  (creatorId: string, service: string) => `creator "${creatorId}" enables service "${service}", which is neither an official plugin nor in services.json`,
  'Check the name, or declare the service with its "package" in services.json.',
);
export const SS_ERR_CONFIG_UNKNOWN_CREATOR = defineError(
  'SS_ERR_CONFIG_UNKNOWN_CREATOR',
  (file: string, creatorId: string) => `${file} configures creator "${creatorId}", which creators.json does not list`,
  'Use a creator_id from creators.json, or remove the entry.',
);
export const SS_ERR_CONFIG_DISABLED = defineError(
  'SS_ERR_CONFIG_DISABLED',
  (creatorId: string, name: string, file: string) => `creator "${creatorId}" enables "${name}", which ${file} disables`,
  'Enable it in that file too, or set "enabled": false for this creator.',
);
export const SS_ERR_CONFIG_PACKAGE_MISSING = defineError(
  'SS_ERR_CONFIG_PACKAGE_MISSING',
  (file: string, name: string) => `${file}: "${name}" is not an official plugin and names no "package"`,
  'Add "package": "<npm package of the plugin>" to its entry.',
);
export const SS_ERR_CONFIG_CONFLICT = defineError(
  'SS_ERR_CONFIG_CONFLICT',
  (setting: string, first: string, second: string) => `${setting} is set both in ${first} and in ${second}, to different values`,
  'Set it in one file only.',
);
