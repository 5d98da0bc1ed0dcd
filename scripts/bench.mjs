#!/usr/bin/env node
// npm run bench [-- <filter>]: runs every packages/*/bench/*.bench.ts and
// examples/*/bench/*.bench.ts (only those whose path contains <filter>) with
//   node --conditions=@streamsuites/source --import tsx <file>
// NODE_ENV=production, cwd = repo root, so imports resolve to package sources.
// Results go wherever each bench writes them; bench-results/ is created first.
// Exits non-zero if any bench fails.
//
// Runs `node scripts/bootstrap.mjs setup` first (fast when already done);
// STREAMSUITES_NO_SETUP=1 skips that.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const filter = process.argv[2] ?? '';
const rel = (p) => path.relative(ROOT, p).split(path.sep).join('/');

function findBenches() {
  const files = [];
  for (const base of ['packages', 'examples']) {
    let pkgs = [];
    try {
      pkgs = fs.readdirSync(path.join(ROOT, base), { withFileTypes: true });
    } catch {
      continue;
    }
    for (const pkg of pkgs) {
      if (!pkg.isDirectory()) continue;
      const benchDir = path.join(ROOT, base, pkg.name, 'bench');
      let entries = [];
      try {
        entries = fs.readdirSync(benchDir, { withFileTypes: true });
      } catch {
        continue;
      }
      for (const entry of entries) {
        if (entry.isFile() && entry.name.endsWith('.bench.ts')) files.push(path.join(benchDir, entry.name));
      }
    }
  }
  return files.sort();
}

/** One bench; Ctrl-C reaches it directly (same process group), we just wait. */
function runBench(file) {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--conditions=@streamsuites/source', '--import', 'tsx', file],
      { cwd: ROOT, env: { ...process.env, NODE_ENV: 'production' }, stdio: 'inherit', shell: false },
    );
    child.once('error', (error) => resolve({ ok: false, note: error.message }));
    child.once('exit', (code, signal) =>
      resolve({ ok: code === 0, note: signal ? `killed by ${signal}` : code === 0 ? '' : `exit ${code}` }),
    );
  });
}

const all = findBenches();
if (all.length === 0) {
  console.log('no benchmarks');
  process.exit(0);
}
const selected = all.filter((file) => rel(file).includes(filter));
if (selected.length === 0) {
  console.log(`no benchmarks match "${filter}" (have: ${all.map(rel).join(', ')})`);
  process.exit(1);
}

if (process.env.STREAMSUITES_NO_SETUP !== '1') {
  const setup = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'bootstrap.mjs'), 'setup'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (setup.status !== 0) {
    console.log('[bench] failed: set-up failed (see above)');
    process.exit(setup.status || 1);
  }
}

process.on('SIGINT', () => {}); // let the running bench handle Ctrl-C; we stop after it exits
fs.mkdirSync(path.join(ROOT, 'bench-results'), { recursive: true });

const results = [];
for (const file of selected) {
  console.log(`[bench] ${rel(file)}`);
  const start = Date.now();
  const result = await runBench(file);
  results.push({ file: rel(file), seconds: (Date.now() - start) / 1000, ...result });
  if (result.note.startsWith('killed by SIGINT')) break;
}

const failed = results.filter((r) => !r.ok);
console.log('');
for (const r of results) {
  console.log(`[bench] ${r.ok ? 'ok    ' : 'FAILED'} ${r.file} (${r.seconds.toFixed(1)}s${r.note ? `, ${r.note}` : ''})`);
}
console.log(`[bench] ${results.length - failed.length} passed, ${failed.length} failed`);
process.exit(failed.length > 0 || results.length < selected.length ? 1 : 0);
