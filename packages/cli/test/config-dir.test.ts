import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { mainHelp } from '../src/index.js';
import { cli } from './helpers.js';

const SAMPLES = fileURLToPath(new URL('../../config/samples/', import.meta.url));
const PACKAGE = fileURLToPath(new URL('../', import.meta.url));
const TOKEN = { TWITCH_OAUTH_TOKEN_DANIEL: 'abcdefghijklmnopqrstuvwxyz012345' };
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((f) => f()));

/** A sample folder as `<root>/shared/config`, the root inside this package (git-ignored .tmp-*) so its plugins resolve. */
export function sampleCopy(name: string): { dir: string; root: string } {
  const root = mkdtempSync(join(PACKAGE, '.tmp-config-'));
  cleanups.push(() => rmSync(root, { recursive: true, force: true }));
  const dir = join(root, 'shared', 'config');
  cpSync(join(SAMPLES, name, 'shared', 'config'), dir, { recursive: true });
  return { dir, root };
}

describe('--config-dir', () => {
  it('is documented in the help of run, validate and replay, and import is a command', async () => {
    for (const command of ['run', 'validate', 'replay']) expect((await cli([command, '--help'])).stdout, command).toContain('--config-dir <dir>');
    expect(mainHelp).toContain('import <dir>');
  });

  it('is exclusive with the positional manifest, and one of them is required (usage errors, exit 2)', async () => {
    for (const command of ['run', 'validate']) {
      const both = await cli([command, 'streamsuites.json', '--config-dir', SAMPLES]);
      expect(both.code).toBe(2);
      expect(both.stderr).toContain(`error SS_ERR_CLI_USAGE: ${command}: give either a manifest or --config-dir <dir>, not both`);
      const none = await cli([command]);
      expect(none.code).toBe(2);
      expect(none.stderr).toContain(`${command}: missing <manifest> (or --config-dir <dir>)`);
    }
    const replay = await cli(['replay', 'logs', '--manifest', 'a.json', '--config-dir', SAMPLES]);
    expect(replay.code).toBe(2);
    expect(replay.stderr).toContain('replay: give either a manifest or --config-dir <dir>, not both');
    expect((await cli(['replay', 'logs'])).stderr).toContain('replay: --manifest <file> is required (or --config-dir <dir>)');
  });

  it('validate --config-dir: a valid folder', async () => {
    const { dir } = sampleCopy('minimal');
    const result = await cli(['validate', '--config-dir', dir], TOKEN);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(`✓ ${dir} is valid (1 creator(s), 3 plugin(s), 0 trigger(s))\n`);
    expect(result.code).toBe(0);
  });

  it("validate --config-dir: every problem of the folder and of the plugins, at file:line:column in the folder's files", async () => {
    const dir = join(SAMPLES, 'broken', 'unknown-keys');
    const result = await cli(['validate', '--config-dir', dir]);
    expect(result.code).toBe(1);
    const lines = result.stderr.split('\n').filter((l) => l.startsWith('  ') && !l.startsWith('      '));
    expect(lines).toEqual([
      `  ${join(dir, 'creators.json')}:7:7 /creators/0/dispaly_name: unknown key "dispaly_name" [SS_ERR_CONFIG_UNKNOWN_KEY]`,
      // plugin-twitch's own schema, at the key in creators.json.
      `  ${join(dir, 'creators.json')}:9:82 /creators/0/platforms/twitch/chanel_points: unknown key "chanel_points" [SS_ERR_MANIFEST_UNKNOWN_KEY]`,
      `  ${join(dir, 'system.json')}:4:15 /system/log_levle: unknown key "log_levle" [SS_ERR_CONFIG_UNKNOWN_KEY]`,
      `  ${join(dir, 'system.json')}:5:3 /clip: unknown key "clip" [SS_ERR_CONFIG_UNKNOWN_KEY]`,
    ]);
    expect(result.stderr).toContain('hint: Remove the key or check its spelling. Did you mean "display_name"?');
  });

  it('validate --config-dir --json: issues with file and filePath; unknown files as warnings that do not fail it', async () => {
    const { dir } = sampleCopy('minimal');
    cpSync(join(SAMPLES, 'broken', 'extra-files', 'tier.json'), join(dir, 'tier.json'));
    const result = await cli(['validate', '--config-dir', dir, '--json'], TOKEN);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ manifest: dir, valid: true, issues: [] });
    expect(report.warnings).toEqual([expect.objectContaining({ code: 'SS_ERR_CONFIG_FILE_UNKNOWN', file: join(dir, 'tier.json'), hint: expect.stringContaining('Did you mean "tiers.json"?') })]);
    const missing = await cli(['validate', '--config-dir', dir, '--json']);
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stdout).issues).toEqual([
      expect.objectContaining({ code: 'SS_ERR_MANIFEST_ENV_MISSING', path: '/creators/daniel/config/twitch/token', file: join(dir, 'creators.json'), filePath: '/creators/0/platforms/twitch/token', position: { line: 9, column: 92 } }),
    ]);
  });

  it('--config-dir of something that is not a folder: one coded error, for every command', async () => {
    for (const path of [join(SAMPLES, 'nope'), join(SAMPLES, 'minimal', 'shared', 'config', 'creators.json')]) {
      for (const argv of [['validate'], ['run'], ['replay', SAMPLES]]) {
        const result = await cli([...argv, '--config-dir', path]);
        expect(result.code, argv[0]).toBe(1);
        expect(result.stderr, argv[0]).toBe(`error SS_ERR_CONFIG_DIR_NOT_FOUND: cannot read the configuration folder ${path}: not a folder\n  hint: Pass the folder that holds creators.json (a reference-style shared/config folder).\n`);
      }
    }
  });

  it('a manifest that includes a folder validates with the folder in it, its own values winning', async () => {
    const { dir, root } = sampleCopy('minimal');
    const manifest = join(root, 'streamsuites.json');
    writeFileSync(manifest, JSON.stringify({ include: ['./shared/config'], creators: { daniel: { displayName: 'Daniel (live)' } } }));
    const result = await cli(['validate', manifest], TOKEN);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(`✓ ${manifest} is valid (1 creator(s), 3 plugin(s), 0 trigger(s))\n`);
    writeFileSync(join(dir, 'system.json'), '{ "version": 1, "system": { "log_level": "loud" } }');
    const bad = await cli(['validate', manifest], TOKEN);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(`${join(dir, 'system.json')}:1:`);
  });

  it('run --config-dir boots the folder, runs its creators and stops cleanly', async () => {
    const { dir, root } = sampleCopy('minimal');
    // No platform: nothing connects outside; the exports plugin writes the creator's snapshot.
    writeFileSync(join(dir, 'creators.json'), JSON.stringify({ version: 1, creators: [{ creator_id: 'daniel', services: { exports: { enabled: true } } }] }));
    const result = await cli(['run', '--config-dir', dir, '--duration', '0.5', '--log-level', 'silent']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const snapshot = JSON.parse(readFileSync(join(root, 'data', 'state', 'shared', 'state', 'runtime_snapshot.json'), 'utf8'));
    expect(snapshot.creators.map((c: { id: string }) => c.id)).toEqual(['daniel']);
  });
});
