import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main, type CliIO } from '../src/index.js';
import { withEnvFile } from '../src/env-file.js';
import { linkWorkspacePackages } from './helpers.js';

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A temp project with node_modules/@streamsuites/* linked to this workspace's packages, as after `npm install`. */
function tempProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'streamsuites-envfile-'));
  made.push(dir);
  linkWorkspacePackages(dir);
  return dir;
}

async function run(argv: string[], cwd: string, env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const io: CliIO = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), env, cwd };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

const missingEnv = (stdout: string) =>
  (JSON.parse(stdout) as { issues: { code: string; message: string }[] }).issues.filter((i) => i.code === 'SS_ERR_MANIFEST_ENV_MISSING');

describe('the environment file', () => {
  it('init for every platform, cp .env.example .env, validate passes; without the file (or with --no-env-file) the variables are missing', async () => {
    const dir = tempProject();
    const init = await run(['init', '--platforms', 'twitch,youtube,rumble,kick,x,discord', '--features', 'clips,engagement,exports,chatlog', '--creators', 'alice,bob'], dir);
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toContain('cp .env.example .env   # then fill in each value: streamsuites reads ./.env');

    const before = await run(['validate', 'streamsuites.json', '--json'], dir);
    expect(before.code).toBe(1);
    const names = readFileSync(join(dir, '.env.example'), 'utf8').match(/^[A-Z0-9_]+(?==)/gm) ?? [];
    expect(names.length).toBeGreaterThan(5);
    expect(missingEnv(before.stdout).length).toBeGreaterThanOrEqual(names.length);

    copyFileSync(join(dir, '.env.example'), join(dir, '.env'));
    const after = await run(['validate', 'streamsuites.json'], dir);
    expect(after.code, after.stdout + after.stderr).toBe(0);
    expect(after.stdout).toContain('streamsuites.json is valid');

    const skipped = await run(['validate', 'streamsuites.json', '--json', '--no-env-file'], dir);
    expect(skipped.code).toBe(1);
    expect(missingEnv(skipped.stdout).length).toBe(missingEnv(before.stdout).length);

    // --env-file names another file (anywhere in the arguments, either spelling).
    writeFileSync(join(dir, 'prod.env'), readFileSync(join(dir, '.env'), 'utf8'));
    rmSync(join(dir, '.env'));
    expect((await run(['validate', '--env-file', 'prod.env', 'streamsuites.json'], dir)).code).toBe(0);
    expect((await run(['validate', 'streamsuites.json', '--env-file=prod.env'], dir)).code).toBe(0);
  });

  it('a variable set in the environment wins over the file; comments, quotes and export lines are read', () => {
    const dir = mkdtempSync(join(tmpdir(), 'streamsuites-envfile-'));
    made.push(dir);
    writeFileSync(join(dir, '.env'), '# a comment\nA=from-file\nB="two words"\nexport C=3\n');
    const io: CliIO = { stdout: () => {}, stderr: () => {}, env: { A: 'from-env', D: 'only-env' }, cwd: dir };
    const { argv, io: loaded, file } = withEnvFile(['validate', 'x.json'], io);
    expect(argv).toEqual(['validate', 'x.json']);
    expect(file).toBe(join(dir, '.env'));
    expect(loaded.env).toEqual({ A: 'from-env', B: 'two words', C: '3', D: 'only-env' });
    expect(loaded.cwd).toBe(dir);
    // Arguments after "--" are not ours.
    expect(withEnvFile(['replay', '--', '--env-file'], io).argv).toEqual(['replay', '--', '--env-file']);
  });

  it('a named file that is missing is an error; a missing ./.env is not; bad flags are usage errors', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'streamsuites-envfile-'));
    made.push(dir);
    writeFileSync(join(dir, 'm.json'), JSON.stringify({ version: 1, plugins: {}, creators: {} }));
    const missing = await run(['validate', 'm.json', '--env-file', 'nope.env'], dir);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('error SS_ERR_CLI_ENV_FILE: cannot read the environment file');
    expect(missing.stderr).toContain('nope.env: no such file');
    expect(missing.stderr).toContain('hint: Check the path given with --env-file');

    const noValue = await run(['validate', 'm.json', '--env-file'], dir);
    expect(noValue.code).toBe(2);
    expect(noValue.stderr).toContain('--env-file needs a file name');
    const both = await run(['validate', 'm.json', '--env-file', 'a.env', '--no-env-file'], dir);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('not both');
  });
});
