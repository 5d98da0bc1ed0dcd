import { describe, expect, it } from 'vitest';
import { cli } from './helpers.js';

/** The problem lines of `validate` output, each with the hint printed under it (or undefined). */
function problems(stderr: string): { line: string; hint: string | undefined }[] {
  const lines = stderr.split('\n');
  return lines.flatMap((line, i) =>
    line.startsWith('  /') ? [{ line: line.trim(), hint: lines[i + 1]?.match(/^ {6}hint: (.+)$/)?.[1] }] : [],
  );
}

describe('streamsuites validate: did-you-mean, no follow-on errors, a hint for each problem', () => {
  it('a misspelt package: one problem suggesting @streamsuites/plugin-twitch, and no "pnpm add" of the misspelt name', async () => {
    const { code, stdout, stderr } = await cli(['validate', 'typo-package.json']);
    expect(code).toBe(1);
    expect(stderr).toContain('1 problem(s)');
    expect(problems(stderr)).toEqual([
      {
        line: expect.stringMatching(/^\/plugins\/twitch\/package \(line 4, column 17\): plugin package "@streamsuites\/plugin-twich" not installed .*\[SS_ERR_PLUGIN_NOT_INSTALLED\]$/),
        hint: 'Check the spelling. Did you mean "@streamsuites/plugin-twitch"?',
      },
    ]);
    expect(stdout + stderr).not.toContain('pnpm add');

    const json = await cli(['validate', '--json', 'typo-package.json']);
    const result = JSON.parse(json.stdout) as { issues: { code: string; hint?: string }[] };
    expect(result.issues).toHaveLength(1);
    expect(result.issues[0]!.hint).toContain('Did you mean "@streamsuites/plugin-twitch"?');
    expect(json.stdout + json.stderr).not.toContain('pnpm add @streamsuites/plugin-twich');
  });

  it('a misspelt enable entry "twtich": one problem, did you mean "twitch"', async () => {
    const { code, stderr } = await cli(['validate', 'typo-enable.json']);
    expect(code).toBe(1);
    expect(problems(stderr)).toEqual([
      {
        line: '/creators/daniel/enable/0 (line 7, column 28): plugin "twtich" is not declared in "plugins" [SS_ERR_MANIFEST_UNKNOWN_PLUGIN]',
        hint: 'Check the id. Did you mean "twitch"?',
      },
    ]);
  });

  it('a missing env var: one problem with a hint, not also the pattern error of the empty token', async () => {
    const { code, stderr } = await cli(['validate', 'missing-env.json']);
    expect(code).toBe(1);
    expect(problems(stderr)).toEqual([
      {
        line: '/creators/daniel/config/twitch/token (line 9, column 52): environment variable SS_TEST_UNSET_TWITCH_TOKEN is not set [SS_ERR_MANIFEST_ENV_MISSING]',
        hint: 'Set SS_TEST_UNSET_TWITCH_TOKEN in the environment of the process.',
      },
    ]);
    // Set, the same manifest is valid: the fixture has no other mistake.
    expect((await cli(['validate', 'missing-env.json'], { SS_TEST_UNSET_TWITCH_TOKEN: 'oauth:abcdefghij0123456789' })).code).toBe(0);
  });

  it('trigger and action problems (found by compiling the triggers) each get a concrete hint', async () => {
    const { code, stderr } = await cli(['validate', 'trigger-mistakes.json']);
    expect(code).toBe(1);
    const found = problems(stderr).map(({ line, hint }) => [line.replace(/ \(line \d+, column \d+\)/, '').replace(/:.*\[/, ' ['), hint]);
    expect(found).toEqual([
      ['/creators/daniel/triggers/0/type [SS_ERR_TRIGGER_TYPE_UNKNOWN]', 'Check the spelling. Did you mean "command"?'],
      [
        '/creators/daniel/triggers/1/actions/0/type [SS_ERR_ACTION_UNKNOWN]',
        '"clip.create" is added by the plugin "clips", which is not loaded: add "clips": { "package": "@streamsuites/plugin-clips" } to "plugins" and "clips" to this creator\'s "enable".',
      ],
      ['/creators/daniel/triggers/2/params/command [SS_ERR_TRIGGER_INVALID]', expect.stringMatching(/^params\.command should be a string of 1-100 characters matching .* The "command" trigger type is described in the "Chat triggers and actions" section of the @streamsuites\/defaults README\.$/)],
      ['/creators/daniel/triggers/2/params/alises [SS_ERR_TRIGGER_INVALID]', expect.stringContaining('Did you mean "aliases"? The "command" trigger type takes command, aliases')],
      ['/creators/daniel/triggers/2/cooldown/user [SS_ERR_TRIGGER_INVALID]', expect.stringContaining('Write cooldown.user as a number and a unit')],
      ['/creators/daniel/triggers/2/actions/0/params [SS_ERR_ACTION_PARAMS_INVALID]', expect.stringMatching(/^Add params\.text \(a string of 1-2000 characters\)\. The "chat\.reply" action type is described in/)],
      ['/creators/daniel/triggers/3/params [SS_ERR_TRIGGER_REGEX_UNSUPPORTED]', expect.stringContaining('cannot refer back to what a group matched')],
      ['/creators/daniel/triggers/3/actions/0/type [SS_ERR_ACTION_UNKNOWN]', expect.stringContaining('"package": "@streamsuites/plugin-engagement"')],
      ['/creators/daniel/triggers/4/params [SS_ERR_TRIGGER_INVALID]', 'Give params.keywords at least one keyword with a character other than spaces.'],
      ['/creators/daniel/triggers/4/actions/0/type [SS_ERR_ACTION_UNKNOWN]', 'Check the spelling. Did you mean "chat.reply"?'],
      ['/creators/daniel/triggers/6 [SS_ERR_TRIGGER_DUPLICATE_ID]', 'Give each trigger a unique "id", or remove the duplicate.'],
    ]);
    expect(stderr).not.toContain('pnpm add');
  });

  it('every problem of the fixtures is printed with a hint, and the fixtures reach every trigger and action problem', async () => {
    const codes = new Set<string>();
    for (const file of ['five-mistakes.json', 'bad-triggers.json', 'trigger-mistakes.json', 'typo-package.json', 'typo-enable.json', 'missing-env.json']) {
      const found = problems((await cli(['validate', file])).stderr);
      expect(found.length, file).toBeGreaterThan(0);
      for (const problem of found) {
        expect(problem.hint, `${file}: ${problem.line}`).toMatch(/\S/);
        codes.add(problem.line.match(/\[(SS_ERR_[A-Z_]+)\]$/)![1]!);
      }
    }
    expect([...codes].filter((code) => /^SS_ERR_(TRIGGER|ACTION)_/.test(code)).sort()).toEqual([
      'SS_ERR_ACTION_PARAMS_INVALID',
      'SS_ERR_ACTION_UNKNOWN',
      'SS_ERR_TRIGGER_DUPLICATE_ID',
      'SS_ERR_TRIGGER_INVALID',
      'SS_ERR_TRIGGER_REGEX_UNSUPPORTED',
      'SS_ERR_TRIGGER_TYPE_UNKNOWN',
    ]);
  });
});
