import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { schemaProblems, type TSchema } from '@streamsuites/kernel';
import { expect, it } from 'vitest';

// The page is written against the exports plugin's files: the fixtures it is
// tested with must be files the exporter could have written.
const fixtures = fileURLToPath(new URL('./fixtures/state/', import.meta.url));
const schemas = fileURLToPath(new URL('../../plugin-exports/schemas/', import.meta.url));
const surface = (function list(dir: string, prefix = ''): { path: string }[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? list(dir, `${prefix}${entry.name}/`) : [{ path: `${prefix}${entry.name}`.replace(/\.schema\.json$/, '.json') }],
  );
})(schemas);

it('every fixture file of the export surface matches the exports plugin schema', () => {
  let checked = 0;
  for (const { path } of surface) {
    const fixture = join(fixtures, path);
    if (!existsSync(fixture)) continue;
    const schema = JSON.parse(readFileSync(join(schemas, path.replace(/\.json$/, '.schema.json')), 'utf8')) as TSchema;
    expect(schemaProblems(schema, JSON.parse(readFileSync(fixture, 'utf8'))), path).toEqual([]);
    checked += 1;
  }
  expect(checked).toBeGreaterThanOrEqual(12);
});
