#!/usr/bin/env node
// StreamSuites bootstrap: takes a bare machine (Node.js 20 + npm) to a built
// workspace, then runs a job.
//
//   node scripts/bootstrap.mjs demo [args...]   npm run demo -- --duration 3
//   node scripts/bootstrap.mjs test [args...]   npm test [-- vitest args]
//   node scripts/bootstrap.mjs setup            only the set-up steps
//   node scripts/bootstrap.mjs setup --streamlink   ... and streamlink (for clips of live Twitch/YouTube streams)
//
// Steps (each prints one `[setup] ...` line and is skipped when already done):
//   1. Node.js >= 20
//   2. pnpm 12.4.2 (PATH, else `npm i -g`, else a private copy in .tools/)
//   3. ffmpeg/ffprobe, /usr/bin/chromium and redis-server via apt-get (warns, never fails;
//      STREAMSUITES_SKIP_SYSTEM_DEPS=1 skips the step); the demo job and
//      `setup --streamlink` also try streamlink (optional at run time: clips of
//      live Twitch/YouTube streams; no test needs it)
//   4. pnpm install --frozen-lockfile (skipped while node_modules is newer than
//      the lockfile and every workspace package.json)
//   5. build of the packages/* and examples/* whose sources changed (a hash
//      per package over src/, package.json, tsconfig.json, tsup.config.ts and
//      its workspace dependencies, kept in node_modules/.streamsuites-build-stamp.json),
//      with progress: a live status line on a terminal, a line per package elsewhere
//
// Plain Node.js, node: built-ins only: this runs before any dependency exists.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import tty from 'node:tty';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PNPM_VERSION = '12.4.2';
const MIN_NODE_MAJOR = 20;
const IS_WIN = process.platform === 'win32';
const WORKSPACE_DIRS = ['packages', 'examples'];
const BUILD_STAMP = path.join(ROOT, 'node_modules', '.streamsuites-build-stamp.json');
const MODULES_YAML = path.join(ROOT, 'node_modules', '.modules.yaml');
const VITEST_RESULTS = path.join(ROOT, 'node_modules', '.vitest-results.json');
const TOOLS_DIR = path.join(ROOT, '.tools');
const VERBOSE = process.env.STREAMSUITES_SETUP_VERBOSE === '1';
const JOBS = new Set(['demo', 'test', 'setup', 'build']);

const job = process.argv[2];
const jobArgs = process.argv.slice(3);

class SetupError extends Error {
  constructor(what, fix) {
    super(what);
    this.what = what;
    this.fix = fix;
  }
}

// `... | head` closing the pipe early is not an error worth a stack trace.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

function log(message) {
  process.stdout.write(`[setup] ${message}\n`);
}

function fail(what, fix) {
  throw new SetupError(what, fix);
}

function secondsSince(start) {
  return `${((Date.now() - start) / 1000).toFixed(1)}s`;
}

// ---------------------------------------------------------------- processes

