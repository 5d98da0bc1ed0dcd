import { resolve } from 'node:path';
import { withDefaults } from '@streamsuites/defaults';
import { createKernel, type LogLevel } from '@streamsuites/kernel';
import { parseCommandArgs } from '../args.js';
import { SS_ERR_CLI_USAGE } from '../errors.js';
import { printError, type CliIO } from '../io.js';
import { configDirHelp, manifestSource } from './config-dir.js';
import { parseDurationSec, runUntilStopped } from './until-stopped.js';
import { watchAndReload } from './watch.js';

export const runHelp = `Usage: streamsuites run <manifest> [--watch] [--log-level <level>] [--data-dir <dir>] [--duration <seconds>]
       streamsuites run --config-dir <dir> [options]

Boots the runtime from a manifest: loads the plugin packages it names
(resolved from the manifest's folder), starts every creator, and runs until
SIGINT / SIGTERM (Ctrl-C), then stops cleanly. A second signal, a second or
more after the first, exits at once (130).

Options:
${configDirHelp}
  --watch               reload when the manifest (or a file it includes, or a
                        configuration folder's file) changes: creators added
                        and removed, triggers and rules swapped between two
                        messages, only the plugins whose creator config
                        changed restarted; an invalid change is printed and
                        the running configuration stays
  --log-level <level>   fatal, error, warn, info, debug, trace or silent
                        (default: the manifest's logLevel, else info)
  --data-dir <dir>      keep state in <dir> instead of the manifest's dataDir
                        (relative paths in plugin config that follow dataDir,
                        such as the exports root, move with it)
  --duration <seconds>  stop cleanly after this many seconds (as Ctrl-C would)
  -h, --help            show this help

Exit status: 0 stopped cleanly, 1 failed to boot or to stop, 2 usage error.
`;

const LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export async function runCommand(argv: string[], io: CliIO): Promise<number> {
  const args = parseCommandArgs(
    'run',
    argv,
    { 'log-level': { type: 'string' }, 'data-dir': { type: 'string' }, duration: { type: 'string' }, watch: { type: 'boolean' }, 'config-dir': { type: 'string' } },
    { min: 0, max: 1, names: '<manifest>' },
  );
  if (args.help) {
    io.stdout(runHelp);
    return 0;
  }
  const level = args.values['log-level'];
  if (level !== undefined && !LEVELS.includes(level as LogLevel)) {
    throw new SS_ERR_CLI_USAGE(`run: --log-level must be one of ${LEVELS.join(', ')}`);
  }
  const dataDir = args.values['data-dir'] as string | undefined;
  if (dataDir === '') throw new SS_ERR_CLI_USAGE('run: --data-dir must not be empty');
  const durationSec = parseDurationSec('run', args.values.duration as string | undefined);
  const { manifest, readers } = manifestSource('run', io, args.positionals[0], args.values['config-dir'] as string | undefined);
  let kernel;
  try {
    kernel = await createKernel(
      withDefaults({
        manifest,
        readers,
        env: io.env,
        ...(level === undefined ? {} : { logLevel: level as LogLevel }),
        ...(dataDir === undefined ? {} : { overrides: { dataDir: resolve(io.cwd, dataDir) } }),
      }),
    );
  } catch (error) {
    printError(io, error);
    return 1;
  }
  const k = kernel;
  return runUntilStopped(kernel, io, durationSec, args.values.watch === true ? () => void watchAndReload(k, io) : undefined);
}
