import { withDefaults } from '@streamsuites/defaults';
import { inspectManifest, type ResolvedManifest } from '@streamsuites/kernel';
import { describe, expect, it } from 'vitest';
import { configDirReader, importConfigDir } from '../src/index.js';
import { DEMO_CONFIG, DEMO_DIR, FULL_CONFIG, sample } from './helpers.js';

function withoutSource(manifest: ResolvedManifest | undefined) {
  expect(manifest).toBeDefined();
  const { source: _source, ...rest } = manifest!;
  return rest;
}

describe('importConfigDir', () => {
  it('round-trips the demo sample: the manifest resolves exactly as the folder does', async () => {
    const { manifest, unmapped, issues } = await importConfigDir(DEMO_CONFIG, { baseDir: DEMO_DIR, outDir: DEMO_DIR });
    expect(issues).toEqual([]);
    expect(unmapped).toEqual([]);
    expect(manifest.$schema).toBe('../../packages/config/schemas/manifest.schema.json');
    expect(Object.keys(manifest)[0]).toBe('$schema');
    // Plain JSON: what is written is what is read back.
    expect(JSON.parse(JSON.stringify(manifest))).toEqual(manifest);
    const fromManifest = await inspectManifest(manifest, withDefaults({ baseDir: DEMO_DIR, env: {} }));
    const fromFolder = await inspectManifest(DEMO_CONFIG, withDefaults({ readers: [configDirReader({ baseDir: DEMO_DIR })], env: {} }));
    expect(fromManifest.issues).toEqual([]);
    expect(fromFolder.issues).toEqual([]);
    expect(withoutSource(fromManifest.manifest)).toEqual(withoutSource(fromFolder.manifest));
  });

  it('rebases dataDir onto the folder the manifest is written to, and keeps ${env:...} as written', async () => {
    const { manifest } = await importConfigDir(FULL_CONFIG, { outDir: sample('full', 'out') });
    expect(manifest.dataDir).toBe('../data');
    expect((manifest.creators as any).daniel.config.twitch.token).toBe('${env:TWITCH_OAUTH_TOKEN_DANIEL}');
    expect(manifest.$schema).toBe('../../../schemas/manifest.schema.json');
  });

  it('lists every setting that did not map, with its file, path and the reason', async () => {
    const { unmapped } = await importConfigDir(FULL_CONFIG);
    expect(unmapped).toEqual([
      { file: 'logging.json', path: '/pretty', reason: expect.stringContaining('pretty on a terminal') },
      { file: 'platforms.json', path: '/platforms/kick', reason: '"kick" is disabled: no plugin is loaded for it' },
      { file: 'creators.json', path: '/creators/2', reason: 'creator "archived_show" is disabled: left out of the manifest' },
      { file: 'ratelimits.json', path: '/platforms/twitch/messages_per_30s', reason: expect.stringContaining('not configurable') },
    ]);
  });
});