/** Quote one argument for cmd.exe (only used for .cmd shims on Windows). */
function quoteWin(arg) {
  return /[\s"&|<>^()%!]/.test(arg) ? `"${arg.replace(/"/g, '""')}"` : arg;
}

/**
 * A spawn description that works on every platform: `.cmd`/`.bat` shims on
 * Windows cannot be spawned without a shell (Node >= 20.12 refuses), so those
 * go through cmd.exe with quoted arguments; everything else uses shell:false.
 */
function spawnSpec(cmd, args) {
  if (IS_WIN && /\.(cmd|bat)$/i.test(cmd)) {
    return { file: quoteWin(cmd), args: args.map(quoteWin), shell: true };
  }
  return { file: cmd, args, shell: false };
}

/** Run to completion. capture: collect stdout+stderr instead of inheriting. */
function runSync(cmd, args, { capture = false, cwd = ROOT, env = process.env, timeout } = {}) {
  const spec = spawnSpec(cmd, args);
  const result = spawnSync(spec.file, spec.args, {
    cwd,
    env,
    shell: spec.shell,
    timeout,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    stdio: capture ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    windowsHide: true,
  });
  return {
    status: result.error ? null : result.status,
    signal: result.signal,
    error: result.error,
    output: capture ? `${result.stdout ?? ''}${result.stderr ?? ''}` : '',
  };
}

function tail(text, lines = 25) {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/**
 * Run a long-lived child with inherited stdio and resolve with its exit.
 * SIGINT/SIGTERM/SIGHUP reaching this process are forwarded to the child, so
 * the child, not this wrapper, decides how to shut down, and we exit only
 * after it has. Duplicates are avoided where we can tell: a Ctrl-C typed at a
 * terminal already reached the child (same foreground process group), so
 * SIGINT is not forwarded when stdin is a terminal; and repeats of a signal
 * within a second (npm forwarding the same Ctrl-C to us again) count once.
 * A child that gets the same signal twice anyway (e.g. `kill` of the whole
 * process group without a terminal) should treat the repeat as the same request.
 */
function runForwardingSignals(cmd, args, { cwd = ROOT, env = process.env } = {}) {
  return new Promise((resolve) => {
    const spec = spawnSpec(cmd, args);
    const child = spawn(spec.file, spec.args, { cwd, env, shell: spec.shell, stdio: 'inherit' });
    const stdinIsTerminal = tty.isatty(0);
    const lastForwarded = new Map();
    const handlers = new Map();
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
      const handler = () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        if (signal === 'SIGINT' && (stdinIsTerminal || IS_WIN)) return; // the terminal already told the child
        const now = Date.now();
        if (now - (lastForwarded.get(signal) ?? 0) < 1000) return;
        lastForwarded.set(signal, now);
        try {
          child.kill(signal);
        } catch {
          // child already gone
        }
      };
      handlers.set(signal, handler);
      process.on(signal, handler);
    }
    // `npm run` puts `sh -c` between npm and us, and sh does not pass on the
    // signals npm forwards to it: when npm is told to stop, sh dies and we are
    // re-parented. Treat losing our parent as SIGTERM so the child is not left
    // running on its own.
    const parentPid = process.ppid;
    const parentWatch = IS_WIN
      ? null
      : setInterval(() => {
          if (process.ppid !== parentPid) {
            clearInterval(parentWatch);
            handlers.get('SIGTERM')();
          }
        }, 500);
    parentWatch?.unref();
    const done = (code, signal, error) => {
      if (parentWatch) clearInterval(parentWatch);
      for (const [signal_, handler] of handlers) process.off(signal_, handler);
      resolve({ code, signal, error });
    };
    child.once('error', (error) => done(null, null, error));
    child.once('exit', (code, signal) => done(code, signal, null));
  });
}

/** Exit the way the child did: same code, or die by the same signal. */
function exitLike({ code, signal }) {
  if (signal) {
    if (!IS_WIN) {
      process.kill(process.pid, signal);
      // still here (signal ignored or handled elsewhere): fall back to 128+n
    }
    process.exit(128 + (os.constants.signals[signal] ?? 0));
  }
  process.exit(code ?? 1);
}

// ---------------------------------------------------------------- files

function statOrNull(file) {
  try {
    return fs.statSync(file);
  } catch {
    return null;
  }
}

function isExecutableFile(file) {
  const st = statOrNull(file);
  if (!st?.isFile()) return false;
  if (IS_WIN) return true;
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function findOnPath(name) {
  const exts = IS_WIN ? (process.env.PATHEXT ?? '.EXE;.CMD;.BAT;.COM').split(';').filter(Boolean) : [''];
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    for (const ext of exts) {
      const candidate = path.join(dir, name + ext);
      if (isExecutableFile(candidate)) return candidate;
    }
  }
  return null;
}

function readJson(file) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** Directories of workspace packages (packages/*, examples/* with a package.json). */
function workspacePackageDirs() {
  const dirs = [];
  for (const base of WORKSPACE_DIRS) {
    let entries = [];
    try {
      entries = fs.readdirSync(path.join(ROOT, base), { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (!entry.isDirectory()) continue;
      const dir = path.join(ROOT, base, entry.name);
      if (fs.existsSync(path.join(dir, 'package.json'))) dirs.push(dir);
    }
  }
  return dirs;
}

// ---------------------------------------------------------------- steps

function checkNode() {
  const major = Number(process.versions.node.split('.')[0]);
  if (!(major >= MIN_NODE_MAJOR)) {
    fail(
      `Node.js ${process.versions.node} is too old (need >= ${MIN_NODE_MAJOR})`,
      `install Node.js ${MIN_NODE_MAJOR} or newer (https://nodejs.org, or nvm install ${MIN_NODE_MAJOR}) and run again`,
    );
  }
  log(`node ${process.version}: ok`);
}

function pnpmEnv(extra = {}) {
  return { ...process.env, PNPM_CONFIG_MANAGE_PACKAGE_MANAGER_VERSIONS: 'false', ...extra };
}

/** A pnpm installed as an npm package in `dir` (…/node_modules/pnpm), run through node. */
function pnpmFromPackageDir(dir) {
  // pnpm <= 10 ships bin/pnpm.cjs; pnpm >= 11 ships bin/pnpm.mjs, a Node entry
  // that runs the native binary installed next to it.
  for (const entry of ['bin/pnpm.cjs', 'bin/pnpm.mjs']) {
    const file = path.join(dir, entry);
    if (!fs.existsSync(file)) continue;
    // The directory with its `pnpm` command (.tools/node_modules/.bin, or the
    // global prefix's bin), put on PATH so tools that call `pnpm` find it.
    const binDir = [
      path.join(dir, '..', '.bin'),
      path.join(dir, '..', '..', '..', 'bin'),
      path.join(dir, '..', '..'),
    ].find((candidate) => findIn(candidate, 'pnpm'));
    return { cmd: process.execPath, prefix: [file], label: file, binDir };
  }
  return null;
}

function findIn(dir, name) {
  const exts = IS_WIN ? ['.cmd', '.exe'] : [''];
  return exts.some((ext) => isExecutableFile(path.join(dir, name + ext)));
}

function pnpmVersion(pnpm) {
  if (!pnpm) return null;
  const result = runSync(pnpm.cmd, [...pnpm.prefix, '--version'], {
    capture: true,
    env: pnpmEnv(),
    timeout: 60_000,
  });
  if (result.status !== 0) return null;
  const lines = result.output.trim().split(/\r?\n/);
  return lines[lines.length - 1]?.trim() || null;
}

function pathPnpm() {
  const found = findOnPath('pnpm');
  if (!found) return null;
  // On Windows this finds pnpm.exe or the pnpm.cmd shim (spawnSpec runs .cmd via cmd.exe).
  return { cmd: found, prefix: [], label: found };
}

function npmCmd() {
  return IS_WIN ? 'npm.cmd' : 'npm';
}

function ensurePnpm() {
  const onPath = pathPnpm();
  const pathVersion = pnpmVersion(onPath);
  if (pathVersion === PNPM_VERSION) {
    log(`pnpm ${PNPM_VERSION}: ok (${onPath.label})`);
    return onPath;
  }

  const toolsPkg = path.join(TOOLS_DIR, 'node_modules', 'pnpm');
  const local = pnpmFromPackageDir(toolsPkg);
  if (local && pnpmVersion(local) === PNPM_VERSION) {
    log(`pnpm ${PNPM_VERSION}: ok (.tools)`);
    return local;
  }

  // An earlier run may have installed it globally into a prefix whose bin dir
  // is not on PATH.
  const globalPnpm = () => {
    const root = runSync(npmCmd(), ['root', '-g'], { capture: true, timeout: 60_000 });
    const pkg = root.status === 0 ? pnpmFromPackageDir(path.join(root.output.trim(), 'pnpm')) : null;
    return pkg && pnpmVersion(pkg) === PNPM_VERSION ? pkg : null;
  };
  const earlier = globalPnpm();
  if (earlier) {
    log(`pnpm ${PNPM_VERSION}: ok (${earlier.label}; its bin dir is not on PATH)`);
    return earlier;
  }

  const found = pathVersion ? `pnpm ${pathVersion} found` : 'pnpm not found';
  log(`${found}; installing pnpm@${PNPM_VERSION} with npm i -g ...`);
  const NPM_TIMEOUT = 300_000; // a broken npm set-up can hang; do not wait forever
  const global = runSync(npmCmd(), ['i', '-g', '-E', '--no-audit', '--no-fund', `pnpm@${PNPM_VERSION}`], {
    capture: true,
    timeout: NPM_TIMEOUT,
  });
  if (global.status === 0) {
    const again = pathPnpm();
    if (pnpmVersion(again) === PNPM_VERSION) {
      log(`pnpm ${PNPM_VERSION}: installed globally (${again.label})`);
      return again;
    }
    // Installed, but npm's global bin dir is not first on PATH: use it directly.
    const globalPkg = globalPnpm();
    if (globalPkg) {
      log(`pnpm ${PNPM_VERSION}: installed globally (${globalPkg.label}; its bin dir is not first on PATH)`);
      return globalPkg;
    }
  } else {
    const reason = global.signal
      ? 'timed out'
      : /EACCES|EPERM|permission/i.test(global.output)
        ? 'no permission'
        : 'failed';
    log(`npm i -g ${reason}; installing pnpm@${PNPM_VERSION} into .tools/ instead ...`);
  }

  const intoTools = runSync(
    npmCmd(),
    ['install', '--prefix', TOOLS_DIR, '-E', '--no-audit', '--no-fund', `pnpm@${PNPM_VERSION}`],
    { capture: true, timeout: NPM_TIMEOUT },
  );
  const installed = pnpmFromPackageDir(toolsPkg);
  if (intoTools.status === 0 && installed && pnpmVersion(installed) === PNPM_VERSION) {
    log(`pnpm ${PNPM_VERSION}: installed into .tools/`);
    return installed;
  }
  if (intoTools.output.trim()) process.stdout.write(`${tail(intoTools.output)}\n`);
  return fail(
    `could not install pnpm ${PNPM_VERSION}`,
    `install it yourself with \`npm i -g -E pnpm@${PNPM_VERSION}\` (check network access to the npm registry)`,
  );
}

function ensureSystemDeps() {
  if (process.env.STREAMSUITES_SKIP_SYSTEM_DEPS === '1') {
    log('system tools: skipped (STREAMSUITES_SKIP_SYSTEM_DEPS=1)');
    return;
  }
  const missing = () => {
    const packages = [];
    if (!findOnPath('ffmpeg') || !findOnPath('ffprobe')) packages.push('ffmpeg');
    if (!isExecutableFile('/usr/bin/chromium')) packages.push('chromium');
    // The scale-out tests start their own redis-server on a loopback port (the package starts no daemon).
    if (!findOnPath('redis-server')) packages.push('redis-server');
    return packages;
  };
  const before = missing();
  if (before.length === 0) {
    log('system tools: ffmpeg, ffprobe, /usr/bin/chromium, redis-server ok');
    return;
  }

  const warn = (why, packages = before) =>
    log(
      `warning: missing ${packages.join(', ')} (${why}); install with: ` +
        `sudo apt-get update && sudo apt-get install -y --no-install-recommends ${packages.join(' ')}` +
        ' — continuing; tests that need them will report it',
    );

  if (process.platform !== 'linux' || !findOnPath('apt-get')) {
    warn('no apt-get on this machine; use your package manager');
    return;
  }
  let prefix = [];
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) {
    const sudo = findOnPath('sudo');
    if (!sudo || runSync(sudo, ['-n', 'true'], { capture: true, timeout: 10_000 }).status !== 0) {
      warn('not root and no passwordless sudo');
      return;
    }
    prefix = [sudo, '-n', 'env', 'DEBIAN_FRONTEND=noninteractive'];
  }
  const apt = (args) => {
    const [cmd, ...rest] = prefix.length > 0 ? [...prefix, 'apt-get', ...args] : ['apt-get', ...args];
    return runSync(cmd, rest, {
      capture: true,
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  };

  const start = Date.now();
  log(`installing ${before.join(' ')} with apt-get (first run only; can take a few minutes) ...`);
  const logFile = path.join(os.tmpdir(), 'streamsuites-apt.log');
  const update = apt(['-q', 'update']);
  const install = apt([
    '-q',
    '-y',
    '-o',
    'DPkg::Lock::Timeout=300',
    'install',
    '--no-install-recommends',
    ...before,
  ]);
  try {
    fs.writeFileSync(logFile, `$ apt-get update\n${update.output}\n$ apt-get install ${before.join(' ')}\n${install.output}`);
  } catch {
    // best effort
  }
  const after = missing();
  if (install.status === 0 && after.length === 0) {
    log(`system tools: installed ${before.join(', ')} (${secondsSince(start)})`);
    return;
  }
  process.stdout.write(`${tail(install.output || update.output, 15)}\n`);
  warn(`apt-get install failed, see ${logFile}`, after.length > 0 ? after : before);
}

/**
 * streamlink, best effort: the Twitch and YouTube stream sources run it to
 * find a live stream for clips. The demo job installs it (a user's first run;
 * a failed try is remembered in node_modules and not repeated), and
 * `setup --streamlink` always tries; no test needs it (they use a stand-in),
 * and lint and bench (which run `setup`) never wait on apt for it. Installed
 * on its own: a distro without the package must not cost the ffmpeg/chromium
 * install. Debian 12: 3 MB, 10-15 s (streamlink 5.2 and 13 python3 packages).
 */
function ensureStreamlink({ force }) {
  if (process.env.STREAMSUITES_SKIP_SYSTEM_DEPS === '1') return;
  if (findOnPath('streamlink')) {
    log('streamlink: ok');
    return;
  }
  const marker = path.join(ROOT, 'node_modules', '.streamsuites-streamlink-failed');
  if (!force && fs.existsSync(marker)) return;
  const warn = (why) => {
    log(
      `warning: streamlink not installed (${why}); it is optional (clips of Twitch/YouTube streams without capture.input need it): ` +
        'sudo apt-get install -y streamlink, pipx install streamlink, or `node scripts/bootstrap.mjs setup --streamlink` — continuing',
    );
    try {
      fs.mkdirSync(path.dirname(marker), { recursive: true });
      fs.writeFileSync(marker, `${new Date().toISOString()} ${why}\n`);
    } catch {
      // Only a memo: without it the next demo tries again.
    }
  };
  if (process.platform !== 'linux' || !findOnPath('apt-get')) return warn('no apt-get on this machine');
  let prefix = [];
  if (!(typeof process.getuid === 'function' && process.getuid() === 0)) {
    const sudo = findOnPath('sudo');
    if (!sudo || runSync(sudo, ['-n', 'true'], { capture: true, timeout: 10_000 }).status !== 0) return warn('not root and no passwordless sudo');
    prefix = [sudo, '-n', 'env', 'DEBIAN_FRONTEND=noninteractive'];
  }
  const apt = (args) => {
    const [cmd, ...rest] = [...prefix, 'apt-get', ...args];
    return runSync(cmd, rest, { capture: true, env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, timeout: 300_000 });
  };
  const start = Date.now();
  log('installing streamlink with apt-get ...');
  const install = ['-q', '-y', '-o', 'DPkg::Lock::Timeout=300', 'install', '--no-install-recommends', 'streamlink'];
  // Package lists are usually fresh (the ffmpeg step updated them); update only when the first try fails.
  if (apt(install).status !== 0) {
    apt(['-q', 'update']);
    const retry = apt(install);
    if (retry.status !== 0 || !findOnPath('streamlink')) return warn(`apt-get install failed: ${tail(retry.output, 1)}`);
  }
  if (!findOnPath('streamlink')) return warn('apt-get installed no streamlink command');
  log(`streamlink: installed (${secondsSince(start)})`);
}

function ensureInstalled(pnpm) {
  const lockfile = path.join(ROOT, 'pnpm-lock.yaml');
  if (!fs.existsSync(lockfile)) {
    fail(
      'pnpm-lock.yaml is missing',
      'run `pnpm install` once to create it, and commit it',
    );
  }
  const inputs = [
    lockfile,
    path.join(ROOT, 'package.json'),
    path.join(ROOT, 'pnpm-workspace.yaml'),
    path.join(ROOT, '.npmrc'),
    ...workspacePackageDirs().map((dir) => path.join(dir, 'package.json')),
  ];
  const modules = statOrNull(MODULES_YAML);
  if (modules) {
    const newest = inputs.reduce((max, file) => Math.max(max, statOrNull(file)?.mtimeMs ?? 0), 0);
    if (modules.mtimeMs > newest) {
      log('dependencies: up to date (pnpm install skipped)');
      return;
    }
  }

  const extraEnv = {};
  if (fs.existsSync('/usr/include/node/node.h')) extraEnv.npm_config_nodedir = '/usr';
  log('pnpm install --frozen-lockfile ...');
  const start = Date.now();
  const result = runSync(pnpm.cmd, [...pnpm.prefix, 'install', '--frozen-lockfile'], {
    env: pnpmEnv(extraEnv),
  });
  if (result.status !== 0) {
    fail(
      `pnpm install --frozen-lockfile (exit ${result.status ?? result.signal ?? result.error?.message})`,
      'see the pnpm output above; if pnpm-lock.yaml is out of date with a package.json, run `pnpm install` and commit the lockfile',
    );
  }
  // pnpm leaves .modules.yaml alone when nothing changed; mark this install as
  // current so the next run skips it.
  if (fs.existsSync(MODULES_YAML)) {
    const now = new Date();
    fs.utimesSync(MODULES_YAML, now, now);
  }
  log(`dependencies: installed (${secondsSince(start)})`);
}

// What a package's build reads: its sources and build configuration, and the
// shared configuration at the root. Nothing a demo, test or benchmark writes
// is among them, so running those never invalidates the build.
const BUILD_INPUT_DIRS = ['src'];
const BUILD_INPUT_FILES = ['package.json', 'tsconfig.json', 'tsup.config.ts'];
const ROOT_BUILD_INPUTS = ['pnpm-lock.yaml', 'tsup.config.base.ts', 'tsconfig.base.json'];

function collectFiles(dir, out) {
  let entries;
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && !entry.name.startsWith('.')) collectFiles(full, out);
    } else if (entry.isFile() || entry.isSymbolicLink()) {
      out.push(full);
    }
  }
}

