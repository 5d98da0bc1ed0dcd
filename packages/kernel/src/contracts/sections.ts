import type { Static, TSchema } from 'typebox';
import { createExtensionPoint } from '../extension-point.js';
import type { ManifestIssue } from '../manifest/issues.js';

/** Where a section sits: under each creator (`creators.<id>.<key>`) or at the top of the manifest. */
export type SectionScope = 'creator' | 'manifest';

/**
 * A manifest key a plugin claims, beside the kernel's own keys: the default
 * trigger engine claims `creators.<id>.triggers`, the quota tracker
 * `creators.<id>.quotas`, the action dispatcher `dryRun` at both levels. The
 * kernel validates a claimed section against `schema` (defaults applied) and
 * `check` when the manifest is loaded, so `streamsuites validate` reports
 * its problems with the others; a key nobody claims is an error
 * (SS_ERR_MANIFEST_SECTION_UNCLAIMED).
 */
export interface ManifestSection<S extends TSchema = TSchema> {
  key: string;
  scope: SectionScope;
  schema: S;
  /** What the schema cannot say (a real time zone, buffer < daily); called only when the schema holds. */
  check?(value: Static<S>, path: readonly (string | number)[]): ManifestIssue[];
  /** Reads the validated value from a creator entry or the manifest (undefined when absent). */
  read(resolved: { sections: Readonly<Record<string, unknown>> }): Static<S> | undefined;
}

/** Contribute with `reg.extend(manifestSectionsExtensionPoint, mySection)`. */
export const manifestSectionsExtensionPoint = createExtensionPoint<ManifestSection<any>>({ id: 'kernel.manifestSections' });

/** A typed section; `read()` returns its validated value. */
export function defineManifestSection<const S extends TSchema>(section: Omit<ManifestSection<S>, 'read'>): ManifestSection<S> {
  const { key } = section;
  return Object.freeze({ ...section, read: (resolved: { sections: Readonly<Record<string, unknown>> }) => resolved.sections[key] as Static<S> | undefined });
}
