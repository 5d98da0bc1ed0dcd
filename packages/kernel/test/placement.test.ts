import { describe, expect, it } from 'vitest';
import { creatorContextRef, definePlugin, defineRuntimeHooks, runtimeHooksExtensionPoint } from '../src/index.js';
import { startTestKernel } from '../src/testing.js';

/** A plugin whose start records creators, plus a placement hook running only `allowed` (mutable). */
function placedPlugin(started: string[], allowed: Set<string>, asked: string[][]) {
  return definePlugin({
    id: 'placed',
    version: '1.0.0',
    kernel: '^0.2.0',
    register(reg) {
      reg.onInit({
        start({ creator }) {
          started.push(creator.id);
        },
      });
      reg.extend(
        runtimeHooksExtensionPoint,
        defineRuntimeHooks({
          placeCreators(_deps, ids) {
            asked.push([...ids]);
            return ids.filter((id) => allowed.has(id));
          },
        }),
      );
    },
  });
}

const creators = { alice: { enable: ['placed'] }, bob: { enable: ['placed'] }, carol: { enable: ['placed'] } };

describe('creator placement', () => {
  it('boot starts only the creators a placeCreators hook keeps; startCreator / stopCreator move the others', async () => {
    const started: string[] = [];
    const asked: string[][] = [];
    const t = await startTestKernel({ plugins: [placedPlugin(started, new Set(['bob']), asked)], manifest: { creators } });
    expect(asked).toEqual([['alice', 'bob', 'carol']]);
    expect(t.kernel.creators()).toEqual(['bob']);
    expect(started).toEqual(['bob']);

    await t.kernel.startCreator('alice');
    expect(t.kernel.creators().sort()).toEqual(['alice', 'bob']);
    await expect(t.kernel.startCreator('alice')).rejects.toMatchObject({ code: 'SS_ERR_CREATOR_EXISTS' });
    await expect(t.kernel.startCreator('nobody')).rejects.toMatchObject({ code: 'SS_ERR_CREATOR_NOT_FOUND' });

    // Parked, not removed: it stays in the manifest and starts again.
    await t.kernel.stopCreator('bob');
    expect(t.kernel.creators()).toEqual(['alice']);
    expect(Object.keys(t.kernel.manifest.creators)).toEqual(['alice', 'bob', 'carol']);
    await t.kernel.startCreator('bob');
    expect(started).toEqual(['bob', 'alice', 'bob']);
    await t.stop();
  });

  it('a standby creator runs with context.standby true until promoteCreator, without a restart', async () => {
    const started: string[] = [];
    const t = await startTestKernel({ plugins: [placedPlugin(started, new Set(), [])], manifest: { creators } });
    await t.kernel.startCreator('alice', { standby: true });
    const context = t.kernel.resolveFor('alice', creatorContextRef);
    expect(context.standby).toBe(true);
    expect(t.kernel.isStandby('alice')).toBe(true);
    t.kernel.promoteCreator('alice');
    expect(context.standby).toBe(false);
    expect(t.kernel.isStandby('alice')).toBe(false);
    expect(t.kernel.isStandby('nobody')).toBe(false);
    expect(t.kernel.resolveFor('alice', creatorContextRef)).toBe(context);
    expect(started).toEqual(['alice']);
    expect(t.events.of('kernel.creator.promoted')).toEqual([{ creatorId: 'alice', at: expect.any(Number) }]);
    // Promoting an active creator does nothing; an unknown one is an error.
    t.kernel.promoteCreator('alice');
    expect(t.events.of('kernel.creator.promoted')).toHaveLength(1);
    expect(() => t.kernel.promoteCreator('bob')).toThrow(expect.objectContaining({ code: 'SS_ERR_CREATOR_NOT_FOUND' }));
    await t.kernel.startCreator('bob');
    expect(t.kernel.resolveFor('bob', creatorContextRef).standby).toBe(false);
    await t.stop();
  });

  it('a reload starts only the added creators the hook places, and leaves parked ones parked', async () => {
    const started: string[] = [];
    const asked: string[][] = [];
    const allowed = new Set(['alice', 'dave']);
    const t = await startTestKernel({ plugins: [placedPlugin(started, allowed, asked)], manifest: { creators } });
    expect(t.kernel.creators()).toEqual(['alice']);
    const summary = await t.kernel.reload({ creators: { ...creators, dave: { enable: ['placed'] }, erin: { enable: ['placed'] } } });
    // bob and carol (parked) and the new dave and erin are all "not running": the hook is asked about each.
    expect(asked[1]?.sort()).toEqual(['bob', 'carol', 'dave', 'erin']);
    expect(summary.added).toEqual(['dave']);
    expect(t.kernel.creators().sort()).toEqual(['alice', 'dave']);
    await t.stop();
  });

  it('without a placement hook every creator starts', async () => {
    const started: string[] = [];
    const plugin = definePlugin({
      id: 'placed',
      version: '1.0.0',
      kernel: '^0.2.0',
      register(reg) {
        reg.onInit({ start: ({ creator }) => void started.push(creator.id) });
      },
    });
    const t = await startTestKernel({ plugins: [plugin], manifest: { creators } });
    expect(t.kernel.creators().sort()).toEqual(['alice', 'bob', 'carol']);
    await t.stop();
  });
});
