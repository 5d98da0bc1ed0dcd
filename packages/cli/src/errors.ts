import { defineError } from '@streamsuites/kernel';

export const SS_ERR_CLI_USAGE = defineError(
  'SS_ERR_CLI_USAGE',
  (problem: string) => problem,
  'Run `streamsuites --help` (or `streamsuites <command> --help`) for usage.',
);
export const SS_ERR_CLI_OUTPUT_EXISTS = defineError(
  'SS_ERR_CLI_OUTPUT_EXISTS',
  (file: string) => `${file} exists`,
  'Pass --force to replace it, or --out <file> to write elsewhere.',
);
export const SS_ERR_CLI_INIT_EXISTS = defineError(
  'SS_ERR_CLI_INIT_EXISTS',
  (files: string) => `init would replace ${files}`,
  'Pass --force to replace them, or run `streamsuites init <dir>` with a new folder.',
);
export const SS_ERR_CLI_STATUS_UNREACHABLE = defineError(
  'SS_ERR_CLI_STATUS_UNREACHABLE',
  (url: string, reason: string) => `no running instance answered at ${url}: ${reason}`,
  'Start the runtime (`streamsuites run <manifest>`), pass the same manifest or --data-dir as the running instance, or give the address it logged at start with --url http://127.0.0.1:<port>.',
);
export const SS_ERR_CLI_ENV_FILE = defineError(
  'SS_ERR_CLI_ENV_FILE',
  (file: string, reason: string) => `cannot read the environment file ${file}: ${reason}`,
  'Check the path given with --env-file (relative to the current folder), or copy .env.example to .env; pass --no-env-file to read none.',
);
