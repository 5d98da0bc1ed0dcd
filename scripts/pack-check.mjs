#!/usr/bin/env node
// StreamSuites pack-and-install check: installs the packages the way an
// integrator gets them from the registry, and runs them there.
//
//   node scripts/pack-check.mjs [--keep] [--native-build]
//
// 1. `pnpm pack` of every package under packages/ (pnpm turns `workspace:`
//    ranges into real versions) and of examples/custom-trigger, a third-party
//    plugin as it would be published;
// 2. one `npm install` of all the tarballs into a new project in the system
//    temp folder, outside the repository (third-party dependencies come from
//    the registry, through the npm cache; nothing from the workspace);
// 3. package shape, read from the installed copies: each package installed
//    from its tarball (none from the registry); no `workspace:` range
//    left; every `exports` target and `bin` file shipped; bins start with a
//    shebang; every bare import in dist/ (code and type declarations) names
//    a dependency the package declares, and the dependencies its type
//    declarations name have types (their own, or a declared @types/*);
// 4. runs, inside that project: every entry point imported; the minimal host
//    (examples/minimal-host's build) printing what it prints in the workspace;
//    examples/custom-trigger loaded by package name from a manifest;
//    `npx streamsuites validate` on a good manifest (exit 0) and a broken one
//    (exit 1 with its error code); `npx streamsuites run` on a manifest using
//    the Twitch chat server from `@streamsuites/plugin-twitch/testing`,
//    until a chat command and an emote combo got their replies, then SIGINT
//    (exit 0).
//
// Native addons (better-sqlite3): the install skips install scripts and takes
// the addon the workspace already built for the same package version (no
// 80-second compile per run); `--native-build` compiles it from source instead,
// as a user's install would. The packages must be built first (`npm test` and
// `node scripts/bootstrap.mjs setup` do that).
//
// Prints `[pack-check] ...` lines (one updating status line on a terminal),
// ends with `[pack-check] ok: ...` and exit 0, or `[pack-check] FAILED ...`
// and exit 1, keeping the temp folder for inspection (--keep keeps it always).
//
// Plain Node.js, node: built-ins only.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const HELPERS = path.join(ROOT, 'scripts', 'pack-check');
const IS_WIN = process.platform === 'win32';
const EXTRA_PACKAGES = ['examples/custom-trigger'];
const INSTALL_TIMEOUT_MS = 10 * 60_000; // a cold npm cache downloads ~90 MB
const CHECK_TIMEOUT_MS = 4 * 60_000;
// An upper bound: the run is stopped by SIGINT once the replies arrived. Windows
// cannot send a console program SIGINT, so there --duration is what stops it.
const RUN_DURATION_SEC = IS_WIN ? 45 : 300;
// A token the fake server accepts (any token does); never a real one.
const FAKE_TOKEN = 'packCheckTokenForTheLocalFake000';

const argv = process.argv.slice(2);
if (argv.includes('-h') || argv.includes('--help')) {
  process.stdout.write(
    'usage: node scripts/pack-check.mjs [--keep] [--native-build]\n' +
      '  packs every package, installs the tarballs with npm into a temp project\n' +
      '  outside the workspace and runs the hosts, examples and CLI there\n' +
      '  --keep          keep the temp project (it is kept anyway on failure)\n' +
      '  --native-build  compile native addons (better-sqlite3) from source\n' +
      '                  instead of reusing the workspace build\n',
  );
  process.exit(0);
}
const unknown = argv.filter((arg) => !['--keep', '--native-build'].includes(arg));
if (unknown.length > 0) {
  process.stderr.write(`[pack-check] unknown option ${unknown[0]} (see --help)\n`);
  process.exit(2);
}
const KEEP = argv.includes('--keep');
const NATIVE_BUILD = argv.includes('--native-build');

class CheckError extends Error {
  constructor(message, output = '') {
    super(message);
    this.output = output;
  }
}

// ---------------------------------------------------------------- output

const LIVE = process.stdout.isTTY === true && process.env.CI === undefined;
const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const started = Date.now();
let statusShown = false;
let statusText = '';
let frame = 0;

