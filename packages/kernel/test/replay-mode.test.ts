import { describe, expect, it } from 'vitest';
import {
  actionDispatcherRef,
  actionTypesExtensionPoint,
  createKernel,
  definePlugin,
  ManualClock,
  Type,
  type AnyPlugin,
} from '../src/index.js';
import { LogCapture } from '../src/testing.js';
import { chat } from './helpers/chat.js';

/** Offers `score.bump` (internal) and `test.shout` (external) and counts what actually ran. */
function recorder() {
  const ran: string[] = [];
  const plugin = definePlugin({
    id: 'recorder',
    version: '1.0.0',
    kernel: '^0.1.0',
    register(reg) {
      reg.extend(actionTypesExtensionPoint, { type: 'score.bump', effects: 'internal', paramsSchema: Type.Object({}) });
      reg.extend(actionTypesExtensionPoint, { type: 'test.shout', paramsSchema: Type.Object({}) });
      reg.onInit({
        deps: { actions: actionDispatcherRef },
        init({ deps }) {
          deps.actions.registerHandler({ type: 'score.bump', handle: async () => void ran.push('score.bump') });
          deps.actions.registerHandler({ type: 'test.shout', handle: async () => void ran.push('test.shout') });
        },
      });
    },
  });
  return { plugin, ran };
}

const live = (started: string[]) =>
  definePlugin({
    id: 'live-source',
    version: '1.0.0',
    kernel: '^0.1.0',
    replay: 'skip',
    register(reg) {
      reg.onInit({ start: ({ creator }) => void started.push(creator.id) });
    },
  });

function manifest(extra: Record<string, unknown> = {}) {
  return {
    dataDir: './never-used',
    plugins: { recorder: {}, 'live-source': {} },
    creators: {
      alice: {
        enable: ['recorder', 'live-source'],
        triggers: [{ id: 'go', type: 'command', params: { command: '!go' }, actions: [{ type: 'score.bump', params: {} }, { type: 'test.shout', params: {} }] }],
      },
    },
    ...extra,
  };
}

describe('replay support in the kernel', () => {
  it('replay mode leaves out `replay: skip` plugins; dry-run records external actions and runs internal ones; idle() waits for them', async () => {
    const { plugin, ran } = recorder();
    const started: string[] = [];
    const clock = new ManualClock(Date.UTC(2026, 10, 27, 9));
    const kernel = await createKernel({
      manifest: manifest(),
      plugins: [plugin, live(started)] as AnyPlugin[],
      mode: 'replay',
      clock,
      overrides: { dryRun: true, dataDir: '/tmp/streamsuites-replay-test' },
      logDestination: new LogCapture(),
    });
    expect([kernel.mode, kernel.manifest.dryRun, kernel.manifest.dataDir]).toEqual(['replay', true, '/tmp/streamsuites-replay-test']);
    await kernel.start();
    expect(started).toEqual([]);
    // Registered (its types stay declared) but never initialised or started.
    expect(Object.fromEntries(kernel.status().plugins.map((p) => [p.id, p.status]))).toEqual({ recorder: 'running', 'live-source': 'skipped' });
    const outcomes: string[] = [];
    kernel.bus.on('action.dispatched', (record) => void outcomes.push(`${record.action.type}:${record.dryRun ? 'dry-run' : 'executed'}`));
    clock.set(Date.UTC(2026, 10, 27, 10));
    kernel.bus.emit('chat.message', chat('!go'));
    await kernel.idle();
    expect(ran).toEqual(['score.bump']);
    expect(outcomes).toEqual(['score.bump:executed', 'test.shout:dry-run']);
    await kernel.stop();
  });

  it('live mode (the default) starts every plugin', async () => {
    const { plugin } = recorder();
    const started: string[] = [];
    const kernel = await createKernel({ manifest: manifest(), plugins: [plugin, live(started)] as AnyPlugin[], logDestination: new LogCapture() });
    await kernel.start();
    expect([kernel.mode, started]).toEqual(['live', ['alice']]);
    await kernel.stop();
  });

  it('overrides.pluginConfig is merged over the manifest and validated like the file', async () => {
    const configurable = definePlugin({
      id: 'recorder',
      version: '1.0.0',
      kernel: '^0.1.0',
      configSchema: Type.Object({ root: Type.String({ default: 'state' }), mirror: Type.Boolean({ default: true }) }, { additionalProperties: false }),
      register() {},
    });
    const kernel = await createKernel({
      manifest: { plugins: { recorder: { config: { mirror: true } } }, creators: {} },
      plugins: [configurable],
      overrides: { pluginConfig: { recorder: { root: '/out', mirror: false }, absent: { x: 1 } } },
      logDestination: new LogCapture(),
    });
    expect(kernel.manifest.plugins.recorder!.config).toEqual({ root: '/out', mirror: false });
    await expect(createKernel({
      manifest: { plugins: { recorder: {} }, creators: {} },
      plugins: [configurable],
      overrides: { pluginConfig: { recorder: { mirror: 'no' } } },
      logDestination: new LogCapture(),
    })).rejects.toMatchObject({ code: 'SS_ERR_MANIFEST_INVALID' });
  });

  it('a plugin that needs a skipped one is skipped too, with its dependency error; the replay runs on', async () => {
    const needy = definePlugin({ id: 'needy', version: '1.0.0', kernel: '^0.1.0', dependencies: ['live-source'], register() {} });
    const kernel = await createKernel({
      manifest: { plugins: { needy: {}, 'live-source': {} }, creators: {} },
      plugins: [needy, live([])] as AnyPlugin[],
      mode: 'replay',
      logDestination: new LogCapture(),
    });
    const failures: string[] = [];
    kernel.bus.on('kernel.plugin.failed', (f) => void failures.push(`${f.pluginId}:${f.error.code}`));
    await kernel.start();
    expect(failures).toEqual(['needy:SS_ERR_PLUGIN_DEPENDENCY_FAILED']);
    expect(kernel.status().state).toBe('running');
    await kernel.stop();
  });

  it('a skipped plugin\'s action types stay declared, so triggers that use them still load (and dry-run)', async () => {
    const { plugin } = recorder();
    const declaring = definePlugin({
      id: 'live-source',
      version: '1.0.0',
      kernel: '^0.1.0',
      replay: 'skip',
      register(reg) {
        reg.extend(actionTypesExtensionPoint, { type: 'live.thing', paramsSchema: Type.Object({}) });
      },
    });
    const kernel = await createKernel({
      manifest: {
        plugins: { recorder: {}, 'live-source': {} },
        creators: { alice: { enable: ['recorder', 'live-source'], triggers: [{ type: 'command', params: { command: '!go' }, actions: [{ type: 'live.thing', params: {} }] }] } },
      },
      plugins: [plugin, declaring] as AnyPlugin[],
      mode: 'replay',
      overrides: { dryRun: true },
      logDestination: new LogCapture(),
    });
    await kernel.start();
    const outcomes: string[] = [];
    kernel.bus.on('action.dispatched', (record) => void outcomes.push(`${record.action.type}:${record.dryRun}`));
    kernel.bus.emit('chat.message', chat('!go'));
    await kernel.idle();
    expect(outcomes).toEqual(['live.thing:true']);
    await kernel.stop();
  });

  it('ManualClock only moves forward', () => {
    const clock = new ManualClock(1000);
    clock.set(500);
    clock.advance(-5);
    clock.set(Number.NaN);
    expect(clock.now()).toBe(1000);
    clock.set(2000);
    clock.advance(250);
    expect(clock.now()).toBe(2250);
    expect(() => new ManualClock(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});
