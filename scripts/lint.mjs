#!/usr/bin/env node
// npm run lint: type-check every workspace package/example that has a
// tsconfig.json (root typescript, `tsc --noEmit -p <dir>/tsconfig.json`), then
// publint every non-private package under packages/*. Prints a summary and
// exits non-zero on any failure.
//
// Runs `node scripts/bootstrap.mjs setup` first (fast when already done; it
// installs dependencies and builds, which publint needs: it checks dist/).
// STREAMSUITES_NO_SETUP=1 skips that.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const rel = (p) => path.relative(ROOT, p).split(path.sep).join('/') || '.';

function run(cmd, args, env = process.env) {
  const result = spawnSync(cmd, args, { cwd: ROOT, env, stdio: 'inherit', shell: false });
  return result.error ? 1 : (result.status ?? 1);
}

/** The JS file behind a package's bin, run with this node (works on every OS). */
function binOf(pkg, name) {
  const dir = path.join(ROOT, 'node_modules', pkg);
  try {
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    const bin = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin?.[name];
    if (bin) return path.join(dir, bin);
  } catch {
    // not installed
  }
  return null;
}

function workspaceDirs(bases) {
  const dirs = [];
  for (const base of bases) {
    let entries = [];
    try {
      entries = fs.readdirSync(path.join(ROOT, base), { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      if (entry.isDirectory() && fs.existsSync(path.join(ROOT, base, entry.name, 'package.json'))) {
        dirs.push(path.join(ROOT, base, entry.name));
      }
    }
  }
  return dirs.sort();
}

if (process.env.STREAMSUITES_NO_SETUP !== '1') {
  const code = run(process.execPath, [path.join(ROOT, 'scripts', 'bootstrap.mjs'), 'setup'], {
    ...process.env,
    STREAMSUITES_SKIP_SYSTEM_DEPS: '1',
  });
  if (code !== 0) {
    console.log('[lint] failed: set-up failed (see above)');
    process.exit(code);
  }
}

const tsc = binOf('typescript', 'tsc');
const publint = binOf('publint', 'publint');
if (!tsc || !publint) {
  console.log('[lint] failed: typescript/publint are not installed — run `node scripts/bootstrap.mjs setup` first');
  process.exit(1);
}

// publint packs with `pnpm pack`: make a .tools/ pnpm (see bootstrap.mjs) findable
// and keep pnpm from trying to switch versions.
const lintEnv = { ...process.env, PNPM_CONFIG_MANAGE_PACKAGE_MANAGER_VERSIONS: 'false' };
const toolsBin = path.join(ROOT, '.tools', 'node_modules', '.bin');
if (fs.existsSync(toolsBin)) lintEnv.PATH = `${toolsBin}${path.delimiter}${process.env.PATH ?? ''}`;

const results = [];

for (const dir of workspaceDirs(['packages', 'examples'])) {
  const tsconfig = path.join(dir, 'tsconfig.json');
  if (!fs.existsSync(tsconfig)) continue;
  console.log(`[lint] tsc --noEmit -p ${rel(tsconfig)}`);
  results.push({ check: `tsc ${rel(dir)}`, ok: run(process.execPath, [tsc, '--noEmit', '-p', tsconfig]) === 0 });
}

for (const dir of workspaceDirs(['packages'])) {
  let manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  } catch {
    results.push({ check: `publint ${rel(dir)}`, ok: false, note: 'unreadable package.json' });
    continue;
  }
  if (manifest.private) continue;
  console.log(`[lint] publint ${rel(dir)}`);
  const note = fs.existsSync(path.join(dir, 'dist')) ? undefined : 'no dist/ (build first)';
  results.push({ check: `publint ${rel(dir)}`, ok: run(process.execPath, [publint, dir], lintEnv) === 0, note });
}

const failed = results.filter((r) => !r.ok);
console.log('');
for (const r of results) console.log(`[lint] ${r.ok ? 'ok    ' : 'FAILED'} ${r.check}${r.note ? ` (${r.note})` : ''}`);
console.log(`[lint] ${results.length - failed.length} passed, ${failed.length} failed`);
process.exit(failed.length > 0 ? 1 : 0);
