// Regenerates schemas/ from the typebox schemas of the Discord plugin's export sections:
//   pnpm --filter @streamsuites/plugin-discord run schemas
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fileSchema, schemaPath, stableStringify } from '@streamsuites/plugin-exports';
import { discordSections } from '../src/exports.js';

const root = fileURLToPath(new URL('../schemas/', import.meta.url));
rmSync(root, { recursive: true, force: true });
for (const section of discordSections(() => undefined)) {
  const target = join(root, schemaPath(section.file));
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, stableStringify(fileSchema(section)));
  console.log(`wrote schemas/${schemaPath(section.file)}`);
}
