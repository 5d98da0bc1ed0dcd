import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnScript, type SpawnedScript } from '@streamsuites/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cli, spawnCli } from './helpers.js';

const bin = fileURLToPath(new URL('../src/bin.ts', import.meta.url));
let tmp: string;
let root: string;
const running: SpawnedScript[] = [];

/** A minimal exports root: a public clips file and a dashboard-only quotas file. */
function writeStateRoot(dir: string, title: string): void {
  mkdirSync(join(dir, 'runtime/exports'), { recursive: true });
  const meta = { generatedAt: '2026-11-27T12:00:00.000Z', schema: 'streamsuites.clips', source: 'streamsuites-runtime', version: 1, visibility: 'public' };
  writeFileSync(join(dir, 'runtime/exports/clips.json'), JSON.stringify({ clips: [{ id: 'c1', title }], meta }));
  // A dashboard-only file: remote clients need the token for it.
  mkdirSync(join(dir, 'shared/state'), { recursive: true });
  writeFileSync(join(dir, 'shared/state/quotas.json'), JSON.stringify({ quotas: [], meta: { ...meta, schema: 'streamsuites.quotas', visibility: 'dashboard-only' } }));
}

function start(argv: string[], options: { cwd?: string; env?: Record<string, string> } = {}): SpawnedScript {
  const run = options.cwd === undefined
    ? spawnCli(argv, options.env)
    : spawnScript(bin, argv, { cwd: options.cwd, env: { PATH: process.env.PATH ?? '', ...options.env } });
  running.push(run);
  return run;
}

const TOKEN = 'cli-test-token-0123456789abcdef';

