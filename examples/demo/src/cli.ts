import { parseArgs } from 'node:util';

export const DEFAULT_DASHBOARD_PORT = 8787;

export const USAGE = `Usage: npm run demo -- [--duration <seconds>] [--port <port>] [--plain] [--state-dir <dir>]
       npm run demo -- --replay [--state-dir <dir>]

Runs three demo creators on embedded defaults (a local Twitch chat server,
SQLite state, the dashboard) and shows what happens.
  --duration <s>     stop after s seconds and print a summary (exit 0)
  --port <port>      dashboard port on 127.0.0.1 (default ${DEFAULT_DASHBOARD_PORT}; taken: any free
                     port; 0: any free port)
  --plain            log lines and a status line every 5 s instead of the live
                     terminal view (the default when stdout is not a terminal)
  --state-dir <dir>  where the files go: <dir>/data (SQLite database, demo.log)
                     and <dir>/demo-state (dashboard snapshots); default examples/demo
  --replay           instead of running live: replay the chat the demo logged
                     (<data>/chatlog) through the same triggers and plugins on
                     a virtual clock, into <dir>/replay-state, and print a summary
  -h, --help         show this help
Without --duration the demo runs until Ctrl-C.
`;

export interface DemoOptions {
  /** Seconds to run; undefined: until Ctrl-C. */
  durationSec?: number;
  /** Preferred dashboard port (0: any free port). */
  port: number;
  plain: boolean;
  stateDir?: string;
  replay: boolean;
  help: boolean;
}

/** A bad command line: printed as `error SS_ERR_CLI_USAGE: <message>`, exit 2. */
export class UsageError extends Error {
  readonly code = 'SS_ERR_CLI_USAGE';
}

export function parseDemoArgs(args: readonly string[]): DemoOptions {
  let values: { duration?: string; port?: string; plain?: boolean; 'state-dir'?: string; replay?: boolean; help?: boolean };
  try {
    values = parseArgs({
      args: [...args],
      options: {
        duration: { type: 'string' },
        port: { type: 'string' },
        plain: { type: 'boolean' },
        'state-dir': { type: 'string' },
        replay: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const options: DemoOptions = { port: DEFAULT_DASHBOARD_PORT, plain: values.plain ?? false, replay: values.replay ?? false, help: values.help ?? false };
  if (options.replay && values.duration !== undefined) throw new UsageError('--replay runs the logged chat once; --duration does not apply');
  if (values.duration !== undefined) {
    const duration = Number(values.duration);
    if (values.duration.trim() === '' || !Number.isFinite(duration) || duration <= 0) {
      throw new UsageError(`--duration must be a positive number of seconds, got "${values.duration}"`);
    }
    options.durationSec = duration;
  }
  if (values.port !== undefined) {
    const port = Number(values.port);
    if (!/^\d+$/.test(values.port.trim()) || !Number.isInteger(port) || port > 65_535) {
      throw new UsageError(`--port must be a port number from 0 to 65535, got "${values.port}"`);
    }
    options.port = port;
  }
  if (values['state-dir'] !== undefined) {
    if (values['state-dir'].trim() === '') throw new UsageError('--state-dir must not be empty');
    options.stateDir = values['state-dir'];
  }
  return options;
}