const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(1)}s`;

function clearStatus() {
  if (statusShown) process.stdout.write('\r\x1b[K');
  statusShown = false;
}

/** A line that stays. */
function log(message) {
  clearStatus();
  process.stdout.write(`[pack-check] ${message}\n`);
}

/**
 * Progress: rewritten in place on a terminal; elsewhere one line each, unless
 * `plain` is false (a step that prints its own line when it ends).
 */
function status(message, { plain = true } = {}) {
  if (!LIVE) {
    if (plain) log(message);
    return;
  }
  statusText = message;
  drawStatus();
}

function drawStatus() {
  const text = `[pack-check] ${SPINNER[frame++ % SPINNER.length]} ${statusText} (${seconds(started)})`;
  const width = process.stdout.columns || 100;
  process.stdout.write(`\r\x1b[K${text.length > width - 1 ? `${text.slice(0, width - 2)}…` : text}`);
  statusShown = true;
}

// The elapsed time keeps moving during the long steps (npm install).
if (LIVE) setInterval(() => statusShown && drawStatus(), 150).unref();

function tail(text, lines = 30, chars = 4000) {
  const kept = text.trimEnd().split('\n').slice(-lines).join('\n');
  return kept.length > chars ? `…${kept.slice(-chars)}` : kept;
}

// ---------------------------------------------------------------- processes

function quoteWin(arg) {
  return /[\s"&|<>^()%!]/.test(arg) ? `"${arg.replace(/"/g, '""')}"` : arg;
}

function findOnPath(name) {
  const exts = IS_WIN ? ['.cmd', '.exe', ''] : [''];
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    for (const ext of exts) {
      const candidate = dir && path.join(dir, name + ext);
      if (candidate && fs.statSync(candidate, { throwIfNoEntry: false })?.isFile()) return candidate;
    }
  }
  return null;
}

/**
 * The environment of every child: ours without what ties a process to the
 * workspace or to the test runner (module search paths, preloads, the npm/pnpm
 * run context of the repository's root package).
 */
function childEnv(extra = {}) {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(NODE_OPTIONS|NODE_PATH|INIT_CWD|VITEST.*|TEST|TINYPOOL.*)$/.test(key)) continue;
    if (/^(npm_package_|npm_lifecycle_|npm_config_user_agent$|pnpm_|PNPM_)/i.test(key)) continue;
    if (key === 'NODE_ENV' && value === 'test') continue;
    env[key] = value;
  }
  // node-gyp needs the headers of the running Node.js; a distribution's node
  // ships them beside it (/usr/include/node), where node-gyp does not look.
  const prefix = path.dirname(path.dirname(process.execPath));
  if (env.npm_config_nodedir === undefined && fs.existsSync(path.join(prefix, 'include', 'node', 'node.h'))) {
    env.npm_config_nodedir = prefix;
  }
  return { ...env, ...extra };
}

/** Runs a command to completion with captured output; never throws. */
function run(cmd, args, { cwd, env = childEnv(), timeoutMs = CHECK_TIMEOUT_MS } = {}) {
  return new Promise((resolve) => {
    const shell = IS_WIN && /\.(cmd|bat)$/i.test(cmd);
    const child = spawn(shell ? quoteWin(cmd) : cmd, shell ? args.map(quoteWin) : args, {
      cwd,
      env,
      shell,
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => void (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk) => void (stderr += chunk));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    const done = (code, signal, error) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, output: `${stdout}${stderr}`, timedOut, error });
    };
    child.once('error', (error) => done(null, null, error));
    child.once('close', (code, signal) => done(code, signal, null));
  });
}

function describeExit(result) {
  if (result.error) return `could not start: ${result.error.message}`;
  if (result.timedOut) return 'timed out';
  return result.signal ? `killed by ${result.signal}` : `exit ${result.code}`;
}

/** The last JSON line a helper printed. */
function jsonLine(result, what) {
  const line = result.stdout.trim().split('\n').at(-1) ?? '';
  try {
    return JSON.parse(line);
  } catch {
    throw new CheckError(`${what} printed no result line (${describeExit(result)})`, result.output);
  }
}

