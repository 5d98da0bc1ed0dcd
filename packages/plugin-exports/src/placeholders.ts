/**
 * Public placeholders, replaced by the plugins that own the data: clips,
 * polls, tallies, scoreboards and their signals exist from day one with an
 * empty body. Their fixed parts (schema name, visibility, description, body
 * schema) are the kernel's `reservedSection`, which the owners use too, so a
 * plugin can contribute them without depending on this one.
 */
import { RESERVED_EXPORT_FILES, reservedSection, type ExportSection, type TSchema } from '@streamsuites/kernel';

/** Every property of a reserved body is a list: the empty body has each one empty. */
function emptyBody(bodySchema: TSchema): () => Record<string, never[]> {
  const keys = Object.keys((bodySchema as { properties?: Record<string, unknown> }).properties ?? {});
  return () => Object.fromEntries(keys.map((key) => [key, []]));
}

/** Files that exist from day one with an empty body until their owning plugin contributes them. */
export const placeholderSections: ExportSection<unknown>[] = RESERVED_EXPORT_FILES.map((file) => {
  const fixed = reservedSection(file);
  return { ...fixed, snapshot: emptyBody(fixed.bodySchema), watch: [] };
});

export { reservedSection } from '@streamsuites/kernel';
export type { ReservedFile } from '@streamsuites/kernel';
