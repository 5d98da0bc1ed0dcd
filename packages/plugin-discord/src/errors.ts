import { defineError } from '@streamsuites/kernel';

/**
 * Coded errors of @streamsuites/plugin-discord. Every code is listed in the
 * README "Errors" table; a command's error reaches the user as an ephemeral
 * reply carrying its code.
 */

export const SS_ERR_DISCORD_AUTH = defineError(
  'SS_ERR_DISCORD_AUTH',
  (detail: string) => `Discord rejected the bot token: ${detail}`,
  'Reset the bot token in the Discord developer portal (Bot → Reset Token) and put it in the environment variable the manifest names; the control plane does not retry a rejected token.',
);
export const SS_ERR_DISCORD_GUILD_NOT_ALLOWED = defineError(
  'SS_ERR_DISCORD_GUILD_NOT_ALLOWED',
  (guildId: string) => `This server (${guildId}) is not in the StreamSuites guild allow-list`,
  'Add the server id under plugins.discord.config.guilds in the manifest, or remove the bot from this server.',
);
export const SS_ERR_DISCORD_FORBIDDEN = defineError(
  'SS_ERR_DISCORD_FORBIDDEN',
  (command: string, needs: string) => `You may not use /${command}: it needs ${needs}`,
  'Ask a server admin for the role the manifest names for this command, or for Manage Server.',
);
export const SS_ERR_DISCORD_CREATOR_NOT_FOUND = defineError(
  'SS_ERR_DISCORD_CREATOR_NOT_FOUND',
  (creator: string, known: string) => `No creator "${creator}" (known: ${known})`,
  'Pick a creator from the autocomplete list; creators are the keys of `creators` in the manifest.',
);
export const SS_ERR_DISCORD_OPTION_INVALID = defineError(
  'SS_ERR_DISCORD_OPTION_INVALID',
  (option: string, problem: string) => `Option "${option}" ${problem}`,
);
export const SS_ERR_DISCORD_RELOAD_UNAVAILABLE = defineError(
  'SS_ERR_DISCORD_RELOAD_UNAVAILABLE',
  () => 'The standalone control plane reads the published state and has no runtime to reload',
  'Reload from the runtime itself: `streamsuites run --watch` reloads on save, or run the control plane integrated (mode "integrated") to use /reload.',
);
export const SS_ERR_DISCORD_ACTION_FAILED = defineError(
  'SS_ERR_DISCORD_ACTION_FAILED',
  (action: string, reason: string) => `${action} failed: ${reason}`,
);
export const SS_ERR_DISCORD_NOT_AVAILABLE = defineError(
  'SS_ERR_DISCORD_NOT_AVAILABLE',
  (what: string) => `${what} is not available in this runtime`,
  'The plugin that provides it is not enabled (for example plugin-clips for /clip, plugin-engagement for /poll).',
);
export const SS_ERR_DISCORD_COMMAND_FAILED = defineError(
  'SS_ERR_DISCORD_COMMAND_FAILED',
  (command: string) => `/${command} failed unexpectedly`,
  'A bug in the Discord control plane: the error is in the runtime log under this command; the streaming runtime is not affected.',
);