// ---------------------------------------------------------------- steps

function readJson(file) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

function pnpmCommand() {
  const found = findOnPath('pnpm') ?? [path.join(ROOT, '.tools', 'node_modules', '.bin', IS_WIN ? 'pnpm.cmd' : 'pnpm')].find((file) => fs.existsSync(file));
  if (!found) throw new CheckError('pnpm not found on PATH nor in .tools/: run `node scripts/bootstrap.mjs setup` first');
  return found;
}

/** The packages to pack: every non-private one under packages/, plus the third-party example. */
function packagesToPack() {
  const dirs = fs
    .readdirSync(path.join(ROOT, 'packages'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(ROOT, 'packages', entry.name, 'package.json')))
    .map((entry) => `packages/${entry.name}`)
    .sort();
  const list = [];
  for (const rel of [...dirs, ...EXTRA_PACKAGES]) {
    const manifest = readJson(path.join(ROOT, rel, 'package.json'));
    if (manifest.private === true && !EXTRA_PACKAGES.includes(rel)) continue;
    if (typeof manifest.scripts?.build === 'string' && !fs.existsSync(path.join(ROOT, rel, 'dist'))) {
      throw new CheckError(`${rel}/dist is missing: build first (\`npm test\` or \`node scripts/bootstrap.mjs setup\` builds everything)`);
    }
    list.push({ rel, name: manifest.name, version: manifest.version });
  }
  return list;
}

/** A temp folder outside the repository, with no node_modules above it that Node could resolve from. */
function makeTempDir() {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'streamsuites-pack-check-')));
  const relative = path.relative(ROOT, dir);
  if (!relative.startsWith('..') && !path.isAbsolute(relative)) {
    throw new CheckError(`the temp folder ${dir} is inside the repository: set TMPDIR (TEMP on Windows) to a folder outside it`);
  }
  for (let up = path.dirname(dir); ; up = path.dirname(up)) {
    if (fs.existsSync(path.join(up, 'node_modules'))) {
      throw new CheckError(`${path.join(up, 'node_modules')} is visible from the temp project: packages could resolve from it; set TMPDIR to another folder`);
    }
    if (path.dirname(up) === up) break;
  }
  return dir;
}

async function packAll(pnpm, packages, destination) {
  const tarballs = [];
  for (const [index, pkg] of packages.entries()) {
    status(`${index + 1}/${packages.length} packing ${pkg.name}`, { plain: false });
    const result = await run(pnpm, ['pack', '--json', '--pack-destination', destination], {
      cwd: path.join(ROOT, pkg.rel),
      env: childEnv({ PNPM_CONFIG_MANAGE_PACKAGE_MANAGER_VERSIONS: 'false' }),
      timeoutMs: 120_000,
    });
    if (result.code !== 0) throw new CheckError(`pnpm pack of ${pkg.rel} failed (${describeExit(result)})`, result.output);
    const filename = JSON.parse(result.stdout.slice(result.stdout.indexOf('{'))).filename;
    tarballs.push(path.resolve(destination, filename));
    if (!LIVE) log(`${index + 1}/${packages.length} packed ${pkg.name}@${pkg.version}`);
  }
  return tarballs;
}

