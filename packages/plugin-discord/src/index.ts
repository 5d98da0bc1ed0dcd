/**
 * @streamsuites/plugin-discord — the Discord control plane for StreamSuites:
 * slash commands with server-side permissions, go-live and clip
 * announcements, heartbeat and runtime state for the dashboard.
 */
import { discordPlugin } from './plugin.js';

export default discordPlugin;
export { discordPlugin };
export { configSchema, creatorConfigSchema } from './config.js';
export type { DiscordConfig, DiscordCreatorConfig, DiscordGuildConfig } from './config.js';
export { COMMANDS, accessOf } from './commands/definitions.js';
export type { Access, CommandBody } from './commands/definitions.js';
export { sameCommands, syncGuildCommands } from './commands/registration.js';
export type { SyncOutcome } from './commands/registration.js';
export { runCommand } from './commands/run.js';
export type { CommandInput, CommandRuntime, Reply } from './commands/run.js';
export { mayRun, permissionBits } from './permissions.js';
export type { MemberAccess } from './permissions.js';
export { Announcer, ANNOUNCEMENTS_NAMESPACE, formatDuration } from './announcer.js';
export type { AnnouncementTemplates, AnnouncerOptions, PostedAnnouncement } from './announcer.js';
export { DiscordControlPlane } from './control-plane.js';
export type { ControlPlaneOptions } from './control-plane.js';
export { DiscordStatus } from './status.js';
export type { GuildBody, RuntimeBody } from './status.js';
export { discordSections, guildBodySchema, runtimeBodySchema } from './exports.js';
export { RuntimeWatch } from './watch.js';
export * from './errors.js';
