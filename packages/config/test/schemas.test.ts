import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { schemaProblems } from '@streamsuites/kernel';
import { describe, expect, it } from 'vitest';
import { CONFIG_FILES, configSchemas, manifestJsonSchema, renderSchemaFiles, snakeSchema } from '../src/index.js';
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

  it("the rule, trigger and tier files' schemas carry the fields of the section they fill, in snake_case, for editor completion", () => {
    const schemas = configSchemas() as Record<string, any>;
    expect(Object.keys(schemas['chat_behaviour.json'].properties.defaults.properties)).toEqual(expect.arrayContaining(['exempt_roles', 'banned_phrases', 'user_rate_limit', 'first_time_greeting']));
    expect(Object.keys(schemas['clip_rules.json'].properties.defaults.properties)).toEqual(expect.arrayContaining(['roles', 'max_seconds', 'default_seconds', 'cooldown']));
    expect(Object.keys(schemas['monetization.json'].properties.defaults.properties)).toEqual(expect.arrayContaining(['currency', 'rates', 'bits_per_unit', 'rules']));
    expect(schemas['chat_triggers.json'].properties.defaults.items.required).toEqual(['type', 'actions']);
    const tier = Object.values(schemas['tiers.json'].properties.tiers.patternProperties)[0] as { properties: object };
    expect(Object.keys(tier.properties)).toEqual(['max_triggers', 'max_clip_seconds', 'clips_per_hour', 'platforms', 'max_creators']);
    // A creator's entry is merged over the defaults: nothing is required at its top.
    const problems = schemaProblems(schemas['chat_behaviour.json'], { version: 1, creators: { daniel: { banned_phrase: [] } }, defaults: { user_rate_limit: { messages: 5 } } });
    expect(problems).toEqual([
      { path: '/creators/daniel/banned_phrase', message: 'unknown key "banned_phrase"' },
      { path: '/defaults/user_rate_limit', message: expect.stringContaining('per_sec') },
    ]);
  });

  it('snakeSchema renames property names (and required) only, at every depth', () => {
    const schema = { type: 'object', required: ['maxSeconds'], properties: { maxSeconds: { type: 'integer' }, 'stream.online': { anyOf: [{ type: 'object', properties: { minIntervalSec: {} } }] } }, patternProperties: { '^[A-Z]+$': { properties: { perSec: {} } } } };
    expect(snakeSchema(schema)).toEqual({ type: 'object', required: ['max_seconds'], properties: { max_seconds: { type: 'integer' }, 'stream.online': { anyOf: [{ type: 'object', properties: { min_interval_sec: {} } }] } }, patternProperties: { '^[A-Z]+$': { properties: { per_sec: {} } } } });
    expect(snakeSchema(schema, true)).not.toHaveProperty('required');
  });

  it('the JSON Schema catches what the reader catches (an unknown key in a sample)', () => {
    const schema = JSON.parse(readFileSync(join(SCHEMAS, 'system.schema.json'), 'utf8'));
    expect(schemaProblems(schema, { version: 1, system: { log_levle: 'debug' } })).toEqual([{ path: '/system/log_levle', message: 'unknown key "log_levle"' }]);
  });
});