function hashFiles(hash, files) {
  const rel = files.map((file) => [path.relative(ROOT, file).split(path.sep).join('/'), file]).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [name, file] of rel) {
    let content;
    try {
      content = fs.readFileSync(file);
    } catch {
      content = Buffer.from('\0<unreadable>');
    }
    hash.update(name);
    hash.update('\0');
    hash.update(content);
    hash.update('\0');
  }
}

/** The workspace packages that have a build script, with their workspace dependencies. */
function buildablePackages() {
  const all = [];
  for (const dir of workspacePackageDirs()) {
    let manifest;
    try {
      manifest = readJson(path.join(dir, 'package.json'));
    } catch {
      continue;
    }
    all.push({ dir, rel: path.relative(ROOT, dir).split(path.sep).join('/'), name: manifest.name ?? dir, manifest });
  }
  const names = new Set(all.map((pkg) => pkg.name));
  return all
    .filter((pkg) => typeof pkg.manifest.scripts?.build === 'string')
    .map((pkg) => {
      // Dev dependencies are left out: tests may use a package that depends on
      // this one (a cycle pnpm allows), and type declarations resolve to sources.
      const { dependencies = {}, peerDependencies = {}, optionalDependencies = {} } = pkg.manifest;
      const deps = Object.keys({ ...dependencies, ...peerDependencies, ...optionalDependencies })
        .filter((name) => names.has(name) && name !== pkg.name)
        .sort();
      return { dir: pkg.dir, rel: pkg.rel, name: pkg.name, deps };
    });
}

