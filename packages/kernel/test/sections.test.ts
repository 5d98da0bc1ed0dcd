import { describe, expect, it } from 'vitest';
import { createKernel, defineManifestSection, inspectManifest, pointer, Type, type ManifestIssue } from '../src/index.js';
import { startTestKernel } from '../src/testing.js';
import { sectionPlugin } from './helpers/plugins.js';

/*
 * Manifest sections: keys beside the kernel's own that a plugin claims
 * (manifestSectionsExtensionPoint), at the top level or under each creator.
 * Here with tiny local plugins; the default plugins' sections (triggers,
 * quotas, dryRun) are tested in packages/defaults.
 */

const mood = defineManifestSection({
  key: 'mood',
  scope: 'creator',
  schema: Type.Object({ level: Type.Integer({ minimum: 0, maximum: 10 }), label: Type.String({ default: 'calm' }) }, { additionalProperties: false }),
  // What the schema cannot say.
  check: (value, path): ManifestIssue[] =>
    value.label === 'angry' && value.level < 5
      ? [{ code: 'SS_ERR_TEST_MOOD', path: pointer([...path, 'label']), message: 'angry needs level 5 or more', hint: 'Raise the level.' }]
      : [],
});
const banner = defineManifestSection({ key: 'banner', scope: 'manifest', schema: Type.String({ minLength: 1 }) });
const moods = sectionPlugin('moods', mood, banner);

const codes = (issues: ManifestIssue[]) => issues.map((i) => [i.code, i.path]);

