import type { ManifestIssue } from '@streamsuites/kernel';
import { ManifestBuilder, type Origin } from '../builder.js';
import { SS_ERR_CONFIG_CONFLICT } from '../errors.js';
import type { LoadedFile } from '../files.js';

/** A setting of the folder that has no place in the manifest. */
export interface Unmapped {
  /** The file's name in the folder (`logging.json`). */
  file: string;
  /** JSON Pointer of the setting inside that file. */
  path: string;
  reason: string;
}

/** A plugin some file declared (platforms.json, services.json, system.json, or a creator using an official one). */
export interface Declaration {
  file: string;
  enabled: boolean;
  name: string;
}

/** A creator mapped to the manifest. */
export interface MappedCreator {
  id: string;
  /** Plugin ids it enables. */
  enable: string[];
}

/** What every mapping step shares: the files, the manifest being built, and where problems and unmapped settings go. */
export interface MapContext {
  builder: ManifestBuilder;
  /** Files present but not usable: checks that need their content are skipped (their own problem is reported). */
  broken: ReadonlySet<string>;
  declared: Map<string, Declaration>;
  file(name: string): LoadedFile | undefined;
  origin(name: string, ...path: (string | number)[]): Origin;
  /** A problem at `at`, with the error's hint and an optional did-you-mean after it. */
  problem(at: Origin, error: { code: string; message: string; hint?: string }, mean?: string): void;
  skip(file: string, path: string, reason: string): void;
}

export function createContext(files: ReadonlyMap<string, LoadedFile>, broken: ReadonlySet<string>, issues: ManifestIssue[], unmapped: Unmapped[]): MapContext {
  const parsed = new Map([...files.values()].map((f) => [f.path, f.parsed]));
  const located = (origin: Origin, code: string, message: string, hint: string): ManifestIssue => {
    const position = parsed.get(origin.file)?.positionOf(origin.path);
    const path = origin.path.length === 0 ? '/' : origin.path.map((s) => `/${String(s).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
    return { code, path, file: origin.file, ...(position === undefined ? {} : { position }), message, hint };
  };
  const describe = (origin: Origin) => `${[...files.values()].find((f) => f.path === origin.file)?.name ?? origin.file} (${origin.path.join('.')})`;
  const builder = new ManifestBuilder(parsed, (manifestPath, first, second) => {
    const error = new SS_ERR_CONFIG_CONFLICT(manifestPath, describe(first), describe(second));
    issues.push(located(second, error.code, error.message, error.hint!));
  });
  return {
    builder,
    broken,
    declared: new Map(),
    file: (name) => files.get(name),
    origin: (name, ...path) => ({ file: files.get(name)?.path ?? name, path }),
    problem: (at, error, mean = '') => void issues.push(located(at, error.code, error.message, mean === '' ? error.hint! : `${error.hint!} ${mean}`)),
    skip: (file, path, reason) => void unmapped.push({ file, path, reason }),
  };
}