/**
 * One hash per package over its build inputs and its workspace dependencies'
 * hashes, so a change rebuilds that package and what depends on it, nothing else.
 */
function packageHashes(packages) {
  const rootHash = createHash('sha256');
  hashFiles(rootHash, ROOT_BUILD_INPUTS.map((name) => path.join(ROOT, name)));
  const rootDigest = rootHash.digest('hex');
  const byName = new Map(packages.map((pkg) => [pkg.name, pkg]));
  const hashes = new Map();
  const visiting = new Set();
  const hashOf = (pkg) => {
    if (hashes.has(pkg.name)) return hashes.get(pkg.name);
    if (visiting.has(pkg.name)) fail(`workspace dependency cycle through ${pkg.name}`, 'remove the cycle between the package.json files');
    visiting.add(pkg.name);
    const hash = createHash('sha256');
    hash.update(rootDigest);
    for (const dep of pkg.deps) {
      const depPkg = byName.get(dep);
      if (depPkg) hash.update(`${dep}=${hashOf(depPkg)}\0`);
    }
    const files = [];
    for (const dir of BUILD_INPUT_DIRS) collectFiles(path.join(pkg.dir, dir), files);
    for (const name of BUILD_INPUT_FILES) if (fs.existsSync(path.join(pkg.dir, name))) files.push(path.join(pkg.dir, name));
    hashFiles(hash, files);
    const digest = hash.digest('hex');
    visiting.delete(pkg.name);
    hashes.set(pkg.name, digest);
    return digest;
  };
  for (const pkg of packages) hashOf(pkg);
  return hashes;
}

