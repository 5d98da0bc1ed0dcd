import { statSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { configDirReader, SS_ERR_CONFIG_DIR_NOT_FOUND } from '@streamsuites/config';
import { formatIssue, type ManifestIssue, type ManifestReader } from '@streamsuites/kernel';
import { SS_ERR_CLI_USAGE } from '../errors.js';
import type { CliIO } from '../io.js';

/** The help lines of `--config-dir`, shared by run, validate and replay. */
export const configDirHelp = `  --config-dir <dir>    read a reference-style configuration folder
                        (shared/config: creators.json, platforms.json,
                        system.json...) instead of a manifest file`;

/**
 * What a command boots from: the positional manifest or `--config-dir`,
 * exactly one of them. The configuration-folder reader is always passed,
 * so a manifest's `include` can name a folder too. Warnings (an unknown
 * file in the folder) go to stderr.
 */
export function manifestSource(
  command: string,
  io: CliIO,
  manifest: string | undefined,
  configDir: string | undefined,
  options: { quiet?: boolean; onWarning?: (warning: ManifestIssue) => void } = {},
): { manifest: string; readers: ManifestReader[] } {
  if (manifest !== undefined && configDir !== undefined) {
    throw new SS_ERR_CLI_USAGE(`${command}: give either a manifest or --config-dir <dir>, not both`);
  }
  if (configDir === '') throw new SS_ERR_CLI_USAGE(`${command}: --config-dir must not be empty`);
  const source = manifest ?? configDir;
  if (source === undefined) throw new SS_ERR_CLI_USAGE(`${command}: missing <manifest> (or --config-dir <dir>)`);
  // The folder is read more than once (validate inspects, then creates the kernel; a reload reads it again): each warning once.
  const seen = new Set<string>();
  const onWarning = (warning: ManifestIssue) => {
    const key = `${warning.code} ${warning.file ?? ''} ${warning.path}`;
    if (seen.has(key)) return;
    seen.add(key);
    if (options.onWarning !== undefined) options.onWarning(warning);
    else if (options.quiet !== true) io.stderr(`warning: ${formatIssue({ ...warning, file: relative(io.cwd, warning.file ?? '') || '.' })}\n      hint: ${warning.hint ?? ''}\n`);
  };
  const path = resolve(io.cwd, source);
  // Given as a folder, it must be one: a file would otherwise be read as a manifest.
  if (configDir !== undefined && statSync(path, { throwIfNoEntry: false })?.isDirectory() !== true) {
    throw new SS_ERR_CONFIG_DIR_NOT_FOUND(path, 'not a folder', { details: { dir: path } });
  }
  return { manifest: path, readers: [configDirReader({ onWarning })] };
}