/** Every installed package: name, version, folder, manifest. */
function installedPackages(project) {
  const found = [];
  const visit = (modules) => {
    for (const entry of fs.readdirSync(modules, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
      if (entry.name.startsWith('@')) {
        visit(path.join(modules, entry.name));
        continue;
      }
      const dir = path.join(modules, entry.name);
      const file = path.join(dir, 'package.json');
      if (!fs.existsSync(file)) continue;
      const manifest = readJson(file);
      found.push({ name: manifest.name, version: manifest.version, dir, manifest });
      if (fs.existsSync(path.join(dir, 'node_modules'))) visit(path.join(dir, 'node_modules'));
    }
  };
  visit(path.join(project, 'node_modules'));
  return found;
}

/** Installed packages whose install scripts an `--ignore-scripts` install skipped. */
function packagesWithInstallScripts(installed) {
  return installed.filter(({ manifest, dir }) => {
    const scripts = manifest.scripts ?? {};
    return scripts.preinstall || scripts.install || scripts.postinstall || fs.existsSync(path.join(dir, 'binding.gyp'));
  });
}

/**
 * Installed packages that ask for a newer Node.js than our packages' floor
 * (`engines.node` ">=N" with N above it): npm only warns, so the check fails.
 */
function newerEngines(installed, floorMajor) {
  return installed
    .filter(({ manifest }) => Number(/^\s*>=?\s*v?(\d+)/.exec(String(manifest.engines?.node ?? ''))?.[1] ?? 0) > floorMajor)
    .map(({ name, version, manifest }) => `${name}@${version} (node ${manifest.engines.node})`);
}

/**
 * The same name@version as the workspace installed it (built by its install
 * there), found from any workspace package that depends on it.
 */
function workspaceCopy(name, version) {
  for (const base of ['packages', 'examples']) {
    for (const entry of fs.readdirSync(path.join(ROOT, base), { withFileTypes: true })) {
      const manifestFile = path.join(ROOT, base, entry.name, 'package.json');
      if (!entry.isDirectory() || !fs.existsSync(manifestFile)) continue;
      let found;
      try {
        found = path.dirname(createRequire(manifestFile).resolve(`${name}/package.json`));
      } catch {
        continue;
      }
      if (readJson(path.join(found, 'package.json')).version === version) return found;
    }
  }
  return null;
}

/** The compiled addons (`*.node`) under a package's build/, as paths relative to the package. */
function nativeAddons(dir) {
  const build = path.join(dir, 'build');
  if (!fs.existsSync(build)) return [];
  return filesUnder(build, (name) => name.endsWith('.node')).map((file) => path.relative(dir, file));
}

async function install(project, tarballs) {
  fs.mkdirSync(project, { recursive: true });
  fs.writeFileSync(
    path.join(project, 'package.json'),
    `${JSON.stringify({ name: 'streamsuites-pack-check', version: '0.0.0', private: true, type: 'module', allowScripts: { 'better-sqlite3': true } }, null, 2)}\n`,
  );
  const npm = findOnPath('npm');
  if (!npm) throw new CheckError('npm not found on PATH');
  status(`installing ${tarballs.length} tarballs with npm`);
  const start = Date.now();
  const result = await run(
    npm,
    ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', ...(NATIVE_BUILD ? [] : ['--ignore-scripts']), ...tarballs],
    { cwd: project, timeoutMs: INSTALL_TIMEOUT_MS },
  );
  if (result.code !== 0) throw new CheckError(`npm install of the tarballs failed (${describeExit(result)})`, result.output);
  const count = result.output.match(/added (\d+) packages?/)?.[1] ?? '?';
  log(`installed ${tarballs.length} tarballs with npm: ${count} packages (${seconds(start)})`);
  const installed = installedPackages(project);
  const floor = Number(/(\d+)/.exec(readJson(path.join(ROOT, 'package.json')).engines?.node ?? '20')?.[1]);
  const newer = newerEngines(installed, floor);
  // Our packages promise Node >= floor: a dependency that needs more breaks that promise.
  if (newer.length > 0) throw new CheckError(`${newer.length} installed package(s) declare a newer Node.js than ours (>=${floor}): ${newer.join(', ')}`);
  if (NATIVE_BUILD) return;
  // Install scripts were skipped: give each such package the workspace's build of
  // the same version, or run its scripts now.
  const rebuild = [];
  for (const pkg of packagesWithInstallScripts(installed)) {
    const copy = workspaceCopy(pkg.name, pkg.version);
    const addons = copy ? nativeAddons(copy) : [];
    if (addons.length > 0) {
      for (const addon of addons) {
        fs.mkdirSync(path.dirname(path.join(pkg.dir, addon)), { recursive: true });
        fs.copyFileSync(path.join(copy, addon), path.join(pkg.dir, addon));
      }
      log(`${pkg.name}@${pkg.version}: native addon taken from the workspace's build (--native-build compiles it)`);
    } else {
      rebuild.push(pkg.name);
    }
  }
  if (rebuild.length > 0) {
    status(`npm rebuild ${rebuild.join(' ')} (compiling)`);
    const built = await run(npm, ['rebuild', '--loglevel=error', ...new Set(rebuild)], { cwd: project, timeoutMs: INSTALL_TIMEOUT_MS });
    if (built.code !== 0) throw new CheckError(`npm rebuild ${rebuild.join(' ')} failed (${describeExit(built)})`, built.output);
    log(`${[...new Set(rebuild)].join(', ')}: install scripts run (npm rebuild)`);
  }
}

// ---------------------------------------------------------------- package shape

const STANDARD_CONDITIONS = new Set(['types', 'import', 'require', 'default', 'node']);
const BUILTINS = new Set(builtinModules);
const IMPORT_RE = /(?:^|[\s;])(?:import|export)\s[^'";]*?\sfrom\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s+['"]([^'"]+)['"]/gm;

/** Every file an `exports` value points at under the standard conditions. */
function exportTargets(value, out = []) {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const item of value) exportTargets(item, out);
  else if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) if (key.startsWith('.') || STANDARD_CONDITIONS.has(key)) exportTargets(inner, out);
  }
  return out;
}

