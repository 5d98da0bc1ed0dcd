import { describe, expect, it } from 'vitest';
import { defineRuntimeHooks, runtimeHooksExtensionPoint } from '../src/contracts/runtime-hooks.js';
import { stateStoreRef } from '../src/contracts/state.js';
import { definePlugin } from '../src/plugin.js';
import { busRef } from '../src/refs.js';
import { startTestKernel } from '../src/testing.js';

/**
 * Runtime hooks are how a service runs beside every creator without being a
 * plugin the creator enables (the chat trigger pipeline uses them); any plugin
 * can contribute them, and the kernel calls them at fixed points of its lifecycle.
 */
function recorder() {
  const calls: string[] = [];
  let release: (() => void) | undefined;
  const busy = new Promise<void>((resolve) => (release = resolve));
  const plugin = definePlugin({
    id: 'watcher',
    version: '1.0.0',
    kernel: '^0.2.0',
    register(reg) {
      reg.extend(
        runtimeHooksExtensionPoint,
        defineRuntimeHooks({
          deps: { bus: busRef },
          checkCreator: (_deps, creator, path) =>
            creator.id === 'bad' ? [{ code: 'SS_ERR_TEST', path: `/${path.join('/')}`, message: 'not this one', hint: 'rename it' }] : [],
          beforeCreators: ({ bus }) => void calls.push(`beforeCreators bus=${typeof bus.emit}`),
          creatorStarting: (_deps, { resolved, context }) => void calls.push(`starting ${resolved.id} aborted=${context.signal.aborted}`),
          creatorStopping: (_deps, creatorId) => void calls.push(`stopping ${creatorId}`),
          afterCreators: () => void calls.push('afterCreators'),
          idle: () => busy,
        }),
      );
      // A hook that throws is logged; the others still run.
      reg.extend(runtimeHooksExtensionPoint, { beforeCreators: () => { throw new Error('boom'); } });
      reg.onInit({
        init: () => void calls.push('init'),
        start: ({ creator }) => {
          calls.push(`plugin start ${creator.id}`);
          return () => void calls.push(`plugin stop ${creator.id}`);
        },
        stop: () => void calls.push('plugin stop hook'),
      });
    },
  });
  return { calls, plugin, release: () => release?.() };
}

describe('runtime hooks', () => {
  it('run at fixed points: after init, before a creator\'s plugins start and stop, after creators, and for idle()', async () => {
    const { calls, plugin, release } = recorder();
    const t = await startTestKernel({ plugins: [plugin], manifest: { creators: { maya: { enable: ['watcher'] } } } });
    let idle = false;
    const idled = t.kernel.idle().then(() => (idle = true));
    await Promise.resolve();
    expect(idle).toBe(false); // waits for the hook's work in flight
    release();
    await idled;
    await t.stop();
    expect(calls).toEqual([
      'init',
      'beforeCreators bus=function',
      'starting maya aborted=false',
      'plugin start maya',
      'stopping maya',
      'plugin stop maya',
      'afterCreators',
      'plugin stop hook',
    ]);
    expect(t.logs.text()).toContain('runtime hook beforeCreators failed');
  });

  it('checkCreator problems are manifest problems: nothing starts', async () => {
    const { calls, plugin } = recorder();
    await expect(startTestKernel({ plugins: [plugin], manifest: { creators: { bad: { enable: ['watcher'] } } } })).rejects.toMatchObject({
      code: 'SS_ERR_MANIFEST_INVALID',
    });
    expect(calls).toEqual([]);
  });

  it('deps are resolved on first use: checking a manifest builds no service a hook does not touch', async () => {
    let built = 0;
    const store = definePlugin({
      id: 'store',
      version: '1.0.0',
      kernel: '^0.2.0',
      register(reg) {
        reg.provide(stateStoreRef, {
          factory: () => {
            built += 1;
            throw new Error('must not be built');
          },
        });
        reg.extend(runtimeHooksExtensionPoint, defineRuntimeHooks({ deps: { store: stateStoreRef }, checkCreator: () => [] }));
      },
    });
    const t = await startTestKernel({ plugins: [store], manifest: { creators: { maya: { enable: [] } } }, start: false });
    expect(built).toBe(0);
    expect(t.kernel.state).toBe('created');
  });
});