function readBuildStamp() {
  try {
    const stamp = readJson(BUILD_STAMP);
    if (stamp?.version === 2 && typeof stamp.packages === 'object' && stamp.packages !== null) return stamp.packages;
  } catch {
    // none yet, or an older format: build everything
  }
  return {};
}

function writeBuildStamp(packages) {
  fs.mkdirSync(path.dirname(BUILD_STAMP), { recursive: true });
  const tmp = `${BUILD_STAMP}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify({ version: 2, packages }, null, 2)}\n`);
  fs.renameSync(tmp, BUILD_STAMP);
}

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/**
 * Progress while packages build: on a terminal, one status line (spinner, count,
 * the packages building now, elapsed time) rewritten in place, above it a line
 * per finished package; elsewhere (CI, pipes), a line when each starts and ends.
 */
function buildProgress(total) {
  const live = process.stdout.isTTY === true && process.env.CI === undefined;
  const running = new Map();
  const started = Date.now();
  let done = 0;
  let frame = 0;
  let shown = false;
  const clear = () => {
    if (shown) process.stdout.write('\r\x1b[K');
    shown = false;
  };
  const draw = () => {
    if (!live) return;
    const names = [...running.keys()].join(', ');
    const text = `[setup] ${SPINNER[frame++ % SPINNER.length]} building ${done}/${total}: ${names} (${secondsSince(started)})`;
    const width = process.stdout.columns || 100;
    process.stdout.write(`\r\x1b[K${text.length > width - 1 ? `${text.slice(0, width - 2)}…` : text}`);
    shown = true;
  };
  const timer = live ? setInterval(draw, 120) : null;
  return {
    start(name) {
      running.set(name, Date.now());
      if (live) draw();
      else log(`build ${name} ...`);
    },
    end(name, ok) {
      const took = secondsSince(running.get(name) ?? Date.now());
      running.delete(name);
      if (ok) done += 1;
      clear();
      log(`build ${name}: ${ok ? 'done' : 'FAILED'} (${took}) [${done}/${total}]`);
      if (live && running.size > 0) draw();
    },
    stop() {
      if (timer) clearInterval(timer);
      clear();
    },
  };
}

