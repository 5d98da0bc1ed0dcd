import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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

/** A minimal exports root: one public clips file. */
function writeStateRoot(dir: string, title: string): void {
  mkdirSync(join(dir, 'runtime/exports'), { recursive: true });
  const meta = { generatedAt: '2026-11-27T12:00:00.000Z', schema: 'streamsuites.clips', source: 'streamsuites-runtime', version: 1, visibility: 'public' };
  writeFileSync(join(dir, 'runtime/exports/clips.json'), JSON.stringify({ clips: [{ id: 'c1', title }], meta }));
}

function start(argv: string[], options: { cwd?: string; env?: Record<string, string> } = {}): SpawnedScript {
  const run = options.cwd === undefined
    ? spawnCli(argv, options.env)
    : spawnScript(bin, argv, { cwd: options.cwd, env: { PATH: process.env.PATH ?? '', ...options.env } });
  running.push(run);
  return run;
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

  it('warns when bound to a non-loopback address', async () => {
    const run = start(['dashboard', '--root', root, '--host', '0.0.0.0']);
    await dashboardUrl(run);
    expect(run.stderr()).toContain('warning: --host 0.0.0.0 is not a loopback address');
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(0);
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
  });
});
