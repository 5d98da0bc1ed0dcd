import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'dotenv';
import { SS_ERR_CLI_ENV_FILE, SS_ERR_CLI_USAGE } from './errors.js';
import type { CliIO } from './io.js';

/** Read from the current folder when present, the way `init` tells people to set secrets. */
export const DEFAULT_ENV_FILE = '.env';

export const envFileHelp = `Environment:
  Every command reads ./.env when it exists (KEY=value lines, as
  .env.example from \`streamsuites init\` shows): \${env:NAME} in a manifest
  finds its value there. Variables already set in the environment win.
  --env-file <file>      read this file instead (it must exist)
  --no-env-file          read no file
`;

/**
 * Takes the global `--env-file <file>` / `--no-env-file` out of `argv` and
 * returns the IO whose `env` has the file's variables under the process's own
 * (a variable set in the environment wins over the file, so a service
 * manager's settings are never overridden by a forgotten file).
 */
export function withEnvFile(argv: readonly string[], io: CliIO): { argv: string[]; io: CliIO; file?: string } {
  const rest: string[] = [];
  let chosen: string | undefined;
  let none = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      rest.push(...argv.slice(i));
      break;
    }
    if (arg === '--no-env-file') none = true;
    else if (arg === '--env-file' || arg.startsWith('--env-file=')) {
      const value = arg === '--env-file' ? argv[++i] : arg.slice('--env-file='.length);
      if (value === undefined || value === '' || (arg === '--env-file' && value.startsWith('-'))) {
        throw new SS_ERR_CLI_USAGE('--env-file needs a file name');
      }
      chosen = value;
    } else rest.push(arg);
  }
  if (none && chosen !== undefined) throw new SS_ERR_CLI_USAGE('give --env-file <file> or --no-env-file, not both');
  if (none) return { argv: rest, io };
  const file = resolve(io.cwd, chosen ?? DEFAULT_ENV_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // The default file is optional; a named one is not.
    if (chosen === undefined && (code === 'ENOENT' || code === 'ENOTDIR')) return { argv: rest, io };
    throw new SS_ERR_CLI_ENV_FILE(file, code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : (error as Error).message, { cause: error });
  }
  const fromFile = parse(text);
  const env: Record<string, string | undefined> = { ...fromFile };
  for (const [name, value] of Object.entries(io.env)) if (value !== undefined) env[name] = value;
  // Copied by descriptor: spreading would call processIO's stdin getter (and open stdin).
  const withEnv = Object.defineProperties({}, { ...Object.getOwnPropertyDescriptors(io), env: { value: env, enumerable: true } }) as CliIO;
  return { argv: rest, io: withEnv, file };
}
