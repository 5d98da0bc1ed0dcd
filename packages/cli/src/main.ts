import pkg from '../package.json' with { type: 'json' };
import { authCommand, authHelp } from './commands/auth.js';
import { dashboardCommand, dashboardHelp } from './commands/dashboard.js';
import { dashboardBuildCommand } from './commands/dashboard-build.js';
import { discordCommand, discordHelp } from './commands/discord.js';
import { importCommand, importHelp } from './commands/import.js';
import { initCommand, initHelp } from './commands/init.js';
import { publishStateCommand, publishStateHelp } from './commands/publish-state.js';
import { replayCommand, replayHelp } from './commands/replay.js';
import { runCommand, runHelp } from './commands/run.js';
import { schemaCommand, schemaHelp } from './commands/schema.js';
import { statusCommand, statusHelp } from './commands/status.js';
import { validateCommand, validateHelp } from './commands/validate.js';
import { envFileHelp, withEnvFile } from './env-file.js';
import { SS_ERR_CLI_USAGE } from './errors.js';
import { printError, type CliIO } from './io.js';

export const VERSION: string = pkg.version;

export const mainHelp = `Usage: streamsuites <command> [options]

Commands:
  run <manifest>         boot the runtime from a manifest and run until stopped
                         (or --config-dir <dir>: a shared/config folder)
  status <manifest>      health of a running instance (its /healthz), exit 0 when ok
  validate <manifest>    check a manifest (or --config-dir <dir>), print every problem
  init [dir]             start a project: streamsuites.json, .env.example, .gitignore
  import <dir>           write the manifest equivalent to a shared/config folder
  publish-state          copy the runtime's snapshots to a dashboard root (--target)
  dashboard              serve a read-only web page of the runtime's state files
  dashboard build <dir>  write that page as static files for any static host (GitHub Pages, a bucket)
  replay <log...>        run chat logs through a manifest on a virtual clock (--manifest)
  discord <manifest>     run the Discord control plane alone, on the published state
  auth twitch            authorize a Twitch account (device code) and store its tokens
  auth x                 authorize an X account (OAuth 2.0 with PKCE) and store its tokens, encrypted
  schema                 print the manifest's JSON Schema (plugins' config included) for editors
  help [command]         show help for a command

Options:
  -h, --help             show this help (also: streamsuites <command> --help)
  -v, --version          print the version

${envFileHelp}
Docs: https://github.com/streamsuites/streamsuites#readme
`;

const commands: Record<string, { run: (argv: string[], io: CliIO) => Promise<number>; help: string }> = {
  'publish-state': { run: publishStateCommand, help: publishStateHelp },
  run: { run: runCommand, help: runHelp },
  validate: { run: validateCommand, help: validateHelp },
  // `dashboard build <dir>` is its own command (commands/dashboard-build.ts); everything else is the server.
  dashboard: {
    run: (argv, io) => (argv[0] === 'build' ? dashboardBuildCommand(argv.slice(1), io) : dashboardCommand(argv, io)),
    help: dashboardHelp,
  },
  replay: { run: replayCommand, help: replayHelp },
  discord: { run: discordCommand, help: discordHelp },
  auth: { run: authCommand, help: authHelp },
  schema: { run: schemaCommand, help: schemaHelp },
  status: { run: statusCommand, help: statusHelp },
  import: { run: importCommand, help: importHelp },
  init: { run: initCommand, help: initHelp },
};

/**
 * Runs the CLI with `argv` (without node and the script). Returns the exit
 * status: 0 success, 1 failure, 2 usage error.
 */
export async function main(argv: string[], io: CliIO): Promise<number> {
  const [first, ...rest] = argv;
  try {
    if (first === undefined || first === '-h' || first === '--help') {
      io.stdout(mainHelp);
      return first === undefined ? 2 : 0;
    }
    if (first === '-v' || first === '--version') {
      if (rest.length > 0) throw new SS_ERR_CLI_USAGE(`unexpected argument "${rest[0]}" after ${first}`);
      io.stdout(`${VERSION}\n`);
      return 0;
    }
    if (first === 'help') {
      const topic = rest[0];
      if (topic === undefined) {
        io.stdout(mainHelp);
        return 0;
      }
      const command = commands[topic];
      if (command === undefined) throw new SS_ERR_CLI_USAGE(`unknown command "${topic}"`);
      io.stdout(command.help);
      return 0;
    }
    if (first.startsWith('-')) throw new SS_ERR_CLI_USAGE(`unknown option "${first}"`);
    const command = commands[first];
    if (command === undefined) throw new SS_ERR_CLI_USAGE(`unknown command "${first}"`);
    const withEnv = withEnvFile(rest, io);
    return await command.run(withEnv.argv, withEnv.io);
  } catch (error) {
    printError(io, error);
    return SS_ERR_CLI_USAGE.is(error) ? 2 : 1;
  }
}
