/**
 * Media under the exports root: an export section may place files its JSON
 * refers to (clip videos and posters under `runtime/media/`) through the
 * kernel contract's optional `media` hook, which the Exporter calls with the
 * root before each write of the section's file.
 *
 * Media are not mirrored to the dashboard publish root: the dashboard server
 * serves them from the exports root (dashboard-only: to this machine, or with
 * its bearer token).
 */
import type { ExportSection, MediaContext } from '@streamsuites/kernel';

export type { MediaContext };

/** An export section with its `media` hook (the kernel's ExportSection; kept as a name for this package's users). */
export type MediaSection<T = unknown> = ExportSection<T>;

/** The section's media hook, if it has one. */
export function mediaHookOf(section: ExportSection<any>): ((ctx: MediaContext) => void | Promise<void>) | undefined {
  const hook = section.media;
  return typeof hook === 'function' ? hook.bind(section) : undefined;
}
