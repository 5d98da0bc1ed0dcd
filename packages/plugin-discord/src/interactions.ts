import { type AutocompleteInteraction, type ChatInputCommandInteraction, type Interaction, MessageFlags } from 'discord.js';
import { isStreamSuitesError, type Logger, type SecretRegistry } from '@streamsuites/kernel';
import { accessOf } from './commands/definitions.js';
import { type CommandInput, type CommandRuntime, type Reply, runCommand } from './commands/run.js';
import type { DiscordGuildConfig } from './config.js';
import { SS_ERR_DISCORD_COMMAND_FAILED, SS_ERR_DISCORD_FORBIDDEN, SS_ERR_DISCORD_GUILD_NOT_ALLOWED } from './errors.js';
import { mayRun, needs, permissionBits } from './permissions.js';

/** Discord gives 3 s for the first answer; past this the bot defers and edits the reply later. */
const DEFER_AFTER_MS = 2000;
/** Commands that always take longer than 3 s: deferred at once. */
const SLOW = new Set(['clip']);
/** An interaction token lives 15 minutes; work still running after this is abandoned. */
const GIVE_UP_MS = 14 * 60_000;
const EMBED_COLOR = 0x9146ff;

/** The last command, for runtime.json. */
export interface CommandRecord {
  name: string;
  guildId: string;
  outcome: 'ok' | 'refused' | 'failed';
  code?: string;
  at: number;
}

export interface InteractionDeps {
  guilds: readonly DiscordGuildConfig[];
  runtime: CommandRuntime;
  logger: Logger;
  secrets: SecretRegistry;
  now(): number;
  /** Called after each command (for status). */
  recorded(record: CommandRecord): void;
}

/**
 * Answers one interaction: autocomplete of creator names, or a slash command
 * checked against the guild allow-list and the member's permissions, run,
 * and answered as an embed (errors as an ephemeral message with their
 * code). Never throws: a reply Discord refuses (an expired token) is logged.
 */
export async function handleInteraction(interaction: Interaction, deps: InteractionDeps): Promise<void> {
  try {
    if (interaction.isAutocomplete()) return await autocomplete(interaction, deps);
    if (interaction.isChatInputCommand()) return await command(interaction, deps);
  } catch (error) {
    deps.logger.warn({ err: error, interaction: interaction.id }, 'could not answer a Discord interaction (expired or refused by Discord)');
  }
}

async function autocomplete(interaction: AutocompleteInteraction, deps: InteractionDeps): Promise<void> {
  if (!deps.guilds.some((g) => g.id === interaction.guildId)) return interaction.respond([]);
  const typed = String(interaction.options.getFocused() ?? '').toLowerCase();
  const ids = deps.runtime.creators().map((c) => c.id);
  const matches = [...ids.filter((id) => id.toLowerCase().startsWith(typed)), ...ids.filter((id) => !id.toLowerCase().startsWith(typed) && id.toLowerCase().includes(typed))];
  await interaction.respond(matches.slice(0, 25).map((id) => ({ name: id, value: id })));
}

async function command(interaction: ChatInputCommandInteraction, deps: InteractionDeps): Promise<void> {
  const name = interaction.commandName;
  const guildId = interaction.guildId ?? '';
  const record = (outcome: CommandRecord['outcome'], code?: string) =>
    deps.recorded({ name, guildId, outcome, at: deps.now(), ...(code === undefined ? {} : { code }) });
  const guild = deps.guilds.find((g) => g.id === guildId);
  if (guild === undefined) {
    const error = new SS_ERR_DISCORD_GUILD_NOT_ALLOWED(guildId || 'a direct message');
    deps.logger.warn({ guild: guildId, user: interaction.user.id, command: name }, error.message);
    record('refused', error.code);
    return void (await interaction.reply({ content: errorText(error, deps.secrets), flags: MessageFlags.Ephemeral }));
  }
  const subcommand = interaction.options.getSubcommand(false);
  const access = accessOf(name, subcommand);
  const member = { permissions: interaction.memberPermissions?.bitfield ?? permissionBits((interaction.member as { permissions?: unknown } | null)?.permissions), roles: rolesOf(interaction.member) };
  if (!mayRun(access, member, guild)) {
    const error = new SS_ERR_DISCORD_FORBIDDEN(subcommand === null ? name : `${name} ${subcommand}`, needs(access, guild));
    deps.logger.warn({ guild: guildId, user: interaction.user.id, command: name }, 'Discord command refused: missing permissions');
    record('refused', error.code);
    return void (await interaction.reply({ content: errorText(error, deps.secrets), flags: MessageFlags.Ephemeral }));
  }
  const input: CommandInput = {
    name,
    subcommand,
    string: (option) => interaction.options.getString(option) ?? undefined,
    integer: (option) => interaction.options.getInteger(option) ?? undefined,
    user: interaction.user.username,
  };
  const signal = AbortSignal.timeout(GIVE_UP_MS);
  let deferred: Promise<unknown> | undefined;
  const defer = () => (deferred ??= interaction.deferReply().catch((error: unknown) => deps.logger.warn({ err: error }, 'could not defer a Discord reply')));
  if (SLOW.has(name)) defer();
  const timer = setTimeout(defer, DEFER_AFTER_MS);
  try {
    const reply = await runCommand(input, deps.runtime, signal);
    clearTimeout(timer);
    const body = { embeds: [embed(reply, deps.secrets)] };
    if (deferred === undefined) await interaction.reply(body);
    else {
      await deferred;
      await interaction.editReply(body);
    }
    record('ok');
  } catch (error) {
    clearTimeout(timer);
    const coded = isStreamSuitesError(error) ? error : new SS_ERR_DISCORD_COMMAND_FAILED(name, { cause: error });
    deps.logger[isStreamSuitesError(error) ? 'info' : 'error']({ err: coded, command: name, guild: guildId }, `/${name}: ${coded.message}`);
    record('failed', coded.code);
    const content = errorText(coded, deps.secrets);
    if (deferred === undefined) await interaction.reply({ content, flags: MessageFlags.Ephemeral });
    else {
      // A deferred reply is public: replace it with an ephemeral follow-up.
      await deferred;
      await interaction.deleteReply().catch(() => undefined);
      await interaction.followUp({ content, flags: MessageFlags.Ephemeral });
    }
  }
}

/** Role ids of the member, whether discord.js cached the member or only has the raw API object. */
function rolesOf(member: unknown): string[] {
  if (member === null || typeof member !== 'object') return [];
  const roles = (member as { roles?: unknown }).roles;
  if (Array.isArray(roles)) return roles.filter((r): r is string => typeof r === 'string');
  const cache = (roles as { cache?: Map<string, unknown> } | undefined)?.cache;
  return cache === undefined ? [] : [...cache.keys()];
}

function embed(reply: Reply, secrets: SecretRegistry): Record<string, unknown> {
  const clean = (text: string) => secrets.redactString(text);
  return {
    title: clean(reply.title).slice(0, 256),
    color: EMBED_COLOR,
    ...(reply.description === undefined ? {} : { description: clean(reply.description).slice(0, 4096) }),
    ...(reply.fields === undefined ? {} : { fields: reply.fields.map((f) => ({ name: clean(f.name).slice(0, 256), value: clean(f.value).slice(0, 1024), ...(f.inline ? { inline: true } : {}) })) }),
  };
}

function errorText(error: { code: string; message: string; hint?: string }, secrets: SecretRegistry): string {
  return secrets.redactString(`**${error.code}**: ${error.message}${error.hint === undefined ? '' : `\n${error.hint}`}`).slice(0, 2000);
}
