// The demo's entry point. The flags are checked before the runtime's modules
// load (every plugin, SQLite, ffmpeg wrappers...), so a usage error or --help
// answers at once; then run.ts runs the demo.
import { parseDemoArgs, USAGE, UsageError } from './cli.js';

try {
  if (parseDemoArgs(process.argv.slice(2)).help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  process.stderr.write(`error ${error.code}: ${error.message}\n\n${USAGE}\n`);
  process.exit(2);
}
await import('./run.js');
