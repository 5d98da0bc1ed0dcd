import { describe, expect, it } from 'vitest';
import { createServiceRef, defineManifestSection, definePlugin, SS_ERR_PLUGIN_NOT_INSTALLED, Type, type ServiceRef } from '../src/index.js';
import { loaderCase, walkHints, type HintCase } from './helpers/hint-walk.js';
import { sectionPlugin } from './helpers/plugins.js';
import { fakePluginPackage } from './helpers/tmp.js';

/** A plugin claiming `creators.<id>.dryRun` (as the default action dispatcher does), so these tests need no defaults. */
const flags = sectionPlugin('flags', defineManifestSection({ key: 'dryRun', scope: 'creator', schema: Type.Boolean() }));

describe('every manifest problem carries a hint', () => {
  const host = (id: string, extra: Partial<Record<'version' | 'kernel', string>> & { dependencies?: string[] } = {}) =>
    definePlugin({ id, version: '1.0.0', kernel: '^0.2.0', register() {}, ...extra } as Parameters<typeof definePlugin>[0]);
  const sharedRef = createServiceRef<{ n: number }>({ id: 'test.shared' });
  const creatorRef = createServiceRef<{ n: number }>({ id: 'test.perCreator', scope: 'creator' });
  const provider = (id: string) =>
    definePlugin({ id, version: '1.0.0', kernel: '^0.2.0', register: (reg) => reg.provide(sharedRef, { factory: () => ({ n: 1 }) }) });
  /** A plugin whose init needs `ref` (none provides test.absent; test.perCreator is creator-scoped, out of an init's reach). */
  const consumer = (id: string, ref: ServiceRef<{ n: number }>) =>
    definePlugin({
      id,
      version: '1.0.0',
      kernel: '^0.2.0',
      register(reg) {
        if (ref.scope === 'creator') reg.provide(ref, { factory: () => ({ n: 2 }) });
        reg.onInit({ deps: { it: ref }, init() {} });
      },
    });

  /** Bad manifests that, together, reach every problem the loader reports. */
  const cases: HintCase[] = [
    loaderCase('duplicates, env, unknown keys, schema, creator ids'),
    {
      name: 'packages: missing, misspelt, official, not a plugin, throws, no entry point, wrong id, kernel range',
      files: {
        ...fakePluginPackage('@fixture/plugin-hello', 'hello'),
        'node_modules/not-a-plugin/package.json': JSON.stringify({ name: 'not-a-plugin', type: 'module', exports: './index.js' }),
        'node_modules/not-a-plugin/index.js': 'export default { hello: 1 };',
        'node_modules/throws/package.json': JSON.stringify({ name: 'throws', type: 'module', exports: './index.js' }),
        'node_modules/throws/index.js': 'throw new Error("import boom");',
        'node_modules/no-root/package.json': JSON.stringify({ name: 'no-root', type: 'module', exports: { './sub': './sub.js' } }),
        'node_modules/no-root/sub.js': 'export default 1;',
      },
      manifest: {
        kernel: '^7.0.0',
        plugins: {
          bare: {},
          typo: { package: '@streamsuites/plugin-twich' },
          official: { package: '@streamsuites/plugin-youtube' },
          unknown: { package: '@acme/streamdeck-bridge' },
          a: { package: 'not-a-plugin' },
          b: { package: 'throws' },
          c: { package: 'no-root' },
          greeter: { package: '@fixture/plugin-hello' },
        },
        creators: { d: { enable: ['typo', 'a', 'greeter'] } },
      },
    },
    {
      name: 'the plugin graph',
      plugins: [
        host('dup'),
        host('dup'),
        host('old', { kernel: '^9.0.0' }),
        host('needy', { dependencies: ['absent'] }),
        host('ping', { dependencies: ['pong'] }),
        host('pong', { dependencies: ['ping'] }),
        host('broken', { version: 'one' }),
      ],
      manifest: { creators: {} },
    },
    {
      name: 'manifest sections: claimed twice, and a claimed one with a bad value',
      plugins: [
        sectionPlugin('one', defineManifestSection({ key: 'mood', scope: 'creator', schema: Type.String() })),
        sectionPlugin('two', defineManifestSection({ key: 'mood', scope: 'creator', schema: Type.String() })),
        flags,
      ],
      manifest: { creators: { alice: { enable: [], mood: 'calm', dryRun: 'no' } } },
    },
    {
      // Valid for the loader: these are the problems only the kernel finds when it wires services, as `streamsuites validate` reports them.
      name: 'service wiring',
      plugins: [provider('first'), provider('second'), consumer('needy', createServiceRef({ id: 'test.absent' })), consumer('scoped', creatorRef)],
      manifest: { creators: {} },
    },
  ];

  it('walks every problem of a set of bad manifests: each has a non-empty hint, and the walk reaches every kind', async () => {
    const { seen, missing } = await walkHints(cases);
    expect(missing).toEqual([]);
    expect(seen).toEqual([
      'SS_ERR_CONFIG_INVALID',
      'SS_ERR_CREATOR_ID_INVALID',
      'SS_ERR_DEPENDENCY_CYCLE',
      'SS_ERR_KERNEL_VERSION',
      'SS_ERR_MANIFEST_DUPLICATE_CREATOR',
      'SS_ERR_MANIFEST_DUPLICATE_KEY',
      'SS_ERR_MANIFEST_ENV_MISSING',
      'SS_ERR_MANIFEST_SCHEMA',
      'SS_ERR_MANIFEST_UNKNOWN_KEY',
      'SS_ERR_MANIFEST_UNKNOWN_PLUGIN',
      'SS_ERR_PLUGIN_DEPENDENCY_MISSING',
      'SS_ERR_PLUGIN_DUPLICATE_ID',
      'SS_ERR_PLUGIN_INVALID',
      'SS_ERR_PLUGIN_LOAD_FAILED',
      'SS_ERR_PLUGIN_NOT_INSTALLED',
      'SS_ERR_MANIFEST_SECTION_UNCLAIMED',
      'SS_ERR_MANIFEST_SECTION_DUPLICATE',
      'SS_ERR_SERVICE_DUPLICATE',
      'SS_ERR_SERVICE_NOT_FOUND',
      'SS_ERR_SCOPE_VIOLATION',
    ].sort());
  });
});
