import { parseArgs, type ParseArgsConfig } from 'node:util';
import { SS_ERR_CLI_USAGE } from './errors.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * Strict argument parsing: unknown flags, missing flag values and extra
 * positionals are usage errors (exit 2), never silently ignored.
 */
export function parseCommandArgs<O extends Options>(
  command: string,
  argv: string[],
  options: O,
  positionals: { min: number; max: number; names: string },
) {
  let parsed: { values: Record<string, string | boolean | (string | boolean)[] | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (error) {
    const message = (error as Error).message.replace(/\. To specify a positional argument.*$/s, '');
    throw new SS_ERR_CLI_USAGE(`${command}: ${message}`);
  }
  if (parsed.values.help === true) return { help: true as const, values: parsed.values, positionals: parsed.positionals };
  const count = parsed.positionals.length;
  if (count < positionals.min) throw new SS_ERR_CLI_USAGE(`${command}: missing ${positionals.names}`);
  if (count > positionals.max) {
    throw new SS_ERR_CLI_USAGE(`${command}: unexpected argument "${parsed.positionals[positionals.max]}"`);
  }
  return { help: false as const, values: parsed.values, positionals: parsed.positionals };
}