/** The status of a GET to 127.0.0.1:<port> with the given headers (node:http: fetch() may not set Host). */
function status(port: string, target: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolveStatus, reject) => {
    const req = request({ hostname: '127.0.0.1', port, path: target, headers, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolveStatus(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Waits for the printed address and returns it. */
async function dashboardUrl(run: SpawnedScript): Promise<string> {
  await run.until('Dashboard: http://');
  await run.until('/\n');
  return /Dashboard: (http:\/\/\S+\/)\n/.exec(run.stdout())![1]!;
}

beforeAll(() => {
  // Inside the package (git-ignored `.tmp-*`): the spawned bin loads tsx relative to its cwd.
  tmp = mkdtempSync(fileURLToPath(new URL('../.tmp-dashboard-', import.meta.url)));
  root = join(tmp, 'exports-root');
  writeStateRoot(root, 'Clip from --root');
  writeStateRoot(join(tmp, 'with-state', 'state'), 'Clip from ./state');
  writeStateRoot(join(tmp, 'env-root'), 'Clip from STREAMSUITES_STATE_ROOT');
  mkdirSync(join(tmp, 'empty'));
});

afterEach(() => {
  // A failed assertion must not leave a server running.
  for (const run of running.splice(0)) if (run.child.exitCode === null) run.child.kill('SIGKILL');
});

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('streamsuites dashboard', () => {
  it('prints the URL, serves the page and the state, and exits 0 on SIGINT', async () => {
    const run = start(['dashboard', '--port', '0', '--root', root]);
    const url = await dashboardUrl(run);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('StreamSuites');
    const clips = await fetch(`${url}state/runtime/exports/clips.json`);
    expect(await clips.json()).toMatchObject({ clips: [{ title: 'Clip from --root' }] });
    expect((await fetch(url, { method: 'POST' })).status).toBe(405);
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(0);
    expect(run.stdout()).toContain('Dashboard stopped.');
    expect(run.stderr()).toBe('');
  });

  it('uses ./state under the current directory when there is no --root, and stops on SIGTERM', async () => {
    const run = start(['dashboard'], { cwd: join(tmp, 'with-state'), env: { STREAMSUITES_STATE_ROOT: join(tmp, 'env-root') } });
    const url = await dashboardUrl(run);
    expect(await (await fetch(`${url}state/runtime/exports/clips.json`)).text()).toContain('Clip from ./state');
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
  });

  it('falls back to STREAMSUITES_STATE_ROOT', async () => {
    const run = start(['dashboard'], { cwd: join(tmp, 'empty'), env: { STREAMSUITES_STATE_ROOT: join(tmp, 'env-root') } });
    const url = await dashboardUrl(run);
    expect(await (await fetch(`${url}state/runtime/exports/clips.json`)).text()).toContain('Clip from STREAMSUITES_STATE_ROOT');
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(0);
  });

  it('prints what it serves to whom: on loopback, this machine only', async () => {
    const run = start(['dashboard', '--root', root]);
    const url = await dashboardUrl(run);
    await run.until('Press Ctrl-C to stop.');
    expect(run.stdout()).toContain(`Serving ${root} (read-only):\n  ${url} — page, public and dashboard-only files and clip media to this machine only`);
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(0);
  });

  it('a non-loopback --host without --allow-remote: SS_ERR_DASHBOARD_REMOTE_REFUSED, exit 1, no stack trace', async () => {
    const { code, stdout, stderr } = await cli(['dashboard', '--root', root, '--host', '0.0.0.0']);
    expect(code).toBe(1);
    expect(stderr).toContain('error SS_ERR_DASHBOARD_REMOTE_REFUSED: refusing to bind the dashboard to 0.0.0.0');
    expect(stderr).toContain('hint: Pass --allow-remote');
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(stdout).not.toContain('Dashboard:');
  });

  it('--allow-remote --token-file: prints the exposure; remote clients need the token for dashboard-only files', async () => {
    const tokenFile = join(tmp, 'token');
    writeFileSync(tokenFile, `\n  ${TOKEN}  \n`, { mode: 0o600 });
    chmodSync(tokenFile, 0o600);
    const run = start(['dashboard', '--root', root, '--host', '0.0.0.0', '--port', '0', '--allow-remote', '--token-file', tokenFile]);
    const url = await dashboardUrl(run);
    await run.until('Press Ctrl-C to stop.');
    const port = new URL(url).port;
    expect(run.stdout()).toContain(`  ${url} — page and public files (clips, polls, tallies, scoreboards, metadata) to anyone who can reach this address\n`);
    expect(run.stdout()).toContain('  dashboard-only files and clip media: only with the bearer token');
    const remote = { Host: `dashboard.example:${port}` };
    expect(await status(port, '/state/runtime/exports/clips.json', remote)).toBe(200);
    expect(await status(port, '/state/shared/state/quotas.json', remote)).toBe(401);
    expect(await status(port, '/state/shared/state/quotas.json', { ...remote, Authorization: `Bearer ${TOKEN}` })).toBe(200);
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(0);
    expect(run.stdout() + run.stderr()).not.toContain(TOKEN);
  });

  it('STREAMSUITES_DASHBOARD_TOKEN sets the token when there is no --token-file', async () => {
    const run = start(['dashboard', '--root', root, '--host', '0.0.0.0', '--allow-remote'], { cwd: join(tmp, 'empty'), env: { STREAMSUITES_DASHBOARD_TOKEN: TOKEN } });
    const url = await dashboardUrl(run);
    await run.until('Press Ctrl-C to stop.');
    const port = new URL(url).port;
    const remote = { Host: `dashboard.example:${port}` };
    expect(await status(port, '/state/shared/state/quotas.json', { ...remote, Authorization: `Bearer ${TOKEN}` })).toBe(200);
    expect(await status(port, '/state/shared/state/quotas.json', { ...remote, Authorization: 'Bearer not-the-token-at-all' })).toBe(401);
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(0);
    expect(run.stdout() + run.stderr()).not.toContain(TOKEN);
  });

  it.each([
    ['a group-readable file', 0o640, TOKEN, 'is accessible to other users (mode 640): run chmod 600 on it'],
    ['a world-readable file', 0o644, TOKEN, 'is accessible to other users (mode 644)'],
    ['an empty file', 0o600, ' \n', 'is empty'],
  ])('--token-file with %s: SS_ERR_DASHBOARD_OPTION_INVALID, exit 1, the token never printed', async (_what, mode, content, problem) => {
    const tokenFile = join(tmp, `token-${mode}-${content.length}`);
    writeFileSync(tokenFile, content);
    chmodSync(tokenFile, mode);
    const { code, stdout, stderr } = await cli(['dashboard', '--root', root, '--host', '0.0.0.0', '--allow-remote', '--token-file', tokenFile]);
    expect(code).toBe(1);
    expect(stderr).toContain(`error SS_ERR_DASHBOARD_OPTION_INVALID: dashboard option "--token-file" ${tokenFile} ${problem}`);
    expect(stderr).toContain('hint:');
    expect(stdout + stderr).not.toContain(TOKEN);
  });

  it('a missing --token-file, or a token shorter than 16 characters: coded errors that do not print it', async () => {
    const missing = await cli(['dashboard', '--root', root, '--allow-remote', '--token-file', join(tmp, 'no-such-token')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('cannot be read (ENOENT)');
    const short = await cli(['dashboard', '--root', root, '--host', '0.0.0.0', '--allow-remote'], { STREAMSUITES_DASHBOARD_TOKEN: 'short-secret-12' });
    expect(short.code).toBe(1);
    expect(short.stderr).toContain('error SS_ERR_DASHBOARD_OPTION_INVALID: dashboard option "token" must be at least 16 characters');
    expect(short.stderr).not.toContain('short-secret-12');
  });

  it.each([[['--token', TOKEN]], [[`--token=${TOKEN}`]]])('the token as a flag (%j) is refused: exit 2, the value not repeated', async (flag) => {
    const { code, stderr } = await cli(['dashboard', '--root', root, '--allow-remote', ...flag]);
    expect(code).toBe(2);
    expect(stderr).toContain('the token is never taken as a flag');
    expect(stderr).not.toContain(TOKEN);
  });

  it('an unknown flag is a usage error: exit 2', async () => {
    const run = start(['dashboard', '--root', root, '--open']);
    expect(await run.exited).toBe(2);
    expect(run.stderr()).toContain('error SS_ERR_CLI_USAGE');
    expect(run.stderr()).toContain("Unknown option '--open'");
  });

  it.each([
    [['dashboard', '--port', 'http'], '--port must be an integer from 0 to 65535'],
    [['dashboard', '--port', '70000'], '--port must be an integer from 0 to 65535'],
    [['dashboard', '--port'], 'argument missing'],
    [['dashboard', 'extra'], 'unexpected argument "extra"'],
  ])('usage error for %j exits 2', async (argv, message) => {
    const { code, stderr } = await cli(argv);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });

  it('with no --root, no ./state and no STREAMSUITES_STATE_ROOT: a usage error explaining --root', async () => {
    const { code, stderr } = await cli(['dashboard']);
    expect(code).toBe(2);
    expect(stderr).toContain('error SS_ERR_CLI_USAGE: dashboard: no state root: pass --root <dir>');
  });

  it('a missing root is a coded error, exit 1', async () => {
    const { code, stderr } = await cli(['dashboard', '--root', join(tmp, 'nope')]);
    expect(code).toBe(1);
    expect(stderr).toContain('error SS_ERR_DASHBOARD_ROOT_INVALID');
    expect(stderr).toContain('does not exist');
    expect(stderr).toContain('hint:');
  });

  it('a port in use is a coded error with a hint, not a stack trace: exit 1', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = String((blocker.address() as { port: number }).port);
    const listeners = process.listenerCount('SIGINT');
    try {
      const { code, stderr } = await cli(['dashboard', '--root', root, '--port', port]);
      expect(code).toBe(1);
      expect(stderr).toContain(`error SS_ERR_DASHBOARD_PORT_IN_USE: port ${port} on 127.0.0.1 is already in use`);
      expect(stderr).toContain('hint: Stop the program using it, or choose another port');
      expect(stderr).not.toMatch(/\n\s+at /);
      // The failed start left no signal handler behind.
      expect(process.listenerCount('SIGINT')).toBe(listeners);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('help: listed in --help, `help dashboard` and `dashboard --help`', async () => {
    expect((await cli(['--help'])).stdout).toContain('dashboard ');
    expect((await cli(['help', 'dashboard'])).stdout).toContain('Usage: streamsuites dashboard');
    const own = await cli(['dashboard', '--help']);
    expect(own.code).toBe(0);
    expect(own.stdout).toContain('--root <dir>');
    for (const text of ['--allow-remote', '--token-file <file>', 'STREAMSUITES_DASHBOARD_TOKEN', 'never accepted as a flag']) expect(own.stdout).toContain(text);
  });
});
