import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, spawnCli } from './helpers.js';

describe('streamsuites validate', () => {
  it('prints all 5 mistakes with their JSON paths and codes, and exits 1 (real bin)', async () => {
    const run = spawnCli(['validate', 'five-mistakes.json']);
    expect(await run.exited).toBe(1);
    const lines = run.stderr().split('\n').filter((l) => l.startsWith('  /'));
    expect(lines).toEqual([
      '  /colour (line 3, column 3): no loaded plugin reads the manifest section "colour" [SS_ERR_MANIFEST_SECTION_UNCLAIMED]',
      '  /plugins/hello/config/intervalMs (line 5, column 64): must be integer [SS_ERR_CONFIG_INVALID]',
      '  /creators/daniel/enable/1 (line 8, column 37): plugin "twitch" is not declared in "plugins" [SS_ERR_MANIFEST_UNKNOWN_PLUGIN]',
      '  /creators/daniel/config/hello/token (line 8, column 92): environment variable SS_TEST_UNSET_TOKEN is not set [SS_ERR_MANIFEST_ENV_MISSING]',
      '  /creators/Maya! (line 9, column 5): invalid creator id "Maya!" [SS_ERR_CREATOR_ID_INVALID]',
    ]);
    expect(run.stderr()).toContain('5 problem(s)');
    expect(run.stderr()).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('exits 0 on a valid manifest and says what it found', async () => {
    const { code, stdout } = await cli(['validate', 'valid.json'], { HELLO_TOKEN: 'oauth:abc123456' });
    expect(code).toBe(0);
    expect(stdout).toMatch(/✓ .*valid\.json is valid \(2 creator\(s\), 1 plugin\(s\), 0 trigger\(s\)\)/);
  });

  it('reports quota, trigger and plugin problems in one run, in file order, with positions', async () => {
    const { code, stderr } = await cli(['validate', 'bad-triggers.json']);
    expect(code).toBe(1);
    const lines = stderr.split('\n').filter((l) => l.startsWith('  /'));
    // Before, the loader's quota problems hid the triggers' until they were fixed (issue 14).
    expect(lines).toEqual([
      expect.stringMatching(/^  \/creators\/daniel\/enable\/1 \(line 5, column \d+\): plugin "ghost" is not declared.* \[SS_ERR_MANIFEST_UNKNOWN_PLUGIN\]$/),
      expect.stringMatching(/^  \/creators\/daniel\/quotas\/youtube\/buffer \(line 7, column \d+\): .*\[SS_ERR_QUOTA_POLICY_INVALID\]$/),
      expect.stringMatching(/^  \/creators\/daniel\/quotas\/youtube\/timeZone \(line 7, column \d+\): .*\[SS_ERR_QUOTA_POLICY_INVALID\]$/),
      expect.stringMatching(/^  \/creators\/daniel\/triggers\/1\/params \(line \d+, column \d+\): .*backreference \\1 at position 6.* \[SS_ERR_TRIGGER_REGEX_UNSUPPORTED\]$/),
      expect.stringMatching(/^  \/creators\/daniel\/triggers\/2\/actions\/0\/type \(line \d+, column \d+\): unknown action type "clip.create".* \[SS_ERR_ACTION_UNKNOWN\]$/),
    ]);
    expect(stderr).toContain('5 problem(s)');
  });

  it('--json prints machine-readable issues', async () => {
    const { code, stdout } = await cli(['validate', '--json', 'five-mistakes.json']);
    expect(code).toBe(1);
    const result = JSON.parse(stdout) as { valid: boolean; issues: { code: string; path: string }[] };
    expect(result.valid).toBe(false);
    expect(result.issues).toHaveLength(5);
  });

  it('a file that is not JSON: one coded error with line and column, exit 1', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ss-cli-'));
    try {
      await writeFile(join(dir, 'broken.json'), '{\n  "creators": {\n    "a": { "enable": ["x"] \n  }\n');
      const { code, stderr } = await cli(['validate', join(dir, 'broken.json')]);
      expect(code).toBe(1);
      expect(stderr).toMatch(/^error SS_ERR_MANIFEST_PARSE: .*broken\.json:5:1: not valid JSON: expected "}"/);
      expect(stderr).toContain('hint:');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a missing file is SS_ERR_MANIFEST_NOT_FOUND, exit 1', async () => {
    const { code, stderr } = await cli(['validate', 'nope.json']);
    expect(code).toBe(1);
    expect(stderr).toContain('error SS_ERR_MANIFEST_NOT_FOUND');
  });
});
