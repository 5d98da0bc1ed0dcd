import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { actionTypesExtensionPoint, definePlugin, inspectManifest, stateStoreRef, triggerTypesExtensionPoint, Type, type ManifestIssue } from '@streamsuites/kernel';
import { loaderCase, walkHints, type HintCase } from '../../kernel/test/helpers/hint-walk.js';
import { withDefaults } from '../src/index.js';
import { MapStateStore } from './helpers/chat.js';
import { pluginPackage, tempTree } from '../../kernel/test/helpers/tmp.js';

/*
 * Manifest problems as a host with the default plugins and the official
 * catalog (`withDefaults`, what the CLI runs) reports them. The kernel's own
 * tests check the same machinery with a small catalog and local plugins.
 */

async function inspectFile(files: Record<string, string>, manifest: unknown) {
  const dir = await tempTree({ ...files, 'streamsuites.json': JSON.stringify(manifest, null, 2) });
  return inspectManifest(join(dir, 'streamsuites.json'), withDefaults({ env: {} }));
}

const summary = (issues: ManifestIssue[]) => issues.map((i) => [i.code, i.path]);

describe('hints naming official packages (the official catalog withDefaults passes)', () => {
  it('a misspelt package is one error suggesting the official name, never "pnpm add" of the misspelt one', async () => {
    const result = await inspectFile(pluginPackage('@fixture/plugin-hello', 'hello'), {
      plugins: { twitch: { package: '@streamsuites/plugin-twich' }, hello: { package: '@fixture/plugin-hello' } },
      creators: { daniel: { enable: ['hello', 'twitch'], config: { hello: { channel: 'daniel' }, twitch: { channel: 'daniel' } } } },
    });
    expect(summary(result.issues)).toEqual([['SS_ERR_PLUGIN_NOT_INSTALLED', '/plugins/twitch/package']]);
    expect(result.issues[0]!.hint).toBe('Check the spelling. Did you mean "@streamsuites/plugin-twitch"?');
    expect(JSON.stringify(result.issues)).not.toContain('pnpm add');
  });

  it('an official package that is not installed gets the install command', async () => {
    const result = await inspectFile({}, { plugins: { youtube: { package: '@streamsuites/plugin-youtube' } }, creators: {} });
    expect(result.issues).toMatchObject([
      { code: 'SS_ERR_PLUGIN_NOT_INSTALLED', hint: 'Install it next to the manifest: pnpm add @streamsuites/plugin-youtube' },
    ]);
  });

  it('an undeclared plugin id and a missing dependency name the official package, and only an official one', async () => {
    const undeclared = await inspectManifest({ creators: { daniel: { enable: ['youtube', 'rumble', 'trovo'] } } }, withDefaults({}));
    expect(undeclared.issues.map((i) => i.hint)).toEqual([
      'Add "youtube": { "package": "@streamsuites/plugin-youtube" } to "plugins", or fix the id.',
      'Add "rumble": { "package": "@streamsuites/plugin-rumble" } to "plugins", or fix the id.',
      'Add "trovo": { "package": "<npm package>" } to "plugins", or fix the id.',
    ]);
    const missing = await inspectFile(
      { ...pluginPackage('@fixture/plugin-clips', 'clips', ['twitch']), ...pluginPackage('@fixture/plugin-deck', 'deck', ['streamdeck']) },
      { plugins: { clips: { package: '@fixture/plugin-clips' }, deck: { package: '@fixture/plugin-deck' } }, creators: {} },
    );
    expect(missing.issues.map((i) => [i.code, i.path, i.hint])).toEqual([
      [
        'SS_ERR_PLUGIN_DEPENDENCY_MISSING',
        '/plugins/clips',
        'Add "twitch": { "package": "@streamsuites/plugin-twitch" } to the manifest "plugins" section, or make the dependency optional in plugin "clips" ("twitch?").',
      ],
      [
        'SS_ERR_PLUGIN_DEPENDENCY_MISSING',
        '/plugins/deck',
        'Add "streamdeck": { "package": "<npm package>" } to the manifest "plugins" section, or make the dependency optional in plugin "deck" ("streamdeck?").',
      ],
    ]);
  });
});

