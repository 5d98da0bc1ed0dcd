import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { schemaProblems, type TSchema } from '@streamsuites/kernel';
import { describe, expect, it } from 'vitest';
import { stableStringify } from '../src/json.js';
import { fileSchema, schemaPath, surfaceSections } from '../src/schemas.js';
import { exportsKernel, message, readTree, tempDir } from './helpers.js';

const schemasDir = new URL('../schemas/', import.meta.url).pathname;
const committed = (file: string) => readFileSync(join(schemasDir, schemaPath(file)), 'utf8');

describe('JSON Schemas in schemas/', () => {
  it('are generated from the typebox schemas and up to date (run `pnpm --filter @streamsuites/plugin-exports run schemas`)', () => {
    const sections = surfaceSections();
    expect(sections).toHaveLength(20);
    for (const section of sections) expect(committed(section.file), section.file).toBe(stableStringify(fileSchema(section)));
    expect(Object.keys(readTree(schemasDir))).toHaveLength(20);
  });

  it('every written file validates against its committed schema', async () => {
    const dataDir = tempDir();
    const t = await exportsKernel(dataDir);
    await t.events.waitFor('exports.written');
    t.bus.emit('chat.message', message('alice', 'hi'));
    await t.stop();
    const tree = readTree(join(dataDir, 'state'));
    expect(Object.keys(tree)).toHaveLength(20);
    for (const [file, text] of Object.entries(tree)) {
      const schema = JSON.parse(committed(file)) as TSchema;
      expect(schemaProblems(schema, JSON.parse(text)), file).toEqual([]);
    }
    // And a schema really rejects a wrong file.
    const clips = JSON.parse(committed('runtime/exports/clips.json')) as TSchema;
    expect(schemaProblems(clips, { meta: { schema: 'x', version: 1, generatedAt: 'now', source: 's', visibility: 'secret' }, clips: [{ id: 1 }] })).not.toEqual([]);
  });
});
