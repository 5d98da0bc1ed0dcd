// Regenerates schemas/ from the typebox schemas of the export surface:
//   pnpm --filter @streamsuites/plugin-exports run schemas
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stableStringify } from '../src/json.js';
import { fileSchema, schemaPath, surfaceSections } from '../src/schemas.js';

const root = fileURLToPath(new URL('../schemas/', import.meta.url));
rmSync(root, { recursive: true, force: true });
for (const section of surfaceSections()) {
  const target = join(root, schemaPath(section.file));
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, stableStringify(fileSchema(section)));
  console.log(`wrote schemas/${schemaPath(section.file)}`);
}
