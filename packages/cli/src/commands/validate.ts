import { creatorTriggers, withDefaults } from '@streamsuites/defaults';
import { createKernel, formatIssue, inspectManifest, isStreamSuitesError, type ManifestIssue, type ManifestReader } from '@streamsuites/kernel';
import { parseCommandArgs } from '../args.js';
import { printError, type CliIO } from '../io.js';
import { configDirHelp, manifestSource } from './config-dir.js';

export const validateHelp = `Usage: streamsuites validate <manifest> [--json]
       streamsuites validate --config-dir <dir> [--json]

Checks a manifest without starting anything: JSON syntax, every key,
\${env:NAME} references, plugin packages (resolved from the manifest's
folder), the plugin dependency graph, every plugin's config and creator
config, quota policies, and every trigger (type, params, cooldowns, actions
and their params). Prints every problem with its JSON path, line and code;
for a configuration folder (or a folder the manifest includes), in the
folder's file: file:line:column and the path inside that file.

Options:
${configDirHelp}
  --json        print the result as JSON on stdout
  -h, --help    show this help

Exit status: 0 valid, 1 invalid, 2 usage error.
`;

/**
 * Every problem at once: createKernel reports the loader's problems together
 * with those only the plugins find (each trigger, its actions, the service
 * wiring) — it runs every plugin's register() (which only declares things)
 * and creates the kernel without starting it.
 */
async function allIssues(file: string, io: CliIO, loaderIssues: ManifestIssue[], readers: ManifestReader[]): Promise<ManifestIssue[]> {
  try {
    const kernel = await createKernel(withDefaults({ manifest: file, env: io.env, logLevel: 'silent', readers }));
    await kernel.stop();
    return [];
  } catch (error) {
    if (!isStreamSuitesError(error)) throw error;
    const listed = (error.details as { issues?: ManifestIssue[] }).issues;
    if (Array.isArray(listed)) return listed;
    // A plugin-graph problem is thrown as itself; the loader listed it with its path.
    if (loaderIssues.length > 0) return loaderIssues;
    return [{ code: error.code, path: '/', message: error.message, ...(error.hint === undefined ? {} : { hint: error.hint }) }];
  }
}

export async function validateCommand(argv: string[], io: CliIO): Promise<number> {
  const args = parseCommandArgs('validate', argv, { json: { type: 'boolean' }, 'config-dir': { type: 'string' } }, { min: 0, max: 1, names: '<manifest>' });
  if (args.help) {
    io.stdout(validateHelp);
    return 0;
  }
  const json = args.values.json === true;
  const warnings: ManifestIssue[] = [];
  const { manifest: file, readers } = manifestSource('validate', io, args.positionals[0], args.values['config-dir'] as string | undefined, { onWarning: (w) => void warnings.push(w) });
  let issues: ManifestIssue[];
  let summary = '';
  try {
    const inspection = await inspectManifest(file, withDefaults({ env: io.env, readers }));
    issues = await allIssues(file, io, inspection.issues, readers);
    if (inspection.manifest !== undefined) {
      const creators = Object.keys(inspection.manifest.creators).length;
      const triggers = Object.values(inspection.manifest.creators).reduce((n, c) => n + creatorTriggers(c).length, 0);
      summary = `${creators} creator(s), ${inspection.plugins.length - inspection.defaults.size} plugin(s), ${triggers} trigger(s)`;
    }
  } catch (error) {
    // Unreadable file or JSON syntax error: one problem, nothing else can be checked.
    if (!isStreamSuitesError(error) || !json) {
      printError(io, error);
      return 1;
    }
    const { line, column } = error.details as { line?: number; column?: number };
    issues = [
      {
        code: error.code,
        path: '/',
        message: error.message,
        ...(error.hint === undefined ? {} : { hint: error.hint }),
        ...(line === undefined || column === undefined ? {} : { position: { line, column } }),
      },
    ];
  }
  if (json) {
    io.stdout(`${JSON.stringify({ manifest: file, valid: issues.length === 0, issues, ...(warnings.length === 0 ? {} : { warnings }) }, null, 2)}\n`);
    return issues.length === 0 ? 0 : 1;
  }
  for (const warning of warnings) io.stderr(`warning: ${formatIssue(warning)}\n${warning.hint === undefined ? '' : `      hint: ${warning.hint}\n`}`);
  if (issues.length === 0) {
    io.stdout(`✓ ${file} is valid (${summary})\n`);
    return 0;
  }
  io.stderr(`✗ ${file}: ${issues.length} problem(s)\n`);
  for (const issue of issues) {
    io.stderr(`  ${formatIssue(issue)}\n`);
    if (issue.hint !== undefined) io.stderr(`      hint: ${issue.hint}\n`);
  }
  return 1;
}
