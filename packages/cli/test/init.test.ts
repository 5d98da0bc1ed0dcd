import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { schemaProblems } from '@streamsuites/kernel';
import { spawnScript, Waiters } from '@streamsuites/kernel/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { main, type CliIO } from '../src/index.js';
import { linkWorkspacePackages } from './helpers.js';

const builtBin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const PLATFORMS = ['twitch', 'youtube', 'rumble', 'kick', 'x', 'discord'];

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A temp folder; `installed`: with node_modules/@streamsuites/* linked to this workspace's packages, as after `npm install`. */
function tempProject(installed = true): string {
  const dir = mkdtempSync(join(tmpdir(), 'streamsuites-init-'));
  made.push(dir);
  if (installed) linkWorkspacePackages(dir);
  return dir;
}

async function run(argv: string[], cwd: string, extra: Partial<CliIO> = {}) {
  let stdout = '';
  let stderr = '';
  const io: CliIO = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), env: {}, cwd, ...extra };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

/** The NAME=value lines of a .env file, in order. */
function envAssignments(text: string): [string, string][] {
  return text
    .split('\n')
    .filter((line) => /^[A-Za-z_][A-Za-z0-9_]*=/.test(line))
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]);
}

/** Every ${env:NAME} in the manifest text (read independently of init's own scan). */
function manifestEnvNames(text: string): string[] {
  return [...new Set([...text.matchAll(/\$\{env:([A-Za-z0-9_]+)\}/g)].map((m) => m[1]!))];
}

async function validateJson(dir: string, env: Record<string, string> = {}) {
  const result = await run(['validate', 'streamsuites.json', '--json'], dir, { env });
  return { code: result.code, report: JSON.parse(result.stdout) as { valid: boolean; issues: { code: string; path: string; message: string }[] } };
}

