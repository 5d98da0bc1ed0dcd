import { createExtensionPoint, type EventName, type ExtensionPoint, type Kernel, type TSchema } from '@streamsuites/kernel';

/** Who may read a file: anyone, the operator's dashboard, or the runtime only. */
export type Visibility = 'public' | 'dashboard-only' | 'internal-only';

/** What a section's snapshot function gets. */
export interface SnapshotContext {
  /** The running kernel (status, creators, services). */
  kernel: Kernel;
  /** Kernel clock time of this write (ms). */
  now: number;
}

/**
 * One exported file. Plugins contribute sections through
 * `exportsExtensionPoint`; the exports plugin knows nothing platform-specific.
 */
export interface ExportSection<T = unknown> {
  /** Path under the exports root, e.g. `runtime/exports/clips.json`. */
  file: string;
  /** `meta.schema`, e.g. `streamsuites.clips`. */
  schema: string;
  /** `meta.version`; bump when the body changes incompatibly. */
  version: number;
  visibility: Visibility;
  description: string;
  /** typebox schema of the body (everything but `meta`); every write is checked against it. */
  bodySchema: TSchema;
  /** Builds the body. Must be deterministic: stable array order, no wall-clock times. */
  snapshot(ctx: SnapshotContext): T | Promise<T>;
  /** Events after which the file is rewritten (debounced); it is also rewritten on the cadence. */
  watch?: readonly EventName[];
}

export const exportsExtensionPoint: ExtensionPoint<ExportSection<any>> = createExtensionPoint<ExportSection<any>>({
  id: 'exports.sections',
});

declare module '@streamsuites/kernel' {
  interface StreamSuitesEvents {
    /** Files written (and mirrored) in one flush. */
    'exports.written': { files: string[]; mirrored: number; at: number };
    /** A file could not be built or written; its previous version is intact. */
    'exports.failed': { file: string; error: { code?: string; message: string }; at: number };
  }
}
