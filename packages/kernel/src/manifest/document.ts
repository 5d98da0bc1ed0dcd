import type { ManifestIssue } from './issues.js';

/** Where a value of a manifest came from: a file and a position in it. */
export interface ManifestLocation {
  /** Absolute path of the file. */
  file: string;
  /** JSON Pointer of the value inside that file (it may differ from the manifest's path). */
  path?: string;
  line: number;
  column: number;
  /**
   * How that file spells a manifest key (a reference-style folder writes
   * `channel_points` for `channelPoints`): unknown-key problems found there
   * name the key, and their did-you-mean, as the operator wrote them.
   */
  spell?: (key: string) => string;
}

/**
 * A manifest assembled from something other than one JSON file — a
 * reference-style configuration folder (`creators.json`, `platforms.json`,
 * `system.json`...). The reader converts it to the manifest's shape and
 * keeps, for every manifest path, the file and position it came from, so
 * each problem the kernel or a plugin finds is reported in the file the
 * operator has to edit.
 */
export interface ManifestDocument {
  /** What it was read from (the folder), shown in messages. */
  source: string;
  /** Base for the manifest's relative paths (dataDir, plugin packages). */
  baseDir: string;
  /** The manifest object (not yet validated; `${env:NAME}` not yet substituted). */
  value: Record<string, unknown>;
  /** Problems the reader found (files missing or unreadable, their own schemas), located. */
  issues: ManifestIssue[];
  /** The file and position a manifest path came from (its closest located parent), if any. */
  locate(path: string): ManifestLocation | undefined;
  /** Every file read (what `run --watch` watches). */
  files: string[];
}

/**
 * Reads a configuration format into a manifest document. Hosts pass
 * readers to the loader (`LoadManifestOptions.readers`); the loader uses the
 * first that accepts a path given as the manifest (`run --config-dir`) or
 * named in a manifest's `include`. The kernel itself knows no format but
 * its own JSON manifest.
 */
export interface ManifestReader {
  /** Short name for messages (`config-dir`). */
  id: string;
  /** True when this reader handles `path` (for instance a folder holding `creators.json`). */
  accepts(path: string): Promise<boolean>;
  /** Reads it; throws only when nothing can be read at all (a coded error). */
  read(path: string): Promise<ManifestDocument>;
}
