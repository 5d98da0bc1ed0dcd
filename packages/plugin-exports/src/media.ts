/**
 * Media under the exports root: an export section may place files its JSON
 * refers to (clip videos and posters under `runtime/media/`) through an
 * optional `media` hook, which the Exporter calls with the root before each
 * write of the section's file. The hook is not in the kernel's ExportSection
 * contract yet: a section carries it as an extra property (plugin-clips'
 * clips.json does), so contributing plugins need no dependency on this one.
 *
 * Media are not mirrored to the dashboard publish root: the dashboard server
 * serves them from the exports root (dashboard-only: to this machine, or with
 * its bearer token).
 */
import type { ExportSection, SnapshotContext } from './contract.js';

/** What a section's `media` hook gets. */
export interface MediaContext extends SnapshotContext {
  /** The absolute exports root (the folder holding runtime/ and shared/). */
  root: string;
}

/** An export section with the optional `media` hook. */
export interface MediaSection<T = unknown> extends ExportSection<T> {
  /**
   * Places (and removes) the files the section's JSON refers to, under
   * `<root>/runtime/media/`, before each write of the file; the snapshot then
   * lists what is there. A throw is logged and the file is written anyway.
   */
  media?(ctx: MediaContext): void | Promise<void>;
}

/** The section's media hook, if it has one. */
export function mediaHookOf(section: ExportSection<any>): ((ctx: MediaContext) => void | Promise<void>) | undefined {
  const hook = (section as MediaSection<unknown>).media;
  return typeof hook === 'function' ? hook.bind(section) : undefined;
}