function filesUnder(dir, test, out = []) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) filesUnder(full, test, out);
    else if (test(entry.name)) out.push(full);
  }
  return out;
}

/**
 * Problems with one installed package, as `name: problem` strings (its
 * JavaScript and its type declarations' imports included).
 */
function shapeProblems(dir) {
  const manifest = readJson(path.join(dir, 'package.json'));
  const problems = [];
  const say = (text) => problems.push(`${manifest.name}: ${text}`);
  const sections = ['dependencies', 'peerDependencies', 'optionalDependencies'];
  for (const section of sections) {
    for (const [dep, range] of Object.entries(manifest[section] ?? {})) if (String(range).startsWith('workspace:')) say(`${section}.${dep} is still "${range}"`);
  }
  for (const target of exportTargets(manifest.exports ?? {})) {
    if (!target.includes('*') && !fs.existsSync(path.join(dir, target))) say(`exports target ${target} is not in the package (check "files")`);
  }
  const bins = typeof manifest.bin === 'string' ? { [manifest.name]: manifest.bin } : (manifest.bin ?? {});
  for (const [bin, file] of Object.entries(bins)) {
    const full = path.join(dir, file);
    if (!fs.existsSync(full)) say(`bin ${bin} -> ${file} is not in the package`);
    else if (!fs.readFileSync(full, 'utf8').startsWith('#!/usr/bin/env node')) say(`bin ${bin} (${file}) does not start with #!/usr/bin/env node`);
  }
  const declared = new Set([manifest.name, ...sections.flatMap((section) => Object.keys(manifest[section] ?? {}))]);
  const dist = path.join(dir, 'dist');
  const files = fs.existsSync(dist) ? filesUnder(dist, (name) => /\.m?js$/.test(name) || /\.d\.ts$/.test(name)) : [];
  const undeclared = new Map();
  const untyped = new Map();
  for (const file of files) {
    const rel = path.relative(dir, file).split(path.sep).join('/');
    for (const match of fs.readFileSync(file, 'utf8').matchAll(IMPORT_RE)) {
      const specifier = match[1] ?? match[2] ?? match[3];
      if (specifier.startsWith('.') || specifier.startsWith('node:') || specifier.startsWith('/') || specifier.includes('${')) continue;
      const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0];
      if (BUILTINS.has(name) || name === manifest.name) continue;
      if (!declared.has(name)) {
        if (!undeclared.has(name)) undeclared.set(name, rel);
      } else if (file.endsWith('.d.ts') && !untyped.has(name) && !shipsTypes(dir, name, declared)) {
        untyped.set(name, rel);
      }
    }
  }
  for (const [name, file] of undeclared) {
    const dev = manifest.devDependencies?.[name] === undefined ? '' : ' (only a devDependency)';
    say(`${file} imports "${name}", which is not in its dependencies or peerDependencies${dev}`);
  }
  for (const [name, file] of untyped) {
    const typesName = `@types/${name.replace(/^@/, '').replace('/', '__')}`;
    const dev = manifest.devDependencies?.[typesName] === undefined ? '' : ' (it is only a devDependency)';
    say(`${file} uses the types of "${name}", which ships none: ${typesName} must be in its dependencies${dev}`);
  }
  return problems;
}

