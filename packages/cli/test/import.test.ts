import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { cli } from './helpers.js';

const SAMPLES = fileURLToPath(new URL('../../config/samples/', import.meta.url));
const PACKAGE = fileURLToPath(new URL('../', import.meta.url));
const TOKEN = { TWITCH_OAUTH_TOKEN_DANIEL: 'abcdefghijklmnopqrstuvwxyz012345' };
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((f) => f()));

/** A sample folder as `<root>/shared/config`, the root inside this package (git-ignored .tmp-*) so its plugins resolve. */
function sampleCopy(from: string): { dir: string; root: string } {
  const root = mkdtempSync(join(PACKAGE, '.tmp-import-'));
  cleanups.push(() => rmSync(root, { recursive: true, force: true }));
  const dir = join(root, 'shared', 'config');
  cpSync(from, dir, { recursive: true });
  return { dir, root };
}

describe('streamsuites import', () => {
  it('writes the equivalent manifest, which validates and names its schema; refuses to replace it without --force', async () => {
    const { dir, root } = sampleCopy(join(SAMPLES, 'minimal', 'shared', 'config'));
    const out = join(root, 'streamsuites.json');
    const first = await cli(['import', dir, '--out', out]);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('(1 creator(s), 3 plugin(s))');
    expect(first.stdout).toContain('every setting mapped');
    const manifest = JSON.parse(readFileSync(out, 'utf8'));
    expect(manifest.$schema).toBe('../../config/schemas/manifest.schema.json');
    expect(existsSync(join(root, manifest.$schema))).toBe(true);
    expect(manifest.dataDir).toBe('./data');
    expect(manifest.creators.daniel.config.twitch.token).toBe('${env:TWITCH_OAUTH_TOKEN_DANIEL}');
    // Only the manifest: no temp file left beside it.
    expect(readdirSync(root).sort()).toEqual(['shared', 'streamsuites.json']);
    const valid = await cli(['validate', out], TOKEN);
    expect(valid.stderr).toBe('');
    expect(valid.code).toBe(0);

    writeFileSync(out, '{"kept": true}');
    const again = await cli(['import', dir, '--out', out]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`error SS_ERR_CLI_OUTPUT_EXISTS: ${out} exists`);
    expect(readFileSync(out, 'utf8')).toBe('{"kept": true}');
    const forced = await cli(['import', dir, '--out', out, '--force']);
    expect(forced.code).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(manifest);
  });

  it('lists what did not map (--json too)', async () => {
    const { dir, root } = sampleCopy(join(SAMPLES, 'full', 'shared', 'config'));
    const text = await cli(['import', dir, '--out', join(root, 'a.json')]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('not mapped (4):\n    logging.json /pretty: ');
    expect(text.stdout).toContain('    creators.json /creators/2: creator "archived_show" is disabled: left out of the manifest\n');
    const json = await cli(['import', dir, '--out', join(root, 'b.json'), '--json']);
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout);
    expect(report).toMatchObject({ dir, out: join(root, 'b.json'), written: true, issues: [], warnings: [] });
    expect(report.unmapped.map((u: { file: string; path: string }) => `${u.file} ${u.path}`)).toEqual([
      'logging.json /pretty',
      'platforms.json /platforms/kick',
      'creators.json /creators/2',
      'ratelimits.json /platforms/twitch/messages_per_30s',
    ]);
  });

  it('a folder with problems: every one listed with file:line:column, nothing written', async () => {
    const { dir, root } = sampleCopy(join(SAMPLES, 'broken', 'unknown-tier-platform'));
    const out = join(root, 'streamsuites.json');
    const result = await cli(['import', dir, '--out', out]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`✗ ${dir}: 5 problem(s); nothing written`);
    expect(result.stderr).toContain('shared/config/creators.json:7:7 /creators/0/tier: creator "daniel" is on tier "gold", which tiers.json does not define [SS_ERR_CONFIG_UNKNOWN_TIER]');
    expect(existsSync(out)).toBe(false);
    expect((await cli(['import'])).code).toBe(2);
  });
});
