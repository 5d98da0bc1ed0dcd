import { stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { ManifestDocument, ManifestIssue, ManifestReader } from '@streamsuites/kernel';
import { loadFolder } from './files.js';
import { CONFIG_FILES } from './formats.js';
import { mapFolder, type Unmapped } from './map/index.js';

export interface ConfigDirOptions {
  /**
   * Base of the manifest's relative paths (data_dir, plugin packages).
   * Default: the project root — the folder holding `shared/` when the
   * folder is a `shared/config`, else the folder itself.
   */
  baseDir?: string;
  /** Called with each warning (an unknown .json file in the folder); they never block a run. */
  onWarning?: (warning: ManifestIssue) => void;
  /** Called as each file of the folder is read (1-based index of how many present): for progress displays. */
  onFile?: (name: string, index: number, total: number) => void;
}

/** A configuration folder read as a manifest document. */
export interface ConfigDocument extends ManifestDocument {
  /** Problems that do not block a run (unknown files), located. */
  warnings: ManifestIssue[];
  /** Settings that have no place in the manifest, and why. */
  unmapped: Unmapped[];
}

/** The project root of a folder: `<root>/shared/config` → `<root>`. */
export function defaultBaseDir(dir: string): string {
  return basename(dir) === 'config' && basename(dirname(dir)) === 'shared' ? dirname(dirname(dir)) : dir;
}

/**
 * Reads a reference-style configuration folder (`shared/config`) into a
 * manifest document: every file checked against its schema, mapped to the
 * manifest, and every manifest path traceable to its file and line. Throws
 * only when the folder cannot be read (SS_ERR_CONFIG_DIR_NOT_FOUND).
 */
export async function readConfigDir(dir: string, options: ConfigDirOptions = {}): Promise<ConfigDocument> {
  const source = resolve(dir);
  const folder = await loadFolder(source, options.onFile);
  const issues = [...folder.issues];
  const unmapped: Unmapped[] = [];
  const builder = mapFolder(folder.files, issues, unmapped, folder.broken);
  for (const warning of folder.warnings) options.onWarning?.(warning);
  // File by file, in file order, as an editor lists them.
  issues.sort((a, b) => (a.file ?? '').localeCompare(b.file ?? '') || (a.position?.line ?? 0) - (b.position?.line ?? 0) || (a.position?.column ?? 0) - (b.position?.column ?? 0));
  return {
    source,
    baseDir: resolve(options.baseDir ?? defaultBaseDir(source)),
    value: builder.value,
    issues,
    warnings: folder.warnings,
    unmapped,
    // Every file name the folder may hold, present or not: `run --watch` then also sees one created later.
    files: CONFIG_FILES.map((f) => join(source, f.name)),
    locate: (path) => builder.locate(path),
  };
}

/**
 * The manifest reader for configuration folders:
 * `createKernel(withDefaults({ manifest: 'shared/config', readers: [configDirReader()] }))`.
 * It accepts any folder (a folder without creators.json is reported as such).
 */
export function configDirReader(options: ConfigDirOptions = {}): ManifestReader & { read(path: string): Promise<ConfigDocument> } {
  return {
    id: 'config-dir',
    async accepts(path) {
      return (await stat(path).catch(() => undefined))?.isDirectory() === true;
    },
    read: (path) => readConfigDir(path, options),
  };
}
