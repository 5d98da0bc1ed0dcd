import { describe, expect, it } from 'vitest';
import { createKernel, createServiceRef, creatorContextRef, definePlugin, type AnyPlugin } from '../src/index.js';
import { journal, tracePlugin } from './helpers/plugins.js';

const boot = (plugins: AnyPlugin[], creators: Record<string, unknown> = {}) =>
  createKernel({ plugins, manifest: { creators }, logLevel: 'silent', env: {} });

describe('boot errors', () => {
  const log = journal();

  it('SS_ERR_PLUGIN_DEPENDENCY_MISSING names the plugin and the missing dependency', async () => {
    await expect(boot([tracePlugin({ id: 'clips', dependencies: ['twitch'], log })])).rejects.toMatchObject({
      code: 'SS_ERR_PLUGIN_DEPENDENCY_MISSING',
      message: 'Plugin "clips" requires plugin "twitch", which is not loaded',
    });
  });

  it('SS_ERR_DEPENDENCY_CYCLE shows the cycle path', async () => {
    const plugins = [
      tracePlugin({ id: 'a', dependencies: ['b'], log }),
      tracePlugin({ id: 'b', dependencies: ['c?'], log }),
      tracePlugin({ id: 'c', dependencies: ['a'], log }),
    ];
    await expect(boot(plugins)).rejects.toMatchObject({
      code: 'SS_ERR_DEPENDENCY_CYCLE',
      message: expect.stringContaining('a -> b -> c -> a'),
    });
  });

  it('SS_ERR_KERNEL_VERSION when the plugin range excludes this kernel', async () => {
    await expect(boot([tracePlugin({ id: 'old', kernel: '^9.0.0', log })])).rejects.toMatchObject({
      code: 'SS_ERR_KERNEL_VERSION',
      message: expect.stringMatching(/Plugin "old" requires kernel \^9\.0\.0, but this kernel is \d+\.\d+\.\d+/),
    });
  });

  it('SS_ERR_PLUGIN_DUPLICATE_ID when two plugins share an id', async () => {
    await expect(boot([tracePlugin({ id: 'twitch', log }), tracePlugin({ id: 'twitch', log })])).rejects.toMatchObject({
      code: 'SS_ERR_PLUGIN_DUPLICATE_ID',
    });
  });

  it('SS_ERR_PLUGIN_INVALID for a malformed definition', async () => {
    const bad = { ...tracePlugin({ id: 'ok', log }), id: 'Not Valid' } as AnyPlugin;
    await expect(boot([bad])).rejects.toMatchObject({ code: 'SS_ERR_PLUGIN_INVALID' });
  });

  it('SS_ERR_SCOPE_VIOLATION when a root service depends on a creator-scoped one', async () => {
    const rootRef = createServiceRef<string>({ id: 'test.root' });
    const plugin = definePlugin({
      id: 'leaky',
      version: '1.0.0',
      kernel: '^0.2.0',
      register(reg) {
        reg.provide(rootRef, { deps: { creator: creatorContextRef }, factory: ({ creator }) => creator.id });
      },
    });
    await expect(boot([plugin])).rejects.toMatchObject({ code: 'SS_ERR_SCOPE_VIOLATION' });
  });

  it('SS_ERR_SERVICE_DUPLICATE when two plugins provide one ref', async () => {
    const ref = createServiceRef<number>({ id: 'test.shared' });
    const provider = (id: string) =>
      definePlugin({ id, version: '1.0.0', kernel: '^0.2.0', register: (reg) => reg.provide(ref, { factory: () => 1 }) });
    await expect(boot([provider('one'), provider('two')])).rejects.toMatchObject({ code: 'SS_ERR_SERVICE_DUPLICATE' });
  });

  it('SS_ERR_SERVICE_NOT_FOUND when a hook needs a service nobody provides', async () => {
    const ref = createServiceRef<number>({ id: 'test.nobody' });
    const plugin = definePlugin({
      id: 'needy',
      version: '1.0.0',
      kernel: '^0.2.0',
      register: (reg) => reg.onInit({ deps: { n: ref }, init() {} }),
    });
    await expect(boot([plugin])).rejects.toMatchObject({ code: 'SS_ERR_SERVICE_NOT_FOUND' });
  });

  it('SS_ERR_REGISTRATION_CLOSED when a plugin uses reg after register() returned', async () => {
    let saved: Parameters<AnyPlugin['register']>[0] | undefined;
    const plugin = definePlugin({ id: 'late', version: '1.0.0', kernel: '^0.2.0', register: (reg) => void (saved = reg) });
    const kernel = await boot([plugin]);
    expect(() => saved!.onInit({})).toThrow(expect.objectContaining({ code: 'SS_ERR_REGISTRATION_CLOSED' }));
    await kernel.stop();
  });

  it('a kernel that failed to boot ran no plugin\'s init or start (every case above)', () => {
    expect(log.entries.filter((e) => /^(init|start):/.test(e))).toEqual([]);
  });
});
