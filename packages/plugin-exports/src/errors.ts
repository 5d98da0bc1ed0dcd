import { defineError } from '@streamsuites/kernel';

export const SS_ERR_EXPORTS_SECTION_INVALID = defineError(
  'SS_ERR_EXPORTS_SECTION_INVALID',
  (file: string, problem: string) => `Export ${file} failed its schema: ${problem}`,
  'The previous file is kept; fix the section snapshot of the plugin that contributes it.',
);
export const SS_ERR_EXPORTS_SNAPSHOT_FAILED = defineError(
  'SS_ERR_EXPORTS_SNAPSHOT_FAILED',
  (file: string) => `Building export ${file} failed`,
  'The previous file is kept; see the cause.',
);
export const SS_ERR_EXPORTS_WRITE_FAILED = defineError(
  'SS_ERR_EXPORTS_WRITE_FAILED',
  (file: string, reason: string) => `Writing ${file} failed: ${reason}`,
  'The previous file is kept. Check free disk space and permissions of the exports root.',
);
export const SS_ERR_EXPORTS_DUPLICATE_FILE = defineError(
  'SS_ERR_EXPORTS_DUPLICATE_FILE',
  (file: string, plugins: string) => `Export ${file} is contributed by more than one plugin (${plugins})`,
  'Each exported file has one owner; remove one of the contributions.',
);
export const SS_ERR_EXPORTS_BAD_PATH = defineError(
  'SS_ERR_EXPORTS_BAD_PATH',
  (file: string) => `Export path "${file}" is not a relative .json path inside the exports root (a keyed section's path holds {key} once, any other none)`,
);
export const SS_ERR_EXPORTS_SOURCE_MISSING = defineError(
  'SS_ERR_EXPORTS_SOURCE_MISSING',
  (dir: string) => `No exports to publish in ${dir}`,
  'Point --from at the exports root the runtime writes (default data/state next to the manifest).',
);
export const SS_ERR_EXPORTS_CHANGELOG_INVALID = defineError(
  'SS_ERR_EXPORTS_CHANGELOG_INVALID',
  (file: string, problem: string) => `Changelog ${file} is invalid: ${problem}`,
  'The changelog is { "entries": [{ "version", "date": "YYYY-MM-DD", "changes": ["..."] }] }.',
);
export const SS_ERR_EXPORTS_ROOT_LOCKED = defineError(
  'SS_ERR_EXPORTS_ROOT_LOCKED',
  (root: string, holder: string, _lockFile: string) => `Exports root ${root} is already being written by ${holder}`,
  (_root: string, _holder: string, lockFile: string) =>
    `One runtime writes one exports root: stop the other runtime or give this one another \`root\`. If that runtime is gone (on another host, or its pid was reused), delete ${lockFile}.`,
);