/** Run one package's build script; resolves with its exit code and output. */
function buildPackage(pnpm, pkg) {
  return new Promise((resolve) => {
    const spec = spawnSpec(pnpm.cmd, [...pnpm.prefix, 'run', 'build']);
    const child = spawn(spec.file, spec.args, {
      cwd: pkg.dir,
      env: pnpmEnv(),
      shell: spec.shell,
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });
    const chunks = [];
    child.stdout.on('data', (chunk) => chunks.push(chunk));
    child.stderr.on('data', (chunk) => chunks.push(chunk));
    child.once('error', (error) => resolve({ code: null, output: `${error.message}\n` }));
    child.once('close', (code, signal) => resolve({ code: signal ? null : code, output: Buffer.concat(chunks).toString('utf8') }));
  });
}

/**
 * Build what changed: each package whose inputs (or whose workspace
 * dependencies) changed since its last successful build, or that has no dist/,
 * in dependency order, a few at a time. Each success is recorded at once, so
 * an interrupted build resumes where it stopped.
 */
async function ensureBuilt(pnpm) {
  const packages = buildablePackages();
  const hashes = packageHashes(packages);
  const stamp = readBuildStamp();
  const stale = packages.filter((pkg) => stamp[pkg.rel] !== hashes.get(pkg.name) || !statOrNull(path.join(pkg.dir, 'dist'))?.isDirectory());
  if (stale.length === 0) {
    log(`build: up to date (${packages.length} packages, skipped)`);
    return;
  }
  const first = Object.keys(stamp).length === 0;
  log(
    `building ${stale.length} of ${packages.length} packages (${first ? 'first build; a few minutes' : 'sources changed'}) ...`,
  );
  const start = Date.now();
  const staleNames = new Set(stale.map((pkg) => pkg.name));
  // Packages many others wait for go first (sqlite before the examples), so
  // both cores stay busy along the longest chain.
  const dependents = new Map(stale.map((pkg) => [pkg.name, 0]));
  const countDependents = (name, seen = new Set()) => {
    for (const other of stale) {
      if (other.deps.includes(name) && !seen.has(other.name)) {
        seen.add(other.name);
        countDependents(other.name, seen);
      }
    }
    return seen.size;
  };
  for (const pkg of stale) dependents.set(pkg.name, countDependents(pkg.name));
  const ordered = [...stale].sort((a, b) => dependents.get(b.name) - dependents.get(a.name) || (a.name < b.name ? -1 : 1));
  const pending = new Map(ordered.map((pkg) => [pkg.name, pkg]));
  const finished = new Set();
  const limit = Math.max(1, Math.min(4, typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length));
  const progress = buildProgress(stale.length);
  const running = new Set();
  let failure = null;
  await new Promise((resolveAll) => {
    const pump = () => {
      if (failure !== null || pending.size === 0) {
        if (running.size === 0) resolveAll();
        if (failure !== null || pending.size === 0) return;
      }
      for (const pkg of [...pending.values()]) {
        if (running.size >= limit) break;
        if (!pkg.deps.every((dep) => !staleNames.has(dep) || finished.has(dep))) continue;
        pending.delete(pkg.name);
        running.add(pkg.name);
        progress.start(pkg.name);
        void buildPackage(pnpm, pkg).then(({ code, output }) => {
          running.delete(pkg.name);
          progress.end(pkg.name, code === 0);
          if (code === 0) {
            finished.add(pkg.name);
            stamp[pkg.rel] = hashes.get(pkg.name);
            writeBuildStamp(stamp);
          } else if (failure === null) {
            failure = { pkg, code, output };
          }
          pump();
        });
      }
      if (running.size === 0 && failure === null && pending.size > 0) {
        failure = { pkg: [...pending.values()][0], code: null, output: 'its workspace dependencies never finished building\n' };
        resolveAll();
      }
    };
    pump();
  });
  progress.stop();
  if (failure !== null) {
    process.stdout.write(`${failure.output.trimEnd()}\n`);
    fail(
      `build of ${failure.pkg.name} (${failure.pkg.rel}) failed${failure.code === null ? '' : ` with exit ${failure.code}`}`,
      `fix the errors above; rebuild it alone with \`pnpm --filter ${failure.pkg.name} run build\``,
    );
  }
  log(`build: done (${stale.length} packages, ${secondsSince(start)})`);
}

