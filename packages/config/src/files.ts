import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  didYouMean,
  isJsonSyntaxError,
  parseJsonWithPositions,
  pointer,
  schemaIssues,
  suggest,
  type ManifestIssue,
  type ParsedJson,
} from '@streamsuites/kernel';
import { SS_ERR_CONFIG_DIR_NOT_FOUND, SS_ERR_CONFIG_DUPLICATE_KEY, SS_ERR_CONFIG_FILE_MISSING, SS_ERR_CONFIG_FILE_UNKNOWN, SS_ERR_CONFIG_PARSE, SS_ERR_CONFIG_SCHEMA, SS_ERR_CONFIG_UNKNOWN_KEY } from './errors.js';
import { CONFIG_FILES } from './formats.js';

/** One file of the folder, parsed. */
export interface LoadedFile {
  name: string;
  /** Absolute path. */
  path: string;
  parsed: ParsedJson;
  value: Record<string, unknown>;
}

export interface LoadedFolder {
  files: Map<string, LoadedFile>;
  /** Files present but not usable (not JSON, unreadable): checks that need their content are skipped. */
  broken: Set<string>;
  issues: ManifestIssue[];
  warnings: ManifestIssue[];
}

/**
 * Reads every known file of the folder and checks it against its own
 * schema. Problems are collected, never thrown, so one run lists them all;
 * a file that is not JSON (written half-way) is reported and left out
 * whole. Throws only when the folder itself cannot be read.
 */
export async function loadFolder(dir: string, onFile?: (name: string, index: number, total: number) => void): Promise<LoadedFolder> {
  let names: string[];
  try {
    if (!(await stat(dir)).isDirectory()) throw new Error('not a folder');
    names = await readdir(dir);
  } catch (error) {
    throw new SS_ERR_CONFIG_DIR_NOT_FOUND(dir, error instanceof Error ? error.message : String(error), { cause: error, details: { dir } });
  }
  const known = CONFIG_FILES.map((f) => f.name);
  const out: LoadedFolder = { files: new Map(), broken: new Set(), issues: [], warnings: [] };

  for (const name of names.filter((n) => n.toLowerCase().endsWith('.json') && !known.includes(n)).sort()) {
    const error = new SS_ERR_CONFIG_FILE_UNKNOWN(name);
    const mean = didYouMean(suggest(name, known, { key: (n) => n.replace(/\.json$/i, '') }));
    out.warnings.push({ code: error.code, path: '/', file: join(dir, name), message: error.message, hint: mean === '' ? `${error.hint} StreamSuites reads ${known.join(', ')}.` : `${error.hint} ${mean}` });
  }

  const present = CONFIG_FILES.filter((f) => names.includes(f.name)).length;
  let index = 0;
  for (const spec of CONFIG_FILES) {
    const path = join(dir, spec.name);
    if (!names.includes(spec.name)) {
      if (spec.required) {
        const error = new SS_ERR_CONFIG_FILE_MISSING(spec.name);
        out.issues.push({ code: error.code, path: '/', file: path, message: error.message, hint: error.hint! });
      }
      continue;
    }
    onFile?.(spec.name, (index += 1), present);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (cause) {
      const error = new SS_ERR_CONFIG_PARSE(spec.name, `cannot read it (${cause instanceof Error ? cause.message : String(cause)})`);
      out.issues.push({ code: error.code, path: '/', file: path, message: error.message, hint: error.hint! });
      out.broken.add(spec.name);
      continue;
    }
    const parsed = parseJsonWithPositions(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    if (isJsonSyntaxError(parsed)) {
      const error = new SS_ERR_CONFIG_PARSE(spec.name, `${parsed.problem} at line ${parsed.position.line}, column ${parsed.position.column}`);
      out.issues.push({ code: error.code, path: '/', file: path, position: parsed.position, message: error.message, hint: error.hint! });
      out.broken.add(spec.name);
      continue;
    }
    const located = (issue: ManifestIssue): ManifestIssue => {
      const position = parsed.positionOf(issue.path === '/' ? [] : issue.path.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~')));
      return { ...issue, file: path, ...(position === undefined ? {} : { position }) };
    };
    for (const duplicate of parsed.duplicates) {
      const error = new SS_ERR_CONFIG_DUPLICATE_KEY(spec.name);
      out.issues.push({ code: error.code, path: pointer(duplicate.path), file: path, position: duplicate.position, message: error.message, hint: error.hint! });
    }
    const found = schemaIssues(spec.schema, parsed.value, [], {
      schema: SS_ERR_CONFIG_SCHEMA.code,
      unknownKey: SS_ERR_CONFIG_UNKNOWN_KEY.code,
      hint: (problem) => (problem.kind === 'unknown-key' ? unknownHint(problem.key, problem.known) : SCHEMA_HINT),
    });
    out.issues.push(...found.map(located));
    const value = parsed.value;
    out.files.set(spec.name, { name: spec.name, path, parsed, value: typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {} });
  }
  return out;
}

const SCHEMA_HINT = 'See the file formats in the @streamsuites/config README, or let the editor complete the file through its "$schema".';

function unknownHint(key: string, known: readonly string[]): string {
  const mean = didYouMean(suggest(key, known));
  return mean === '' ? `Remove the key or check its spelling (known here: ${known.join(', ')}).` : `Remove the key or check its spelling. ${mean}`;
}
