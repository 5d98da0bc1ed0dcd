import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ManifestIssue } from '@streamsuites/kernel';
import type { Unmapped } from './map/index.js';
import { readConfigDir, type ConfigDirOptions } from './reader.js';

export interface ImportOptions extends ConfigDirOptions {
  /** The folder the manifest will be written to: `$schema` and `dataDir` are made relative to it (default: the project root). */
  outDir?: string;
  /** The `$schema` of the manifest (default: the published manifest.schema.json, relative to outDir). */
  schema?: string;
}

export interface ImportResult {
  /** The equivalent manifest: plain JSON, `$schema` first, `${env:...}` left as written. */
  manifest: Record<string, unknown>;
  /** Settings of the folder that have no place in the manifest. */
  unmapped: Unmapped[];
  /** The folder's problems (as `validate --config-dir` lists them, before plugins check their parts). */
  issues: ManifestIssue[];
  warnings: ManifestIssue[];
}

/** This package's manifest.schema.json (beside dist/ and src/ alike). */
export const MANIFEST_SCHEMA_FILE = join(dirname(fileURLToPath(import.meta.url)), '..', 'schemas', 'manifest.schema.json');

/**
 * The one-file manifest equivalent to a configuration folder. Running it
 * behaves as running the folder: the same values, with relative paths
 * rebased onto the manifest's folder.
 */
export async function importConfigDir(dir: string, options: ImportOptions = {}): Promise<ImportResult> {
  const document = await readConfigDir(dir, options);
  const outDir = options.outDir ?? document.baseDir;
  const value = structuredClone(document.value);
  // Relative paths in the manifest follow its own folder, the folder's follow its project root.
  const dataDir = typeof value.dataDir === 'string' ? value.dataDir : './data';
  const rebased = posix(relative(outDir, join(document.baseDir, dataDir))) || '.';
  if (typeof value.dataDir === 'string' || outDir !== document.baseDir) value.dataDir = rebased.startsWith('.') ? rebased : `./${rebased}`;
  const plugins = value.plugins as Record<string, { package?: string }> | undefined;
  for (const entry of Object.values(plugins ?? {})) {
    // A package given as a path is relative to the project root.
    if (typeof entry.package === 'string' && /^\.\.?[\\/]/.test(entry.package)) {
      const moved = posix(relative(outDir, join(document.baseDir, entry.package)));
      entry.package = moved.startsWith('.') ? moved : `./${moved}`;
    }
  }
  const schema = options.schema ?? posix(relative(outDir, MANIFEST_SCHEMA_FILE));
  return { manifest: { $schema: schema, ...value }, unmapped: document.unmapped, issues: document.issues, warnings: document.warnings };
}

function posix(path: string): string {
  return path.split(sep).join('/');
}
