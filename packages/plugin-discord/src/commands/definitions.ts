import { ApplicationCommandOptionType, ApplicationCommandType, type RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';

/** Who may run a command: `admin` (Administrator, Manage Server or an admin role) or `read` (everyone, or the read roles). */
export type Access = 'admin' | 'read';

export type CommandBody = RESTPostAPIChatInputApplicationCommandsJSONBody;

const creatorOption = (required: boolean, description = 'A creator of this runtime') => ({
  type: ApplicationCommandOptionType.String as const,
  name: 'creator',
  description,
  required,
  autocomplete: true as const,
});

const command = (name: string, description: string, options: CommandBody['options'] = []): CommandBody => ({
  type: ApplicationCommandType.ChatInput,
  name,
  description,
  options,
});

/**
 * The slash commands, as registered in every allowed server. Access is
 * checked by the bot on each use (not with `default_member_permissions`,
 * which would hide admin commands from members of a configured admin role).
 */
export const COMMANDS: readonly CommandBody[] = [
  command('status', 'Creators × platforms: live, connected, messages per minute, triggers fired, last error'),
  command('creators', 'The creators this runtime serves and their platforms'),
  command('clips', 'The latest clips', [creatorOption(false, 'Only this creator')]),
  command('clip', "Cut a clip from a creator's live stream", [
    creatorOption(true),
    { type: ApplicationCommandOptionType.Integer, name: 'seconds', description: 'Length in seconds (default 30)', required: false, min_value: 5, max_value: 300 },
    { type: ApplicationCommandOptionType.String, name: 'title', description: 'Title of the clip', required: false, max_length: 100 },
  ]),
  command('poll', "A creator's chat poll", [
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'open',
      description: 'Open a poll in the chat',
      options: [
        creatorOption(true),
        { type: ApplicationCommandOptionType.String, name: 'question', description: 'The question', required: true, max_length: 200 },
        { type: ApplicationCommandOptionType.String, name: 'options', description: 'Answers separated by commas (2 to 10)', required: true, max_length: 500 },
        { type: ApplicationCommandOptionType.Integer, name: 'seconds', description: 'Close by itself after this long', required: false, min_value: 10, max_value: 86_400 },
      ],
    },
    { type: ApplicationCommandOptionType.Subcommand, name: 'close', description: 'Close the open poll', options: [creatorOption(true)] },
    { type: ApplicationCommandOptionType.Subcommand, name: 'results', description: 'Votes so far, or the last results', options: [creatorOption(true)] },
  ]),
  command('tally', "A creator's tallies", [creatorOption(true)]),
  command('score', "A creator's scoreboards", [creatorOption(true)]),
  command('quota', 'API quota used and left, per creator and platform'),
  command('jobs', 'Background jobs (clip encodes, uploads): queued, running, failed'),
  command('triggers', "A creator's chat triggers", [creatorOption(true)]),
  command('dryrun', "Record a creator's actions without running them, or run them again", [
    creatorOption(true),
    {
      type: ApplicationCommandOptionType.String,
      name: 'mode',
      description: 'on: record only; off: run',
      required: true,
      choices: [
        { name: 'on', value: 'on' },
        { name: 'off', value: 'off' },
      ],
    },
  ]),
  command('reload', 'Re-read the manifest'),
];

/** Access per command (and per `poll` subcommand: `results` is read-only). */
export function accessOf(name: string, subcommand: string | null): Access {
  if (name === 'poll') return subcommand === 'results' ? 'read' : 'admin';
  return ADMIN.has(name) ? 'admin' : 'read';
}

const ADMIN = new Set(['clip', 'dryrun', 'reload']);
