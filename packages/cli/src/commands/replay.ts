import { relative, resolve } from 'node:path';
import { handleStopSignals, type LogLevel } from '@streamsuites/kernel';
import { parseCommandArgs } from '../args.js';
import { SS_ERR_CLI_USAGE } from '../errors.js';
import { printError, type CliIO } from '../io.js';
import { cliProgress, type Progress } from '../progress.js';
import { configDirHelp, manifestSource } from './config-dir.js';
import { parseLogFormat } from './run.js';
import { replayChatLogs, type ReplaySummary } from '../replay/replay.js';

export const replayHelp = `Usage: streamsuites replay <log...> --manifest <manifest> [options]
       streamsuites replay <log...> --config-dir <dir> [options]

Feeds chat logs (written by @streamsuites/plugin-chatlog) through the
manifest's triggers and plugins on a virtual clock, and writes the exports
the live run would have written. The same logs and manifest always give
byte-identical exports. Platform connections and chat logging are left out;
actions that reach outside (chat replies, uploads) are dry-run.

<log...> are .jsonl files or folders holding them (e.g. data/chatlog).

Options:
  --manifest <file>     the manifest to replay through (this or --config-dir)
${configDirHelp}
  --out <dir>           where the exports go (default: ./replay-state)
  --speed <x>           real-time factor: 1 = as recorded, 10 = ten times
                        faster (default: as fast as possible)
  --execute             run external actions for real (default: dry-run)
  --data-dir <dir>      the replay's state folder (default: a fresh temp
                        folder, removed afterwards; never the live dataDir)
  --log-level <level>   fatal, error, warn, info, debug, trace or silent
                        (default: warn)
  --log-format <format> pretty or json (default pretty on a terminal, json otherwise)
  -h, --help            show this help

Corrupt or truncated log lines are reported with their line numbers and
skipped. Exit status: 0 replayed, 1 failed, 2 usage error.
`;

/** Off a terminal, logs shorter than this replay without progress lines (a short replay's output stays as it was). */
const REPLAY_QUIET_BELOW = 10_000;

const LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export async function replayCommand(argv: string[], io: CliIO): Promise<number> {
  const args = parseCommandArgs(
    'replay',
    argv,
    {
      manifest: { type: 'string' },
      'config-dir': { type: 'string' },
      out: { type: 'string' },
      speed: { type: 'string' },
      execute: { type: 'boolean' },
      'data-dir': { type: 'string' },
      'log-level': { type: 'string' },
      'log-format': { type: 'string' },
    },
    { min: 1, max: Number.POSITIVE_INFINITY, names: '<log...> (chat log files or folders)' },
  );
  if (args.help) {
    io.stdout(replayHelp);
    return 0;
  }
  const configDir = args.values['config-dir'] as string | undefined;
  if (args.values.manifest === undefined && configDir === undefined) throw new SS_ERR_CLI_USAGE('replay: --manifest <file> is required (or --config-dir <dir>)');
  const { manifest, readers } = manifestSource('replay', io, args.values.manifest as string | undefined, configDir);
  const speedText = args.values.speed as string | undefined;
  const speed = speedText === undefined ? undefined : Number(speedText);
  if (speed !== undefined && !(Number.isFinite(speed) && speed > 0)) {
    throw new SS_ERR_CLI_USAGE(`replay: --speed must be a positive number, got "${speedText}"`);
  }
  const level = (args.values['log-level'] as string | undefined) ?? 'warn';
  if (!LEVELS.includes(level as LogLevel)) throw new SS_ERR_CLI_USAGE(`replay: --log-level must be one of ${LEVELS.join(', ')}`);
  const logFormat = parseLogFormat('replay', args.values['log-format']);
  const dataDir = args.values['data-dir'] as string | undefined;

  const controller = new AbortController();
  const offSignals = handleStopSignals({ onStop: () => controller.abort(), repeatWindowMs: 1000 });
  // Created once the lines are counted; warnings go through it so they never land on the bar's line.
  let bar: Progress | undefined;
  let ticked = 0;
  const names: Record<string, string> = {};
  const warn = (text: string) => (bar === undefined ? io.stderr(text) : bar.note(text));
  let summary: ReplaySummary;
  try {
    summary = await replayChatLogs({
      logs: args.positionals.map((p) => resolve(io.cwd, p)),
      manifest,
      readers,
      out: resolve(io.cwd, (args.values.out as string | undefined) ?? 'replay-state'),
      env: io.env,
      logLevel: level as LogLevel,
      ...(logFormat === undefined ? {} : { logFormat }),
      execute: args.values.execute === true,
      signal: controller.signal,
      ...(speed === undefined ? {} : { speed }),
      ...(dataDir === undefined ? {} : { dataDir: resolve(io.cwd, dataDir) }),
      onProblem: (p) => warn(`warning: ${p.file}:${p.line}: ${p.reason} (line skipped)\n`),
      onProgress: ({ read, total, file }) => {
        bar ??= cliProgress(io, { label: 'replay', total, unit: 'lines', quietBelow: REPLAY_QUIET_BELOW });
        bar.tick(read - ticked, file === '' ? undefined : (names[file] ??= relative(io.cwd, file) || file));
        ticked = read;
      },
    });
  } catch (error) {
    bar?.done('failed');
    printError(io, error);
    return 1;
  } finally {
    offSignals();
  }
  bar?.done(summary.stopped ? 'stopped' : undefined);
  io.stdout(formatSummary(summary));
  return 0;
}

export function formatSummary(s: ReplaySummary): string {
  const creators = Object.entries(s.perCreator).map(([id, n]) => `${id}=${n}`).join(' ') || 'none';
  const span = s.firstAt === undefined || s.lastAt === undefined ? '' : `, recorded ${new Date(s.firstAt).toISOString()} to ${new Date(s.lastAt).toISOString()}`;
  const lines = [
    `replay ${s.stopped ? 'stopped early' : 'finished'}: ${s.events} events (${creators}) in ${(s.wallMs / 1000).toFixed(2)} s${span}`,
    `  triggers fired: ${s.triggersFired}; actions: ${s.actions.executed} executed, ${s.actions.dryRun} dry-run, ${s.actions.failed} failed`,
    `  lines skipped: ${s.skippedLines}`,
  ];
  for (const [creator, n] of Object.entries(s.unknownCreators)) lines.push(`  creator "${creator}" is not in the manifest: its ${n} events were skipped`);
  lines.push(`  exports: ${s.out}`);
  return `${lines.join('\n')}\n`;
}
