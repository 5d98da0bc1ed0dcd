import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cli, spawnCli } from './helpers.js';

const version = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

describe('streamsuites (usage)', () => {
  it('--version prints the package version', async () => {
    expect(await cli(['--version'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
    expect((await cli(['-v'])).stdout).toBe(`${version}\n`);
  });

  it('--help lists the commands; no arguments prints it and exits 2', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('run <manifest>');
    expect(help.stdout).toContain('validate <manifest>');
    expect((await cli([])).code).toBe(2);
  });

  it('per-command help: `validate --help`, `help run`', async () => {
    expect((await cli(['validate', '--help'])).stdout).toContain('Usage: streamsuites validate');
    expect((await cli(['help', 'run'])).stdout).toContain('Usage: streamsuites run');
  });

  it.each([
    [['validate', '--strict', 'valid.json'], 'Unknown option \'--strict\''],
    [['run', 'valid.json', '--log-level'], 'argument missing'],
    [['run', 'valid.json', '--log-level', 'loud'], '--log-level must be one of'],
    [['validate'], 'missing <manifest>'],
    [['validate', 'a.json', 'b.json'], 'unexpected argument "b.json"'],
    [['launch'], 'unknown command "launch"'],
    [['--verbose'], 'unknown option "--verbose"'],
  ])('usage error for %j exits 2', async (argv, message) => {
    const { code, stderr } = await cli(argv);
    expect(code).toBe(2);
    expect(stderr).toContain('error SS_ERR_CLI_USAGE');
    expect(stderr).toContain(message);
  });
});

describe('streamsuites run', () => {
  it('boots the manifest plugins, and on SIGINT stops them and exits 0', async () => {
    const run = spawnCli(['run', 'valid.json'], { HELLO_TOKEN: 'oauth:abc123456' });
    await run.until('hello-started:maya');
    await run.until('hello-started:daniel');
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(0);
    expect(run.stdout()).toContain('hello-stopped:daniel');
    expect(run.stdout()).toContain('hello-stopped:maya');
    expect(run.stdout()).not.toContain('oauth:abc123456');
  });

  it('--duration stops cleanly by itself; --data-dir moves the state folder', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'ss-cli-run-'));
    try {
      const run = spawnCli(['run', 'valid.json', '--duration', '0.5', '--data-dir', dataDir, '--log-level', 'info'], { HELLO_TOKEN: 'oauth:abc123456' });
      expect(await run.exited, run.stderr()).toBe(0);
      expect(run.stdout()).toContain('hello-stopped:daniel');
      expect(run.stdout()).toContain(`"dataDir":${JSON.stringify(dataDir)}`);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it.each([
    [['--duration', 'soon'], '--duration must be a positive number of seconds'],
    [['--duration', '0'], '--duration must be a positive number of seconds'],
    [['--data-dir', ''], '--data-dir must not be empty'],
  ])('run %j is a usage error (exit 2)', async (flags, message) => {
    const { code, stderr } = await cli(['run', 'valid.json', ...flags]);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });

  it('an invalid manifest fails to boot with the problems listed and exit 1', async () => {
    const { code, stderr } = await cli(['run', 'five-mistakes.json']);
    expect(code).toBe(1);
    expect(stderr).toContain('error SS_ERR_MANIFEST_INVALID');
    expect(stderr).toContain('/colour');
  });
});
