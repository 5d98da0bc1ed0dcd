import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { schemaProblems } from '@streamsuites/kernel';
import { describe, expect, it } from 'vitest';
import { CONFIG_FILES, manifestJsonSchema, renderSchemaFiles } from '../src/index.js';
import { SAMPLES } from './helpers.js';

const SCHEMAS = fileURLToPath(new URL('../schemas/', import.meta.url));

/** Every .json file under the samples, recursively. */
function sampleFiles(dir = SAMPLES): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sampleFiles(join(dir, entry.name)) : entry.name.endsWith('.json') ? [join(dir, entry.name)] : [],
  );
}

describe('published JSON Schemas', () => {
  it('the committed schemas/ files are exactly what the generator writes (run `pnpm run schemas` after changing a schema)', () => {
    const fresh = renderSchemaFiles();
    expect(readdirSync(SCHEMAS).sort()).toEqual(Object.keys(fresh).sort());
    for (const [name, text] of Object.entries(fresh)) expect(readFileSync(join(SCHEMAS, name), 'utf8'), name).toBe(text);
  });

  it('has one schema per configuration file plus the manifest, shipped in the package', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    expect(pkg.files).toContain('schemas');
    expect(pkg.exports['./schemas/*']).toBe('./schemas/*');
    expect(Object.keys(renderSchemaFiles()).sort()).toEqual([...CONFIG_FILES.map((f) => f.name.replace(/\.json$/, '.schema.json')), 'manifest.schema.json'].sort());
  });

  it('the manifest schema has the kernel keys and the sections the default plugins claim', () => {
    const schema = manifestJsonSchema() as { properties: Record<string, unknown> & { creators: { patternProperties: Record<string, { properties: Record<string, unknown> }> } } };
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['kernel', 'dataDir', 'plugins', 'creators', 'dryRun']));
    const creator = Object.values(schema.properties.creators.patternProperties)[0]!;
    expect(Object.keys(creator.properties)).toEqual(expect.arrayContaining(['enable', 'config', 'triggers', 'quotas', 'dryRun']));
    expect(JSON.stringify(schema)).not.toMatch(/"~/);
  });

  it('every sample file names its schema by a relative $schema that exists, and the valid samples match it', () => {
    const files = sampleFiles();
    expect(files.length).toBeGreaterThan(20);
    for (const file of files) {
      let value: { $schema?: string };
      try {
        value = JSON.parse(readFileSync(file, 'utf8'));
      } catch {
        continue; // the half-written sample
      }
      if (value.$schema === undefined) continue; // the extra-files sample's strays
      const schemaFile = resolve(dirname(file), value.$schema);
      expect(existsSync(schemaFile), `${file}: ${value.$schema}`).toBe(true);
      if (file.includes(`${join('samples', 'broken')}`)) continue;
      expect(schemaProblems(JSON.parse(readFileSync(schemaFile, 'utf8')), value), file).toEqual([]);
    }
  });

  it('the JSON Schema catches what the reader catches (an unknown key in a sample)', () => {
    const schema = JSON.parse(readFileSync(join(SCHEMAS, 'system.schema.json'), 'utf8'));
    expect(schemaProblems(schema, { version: 1, system: { log_levle: 'debug' } })).toEqual([{ path: '/system/log_levle', message: 'unknown key "log_levle"' }]);
  });
});