async function setup() {
  checkNode();
  const pnpm = ensurePnpm();
  if (pnpm.binDir) process.env.PATH = `${path.resolve(pnpm.binDir)}${path.delimiter}${process.env.PATH ?? ''}`;
  // `build` (pnpm build) is a developer's rebuild: dependencies and packages, no apt.
  if (job !== 'build') ensureSystemDeps();
  // The demo is what a user runs first: give them streamlink too (once; a failed try is not repeated every run).
  // Tests use a stand-in, and lint / bench run this set-up: they never wait on apt for it.
  if (job === 'setup' && jobArgs.includes('--streamlink')) ensureStreamlink({ force: true });
  else if (job === 'demo') ensureStreamlink({ force: false });
  ensureInstalled(pnpm);
  await ensureBuilt(pnpm);
  return pnpm;
}

// ---------------------------------------------------------------- jobs

async function runDemo() {
  const entry = path.join(ROOT, 'examples', 'demo', 'dist', 'main.js');
  if (!fs.existsSync(entry)) {
    fail(
      'examples/demo/dist/main.js does not exist',
      'the build did not produce it; check `pnpm --filter ./examples/demo run build`',
    );
  }
  const result = await runForwardingSignals(process.execPath, [entry, ...jobArgs]);
  if (result.error) fail(`could not start the demo: ${result.error.message}`, 'check your Node.js install');
  exitLike(result);
}

