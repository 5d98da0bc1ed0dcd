#!/usr/bin/env node
// npm run lint: type-check every workspace package/example that has a
// tsconfig.json (root typescript, `tsc --noEmit -p <dir>/tsconfig.json`), then
// packs every non-private package under packages/* with `pnpm pack` (what
// `changeset publish` uploads: `workspace:` ranges replaced, `publishConfig`
// applied) and checks that tarball with publint and with
// @arethetypeswrong/cli (`attw --profile esm-only`: our packages are ESM only,
// so `require()` resolution is not checked). Both read the local tarball:
// no network. Prints a summary and exits non-zero on any failure.
//
// Runs `node scripts/bootstrap.mjs setup` first (fast when already done; it
// installs dependencies and builds, which publint needs: it checks dist/).
// STREAMSUITES_NO_SETUP=1 skips that.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
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
const attw = binOf('@arethetypeswrong/cli', 'attw');
if (!tsc || !publint || !attw) {
  console.log('[lint] failed: typescript/publint/@arethetypeswrong/cli are not installed — run `node scripts/bootstrap.mjs setup` first');
  process.exit(1);
}

// We pack with `pnpm pack`: make a .tools/ pnpm (see bootstrap.mjs) findable
// and keep pnpm from trying to switch versions.
const lintEnv = { ...process.env, PNPM_CONFIG_MANAGE_PACKAGE_MANAGER_VERSIONS: 'false' };
const toolsBin = path.join(ROOT, '.tools', 'node_modules', '.bin');
if (fs.existsSync(toolsBin)) lintEnv.PATH = `${toolsBin}${path.delimiter}${process.env.PATH ?? ''}`;

/**
 * `pnpm pack` of one package into its own folder under `root`: the tarball,
 * and what is wrong with the manifest inside it (what consumers install).
 */
function pack(dir, root) {
  const out = fs.mkdtempSync(path.join(root, `${path.basename(dir)}-`));
  const result = spawnSync('pnpm', ['pack', '--pack-destination', out], {
    cwd: dir,
    env: lintEnv,
    encoding: 'utf8',
    // pnpm is a .cmd shim on Windows, which only a shell runs.
    shell: process.platform === 'win32',
  });
  const tarball = fs.readdirSync(out).find((file) => file.endsWith('.tgz'));
  if (result.status !== 0 || !tarball) {
    return { tarball: null, problems: [`pnpm pack failed: ${(result.stderr || result.stdout || String(result.error)).trim()}`] };
  }
  const file = path.join(out, tarball);
  const listed = spawnSync('tar', ['-xzOf', file, 'package/package.json'], { encoding: 'utf8' });
  if (listed.status !== 0) return { tarball: file, problems: ['cannot read package.json from the tarball'] };
  return { tarball: file, problems: packedManifestProblems(JSON.parse(listed.stdout)) };
}

/**
 * The published manifest must not point consumers at our sources: the
 * `@streamsuites/source` condition (workspace-only, kept out of the tarball by
 * `publishConfig.exports`) would resolve to src/*.ts, which is not packed,
 * for anyone running with that condition (spawnScript of a .ts file does).
 */
function packedManifestProblems(packed) {
  const problems = [];
  const text = JSON.stringify(packed.exports ?? {});
  if (text.includes('@streamsuites/source')) problems.push('the packed exports still carry the @streamsuites/source condition');
  for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
    for (const [name, range] of Object.entries(packed[field] ?? {})) {
      if (String(range).startsWith('workspace:')) problems.push(`${field}.${name} is still "${range}"`);
    }
  }
  return problems;
}

/**
 * attw on a tarball. Its exit code alone is not enough: a package with no
 * types at all exits 0 ("does not contain types"), so the JSON verdict is read
 * too. On failure the table is printed for the reader.
 */
function typesAreRight(tarball) {
  const args = [attw, tarball, '--profile', 'esm-only'];
  const result = spawnSync(process.execPath, [...args, '--format', 'json'], { cwd: ROOT, env: lintEnv, encoding: 'utf8' });
  let typed = false;
  try {
    typed = Boolean(JSON.parse(result.stdout).analysis?.types);
  } catch {
    // not JSON: attw itself failed; its message is printed below
  }
  if (result.status === 0 && typed) {
    console.log('[lint] attw: no problems');
    return true;
  }
  if (!typed) console.log('[lint] attw: the package has no types (or attw failed)');
  run(process.execPath, [...args, '--format', 'table-flipped'], lintEnv);
  return false;
}

const packRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'streamsuites-lint-'));
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
  const note = fs.existsSync(path.join(dir, 'dist')) ? undefined : 'no dist/ (build first)';
  console.log(`[lint] pnpm pack ${rel(dir)}`);
  const packed = pack(dir, packRoot);
  results.push({ check: `pack ${rel(dir)}`, ok: packed.problems.length === 0, note: packed.problems.join('; ') || note });
  if (!packed.tarball) continue;
  console.log(`[lint] publint ${rel(dir)} (packed)`);
  results.push({ check: `publint ${rel(dir)}`, ok: run(process.execPath, [publint, packed.tarball], lintEnv) === 0, note });
  console.log(`[lint] attw --profile esm-only ${rel(dir)} (packed)`);
  results.push({ check: `attw ${rel(dir)}`, ok: typesAreRight(packed.tarball), note });
}
fs.rmSync(packRoot, { recursive: true, force: true });

const failed = results.filter((r) => !r.ok);
console.log('');
for (const r of results) console.log(`[lint] ${r.ok ? 'ok    ' : 'FAILED'} ${r.check}${r.note ? ` (${r.note})` : ''}`);
console.log(`[lint] ${results.length - failed.length} passed, ${failed.length} failed`);
process.exit(failed.length > 0 ? 1 : 0);
