import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { SS_ERR_DASHBOARD_OPTION_INVALID, startDashboardServer } from '@streamsuites/dashboard';
import { handleStopSignals } from '@streamsuites/kernel';
import { parseCommandArgs } from '../args.js';
import { SS_ERR_CLI_USAGE } from '../errors.js';
import type { CliIO } from '../io.js';

export const dashboardHelp = `Usage: streamsuites dashboard [--root <dir>] [--port <n>] [--host <address>]
                             [--allow-remote [--token-file <file>]]
       streamsuites dashboard build <dir> [--fallback-url <url>] [--force]

Serves a read-only web page that renders the runtime's JSON snapshots
(creators, clips, polls, tallies, scoreboards, quotas, jobs, rate limits,
chat, events) and refreshes itself every 5 s: an overview at /, each
creator at /#/creator/<id>. \`dashboard build <dir>\` writes the same page as
static files for any static host (see \`streamsuites dashboard build --help\`).
The server runs until SIGINT / SIGTERM (Ctrl-C). Internal-only files are
never served.

Options:
  --root <dir>        the exports root (holds runtime/ and shared/); default
                      ./state if it exists, else $STREAMSUITES_STATE_ROOT
  --port <n>          TCP port, 0 for any free port (default 0)
  --host <address>    address to bind (default 127.0.0.1); an address that is
                      not loopback (0.0.0.0, a LAN address) needs --allow-remote
  --allow-remote      serve the page and public files (clips, polls, tallies,
                      scoreboards) to anyone who can reach --host; dashboard-only
                      files and clip media stay on this machine unless a token
                      is set
  --token-file <file> a file holding a bearer token (16+ ASCII characters,
                      no spaces; only its owner may read it: chmod 600):
                      remote clients sending "Authorization: Bearer <token>"
                      also get dashboard-only files and clip media
  -h, --help          show this help

Environment:
  STREAMSUITES_DASHBOARD_TOKEN  the token, when there is no --token-file. The
                      token is never accepted as a flag (it would show in ps).

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

// --- Remote access: --allow-remote, --token-file, STREAMSUITES_DASHBOARD_TOKEN ---

/** `--token <value>` would put the token in `ps` output and shell history: refused without repeating the value. */
function refuseTokenFlag(argv: readonly string[]): void {
  if (argv.some((arg) => arg === '--token' || arg.startsWith('--token='))) {
    throw new SS_ERR_CLI_USAGE(
      'dashboard: the token is never taken as a flag (it would show in ps): put it in a file for --token-file (chmod 600), or set STREAMSUITES_DASHBOARD_TOKEN',
    );
  }
}

const TOKEN_HINT = 'Write 16 or more random characters to a file only you can read, e.g. `openssl rand -base64 32 > token && chmod 600 token`.';

/**
 * The bearer token: the trimmed contents of --token-file, else
 * $STREAMSUITES_DASHBOARD_TOKEN, else none. Errors name the file, never the
 * token; its length and characters are checked by the server.
 */
function dashboardToken(tokenFile: string | undefined, io: CliIO): string | undefined {
  if (tokenFile === undefined) {
    const fromEnv = io.env.STREAMSUITES_DASHBOARD_TOKEN?.trim();
    return fromEnv === undefined || fromEnv === '' ? undefined : fromEnv;
  }
  if (tokenFile === '') throw new SS_ERR_CLI_USAGE('dashboard: --token-file must not be empty');
  const file = resolve(io.cwd, tokenFile);
  const invalid = (problem: string) => new SS_ERR_DASHBOARD_OPTION_INVALID('--token-file', `${file} ${problem}`, { hint: TOKEN_HINT, details: { file } });
  let mode: number;
  let text: string;
  try {
    mode = statSync(file).mode;
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw invalid(`cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  // POSIX permissions: a token others can read (or replace) protects nothing.
  if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
    throw invalid(`is accessible to other users (mode ${(mode & 0o777).toString(8)}): run chmod 600 on it`);
  }
  const token = text.trim();
  if (token === '') throw invalid('is empty');
  return token;
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
  refuseTokenFlag(argv);
  const args = parseCommandArgs(
    'dashboard',
    argv,
    {
      root: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      'allow-remote': { type: 'boolean' },
      'token-file': { type: 'string' },
    },
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
  const allowRemote = args.values['allow-remote'] === true;
  const token = dashboardToken(args.values['token-file'] as string | undefined, io);
  // Listen for signals before the server starts, so an early Ctrl-C still closes it.
  const stop = stopSignal();
  let server;
  try {
    server = await startDashboardServer({ root, port, host, allowRemote, ...(token === undefined ? {} : { token }) });
  } catch (error) {
    stop.dispose();
    throw error;
  }
  io.stdout(`Dashboard: ${server.url}\nServing ${server.root} (read-only):\n${server.exposure.map((line) => `  ${line}\n`).join('')}Press Ctrl-C to stop.\n`);
  await stop.received;
  await server.close();
  stop.dispose();
  io.stdout('Dashboard stopped.\n');
  return 0;
}
