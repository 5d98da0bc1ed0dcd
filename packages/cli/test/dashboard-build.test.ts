import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, spawnCli } from './helpers.js';

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'ss-cli-dashboard-build-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const tree = (dir: string) =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1).split(sep).join('/'))
    .sort();

describe('streamsuites dashboard build <dir>', () => {
  it('writes index.html, assets/ and .nojekyll, prints them and how to open and publish', async () => {
    const out = join(tmp, 'site');
    const run = await cli(['dashboard', 'build', out, '--fallback-url', 'https://state.example.net/streams']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const files = tree(out);
    expect(files).toContain('index.html');
    expect(files).toContain('.nojekyll');
    expect(files).toContain('assets/dashboard.js');
    expect(files).toContain('assets/state-root.js');
    expect(files.every((file) => file === 'index.html' || file === '.nojekyll' || file.startsWith('assets/'))).toBe(true);
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    expect(html).toContain('<meta name="streamsuites-mode" content="static">');
    expect(html).toContain('<meta name="streamsuites-fallback-state-root" content="https://state.example.net/streams/">');
    expect(run.stdout).toContain(`Wrote the static dashboard to ${out} (${files.length} files):`);
    for (const file of files) expect(run.stdout).toContain(`  ${file}\n`);
    expect(run.stdout).toContain(`streamsuites publish-state --target ${out}`);
    expect(run.stdout).toContain('https://state.example.net/streams/');
    expect(run.stdout).toContain('http://127.0.0.1:8080/');
  });

  it('refuses a folder that is not empty without --force (exit 1), replaces it with --force', async () => {
    const out = join(tmp, 'occupied');
    mkdirSync(out);
    writeFileSync(join(out, 'notes.txt'), 'mine');
    const refused = await cli(['dashboard', 'build', out]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toContain('error SS_ERR_DASHBOARD_BUILD_NOT_EMPTY:');
    expect(refused.stderr).toContain('hint: ');
    expect(refused.stderr).toContain('--force');
    expect(tree(out)).toEqual(['notes.txt']);

    const forced = await cli(['dashboard', 'build', out, '--force']);
    expect(forced.code).toBe(0);
    expect(existsSync(join(out, 'notes.txt'))).toBe(false);
    expect(existsSync(join(out, 'index.html'))).toBe(true);
    expect(forced.stdout).toContain('(no --fallback-url)');
  });

  it('a bad --fallback-url is a coded error with a hint, exit 1, no stack trace, nothing written', async () => {
    const out = join(tmp, 'bad-url');
    for (const url of ['javascript:alert(1)', 'not a url', 'ftp://example.net/state/']) {
      const run = await cli(['dashboard', 'build', out, '--fallback-url', url]);
      expect(run.code, url).toBe(1);
      expect(run.stderr, url).toMatch(/^error SS_ERR_DASHBOARD_BUILD_INVALID: static dashboard build: the fallback state root ".*" .+\n  hint: .*absolute http\(s\) URL/);
      expect(run.stderr, url).not.toMatch(/\n\s+at /);
      expect(existsSync(out), url).toBe(false);
    }
  });

  it('the real bin: bad URL exits 1 with the code and no stack trace', async () => {
    const run = spawnCli(['dashboard', 'build', join(tmp, 'bin-bad'), '--fallback-url', 'javascript:alert(1)']);
    expect(await run.exited).toBe(1);
    expect(run.stderr()).toContain('error SS_ERR_DASHBOARD_BUILD_INVALID:');
    expect(run.stderr()).not.toMatch(/\n\s+at /);
    expect(existsSync(join(tmp, 'bin-bad'))).toBe(false);
  });

  it('usage errors exit 2: no <dir>, two dirs, an unknown option, --fallback-url without a value', async () => {
    for (const argv of [[], ['a', 'b'], ['a', '--nope'], ['a', '--fallback-url']]) {
      const run = await cli(['dashboard', 'build', ...argv]);
      expect(run.code, argv.join(' ')).toBe(2);
      expect(run.stderr, argv.join(' ')).toContain('error SS_ERR_CLI_USAGE: dashboard build: ');
    }
  });

  it('help: `dashboard build --help`, listed in --help and in `help dashboard`', async () => {
    const help = await cli(['dashboard', 'build', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: streamsuites dashboard build <dir>');
    expect(help.stdout).toContain('--fallback-url');
    expect((await cli(['--help'])).stdout).toContain('dashboard build <dir>');
    expect((await cli(['help', 'dashboard'])).stdout).toContain('streamsuites dashboard build <dir>');
  });
});
