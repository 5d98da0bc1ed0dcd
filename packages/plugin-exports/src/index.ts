/**
 * @streamsuites/plugin-exports — deterministic JSON snapshots of the runtime
 * for read-only dashboards. List it in the manifest; contribute files with
 * `exportsExtensionPoint`.
 */
import { exportsPlugin } from './plugin.js';

export default exportsPlugin;
export { exportsPlugin };
export { exportsExtensionPoint } from './contract.js';
export type { ExportSection, SnapshotContext, Visibility } from './contract.js';
export { reservedSection } from './sections.js';
export type { ReservedFile } from './sections.js';
export { configSchema } from './config.js';
export type { ExportsConfig } from './config.js';
export { resolveMirrorRoot } from './mirror.js';
export { stableStringify } from './json.js';
export { writeFileAtomic } from './atomic.js';
export type { ExportFs } from './atomic.js';
export { Exporter } from './exporter.js';
export type { ExporterOptions } from './exporter.js';
export { CHANGELOG_TARGET, ChangelogSchema, publishState } from './publish.js';
export type { PublishResult } from './publish.js';
export * from './errors.js';