/**
 * Every copy npm installed of a workspace package (or of anything in its
 * scope) must come from a tarball: one that came from the registry means a
 * dependency range does not accept the packed version.
 */
function sourceProblems(project, names) {
  const lock = readJson(path.join(project, 'package-lock.json'));
  const scopes = new Set(names.filter((name) => name.startsWith('@')).map((name) => name.split('/')[0]));
  const problems = [];
  for (const [where, entry] of Object.entries(lock.packages ?? {})) {
    const name = where.slice(where.lastIndexOf('node_modules/') + 'node_modules/'.length);
    if (!where.includes('node_modules/') || !(names.includes(name) || scopes.has(name.split('/')[0]))) continue;
    if (!String(entry.resolved ?? '').startsWith('file:')) {
      problems.push(`${where}@${entry.version} was installed from ${entry.resolved ?? 'the registry'}, not from a tarball: a dependency range does not accept the packed version`);
    }
  }
  return problems;
}

/**
 * Whether a TypeScript user of the package at `dir` gets types for its
 * dependency `name`: the dependency ships them (`types`/`typings`, a `types`
 * export condition, an index.d.ts), or `@types/<name>` is a declared dependency.
 */
function shipsTypes(dir, name, declared) {
  const typesName = `@types/${name.replace(/^@/, '').replace('/', '__')}`;
  if (declared.has(typesName)) return true;
  let depDir;
  try {
    depDir = path.dirname(createRequire(path.join(dir, 'package.json')).resolve(`${name}/package.json`));
  } catch {
    return true; // not resolvable (an optional peer not installed): the import checks report what matters
  }
  const dep = readJson(path.join(depDir, 'package.json'));
  if (dep.types || dep.typings || fs.existsSync(path.join(depDir, 'index.d.ts'))) return true;
  return JSON.stringify(dep.exports ?? null).includes('"types"');
}

// ---------------------------------------------------------------- checks

function copyHelper(project, name) {
  fs.copyFileSync(path.join(HELPERS, name), path.join(project, name));
}

function npx() {
  const found = findOnPath('npx');
  if (!found) throw new CheckError('npx not found on PATH');
  return found;
}

/** The manifest `npx streamsuites validate` and `run` get: Twitch, the third-party trigger, the SQLite store. */
function runManifest() {
  return {
    kernel: '^0.2.0',
    dataDir: './data',
    logLevel: 'warn',
    plugins: {
      twitch: { package: '@streamsuites/plugin-twitch', config: { chatUrl: '${env:TWITCH_CHAT_URL}' } },
      'emote-combo': { package: 'streamsuites-plugin-emote-combo' },
      'store-sqlite': { package: '@streamsuites/store-sqlite' },
    },
    creators: {
      alice: {
        enable: ['twitch', 'emote-combo'],
        config: { twitch: { channel: 'alice', botLogin: 'ssbot', token: '${env:TWITCH_TOKEN}' } },
        triggers: [
          { id: 'ping', type: 'command', params: { command: '!ping' }, actions: [{ type: 'chat.reply', params: { text: 'pong {user}' } }] },
          {
            id: 'kappa-combo',
            type: 'emoteCombo',
            params: { count: 2, windowSec: 10, emote: 'Kappa' },
            actions: [{ type: 'chat.reply', params: { text: '{arg2}x {arg1} combo!' } }],
          },
        ],
      },
    },
  };
}

const sameLines = (text) => text.trim().split('\n').map((line) => line.trimEnd()).sort();

