import { resolve } from 'node:path';
import { withDefaults } from '@streamsuites/defaults';
import { createKernel, type LogFormat, type LogLevel } from '@streamsuites/kernel';
import { parseCommandArgs } from '../args.js';
import { SS_ERR_CLI_USAGE } from '../errors.js';
import { printError, type CliIO } from '../io.js';
import { configDirHelp, manifestSource } from './config-dir.js';
import { opsHelp, parseOpsSettings, startOpsEndpoint } from './ops-endpoint.js';
import { parseDurationSec, runUntilStopped } from './until-stopped.js';
import { watchAndReload } from './watch.js';

export const runHelp = `Usage: streamsuites run <manifest> [--watch] [--log-level <level>] [--log-format pretty|json] [--data-dir <dir>] [--duration <seconds>] [--ops-port <port|off>]
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
  --log-format <format> pretty (readable) or json (one object per line, for
                        journald, Loki, Elasticsearch...); default pretty on
                        a terminal, json otherwise
  --data-dir <dir>      keep state in <dir> instead of the manifest's dataDir
                        (relative paths in plugin config that follow dataDir,
                        such as the exports root, move with it)
  --duration <seconds>  stop cleanly after this many seconds (as Ctrl-C would)
${opsHelp}
  -h, --help            show this help

The address of /healthz and /metrics is logged at start and kept in
<dataDir>/runtime/ops.json while running, where \`streamsuites status\` finds it.

Exit status: 0 stopped cleanly, 1 failed to boot or to stop, 2 usage error.
`;

const FORMATS: readonly LogFormat[] = ['pretty', 'json'];

/** `--log-format`, shared by the commands that boot a kernel. */
export function parseLogFormat(command: string, text: unknown): LogFormat | undefined {
  if (text === undefined) return undefined;
  if (!FORMATS.includes(text as LogFormat)) throw new SS_ERR_CLI_USAGE(`${command}: --log-format must be pretty or json, got "${String(text)}"`);
  return text as LogFormat;
}

const LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export async function runCommand(argv: string[], io: CliIO): Promise<number> {
  const args = parseCommandArgs(
    'run',
    argv,
    {
      'log-level': { type: 'string' },
      'log-format': { type: 'string' },
      'data-dir': { type: 'string' },
      duration: { type: 'string' },
      watch: { type: 'boolean' },
      'config-dir': { type: 'string' },
      'ops-port': { type: 'string' },
      'ops-host': { type: 'string' },
      'ops-allow-remote': { type: 'boolean' },
    },
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
  const logFormat = parseLogFormat('run', args.values['log-format']);
  const ops = parseOpsSettings(args.values);
  const { manifest, readers } = manifestSource('run', io, args.positionals[0], args.values['config-dir'] as string | undefined);
  let kernel;
  try {
    kernel = await createKernel(
      withDefaults({
        manifest,
        readers,
        env: io.env,
        ...(level === undefined ? {} : { logLevel: level as LogLevel }),
        ...(logFormat === undefined ? {} : { logFormat }),
        ...(dataDir === undefined ? {} : { overrides: { dataDir: resolve(io.cwd, dataDir) } }),
      }),
    );
  } catch (error) {
    printError(io, error);
    return 1;
  }
  let endpoint;
  try {
    endpoint = await startOpsEndpoint(kernel, ops);
  } catch (error) {
    printError(io, error);
    await kernel.stop().catch((stopError: unknown) => printError(io, stopError));
    return 1;
  }
  const k = kernel;
  try {
    return await runUntilStopped(kernel, io, durationSec, args.values.watch === true ? () => void watchAndReload(k, io) : undefined);
  } finally {
    await endpoint?.close();
  }
}