describe('manifest sections', () => {
  it('a claimed section is validated (defaults applied) and read back with the section\'s read()', async () => {
    const result = await inspectManifest({ banner: 'hello', creators: { alice: { enable: [], mood: { level: 3 } } } }, { plugins: [moods] });
    expect(result.issues).toEqual([]);
    expect(banner.read(result.manifest!)).toBe('hello');
    expect(mood.read(result.manifest!.creators.alice!)).toEqual({ level: 3, label: 'calm' });
    expect(result.manifest!.creators.alice!.sections).toEqual({ mood: { level: 3, label: 'calm' } });
  });

  it('a claimed section\'s schema and check problems are manifest problems at their paths, naming the plugin that reads it', async () => {
    const result = await inspectManifest(
      { banner: '', creators: { alice: { enable: [], mood: { level: 11, colour: 'red' } }, bob: { enable: [], mood: { level: 1, label: 'angry' } } } },
      { plugins: [moods] },
    );
    expect(codes(result.issues)).toEqual([
      ['SS_ERR_MANIFEST_SCHEMA', '/banner'],
      ['SS_ERR_MANIFEST_UNKNOWN_KEY', '/creators/alice/mood/colour'],
      ['SS_ERR_MANIFEST_SCHEMA', '/creators/alice/mood/level'],
      ['SS_ERR_TEST_MOOD', '/creators/bob/mood/label'],
    ]);
    expect(result.issues[0]!.hint).toBe('banner should be a non-empty string. See the README of the plugin that reads "banner" ("moods").');
  });

  it('an unclaimed creator section and an unclaimed top-level key are SS_ERR_MANIFEST_SECTION_UNCLAIMED at their paths', async () => {
    const result = await inspectManifest({ colour: 'blue', creators: { alice: { enable: [], weather: { sunny: true } } } }, { plugins: [moods] });
    expect(result.issues).toEqual([
      {
        code: 'SS_ERR_MANIFEST_SECTION_UNCLAIMED',
        path: '/colour',
        message: 'no loaded plugin reads the manifest section "colour"',
        hint: 'Remove "colour", or declare the plugin that adds this section in "plugins".',
      },
      {
        code: 'SS_ERR_MANIFEST_SECTION_UNCLAIMED',
        path: '/creators/alice/weather',
        message: 'no loaded plugin reads the creator section "weather"',
        hint: 'Remove "weather", or declare the plugin that adds this section in "plugins".',
      },
    ]);
    // Without the plugin, its own sections are unclaimed too.
    const alone = await inspectManifest({ banner: 'x', creators: { alice: { enable: [], mood: { level: 1 } } } });
    expect(codes(alone.issues)).toEqual([
      ['SS_ERR_MANIFEST_SECTION_UNCLAIMED', '/banner'],
      ['SS_ERR_MANIFEST_SECTION_UNCLAIMED', '/creators/alice/mood'],
    ]);
  });

  it('a near miss of a kernel key or a claimed section is SS_ERR_MANIFEST_UNKNOWN_KEY with a did-you-mean', async () => {
    const result = await inspectManifest({ timeout: { initMs: 5 }, baner: 'x', creators: { alice: { enable: [], moood: {}, enabel: [] } } }, { plugins: [moods] });
    expect(result.issues.map((i) => [i.code, i.path, i.hint])).toEqual([
      ['SS_ERR_MANIFEST_UNKNOWN_KEY', '/timeout', 'Check the key. Did you mean "timeouts"?'],
      ['SS_ERR_MANIFEST_UNKNOWN_KEY', '/baner', 'Check the key. Did you mean "banner"?'],
      ['SS_ERR_MANIFEST_UNKNOWN_KEY', '/creators/alice/moood', 'Check the key. Did you mean "mood"?'],
      ['SS_ERR_MANIFEST_UNKNOWN_KEY', '/creators/alice/enabel', 'Check the key. Did you mean "enable"?'],
    ]);
  });

  it('two plugins claiming one section is SS_ERR_MANIFEST_SECTION_DUPLICATE naming both; the same key at the other level is not', async () => {
    const again = sectionPlugin('moods-too', defineManifestSection({ key: 'mood', scope: 'creator', schema: Type.Unknown() }));
    const topLevel = sectionPlugin('top-mood', defineManifestSection({ key: 'mood', scope: 'manifest', schema: Type.Unknown() }));
    const result = await inspectManifest({ creators: {} }, { plugins: [moods, again, topLevel] });
    expect(result.issues).toEqual([
      {
        code: 'SS_ERR_MANIFEST_SECTION_DUPLICATE',
        path: '/plugins',
        message: 'plugins "moods" and "moods-too" both read the creator section "mood"',
        hint: 'Declare only one of them: each manifest section has one owner.',
      },
    ]);
    await expect(createKernel({ manifest: { creators: {} }, plugins: [moods, again], logLevel: 'silent' })).rejects.toMatchObject({
      code: 'SS_ERR_MANIFEST_INVALID',
      details: { issues: [{ code: 'SS_ERR_MANIFEST_SECTION_DUPLICATE' }] },
    });
  });

  it('a section check that throws is a manifest problem of its plugin, not a crash of the loader', async () => {
    const broken = defineManifestSection({
      key: 'broken',
      scope: 'creator',
      schema: Type.Object({}),
      check: () => {
        throw new Error('boom in check');
      },
    });
    // Broken on purpose once (the check called without the try): inspectManifest rejected with "boom in check".
    const result = await inspectManifest({ creators: { alice: { enable: [], broken: {} } } }, { plugins: [sectionPlugin('breaker', broken)] });
    expect(result.issues).toMatchObject([
      { code: 'SS_ERR_MANIFEST_SCHEMA', path: '/creators/alice/broken', message: expect.stringContaining('plugin "breaker") failed: boom in check'), hint: expect.stringContaining('A bug in plugin "breaker"') },
    ]);
  });

  it('addCreator checks sections like the manifest', async () => {
    const t = await startTestKernel({ plugins: [moods] });
    const error = await t.kernel.addCreator('carol', { enable: [], mood: { level: 99 }, weather: 1 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SS_ERR_MANIFEST_INVALID' });
    expect(codes((error as { details: { issues: ManifestIssue[] } }).details.issues)).toEqual([
      ['SS_ERR_MANIFEST_SCHEMA', '/creators/carol/mood/level'],
      ['SS_ERR_MANIFEST_SECTION_UNCLAIMED', '/creators/carol/weather'],
    ]);
    await t.kernel.addCreator('carol', { enable: [], mood: { level: 7, label: 'angry' } });
    expect(mood.read(t.kernel.creator('carol')!)).toEqual({ level: 7, label: 'angry' });
  });
});
