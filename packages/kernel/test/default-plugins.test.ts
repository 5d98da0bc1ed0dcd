import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createKernel, createServiceRef, definePlugin, Type, type AnyPlugin, type ManifestIssue } from '../src/index.js';
import { LogCapture, startTestKernel } from '../src/testing.js';
import { journal, tracePlugin } from './helpers/plugins.js';
import { tempTree } from './helpers/tmp.js';

/*
 * Default plugins (`createKernel({ defaults })`, what @streamsuites/defaults
 * gives a host): always loaded, configurable under `plugins.<id>.config`,
 * replaced by a manifest entry of the same id with a package, and their
 * services yield to another plugin's provider of the same ref. Here with
 * tiny local defaults, so the kernel is tested alone.
 */

interface Box {
  get(): string;
  put(value: string): void;
}
const boxRef = createServiceRef<Box>({ id: 'test.box', methods: ['get', 'put'] });

function box(label: string): Box {
  let value = label;
  return { get: () => value, put: (next) => void (value = next) };
}

/** A default plugin providing boxRef, configurable, recording what it did. */
function defaultBox(log: ReturnType<typeof journal>) {
  return definePlugin({
    id: 'box',
    version: '0.9.0',
    kernel: '^0.2.0',
    configSchema: Type.Object({ label: Type.String({ default: 'default' }) }, { additionalProperties: false }),
    register(reg) {
      reg.provide(boxRef, {
        factory: (_deps, ctx) => {
          log.push(`build:default-box:${String(ctx.config.label)}`);
          return box(String(ctx.config.label));
        },
      });
      reg.onInit({ init: ({ config }) => void log.push(`init:box:${String(config.label)}`) });
    },
  });
}

/** A plugin (not a default) providing boxRef with `instance`. */
function boxProvider(id: string, instance: () => unknown, log?: ReturnType<typeof journal>): AnyPlugin {
  return definePlugin({
    id,
    version: '1.0.0',
    kernel: '^0.2.0',
    register(reg) {
      reg.provide(boxRef, { factory: () => instance() as Box });
      reg.onInit({ init: () => void log?.push(`init:${id}`) });
    },
  });
}

/** A plugin that reads the box in init. */
function boxReader(log: ReturnType<typeof journal>): AnyPlugin {
  return definePlugin({
    id: 'reader',
    version: '1.0.0',
    kernel: '^0.2.0',
    register(reg) {
      reg.onInit({ deps: { box: boxRef }, init: ({ deps }) => void log.push(`read:${deps.box.get()}`) });
    },
  });
}

