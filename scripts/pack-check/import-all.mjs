// Copied into the pack-check project and run there: imports every entry point
// (`exports` subpath) of the packages named in argv, as an installing host
// would. A runtime dependency missing from a package.json fails here.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(path.join(process.cwd(), 'package.json'));
let count = 0;
for (const name of process.argv.slice(2)) {
  const manifest = JSON.parse(fs.readFileSync(require.resolve(`${name}/package.json`), 'utf8'));
  const subpaths = Object.keys(manifest.exports ?? { '.': null }).filter((key) => !key.includes('*') && !key.endsWith('.json'));
  for (const subpath of subpaths) {
    const specifier = subpath === '.' ? name : `${name}/${subpath.slice(2)}`;
    try {
      await import(specifier);
    } catch (error) {
      process.stderr.write(`import("${specifier}") failed: ${error?.stack ?? error}\n`);
      process.exit(1);
    }
    count += 1;
  }
}
process.stdout.write(`${JSON.stringify({ ok: true, imported: count })}\n`);
// Some entry points open handles when imported (pino transports, timers): do not wait for them.
process.exit(0);
