import { stat } from 'node:fs/promises';
import { resolve as resolvePath } from 'node:path';
import { SS_ERR_MANIFEST_INCLUDE } from '../errors.js';
import type { ManifestDocument, ManifestReader } from './document.js';
import { parsePointer, pointer, type ManifestIssue } from './issues.js';
import { isObject } from './object.js';
import { readManifestFile } from './read.js';

/** Where an issue is: the file (undefined: the manifest itself), its position, the pointer inside that file. */
export interface IssueLocation {
  file?: string;
  filePath?: string;
  line: number;
  column: number;
  /** How the file spells a manifest key (see ManifestLocation.spell). */
  spell?: (key: string) => string;
}

export type Locate = (path: string) => IssueLocation | undefined;

/** One source of a manifest: its value and how to find a path in it. */
export interface ManifestSource {
  value: unknown;
  locate: Locate;
  files: string[];
}

/** The first reader that accepts `path` (a reader that throws while asking is skipped). */
export async function readerFor(path: string, readers: readonly ManifestReader[]): Promise<ManifestReader | undefined> {
  for (const reader of readers) {
    try {
      if (await reader.accepts(path)) return reader;
    } catch {
      // A reader that cannot tell is not the one for this path.
    }
  }
  return undefined;
}

/** A reader's document as a source; its issues are added to `issues` (located by the reader). */
export function documentSource(document: ManifestDocument, issues: ManifestIssue[]): ManifestSource {
  issues.push(...document.issues);
  return {
    value: document.value,
    files: [...document.files],
    locate: (path) => {
      const found = document.locate(path);
      if (found === undefined) return undefined;
      return {
        file: found.file,
        line: found.line,
        column: found.column,
        ...(found.path === undefined ? {} : { filePath: found.path }),
        ...(found.spell === undefined ? {} : { spell: found.spell }),
      };
    },
  };
}

/**
 * Reads the manifest's `include` entries (configuration folders through the
 * host's readers, or other manifest files) and merges them under the
 * manifest: the manifest's own values win, objects merge key by key, and
 * every problem stays located in the file it is in. Included documents
 * cannot include again (one level keeps the merge order obvious and rules
 * out cycles).
 */
export async function withIncludes(
  main: ManifestSource,
  baseDir: string,
  readers: readonly ManifestReader[],
  issues: ManifestIssue[],
): Promise<ManifestSource> {
  const include = isObject(main.value) ? main.value.include : undefined;
  if (!Array.isArray(include) || include.length === 0) return main;
  const sources: ManifestSource[] = [];
  for (const [index, entry] of include.entries()) {
    if (typeof entry !== 'string' || entry === '') continue; // the schema reports it
    const at = pointer(['include', index]);
    const problem = (message: string) => {
      const error = new SS_ERR_MANIFEST_INCLUDE(entry, message);
      issues.push({ code: error.code, path: at, message: error.message, ...(error.hint === undefined ? {} : { hint: error.hint }) });
    };
    const path = resolvePath(baseDir, entry);
    const kind = await stat(path).then(
      (s) => (s.isDirectory() ? 'dir' : 'file'),
      () => undefined,
    );
    if (kind === undefined) {
      problem(`${path} does not exist`);
      continue;
    }
    const reader = await readerFor(path, readers);
    let source: ManifestSource;
    try {
      if (reader !== undefined) {
        source = documentSource(await reader.read(path), issues);
      } else if (kind === 'file') {
        const found: ManifestIssue[] = [];
        const parsed = await readManifestFile(path, found);
        issues.push(...found.map((issue) => ({ ...issue, file: path })));
        source = { value: parsed.value, files: [path], locate: (p) => locatedIn(path, parsed.positionOf(parsePointer(p))) };
      } else {
        problem(`no reader of this host understands the folder ${path}`);
        continue;
      }
    } catch (error) {
      problem(error instanceof Error ? error.message : String(error));
      continue;
    }
    if (isObject(source.value) && source.value.include !== undefined) {
      issues.push({
        code: SS_ERR_MANIFEST_INCLUDE.code,
        path: at,
        message: new SS_ERR_MANIFEST_INCLUDE(entry, `${path} has an "include" of its own; included files cannot include others`).message,
        hint: 'List every folder or file in the "include" of the main manifest.',
        ...(locatedAt(source, '/include') ?? {}),
      });
    }
    sources.push(source);
  }
  if (sources.length === 0) return main;
  let value: unknown = {};
  for (const source of sources) value = mergeUnder(value, withoutInclude(source.value));
  value = mergeUnder(value, main.value);
  const all = [main, ...sources];
  return {
    value,
    files: all.flatMap((s) => s.files),
    // The source that holds the longest part of the path says where it is; the manifest wins ties.
    locate: (path) => {
      const segments = parsePointer(path);
      let best = main;
      let depth = existingDepth(main.value, segments);
      for (const source of sources) {
        const d = existingDepth(source.value, segments);
        if (d > depth) [best, depth] = [source, d];
      }
      return best.locate(path) ?? main.locate(path);
    },
  };
}

function locatedIn(file: string, position: { line: number; column: number } | undefined): IssueLocation | undefined {
  return position === undefined ? undefined : { file, ...position };
}

function locatedAt(source: ManifestSource, path: string): { file?: string; position: { line: number; column: number } } | undefined {
  const found = source.locate(path);
  if (found === undefined) return undefined;
  return { ...(found.file === undefined ? {} : { file: found.file }), position: { line: found.line, column: found.column } };
}

function withoutInclude(value: unknown): unknown {
  if (!isObject(value) || !Object.hasOwn(value, 'include')) return value;
  const { include: _dropped, ...rest } = value;
  return rest;
}

/** `over` merged onto `base`: objects key by key, anything else replaced. */
export function mergeUnder(base: unknown, over: unknown): unknown {
  if (!isObject(base) || !isObject(over)) return over === undefined ? base : over;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(base)) define(out, key, value);
  for (const [key, value] of Object.entries(over)) define(out, key, Object.hasOwn(base, key) ? mergeUnder(base[key], value) : value);
  return out;
}

/** defineProperty: a "__proto__" key stays data, never a prototype. */
function define(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** How many leading segments of `segments` exist in `value`. */
function existingDepth(value: unknown, segments: readonly string[]): number {
  let node = value;
  for (const [index, segment] of segments.entries()) {
    if (Array.isArray(node)) node = node[Number(segment)];
    else if (isObject(node) && Object.hasOwn(node, segment)) node = node[segment];
    else return index;
    if (node === undefined) return index;
  }
  return segments.length;
}
