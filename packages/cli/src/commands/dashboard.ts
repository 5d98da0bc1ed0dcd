import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { isLoopbackHost, startDashboardServer } from '@streamsuites/dashboard';
import { handleStopSignals } from '@streamsuites/kernel';
import { parseCommandArgs } from '../args.js';
import { SS_ERR_CLI_USAGE } from '../errors.js';
import type { CliIO } from '../io.js';

export const dashboardHelp = `Usage: streamsuites dashboard [--root <dir>] [--port <n>] [--host <address>]

Serves a read-only web page that renders the runtime's JSON snapshots
(creators, clips, polls, tallies, scoreboards, quotas, jobs, rate limits,
recent chat) and refreshes itself every 5 s. Runs until SIGINT / SIGTERM
(Ctrl-C). Internal-only files are never served.

Options:
  --root <dir>        the exports root (holds runtime/ and shared/); default
                      ./state if it exists, else $STREAMSUITES_STATE_ROOT
  --port <n>          TCP port, 0 for any free port (default 0)
  --host <address>    address to bind (default 127.0.0.1); anything that is
                      not loopback exposes the dashboard to the network
  -h, --help          show this help

The page reads another state root with ?stateRoot=<url>/ (remembered).
Exit status: 0 stopped cleanly, 1 failed to start, 2 usage error.
`;

const isDirectory = (path: string) => {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
};

/** --root, else ./state when it is a folder, else $STREAMSUITES_STATE_ROOT; a bad path is reported by the server. */
function stateRoot(given: string | undefined, io: CliIO): string {
  if (given !== undefined) return resolve(io.cwd, given);
  const local = resolve(io.cwd, 'state');
  if (isDirectory(local)) return local;
  const fromEnv = io.env.STREAMSUITES_STATE_ROOT;
  if (fromEnv !== undefined && fromEnv !== '') return resolve(io.cwd, fromEnv);
  throw new SS_ERR_CLI_USAGE(
    'dashboard: no state root: pass --root <dir> (the exports root, holding runtime/ and shared/), run it in a folder that has ./state, or set STREAMSUITES_STATE_ROOT',
  );
}

function parsePort(value: string | undefined): number {
  if (value === undefined) return 0;
  const port = /^\d{1,5}$/.test(value) ? Number(value) : Number.NaN;
  if (!(port >= 0 && port <= 65_535)) throw new SS_ERR_CLI_USAGE(`dashboard: --port must be an integer from 0 to 65535, not "${value}"`);
  return port;
}

/** Resolves on the first SIGINT or SIGTERM (a later one exits with 130); `dispose` removes the listeners (also when nothing came). */
function stopSignal(): { received: Promise<NodeJS.Signals>; dispose: () => void } {
  let dispose = () => {};
  const received = new Promise<NodeJS.Signals>((resolveSignal) => {
    dispose = handleStopSignals({ onStop: resolveSignal, repeatWindowMs: 1000 });
  });
  return { received, dispose };
}

export async function dashboardCommand(argv: string[], io: CliIO): Promise<number> {
  const args = parseCommandArgs(
    'dashboard',
    argv,
    { root: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' } },
    { min: 0, max: 0, names: '' },
  );
  if (args.help) {
    io.stdout(dashboardHelp);
    return 0;
  }
  const port = parsePort(args.values.port as string | undefined);
  const host = (args.values.host as string | undefined) ?? '127.0.0.1';
  if (host === '') throw new SS_ERR_CLI_USAGE('dashboard: --host must not be empty');
  const root = stateRoot(args.values.root as string | undefined, io);
  // Listen for signals before the server starts, so an early Ctrl-C still closes it.
  const stop = stopSignal();
  let server;
  try {
    server = await startDashboardServer({ root, port, host });
  } catch (error) {
    stop.dispose();
    throw error;
  }
  if (!isLoopbackHost(host)) {
    io.stderr(
      `warning: --host ${host} is not a loopback address: anyone who can reach this machine can read the dashboard-only state (chat, jobs, quotas)\n`,
    );
  }
  io.stdout(`Dashboard: ${server.url}\nServing ${server.root} (read-only). Press Ctrl-C to stop.\n`);
  await stop.received;
  await server.close();
  stop.dispose();
  io.stdout('Dashboard stopped.\n');
  return 0;
}