function summarizeVitest(exitCode) {
  let report;
  try {
    report = readJson(VITEST_RESULTS);
  } catch {
    log(`failed: vitest wrote no results to ${path.relative(ROOT, VITEST_RESULTS)} — see the vitest output above`);
    return { line: '0 passed, 1 failed', ok: false };
  }
  const num = (value) => (Number.isFinite(value) ? value : 0);
  const passed = num(report.numPassedTests);
  let failed = num(report.numFailedTests);
  const skipped = num(report.numPendingTests) + num(report.numTodoTests);
  if (Array.isArray(report.testResults)) {
    // A test file that failed to load/run has status "failed" and no tests.
    for (const suite of report.testResults) {
      const tests = Array.isArray(suite?.assertionResults) ? suite.assertionResults.length : 0;
      if (suite?.status === 'failed' && tests === 0) failed += 1;
    }
  } else if (failed === 0) {
    failed = num(report.numFailedTestSuites);
  }
  if (exitCode !== 0 && failed === 0) {
    log(`vitest exited with ${exitCode} but reported no failed test (an unhandled error or no test files?) — counted as 1 failed`);
    failed = 1;
  }
  const line = `${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`;
  return { line, ok: exitCode === 0 && failed === 0 };
}

async function runTests(pnpm) {
  fs.rmSync(VITEST_RESULTS, { force: true });
  const result = await runForwardingSignals(
    pnpm.cmd,
    [
      ...pnpm.prefix,
      'exec',
      'vitest',
      'run',
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${VITEST_RESULTS}`,
      ...jobArgs,
    ],
    { env: pnpmEnv() },
  );
  if (result.error) log(`failed: could not start vitest: ${result.error.message}`);
  const exitCode = result.error ? 1 : result.signal ? 128 + (os.constants.signals[result.signal] ?? 0) : result.code;
  const { line, ok } = summarizeVitest(exitCode ?? 1);
  process.stdout.write(`${line}\n`);
  process.exit(ok ? 0 : exitCode || 1);
}

async function main() {
  if (!JOBS.has(job)) {
    process.stdout.write(
      'usage: node scripts/bootstrap.mjs <demo|test|setup|build> [args...]\n' +
        '  demo   set up, then run examples/demo (npm run demo -- --duration 3)\n' +
        '  test   set up, then run the workspace tests (npm test)\n' +
        '  setup  only the set-up steps (--streamlink: also install streamlink, best effort)\n' +
        '  build  install the workspace and build the packages whose sources changed (pnpm build)\n',
    );
    process.exit(2);
  }
  try {
    const pnpm = await setup();
    if (job === 'setup' || job === 'build') {
      log('ready');
      return;
    }
    if (job === 'demo') await runDemo();
    else await runTests(pnpm);
  } catch (error) {
    if (error instanceof SetupError) {
      log(`failed: ${error.what} — ${error.fix}`);
    } else {
      log(`failed: unexpected error: ${error?.stack ?? error} — please report this`);
    }
    if (job === 'test') process.stdout.write('0 passed, 1 failed\n');
    process.exit(1);
  }
}

await main();
