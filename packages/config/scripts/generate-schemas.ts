// Writes schemas/<file>.schema.json for every configuration file and
// schemas/manifest.schema.json (pnpm build runs it; test/schemas.test.ts
// fails when the committed files differ from what this writes).
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderSchemaFiles } from '../src/schemas.js';

const dir = fileURLToPath(new URL('../schemas/', import.meta.url));
mkdirSync(dir, { recursive: true });
for (const [name, text] of Object.entries(renderSchemaFiles())) writeFileSync(`${dir}${name}`, text);
console.log(`wrote ${Object.keys(renderSchemaFiles()).length} schemas to ${dir}`);
