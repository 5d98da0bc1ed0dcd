import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { withDefaults } from '@streamsuites/defaults';
import { createKernel, inspectManifest } from '@streamsuites/kernel';
import { parseCommandArgs } from '../args.js';
import { parseLogFormat } from './run.js';
import { SS_ERR_CLI_USAGE } from '../errors.js';
import { printError, type CliIO } from '../io.js';
import { parseDurationSec, runUntilStopped } from './until-stopped.js';

export const discordHelp = `Usage: streamsuites discord <manifest> [--state-root <dir>] [--duration <seconds>] [--log-format pretty|json]

Runs the Discord control plane alone (plugin-discord in standalone mode),
apart from the streaming runtime: it logs in with the manifest's
plugins.discord config and answers the read commands (/status, /creators,
/clips, /poll results, /tally, /score, /quota, /jobs, /triggers) from the
state the runtime publishes. Commands that act on the runtime (/clip, /poll
open|close, /dryrun) answer SS_ERR_DISCORD_NOT_AVAILABLE; nothing is
announced. Runs until SIGINT / SIGTERM.

Options:
  --state-root <dir>    the exports root to read (default: the manifest's
                        plugins.exports.config.root, else "state", relative
                        to its dataDir)
  --duration <seconds>  stop cleanly after this many seconds
  --log-format <format> pretty or json (default pretty on a terminal, json otherwise)
  -h, --help            show this help

Exit status: 0 stopped cleanly, 1 failed to boot or to stop, 2 usage error.
`;

type Json = Record<string, any>;

export async function discordCommand(argv: string[], io: CliIO): Promise<number> {
  const args = parseCommandArgs('discord', argv, { 'state-root': { type: 'string' }, duration: { type: 'string' }, 'log-format': { type: 'string' } }, { min: 1, max: 1, names: '<manifest>' });
  if (args.help) {
    io.stdout(discordHelp);
    return 0;
  }
  const durationSec = parseDurationSec('discord', args.values.duration as string | undefined);
  const logFormat = parseLogFormat('discord', args.values['log-format']);
  const file = resolve(io.cwd, args.positionals[0]!);
  let kernel;
  try {
    // The manifest is checked whole first, so a problem is reported with its path like `validate` does.
    const inspection = await inspectManifest(file, withDefaults({ env: io.env }));
    if (inspection.manifest === undefined) {
      await createKernel(withDefaults({ manifest: file, env: io.env, logLevel: 'silent' })); // throws the coded list
    }
    const raw = JSON.parse(readFileSync(file, 'utf8')) as Json;
    const discord = raw.plugins?.discord as Json | undefined;
    if (discord === undefined) throw new SS_ERR_CLI_USAGE('discord: the manifest declares no "discord" plugin (plugins.discord)');
    const stateRoot = (args.values['state-root'] as string | undefined) ?? (raw.plugins?.exports?.config?.root as string | undefined) ?? 'state';
    if (stateRoot === '') throw new SS_ERR_CLI_USAGE('discord: --state-root must not be empty');
    // Only the control plane, no creators: the streaming runtime is another process.
    const manifest: Json = {
      ...(raw.kernel === undefined ? {} : { kernel: raw.kernel }),
      ...(raw.dataDir === undefined ? {} : { dataDir: raw.dataDir }),
      ...(raw.logLevel === undefined ? {} : { logLevel: raw.logLevel }),
      plugins: { discord: { ...discord, config: { ...discord.config, mode: 'standalone', stateRoot: args.values['state-root'] === undefined ? stateRoot : resolve(io.cwd, stateRoot) } } },
      creators: {},
    };
    kernel = await createKernel(withDefaults({ manifest, baseDir: dirname(file), env: io.env, ...(logFormat === undefined ? {} : { logFormat }) }));
  } catch (error) {
    printError(io, error);
    return error instanceof Error && SS_ERR_CLI_USAGE.is(error) ? 2 : 1;
  }
  return runUntilStopped(kernel, io, durationSec);
}
