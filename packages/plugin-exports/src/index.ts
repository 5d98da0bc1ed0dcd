/**
 * @streamsuites/plugin-exports — deterministic JSON snapshots of the runtime
 * for read-only dashboards. List it in the manifest; contribute files with
 * the kernel's `exportsExtensionPoint`.
 */
import {
  exportsExtensionPoint as kernelExportsExtensionPoint,
  reservedSection as kernelReservedSection,
  type ExportSection as KernelExportSection,
  type ReservedFile as KernelReservedFile,
  type SnapshotContext as KernelSnapshotContext,
  type Visibility as KernelVisibility,
} from '@streamsuites/kernel';
import { exportsPlugin } from './plugin.js';

export default exportsPlugin;
export { exportsPlugin };

// The export-section contract moved to @streamsuites/kernel (a plugin contributing files
// needs no dependency on this one). The names stay here for compatibility.
/** @deprecated Import `exportsExtensionPoint` from `@streamsuites/kernel`. */
export const exportsExtensionPoint = kernelExportsExtensionPoint;
/** @deprecated Import `reservedSection` from `@streamsuites/kernel`. */
export const reservedSection = kernelReservedSection;
/** @deprecated Import `ExportSection` from `@streamsuites/kernel`. */
export type ExportSection<T = unknown> = KernelExportSection<T>;
/** @deprecated Import `SnapshotContext` from `@streamsuites/kernel`. */
export type SnapshotContext = KernelSnapshotContext;
/** @deprecated Import `Visibility` from `@streamsuites/kernel`. */
export type Visibility = KernelVisibility;
/** @deprecated Import `ReservedFile` from `@streamsuites/kernel`. */
export type ReservedFile = KernelReservedFile;

export { configSchema } from './config.js';
export type { ExportsConfig } from './config.js';
export { resolveMirrorRoot } from './mirror.js';
export { stableStringify } from './json.js';
/** JSON Schema (2020-12) of a whole exported file (`meta` plus the section's body), and where it goes under `schemas/`: for plugins that ship schemas of their own sections. */
export { fileSchema, schemaPath } from './schemas.js';
export { writeFileAtomic } from './atomic.js';
export type { ExportFs } from './atomic.js';
export { Exporter } from './exporter.js';
export type { MediaContext, MediaSection } from './media.js';
export type { ExporterOptions } from './exporter.js';
export { CHANGELOG_TARGET, ChangelogSchema, publishState } from './publish.js';
export type { PublishResult } from './publish.js';
export * from './errors.js';
