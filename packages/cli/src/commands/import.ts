import { existsSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { importConfigDir, type ImportResult } from '@streamsuites/config';
import { formatIssue } from '@streamsuites/kernel';
import { writeFileAtomic } from '@streamsuites/plugin-exports';
import { parseCommandArgs } from '../args.js';
import { SS_ERR_CLI_OUTPUT_EXISTS } from '../errors.js';
import { printError, type CliIO } from '../io.js';
import { cliProgress, type Progress } from '../progress.js';

export const importHelp = `Usage: streamsuites import <dir> [--out <file>] [--force] [--json]

Writes the one-file manifest equivalent to a reference-style configuration
folder (shared/config: creators.json, platforms.json, services.json,
system.json, ratelimits.json, tiers.json, chat_triggers.json and the rule
files), and lists every setting that has no place in a manifest. Running
the written manifest behaves as running the folder (streamsuites run
--config-dir <dir>); relative paths are rebased onto the manifest's folder
and \${env:NAME} references are kept as written.

A folder with problems (files that are not JSON, unknown keys, a creator on
an unknown tier or platform...) is reported and nothing is written.

Options:
  --out <file>   where to write the manifest (default: ./streamsuites.json)
  --force        replace the file if it exists
  --json         print the result as JSON on stdout
  -h, --help     show this help

Exit status: 0 written, 1 problems in the folder or the file exists, 2 usage error.
`;

export async function importCommand(argv: string[], io: CliIO): Promise<number> {
  const args = parseCommandArgs('import', argv, { out: { type: 'string' }, force: { type: 'boolean' }, json: { type: 'boolean' } }, { min: 1, max: 1, names: '<dir>' });
  if (args.help) {
    io.stdout(importHelp);
    return 0;
  }
  const dir = resolve(io.cwd, args.positionals[0]!);
  const out = resolve(io.cwd, (args.values.out as string | undefined) ?? 'streamsuites.json');
  const json = args.values.json === true;
  let result: ImportResult;
  let bar: Progress | undefined;
  try {
    if (existsSync(out) && args.values.force !== true) throw new SS_ERR_CLI_OUTPUT_EXISTS(out);
    result = await importConfigDir(dir, {
      outDir: dirname(out),
      // A folder holds a dozen or so small files: a bar on a terminal, nothing in a pipe.
      onFile: (name, _index, total) => (bar ??= cliProgress(io, { label: 'import', total, unit: 'files', quietBelow: Number.POSITIVE_INFINITY })).tick(1, name),
    });
    bar?.done();
  } catch (error) {
    bar?.done('failed');
    printError(io, error);
    return 1;
  }
  const written = result.issues.length === 0;
  if (written) await writeFileAtomic(out, `${JSON.stringify(result.manifest, null, 2)}\n`);
  if (json) {
    const { manifest: _manifest, ...rest } = result;
    io.stdout(`${JSON.stringify({ dir, out, written, ...rest }, null, 2)}\n`);
    return written ? 0 : 1;
  }
  const where = (file: string | undefined) => (file === undefined ? undefined : relative(io.cwd, file) || '.');
  for (const warning of result.warnings) io.stderr(`warning: ${formatIssue({ ...warning, file: where(warning.file)! })}\n      hint: ${warning.hint ?? ''}\n`);
  if (!written) {
    io.stderr(`✗ ${dir}: ${result.issues.length} problem(s); nothing written\n`);
    for (const issue of result.issues) {
      io.stderr(`  ${formatIssue({ ...issue, ...(issue.file === undefined ? {} : { file: where(issue.file)! }) })}\n`);
      if (issue.hint !== undefined) io.stderr(`      hint: ${issue.hint}\n`);
    }
    return 1;
  }
  const creators = Object.keys((result.manifest.creators as object | undefined) ?? {}).length;
  const plugins = Object.keys((result.manifest.plugins as object | undefined) ?? {}).length;
  io.stdout(`✓ wrote ${where(out)} (${creators} creator(s), ${plugins} plugin(s))\n`);
  if (result.unmapped.length === 0) {
    io.stdout('  every setting mapped\n');
  } else {
    io.stdout(`  not mapped (${result.unmapped.length}):\n`);
    for (const u of result.unmapped) io.stdout(`    ${u.file} ${u.path}: ${u.reason}\n`);
  }
  return 0;
}
