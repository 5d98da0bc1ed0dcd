import { Type, type TSchema } from '@streamsuites/kernel';
import type { ExportSection } from './contract.js';
import { builtinSections, metaSection, placeholderSections, RuntimeObserver } from './sections.js';

const Meta = Type.Object(
  {
    schema: Type.String(),
    version: Type.Integer({ minimum: 1 }),
    generatedAt: Type.String({ format: 'date-time' }),
    source: Type.String(),
    visibility: Type.Union([Type.Literal('public'), Type.Literal('dashboard-only'), Type.Literal('internal-only')]),
  },
  { additionalProperties: false },
);

/** The export surface as the exports plugin defines it (placeholders included). */
export function surfaceSections(): ExportSection<unknown>[] {
  const sections: ExportSection<unknown>[] = [...placeholderSections, ...builtinSections(new RuntimeObserver(1))];
  const all: ExportSection<unknown>[] = [...sections, metaSection(() => all)];
  return all.sort((a, b) => (a.file < b.file ? -1 : 1));
}

/** JSON Schema of a whole file: `meta` plus the section's body. */
export function fileSchema(section: ExportSection<unknown>): Record<string, unknown> {
  const body = section.bodySchema as TSchema & { properties?: Record<string, unknown>; required?: string[] };
  return JSON.parse(
    JSON.stringify({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: `https://streamsuites.dev/schemas/${section.file.replace(/\.json$/, '.schema.json')}`,
      title: section.file,
      description: `${section.description} Visibility: ${section.visibility}.`,
      type: 'object',
      properties: { meta: Meta, ...(body.properties ?? {}) },
      required: ['meta', ...(body.required ?? [])],
    }),
  ) as Record<string, unknown>;
}

/** Path of a file's schema under `schemas/`. */
export function schemaPath(file: string): string {
  return file.replace(/\.json$/, '.schema.json');
}
