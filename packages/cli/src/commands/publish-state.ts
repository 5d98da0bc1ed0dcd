import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { publishState, SS_ERR_EXPORTS_SOURCE_MISSING } from '@streamsuites/plugin-exports';
import { parseCommandArgs } from '../args.js';
import { SS_ERR_CLI_USAGE } from '../errors.js';
import { printError, type CliIO } from '../io.js';
import { cliProgress, type Progress } from '../progress.js';

export const publishStateHelp = `Usage: streamsuites publish-state --target <dir> [--from <dir>] [--changelog <file>]

One-shot publish of the runtime's JSON snapshots into a dashboard hosting
root (for cron or CI while the runtime is not running). Copies every file
under the exports root atomically, keeping its relative path, except
internal-only files. The runtime never emits the changelog: --changelog
validates changelog/changelog.runtime.json and copies it to
runtime/exports/changelog.runtime.json under the target.

Options:
  --target <dir>       dashboard hosting root, e.g. ../StreamSuites-Dashboard/docs
  --from <dir>         exports root to publish (default: ./data/state)
  --changelog <file>   a runtime changelog to validate and publish
  -h, --help           show this help

Exit status: 0 published, 1 failed, 2 usage error.
`;

/** Off a terminal, fewer files than this publish without progress lines (a cron job's log stays one line). */
const PUBLISH_QUIET_BELOW = 200;

export async function publishStateCommand(argv: string[], io: CliIO): Promise<number> {
  const args = parseCommandArgs(
    'publish-state',
    argv,
    { target: { type: 'string' }, from: { type: 'string' }, changelog: { type: 'string' } },
    { min: 0, max: 0, names: '' },
  );
  if (args.help) {
    io.stdout(publishStateHelp);
    return 0;
  }
  const target = args.values.target;
  if (typeof target !== 'string' || target === '') throw new SS_ERR_CLI_USAGE('publish-state: --target <dir> is required');
  const from = resolve(io.cwd, typeof args.values.from === 'string' ? args.values.from : 'data/state');
  if (!existsSync(from)) {
    printError(io, new SS_ERR_EXPORTS_SOURCE_MISSING(from));
    return 1;
  }
  let bar: Progress | undefined;
  try {
    const result = await publishState({
      from,
      target: resolve(io.cwd, target),
      ...(typeof args.values.changelog === 'string' ? { changelog: resolve(io.cwd, args.values.changelog) } : {}),
      onFile: (file, _done, total) => {
        bar ??= cliProgress(io, { label: 'publish-state', total, unit: 'files', quietBelow: PUBLISH_QUIET_BELOW });
        bar.tick(1, file);
      },
    });
    bar?.done();
    io.stdout(`published ${result.published.length} file(s) to ${resolve(io.cwd, target)}`);
    if (result.skipped.length > 0) io.stdout(` (left out ${result.skipped.length} internal-only or unclassified)`);
    if (result.changelog !== undefined) io.stdout(`; changelog → ${result.changelog}`);
    io.stdout('\n');
    return 0;
  } catch (error) {
    bar?.done('failed');
    printError(io, error);
    return 1;
  }
}
