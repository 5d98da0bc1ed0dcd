import { PermissionFlagsBits } from 'discord.js';
import type { Access } from './commands/definitions.js';
import type { DiscordGuildConfig } from './config.js';

/** The member as an interaction carries it: its permission bits in the channel and its role ids. */
export interface MemberAccess {
  permissions: bigint;
  roles: readonly string[];
}

/** Whether `member` may run a command of `access` in `guild`, checked by the bot on every use. */
export function mayRun(access: Access, member: MemberAccess, guild: DiscordGuildConfig): boolean {
  const admin =
    (member.permissions & PermissionFlagsBits.Administrator) !== 0n ||
    (member.permissions & PermissionFlagsBits.ManageGuild) !== 0n ||
    member.roles.some((role) => guild.adminRoleIds.includes(role));
  if (access === 'admin') return admin;
  return admin || guild.readRoleIds.length === 0 || member.roles.some((role) => guild.readRoleIds.includes(role));
}

/** What a refused member lacks, for the refusal message. */
export function needs(access: Access, guild: DiscordGuildConfig): string {
  if (access === 'admin') return guild.adminRoleIds.length > 0 ? 'Manage Server or an admin role' : 'Manage Server';
  return 'a role allowed to read the runtime status';
}

/** Reads permission bits sent as a decimal string (snowflake-sized: beyond 2^53, hence BigInt). */
export function permissionBits(value: unknown): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'string' && /^[0-9]{1,30}$/.test(value)) return BigInt(value);
  return 0n;
}