const checks = [
  {
    name: 'imports',
    async run({ project, installed }) {
      copyHelper(project, 'import-all.mjs');
      const result = await run(process.execPath, ['import-all.mjs', ...installed], { cwd: project });
      if (result.code !== 0) throw new CheckError(`importing the installed entry points failed (${describeExit(result)})`, result.output);
      return `${jsonLine(result, 'import-all.mjs').imported} entry points of ${installed.length} packages import`;
    },
  },
  {
    name: 'minimal host',
    async run({ project }) {
      const built = path.join(ROOT, 'examples', 'minimal-host', 'dist', 'main.js');
      if (!fs.existsSync(built)) throw new CheckError('examples/minimal-host/dist/main.js is missing: build first');
      fs.copyFileSync(built, path.join(project, 'minimal-host.mjs'));
      const [inWorkspace, installed] = await Promise.all([
        run(process.execPath, [built], { cwd: path.dirname(built) }),
        run(process.execPath, ['minimal-host.mjs'], { cwd: project }),
      ]);
      if (inWorkspace.code !== 0) throw new CheckError(`the minimal host failed in the workspace (${describeExit(inWorkspace)})`, inWorkspace.output);
      if (installed.code !== 0 || installed.stderr.trim() !== '') {
        throw new CheckError(`the minimal host failed against the installed kernel (${describeExit(installed)})`, installed.output);
      }
      const want = sameLines(inWorkspace.stdout);
      const got = sameLines(installed.stdout);
      if (want.length === 0 || JSON.stringify(want) !== JSON.stringify(got)) {
        throw new CheckError(`the minimal host printed ${JSON.stringify(got)}, in the workspace ${JSON.stringify(want)}`);
      }
      return `prints ${got.length} lines, as in the workspace`;
    },
  },
  {
    name: 'custom trigger',
    async run({ project }) {
      copyHelper(project, 'custom-trigger-host.mjs');
      fs.copyFileSync(path.join(ROOT, 'examples', 'custom-trigger', 'test', 'fixtures', 'host', 'streamsuites.json'), path.join(project, 'custom-trigger.json'));
      const result = await run(process.execPath, ['custom-trigger-host.mjs', 'custom-trigger.json'], { cwd: project });
      if (result.code !== 0) throw new CheckError(`the host loading streamsuites-plugin-emote-combo failed (${describeExit(result)})`, result.output);
      const { plugins, replies } = jsonLine(result, 'custom-trigger-host.mjs');
      const want = ['alice: 3x Kappa combo!', 'bob: PogChamp combo'];
      if (JSON.stringify(replies) !== JSON.stringify(want) || plugins.length !== 1 || !plugins[0].endsWith(' running')) {
        throw new CheckError(`expected replies ${JSON.stringify(want)} from a running emote-combo, got ${JSON.stringify({ plugins, replies })}`, result.output);
      }
      return `${plugins[0]} by package name; replies ${JSON.stringify(replies)}`;
    },
  },
  {
    name: 'validate',
    async run({ project }) {
      const manifest = runManifest();
      fs.writeFileSync(path.join(project, 'streamsuites.json'), `${JSON.stringify(manifest, null, 2)}\n`);
      manifest.creators.alice.triggers[1].params.count = 1;
      fs.writeFileSync(path.join(project, 'broken.json'), `${JSON.stringify(manifest, null, 2)}\n`);
      const env = childEnv({ TWITCH_TOKEN: FAKE_TOKEN, TWITCH_CHAT_URL: 'ws://127.0.0.1:9' });
      const good = await run(npx(), ['--no', '--', 'streamsuites', 'validate', 'streamsuites.json'], { cwd: project, env });
      if (good.code !== 0) throw new CheckError(`npx streamsuites validate streamsuites.json: ${describeExit(good)}, expected exit 0`, good.output);
      const bad = await run(npx(), ['--no', '--', 'streamsuites', 'validate', 'broken.json'], { cwd: project, env });
      const wanted = ['SS_ERR_TRIGGER_INVALID', '/creators/alice/triggers/1/params/count'];
      if (bad.code !== 1 || !wanted.every((text) => bad.output.includes(text))) {
        throw new CheckError(`npx streamsuites validate broken.json: ${describeExit(bad)}, expected exit 1 naming ${wanted.join(' at ')}`, bad.output);
      }
      return 'a good manifest exits 0; a bad emoteCombo param exits 1 with SS_ERR_TRIGGER_INVALID and its path';
    },
  },
  {
    name: 'run',
    async run({ project }) {
      copyHelper(project, 'twitch-run.mjs');
      const result = await run(process.execPath, ['twitch-run.mjs', 'streamsuites.json', String(RUN_DURATION_SEC)], {
        cwd: project,
        env: childEnv({ TWITCH_TOKEN: FAKE_TOKEN }),
        timeoutMs: CHECK_TIMEOUT_MS,
      });
      const runLog = fs.existsSync(path.join(project, 'run.log')) ? fs.readFileSync(path.join(project, 'run.log'), 'utf8') : '';
      const outcome = jsonLine({ ...result, output: `${result.output}${runLog}` }, 'twitch-run.mjs');
      const want = ['pong viewer', '2x Kappa combo!'];
      if (outcome.error !== undefined || JSON.stringify(outcome.replies) !== JSON.stringify(want) || outcome.exit?.code !== 0) {
        throw new CheckError(
          `npx streamsuites run: ${outcome.error ?? `exit ${JSON.stringify(outcome.exit)}`}; replies ${JSON.stringify(outcome.replies)}, expected ${JSON.stringify(want)} and exit 0`,
          `${result.stderr}\n--- run.log ---\n${runLog}`,
        );
      }
      if (!fs.existsSync(path.join(project, 'data', 'streamsuites.db'))) throw new CheckError('npx streamsuites run left no data/streamsuites.db (store-sqlite)', runLog);
      return `the Twitch fake got ${JSON.stringify(outcome.replies)}; stopped by ${outcome.stoppedBy}, exit 0`;
    },
  },
];

