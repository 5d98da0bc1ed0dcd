/**
 * Command definitions, registration diffing and permissions, without a
 * gateway (the end-to-end tests drive them through discord.js).
 */
import { PermissionFlagsBits } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { accessOf, COMMANDS, mayRun, permissionBits, sameCommands } from '../src/index.js';

/** A command as Discord returns it (shape of the vendored d4j response fixture): ids, versions, nulls, and no `required: false`. */
function asDiscordReturns(command: (typeof COMMANDS)[number], index: number): Record<string, unknown> {
  const strip = (options: readonly any[] | undefined): any[] | undefined =>
    options?.map(({ required, autocomplete, options: nested, ...rest }) => ({
      ...rest,
      ...(required === true ? { required } : {}),
      ...(autocomplete === true ? { autocomplete } : {}),
      ...(nested === undefined ? {} : { options: strip(nested) }),
    }));
  const options = strip(command.options);
  return {
    id: String(990814489182076978n + BigInt(index)),
    application_id: '344487830824000000',
    version: '1003009005372846202',
    default_permission: true,
    default_member_permissions: null,
    type: 1,
    name: command.name,
    name_localizations: null,
    description: command.description,
    description_localizations: null,
    guild_id: '185949590652000000',
    nsfw: false,
    ...(options === undefined || options.length === 0 ? {} : { options }),
  };
}

// Checked by comparing without options (canonical() dropping them): the option and choice cases fail.
describe('registration diff', () => {
  const registered = COMMANDS.map(asDiscordReturns).reverse(); // Discord's order is its own

  it("Discord's copy of our commands (ids, versions, defaults made implicit, any order) is the same: no PUT", () => {
    expect(sameCommands(registered, COMMANDS)).toBe(true);
  });

  it('a changed description, option, choice or a missing command is a difference', () => {
    const changed = structuredClone(registered);
    (changed[0] as any).description = 'old text';
    expect(sameCommands(changed, COMMANDS)).toBe(false);
    const option = structuredClone(registered);
    const clip = option.find((c: any) => c.name === 'clip') as any;
    clip.options[1].max_value = 600;
    expect(sameCommands(option, COMMANDS)).toBe(false);
    const choice = structuredClone(registered);
    (choice.find((c: any) => c.name === 'dryrun') as any).options[1].choices.pop();
    expect(sameCommands(choice, COMMANDS)).toBe(false);
    expect(sameCommands(registered.slice(1), COMMANDS)).toBe(false);
  });

  it('every command the issue lists is defined, with a creator autocomplete where it takes a creator', () => {
    expect(COMMANDS.map((c) => c.name).sort()).toEqual(['clip', 'clips', 'creators', 'dryrun', 'jobs', 'poll', 'quota', 'reload', 'score', 'status', 'tally', 'triggers']);
    const creatorOptions = COMMANDS.flatMap((c) => [...(c.options ?? []), ...(c.options ?? []).flatMap((o: any) => o.options ?? [])]).filter((o: any) => o.name === 'creator');
    expect(creatorOptions.length).toBeGreaterThan(8);
    expect(creatorOptions.every((o: any) => o.autocomplete === true)).toBe(true);
  });
});

describe('permissions', () => {
  const guild = { id: '1', adminRoleIds: ['900'], readRoleIds: [] as string[] };
  const member = (permissions: bigint, roles: string[] = []) => ({ permissions, roles });

  it('admin commands: Administrator, Manage Server or an admin role; nobody else', () => {
    expect(accessOf('clip', null)).toBe('admin');
    expect(accessOf('dryrun', null)).toBe('admin');
    expect(accessOf('poll', 'open')).toBe('admin');
    expect(accessOf('poll', 'results')).toBe('read');
    expect(mayRun('admin', member(PermissionFlagsBits.Administrator), guild)).toBe(true);
    expect(mayRun('admin', member(PermissionFlagsBits.ManageGuild), guild)).toBe(true);
    expect(mayRun('admin', member(0n, ['900']), guild)).toBe(true);
    expect(mayRun('admin', member(PermissionFlagsBits.SendMessages | PermissionFlagsBits.ManageMessages, ['901']), guild)).toBe(false);
  });

  it('read commands: everyone, unless read roles are set', () => {
    expect(mayRun('read', member(0n), guild)).toBe(true);
    const closed = { ...guild, readRoleIds: ['700'] };
    expect(mayRun('read', member(0n), closed)).toBe(false);
    expect(mayRun('read', member(0n, ['700']), closed)).toBe(true);
    expect(mayRun('read', member(0n, ['900']), closed)).toBe(true); // admins read too
  });

  it('permission strings beyond 2^53 are read exactly (the fixtures carry "8589934591")', () => {
    expect(permissionBits('8589934591')).toBe(8589934591n);
    expect(permissionBits('2251799813685247')).toBe(2251799813685247n);
    expect(permissionBits('12x')).toBe(0n);
    expect(permissionBits(undefined)).toBe(0n);
  });
});
