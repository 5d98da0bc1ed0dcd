/**
 * The export-section contract lives in the kernel, so a plugin can contribute
 * files without depending on this one; this module keeps the plugin's own
 * imports short and adds the plugin's events.
 */
export { exportsExtensionPoint } from '@streamsuites/kernel';
export type { ExportSection, SnapshotContext, Visibility } from '@streamsuites/kernel';

declare module '@streamsuites/kernel' {
  interface StreamSuitesEvents {
    /** Files written (and mirrored) in one flush. */
    'exports.written': { files: string[]; mirrored: number; at: number };
    /** A file could not be built or written; its previous version is intact. */
    'exports.failed': { file: string; error: { code?: string; message: string }; at: number };
  }
}