describe('every manifest problem carries a hint, with the default plugins', () => {

  /** Bad manifests that, together, reach every problem the loader and the default plugins report. */
  const cases: HintCase[] = [
    loaderCase('duplicates, env, unknown keys, schema, creator ids, quotas', ', "dryrun": true'),
    // Package and plugin-graph problems: the kernel's own walk (kernel/test/manifest-errors.test.ts) covers them.
    {
      // Valid for the loader: these are the problems only the trigger engine finds, as `streamsuites validate` reports them.
      name: 'triggers and actions',
      plugins: [
        definePlugin({
          id: 'extras',
          version: '1.0.0',
          kernel: '^0.2.0',
          register(reg) {
            reg.extend(actionTypesExtensionPoint, { type: 'test.record', paramsSchema: Type.Object({ seconds: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }) });
            reg.extend(triggerTypesExtensionPoint, { type: 'shout', paramsSchema: Type.Object({}), match: () => undefined });
          },
        }),
      ],
      manifest: {
        creators: {
          alice: {
            enable: ['extras'],
            triggers: [
              { type: 'comand', params: {}, actions: [{ type: 'clip.create', params: {} }] },
              { type: 'command', params: { command: 'two words', alias: [] }, cooldown: { user: '99999999h' }, actions: [{ type: 'chat.reply', params: {} }] },
              { type: 'keyword', params: { keywords: [' '] }, actions: [{ type: 'test.record', params: { seconds: 0, colour: 1 } }] },
              { type: 'regex', params: { pattern: '(\\w+) \\1' }, actions: [{ type: 'poll.open', params: {} }] },
              { id: 'dup', type: 'command', params: { command: '!a' }, actions: [{ type: 'chat.reply', params: { text: 'a' } }] },
              { id: 'dup', type: 'command', params: { command: '!b' }, actions: [{ type: 'chat.reply', params: { text: 'b' } }] },
            ],
          },
          bob: { enable: [], triggers: [{ type: 'shout', actions: [{ type: 'chat.reply', params: { text: 'b' } }] }] },
        },
      },
    },
  ];

  it('walks every problem of a set of bad manifests: each has a non-empty hint, and the walk reaches every kind', async () => {
    const { seen, missing } = await walkHints(cases, withDefaults({ services: [{ ref: stateStoreRef, factory: () => new MapStateStore() }] }));
    expect(missing).toEqual([]);
    expect(seen).toEqual([
      'SS_ERR_CONFIG_INVALID',
      'SS_ERR_CREATOR_ID_INVALID',
      'SS_ERR_MANIFEST_DUPLICATE_CREATOR',
      'SS_ERR_MANIFEST_DUPLICATE_KEY',
      'SS_ERR_MANIFEST_ENV_MISSING',
      'SS_ERR_MANIFEST_SCHEMA',
      'SS_ERR_MANIFEST_SECTION_UNCLAIMED',
      'SS_ERR_MANIFEST_UNKNOWN_KEY',
      'SS_ERR_MANIFEST_UNKNOWN_PLUGIN',
      'SS_ERR_QUOTA_POLICY_INVALID',
      'SS_ERR_ACTION_PARAMS_INVALID',
      'SS_ERR_ACTION_UNKNOWN',
      'SS_ERR_TRIGGER_DUPLICATE_ID',
      'SS_ERR_TRIGGER_INVALID',
      'SS_ERR_TRIGGER_TYPE_NOT_ENABLED',
      'SS_ERR_TRIGGER_TYPE_UNKNOWN',
      'SS_ERR_TRIGGER_REGEX_UNSUPPORTED',
    ].sort());
  });
});