// ---------------------------------------------------------------- main

async function main() {
  let temp = null;
  let step = 'setup';
  try {
    const pnpm = pnpmCommand();
    const packages = packagesToPack();
    temp = makeTempDir();
    const project = path.join(temp, 'project');
    log(`temp project: ${project}`);
    step = 'pack';
    const tarballs = await packAll(pnpm, packages, path.join(temp, 'tarballs'));
    log(`packed ${tarballs.length} packages (${seconds(started)})`);
    step = 'install';
    await install(project, tarballs);
    step = 'package shape';
    const require = createRequire(path.join(project, 'package.json'));
    const installedDirs = packages.map((pkg) => path.dirname(require.resolve(`${pkg.name}/package.json`)));
    for (const dir of installedDirs) {
      if (path.relative(path.join(project, 'node_modules'), fs.realpathSync(dir)).startsWith('..')) throw new CheckError(`${dir} resolves outside the temp project`);
    }
    const problems = [
      ...sourceProblems(project, packages.map((pkg) => pkg.name)),
      ...installedDirs.flatMap((dir) => shapeProblems(dir)),
    ];
    if (problems.length > 0) throw new CheckError(`${problems.length} problem(s) in the installed packages:\n  ${problems.join('\n  ')}`);
    log(`pass package shape: ${packages.length} packages, installed from their tarballs only (no workspace: ranges; exports, bins and imports resolve to shipped files and declared dependencies)`);
    for (const [index, check] of checks.entries()) {
      step = check.name;
      status(`${index + 1}/${checks.length} ${check.name} ...`, { plain: false });
      const start = Date.now();
      const detail = await check.run({ project, installed: packages.map((pkg) => pkg.name) });
      log(`pass ${check.name}: ${detail} (${seconds(start)})`);
    }
    log(`ok: ${packages.length} packages packed and installed with npm, ${checks.length + 1} checks passed (${seconds(started)})`);
    if (KEEP) log(`kept ${temp}`);
    else fs.rmSync(temp, { recursive: true, force: true });
    return 0;
  } catch (error) {
    clearStatus();
    if (error instanceof CheckError) {
      if (error.output.trim()) process.stdout.write(`${tail(error.output)}\n`);
      log(`FAILED at ${step}: ${error.message}`);
    } else {
      log(`FAILED at ${step}: unexpected error: ${error?.stack ?? error}`);
    }
    if (temp) log(`kept ${temp} for inspection`);
    return 1;
  }
}

process.exit(await main());