describe('streamsuites init', () => {
  it('init then validate, both the built bin as child processes, passes with no edits and no environment', async () => {
    const dir = tempProject();
    const init = spawnScript(builtBin, ['init'], { cwd: dir, env: { PATH: process.env.PATH ?? '' } });
    expect(await init.exited, init.stderr()).toBe(0);
    // No terminal (stdin is not one) and no flags: the defaults, said out loud.
    expect(init.stderr()).toContain('no terminal to ask on; taking the defaults for --platforms, --features, --creators');
    const written = readFileSync(join(dir, 'streamsuites.json'), 'utf8');
    expect(readdirSync(dir).sort()).toEqual(['.env.example', '.gitignore', 'node_modules', 'streamsuites.json']);
    const validate = spawnScript(builtBin, ['validate', 'streamsuites.json'], { cwd: dir, env: { PATH: process.env.PATH ?? '' } });
    expect(await validate.exited, validate.stderr()).toBe(0);
    expect(validate.stdout()).toMatch(/streamsuites\.json is valid \(1 creator\(s\), 4 plugin\(s\), 1 trigger\(s\)\)/);
    expect(readFileSync(join(dir, 'streamsuites.json'), 'utf8')).toBe(written);
    // The next commands, in order, ending with validate and run.
    const next = init.stdout().split('Next:\n')[1]!.trim().split('\n').map((l) => l.trim());
    expect(next.at(-2)).toBe('npx streamsuites validate streamsuites.json');
    expect(next.at(-1)).toBe('npx streamsuites run streamsuites.json');
    expect(next[0]).toMatch(/^npx streamsuites auth twitch /);
    expect(init.stdout()).toContain('channel names are the creator ids: check creators.<id>.config.twitch.channel and botLogin in streamsuites.json');
  });

  it('writes $schema pointing at the schema @streamsuites/config ships, a persistent store, and a .gitignore for .env and data', async () => {
    const dir = tempProject();
    expect((await run(['init', '--yes'], dir)).code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(dir, 'streamsuites.json'), 'utf8')) as Record<string, any>;
    expect(Object.keys(manifest)[0]).toBe('$schema');
    const schema = JSON.parse(readFileSync(join(dir, manifest.$schema as string), 'utf8')) as { title: string };
    expect(schema.title).toBe('streamsuites.json');
    expect(manifest.plugins['store-sqlite']).toEqual({ package: '@streamsuites/store-sqlite' });
    expect(manifest.creators.mychannel.config.twitch).toEqual({ channel: 'mychannel', botLogin: 'mychannel' });
    expect(readFileSync(join(dir, '.gitignore'), 'utf8').split('\n')).toEqual(expect.arrayContaining(['.env', '/data/']));
  });

  it.each(PLATFORMS)('--platforms %s: valid once the .env.example values are in the environment; without them only those variables are missing', async (platform) => {
    const dir = tempProject();
    const init = await run(['init', '--platforms', platform, '--features', 'none', '--creators', 'maya'], dir);
    expect(init.code, init.stderr).toBe(0);
    const env = Object.fromEntries(envAssignments(readFileSync(join(dir, '.env.example'), 'utf8')));
    const withEnv = await validateJson(dir, env);
    expect(withEnv.report.issues).toEqual([]);
    expect(withEnv.code).toBe(0);
    const without = await validateJson(dir);
    const missing = without.report.issues.filter((i) => i.code === 'SS_ERR_MANIFEST_ENV_MISSING').map((i) => i.message.match(/variable (\w+) is/)![1]);
    expect(new Set(missing)).toEqual(new Set(Object.keys(env)));
    expect(without.code).toBe(Object.keys(env).length === 0 ? 0 : 1);
  });

  it('every platform and feature for two creators: .env.example lists exactly the manifest\'s variables, each explained, and the manifest validates with them', async () => {
    const dir = tempProject();
    const init = await run(['init', '--platforms', PLATFORMS.join(','), '--features', 'clips,engagement,exports,chatlog', '--creators', 'maya,dan-2'], dir);
    expect(init.code, init.stderr).toBe(0);
    const manifestText = readFileSync(join(dir, 'streamsuites.json'), 'utf8');
    const exampleText = readFileSync(join(dir, '.env.example'), 'utf8');
    const assignments = envAssignments(exampleText);
    expect(assignments.map(([name]) => name).sort()).toEqual(manifestEnvNames(manifestText).sort());
    expect(assignments.map(([name]) => name)).toEqual(expect.arrayContaining(['KICK_CLIENT_SECRET', 'DISCORD_BOT_TOKEN', 'KICK_TOKEN_DAN_2', 'RUMBLE_API_URL_MAYA']));
    const lines = exampleText.split('\n');
    for (const [name] of assignments) expect(lines[lines.findIndex((l) => l.startsWith(`${name}=`)) - 1], name).toMatch(/^# \S/);
    expect(init.stdout).toContain(`${assignments.length} variable(s) to fill in`);
    expect(init.stdout).toContain('cp .env.example .env');
    const manifest = JSON.parse(manifestText) as Record<string, any>;
    expect(Object.keys(manifest.plugins).sort()).toEqual(['chatlog', 'clips', 'discord', 'engagement', 'exports', 'kick', 'rumble', 'store-sqlite', 'twitch', 'x', 'youtube']);
    expect(manifest.creators['dan-2'].config.twitch).toEqual({ channel: 'dan_2', botLogin: 'dan_2' });
    const { code, report } = await validateJson(dir, Object.fromEntries(assignments));
    expect(report.issues).toEqual([]);
    expect(code).toBe(0);
    // What an editor checks through "$schema": the schema file the manifest points at.
    const schema = JSON.parse(readFileSync(join(dir, manifest.$schema as string), 'utf8')) as Record<string, unknown>;
    expect(schemaProblems(schema, manifest)).toEqual([]);
  });

  it('refuses to replace streamsuites.json or .env.example without --force (writes nothing), adds to an existing .gitignore', async () => {
    const dir = tempProject(false);
    writeFileSync(join(dir, 'streamsuites.json'), '{ "keep": "me" }\n');
    writeFileSync(join(dir, '.gitignore'), 'node_modules');
    const refused = await run(['init', '--yes'], dir);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('error SS_ERR_CLI_INIT_EXISTS: init would replace');
    expect(refused.stderr).toContain('hint: Pass --force');
    expect(readFileSync(join(dir, 'streamsuites.json'), 'utf8')).toBe('{ "keep": "me" }\n');
    expect(existsSync(join(dir, '.env.example'))).toBe(false);
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toBe('node_modules');

    const forced = await run(['init', '--yes', '--force'], dir);
    expect(forced.code, forced.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'streamsuites.json'), 'utf8'))).toHaveProperty('creators.mychannel');
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toBe('node_modules\n.env\n/data/\n');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    // Nothing installed there: the next commands start with the install.
    expect(forced.stdout).toMatch(/\n {2}npm install @streamsuites\/config @streamsuites\/cli @streamsuites\/store-sqlite @streamsuites\/plugin-twitch /);
  });

  it('writes into [dir], creating it, and says to cd there', async () => {
    const cwd = tempProject(false);
    const result = await run(['init', 'my bot', '--yes'], cwd);
    expect(result.code, result.stderr).toBe(0);
    expect(existsSync(join(cwd, 'my bot', 'streamsuites.json'))).toBe(true);
    expect(result.stdout).toContain('  cd "my bot"\n');
  });

  it('on a terminal asks what the flags leave open, asking again after a wrong answer', async () => {
    const dir = tempProject();
    const stdin = Object.assign(new PassThrough(), { isTTY: true });
    let stdout = '';
    const waiters = new Waiters('init prompts');
    const io: CliIO = { stdout: (t) => void ((stdout += t), waiters.notify()), stderr: (t) => void (stdout += t), env: {}, cwd: dir, stdin };
    const done = main(['init', '--features', 'engagement'], io);
    await waiters.until(() => stdout.endsWith('Platforms (twitch, youtube, rumble, kick, x, discord) [twitch]: '));
    stdin.write('twitch, twich\n');
    await waiters.until(() => stdout.includes('unknown platform "twich"') && stdout.endsWith('[twitch]: '));
    stdin.write('twitch,youtube\n');
    await waiters.until(() => stdout.endsWith('Creators (comma-separated ids) [mychannel]: '));
    expect(stdout).not.toContain('Features'); // given by flag
    stdin.write('maya, sol\n');
    expect(await done, stdout).toBe(0);
    const manifest = JSON.parse(readFileSync(join(dir, 'streamsuites.json'), 'utf8')) as Record<string, any>;
    expect(Object.keys(manifest.creators)).toEqual(['maya', 'sol']);
    expect(manifest.creators.sol.enable).toEqual(['twitch', 'youtube', 'engagement']);
    expect(envAssignments(readFileSync(join(dir, '.env.example'), 'utf8')).map(([n]) => n)).toEqual(['YOUTUBE_CHANNEL_ID_MAYA', 'YOUTUBE_API_KEY', 'YOUTUBE_CHANNEL_ID_SOL']);
  });

  it('on a terminal, an empty answer takes the default; input ending early is a usage error', async () => {
    const dir = tempProject();
    const stdin = Object.assign(new PassThrough(), { isTTY: true });
    stdin.end('\n\n\n');
    const ok = await run(['init'], dir, { stdin });
    expect(ok.code, ok.stderr).toBe(0);
    expect(Object.keys(JSON.parse(readFileSync(join(dir, 'streamsuites.json'), 'utf8')).plugins)).toEqual(['store-sqlite', 'twitch', 'exports', 'chatlog']);

    const other = tempProject(false);
    const short = Object.assign(new PassThrough(), { isTTY: true });
    short.end('kick\n');
    const ended = await run(['init'], other, { stdin: short });
    expect(ended.code).toBe(2);
    expect(ended.stderr).toContain('the input ended before every question was answered');
    expect(existsSync(join(other, 'streamsuites.json'))).toBe(false);

    // Every choice given by flag: nothing to ask, even on a terminal (the input is never read).
    const flagged = tempProject(false);
    const unread = Object.assign(new PassThrough(), { isTTY: true });
    const quiet = await run(['init', '--platforms', 'twitch', '--features', 'none', '--creators', 'sol'], flagged, { stdin: unread });
    expect([quiet.code, quiet.stderr]).toEqual([0, '']);
    expect(quiet.stdout).not.toContain('[twitch]:');
    expect(unread.listenerCount('data')).toBe(0);
  });

  it('bad flags are usage errors (exit 2) and write nothing', async () => {
    const dir = tempProject(false);
    for (const [argv, message] of [
      [['--platforms', 'twitch,mixer'], 'unknown platform "mixer" (one of: twitch, youtube, rumble, kick, x, discord)'],
      [['--features', 'clip'], 'unknown feature "clip"'],
      [['--creators', 'Maya'], '"Maya" is not a creator id'],
      [['--creators', 'a'], 'creator id "a" does not make a Twitch login'],
      [['--platforms', 'none'], 'name at least one platform'],
    ] as const) {
      const result = await run(['init', ...argv], dir);
      expect(result.code, argv.join(' ')).toBe(2);
      expect(result.stderr).toContain(message);
    }
    expect(readdirSync(dir)).toEqual([]);
    const help = await run(['help', 'init'], dir);
    expect([help.code, help.stdout.split('\n')[0]]).toEqual([0, 'Usage: streamsuites init [dir] [--platforms <list>] [--features <list>] [--creators <list>] [--yes] [--force]']);
  });
});