describe('default plugins', () => {
  it('are loaded without being declared or enabled; their services serve every plugin', async () => {
    const log = journal();
    const t = await startTestKernel({ defaults: [defaultBox(log)], plugins: [boxReader(log)] });
    expect(log.entries).toEqual(['init:box:default', 'build:default-box:default', 'read:default']);
    expect(t.kernel.status().plugins.map((p) => [p.id, p.status])).toEqual([
      ['box', 'running'],
      ['reader', 'running'],
    ]);
  });

  it('plugins.<id>.config without a package configures the default (validated by its schema)', async () => {
    const log = journal();
    const t = await startTestKernel({
      defaults: [defaultBox(log)],
      plugins: [boxReader(log)],
      manifest: { plugins: { box: { config: { label: 'configured' } } }, creators: {} },
    });
    expect(log.entries).toEqual(['init:box:configured', 'build:default-box:configured', 'read:configured']);
    expect(t.kernel.manifest.plugins.box).toEqual({ config: { label: 'configured' } });
    const error = await createKernel({
      defaults: [defaultBox(journal())],
      manifest: { plugins: { box: { config: { label: 5 } } }, creators: {} },
      logLevel: 'silent',
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SS_ERR_MANIFEST_INVALID', details: { issues: [{ code: 'SS_ERR_CONFIG_INVALID', path: '/plugins/box/config/label' }] } });
  });

  it('a default\'s service yields to another plugin\'s provider of the same ref: no SS_ERR_SERVICE_DUPLICATE, the default\'s factory never runs', async () => {
    const log = journal();
    const t = await startTestKernel({ defaults: [defaultBox(log)], plugins: [boxProvider('my-box', () => box('mine')), boxReader(log)] });
    expect(t.kernel.resolve(boxRef).get()).toBe('mine');
    // The default plugin itself still runs (only its service yielded).
    expect(log.entries).toEqual(['init:box:default', 'read:mine']);
  });

  it('two providers of one ref that are not defaults are SS_ERR_SERVICE_DUPLICATE, with a manifest issue at /plugins/<id>', async () => {
    const error = await createKernel({
      defaults: [defaultBox(journal())],
      plugins: [boxProvider('first', () => box('1')), boxProvider('second', () => box('2'))],
      manifest: { creators: {} },
      logLevel: 'silent',
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'SS_ERR_SERVICE_DUPLICATE',
      message: 'Service "test.box" is provided twice (by "first" and "second")',
      details: { pluginId: 'second' },
    });
    expect((error as { details: { issues: ManifestIssue[] } }).details.issues).toEqual([
      {
        code: 'SS_ERR_SERVICE_DUPLICATE',
        path: '/plugins/second',
        message: 'Service "test.box" is provided twice (by "first" and "second")',
        hint: expect.stringContaining('a default plugin\'s service is replaced without this error'),
      },
    ]);
  });

  it('a replacement lacking a contract method aborts the boot at start() with SS_ERR_SERVICE_CONTRACT, before any plugin init', async () => {
    const log = journal();
    const t = await startTestKernel({
      defaults: [defaultBox(log)],
      plugins: [boxProvider('half-box', () => ({ get: () => 'half' }), log), tracePlugin({ id: 'other', log })],
      start: false,
    });
    const error = await t.kernel.start().catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'SS_ERR_BOOT_ABORTED',
      cause: {
        code: 'SS_ERR_SERVICE_CONTRACT',
        message: 'Service "test.box" from "half-box" does not implement its contract: put() missing',
        details: { pluginId: 'half-box', missing: ['put'] },
      },
    });
    expect(log.entries.filter((entry) => entry.startsWith('init:'))).toEqual([]);
    expect(t.kernel.state).toBe('stopped');
  });

  it('a manifest entry with the id of a default and a package replaces the default', async () => {
    const dir = await tempTree({
      'node_modules/@fixture/box/package.json': JSON.stringify({ name: '@fixture/box', version: '2.0.0', type: 'module', exports: './index.js' }),
      // Built by hand, as a plugin compiled against another copy of the kernel would look.
      'node_modules/@fixture/box/index.js': `export default {
  $$type: '@streamsuites/Plugin', id: 'box', version: '2.0.0', kernel: '^0.2.0', dependencies: [],
  configSchema: { type: 'object', properties: { size: { type: 'integer', default: 3 } }, additionalProperties: false },
  register(reg) {
    reg.provide({ id: 'test.box', scope: 'root', methods: [], $$type: '@streamsuites/ServiceRef' }, { factory: (_deps, ctx) => {
      let value = 'package:' + ctx.config.size;
      return { get: () => value, put: (next) => { value = next; } };
    } });
  },
};
`,
      'streamsuites.json': JSON.stringify({ plugins: { box: { package: '@fixture/box', config: { size: 7 } } }, creators: {} }),
    });
    const log = journal();
    const kernel = await createKernel({
      manifest: join(dir, 'streamsuites.json'),
      defaults: [defaultBox(log)],
      plugins: [boxReader(log)],
      logDestination: new LogCapture(),
    });
    await kernel.start();
    expect(log.entries).toEqual(['read:package:7']);
    expect(kernel.status().plugins.find((p) => p.id === 'box')).toMatchObject({ version: '2.0.0', status: 'running' });
    expect(kernel.manifest.plugins.box).toEqual({ package: '@fixture/box', config: { size: 7 } });
    await kernel.stop();
  });
});
