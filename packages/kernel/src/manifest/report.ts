import type { StreamSuitesError } from '../coded-error.js';
import {
  SS_ERR_CREATOR_ID_INVALID,
  SS_ERR_MANIFEST_DUPLICATE_CREATOR,
  SS_ERR_MANIFEST_DUPLICATE_KEY,
  SS_ERR_MANIFEST_INVALID,
  SS_ERR_MANIFEST_SECTION_UNCLAIMED,
  SS_ERR_MANIFEST_UNKNOWN_KEY,
} from '../errors.js';
import type { ManifestIssue } from './issues.js';
import type { Locate } from './include.js';
import type { ManifestInspection } from './load.js';

/**
 * The error thrown for an invalid manifest: when the only problems are plugin
 * graph problems, the first boot error itself (its own code); otherwise
 * SS_ERR_MANIFEST_INVALID listing every issue.
 */
export function manifestInvalid(source: string, inspection: Pick<ManifestInspection, 'issues' | 'bootErrors'>): StreamSuitesError {
  const first = inspection.bootErrors[0];
  if (first !== undefined && inspection.issues.length === inspection.bootErrors.length) {
    if (inspection.bootErrors.length > 1) Object.assign(first.details, { others: inspection.bootErrors.slice(1).map((e) => e.message) });
    return first;
  }
  const lines = inspection.issues.map(formatIssue);
  const error = new SS_ERR_MANIFEST_INVALID(source, inspection.issues.length, { details: { issues: inspection.issues } });
  error.message += `\n${lines.map((l) => `  - ${l}`).join('\n')}`;
  return error;
}

/**
 * Adds file positions (and the file, for a configuration folder or an
 * included file) to issues that have none, then sorts them in file order,
 * as an editor would list them: the manifest first, other files by name.
 */
export function placeIssues(issues: ManifestIssue[], locate: Locate): ManifestIssue[] {
  for (const issue of issues) {
    if (issue.position !== undefined) continue;
    const found = locate(issue.path);
    if (found === undefined) continue;
    issue.position = { line: found.line, column: found.column };
    if (found.file !== undefined) issue.file = found.file;
    if (found.filePath !== undefined && found.filePath !== issue.path) issue.filePath = found.filePath;
    if (found.spell !== undefined && KEY_NAMING.has(issue.code)) respell(issue, found.spell);
  }
  return issues.sort(
    (a, b) =>
      (a.file ?? '').localeCompare(b.file ?? '') ||
      (a.position?.line ?? 0) - (b.position?.line ?? 0) ||
      (a.position?.column ?? 0) - (b.position?.column ?? 0),
  );
}

/** Problems whose quoted words are keys (the key, and the keys of its did-you-mean). */
const KEY_NAMING: ReadonlySet<string> = new Set([SS_ERR_MANIFEST_UNKNOWN_KEY.code, SS_ERR_MANIFEST_SECTION_UNCLAIMED.code]);

/** Names the keys of a key problem as the file spells them. */
function respell(issue: ManifestIssue, spell: (key: string) => string): void {
  const keys = (text: string) => text.replace(/"([A-Za-z][A-Za-z0-9]*)"/g, (_, key: string) => `"${spell(key)}"`);
  issue.message = keys(issue.message);
  if (issue.hint !== undefined) issue.hint = keys(issue.hint);
}

/**
 * One line per issue: `path (line L, column C): message [code]` in the
 * manifest; `file:L:C pointer-in-file: message [code]` for a problem in
 * another file (a configuration folder's, an included one).
 */
export function formatIssue(issue: ManifestIssue): string {
  if (issue.file !== undefined) {
    const at = issue.position === undefined ? issue.file : `${issue.file}:${issue.position.line}:${issue.position.column}`;
    return `${at} ${issue.filePath ?? issue.path}: ${issue.message} [${issue.code}]`;
  }
  const at = issue.position === undefined ? '' : ` (line ${issue.position.line}, column ${issue.position.column})`;
  return `${issue.path}${at}: ${issue.message} [${issue.code}]`;
}

/** Problems with a key itself, not with its value: an unresolved `${env:...}` in the value does not explain them. */
const KEY_PROBLEMS: ReadonlySet<string> = new Set([
  SS_ERR_MANIFEST_UNKNOWN_KEY.code,
  SS_ERR_MANIFEST_SECTION_UNCLAIMED.code,
  SS_ERR_MANIFEST_DUPLICATE_KEY.code,
  SS_ERR_MANIFEST_DUPLICATE_CREATOR.code,
  SS_ERR_CREATOR_ID_INVALID.code,
]);

/**
 * Removes the problems a missing or malformed `${env:...}` causes further on:
 * the value became '' (or lost a part), so its schema, pattern or package
 * errors at the same path (or below) say nothing new. One root cause, one error.
 */
export function dropEnvFollowOns(issues: ManifestIssue[], envProblems: readonly ManifestIssue[]): void {
  if (envProblems.length === 0) return;
  const roots = envProblems.map((issue) => issue.path);
  const keep = issues.filter(
    (issue) =>
      envProblems.includes(issue) ||
      KEY_PROBLEMS.has(issue.code) ||
      !roots.some((root) => issue.path === root || issue.path.startsWith(`${root}/`)),
  );
  issues.splice(0, issues.length, ...keep);
}


/**
 * Problems of the plugin set found when the kernel wires services (a service
 * provided twice, a dependency nobody provides): the first is thrown with
 * every problem as a manifest issue in `details.issues`, at the manifest
 * entry of the plugin concerned, so `streamsuites validate` lists them all
 * with their line.
 */
export function wiringError(
  problems: readonly StreamSuitesError[],
  declared: Readonly<Record<string, unknown>>,
  locate: Locate,
): StreamSuitesError {
  const issues: ManifestIssue[] = problems.map((problem) => {
    const pluginId = problem.details.pluginId;
    const path = typeof pluginId === 'string' && Object.hasOwn(declared, pluginId) ? `/plugins/${pluginId}` : '/plugins';
    return { code: problem.code, path, message: problem.message, ...(problem.hint === undefined ? {} : { hint: problem.hint }) };
  });
  placeIssues(issues, locate);
  const [first] = problems;
  if (problems.length > 1) Object.assign(first!.details, { others: problems.slice(1).map((p) => p.message) });
  Object.assign(first!.details, { issues });
  return first!;
}
