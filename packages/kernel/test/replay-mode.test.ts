import { describe, expect, it } from 'vitest';
import {
  createKernel,
  defineManifestSection,
  definePlugin,
  manifestSectionsExtensionPoint,
  ManualClock,
  Type,
  type AnyPlugin,
} from '../src/index.js';
import { LogCapture } from '../src/testing.js';
import { sectionPlugin } from './helpers/plugins.js';

/*
 * The kernel's part of replays: the mode, plugins left out, manifest
 * overrides. Triggers and actions running dry in a replay are the default
 * plugins' part (packages/defaults/test/replay.test.ts).
 */

/** A plugin that runs in replays too, and records its creators' starts. */
function recorder() {
  const ran: string[] = [];
  const plugin = definePlugin({
    id: 'recorder',
    version: '1.0.0',
    kernel: '^0.2.0',
    register(reg) {
      reg.onInit({ start: ({ creator }) => void ran.push(`start:${creator.id}`) });
    },
  });
  return { plugin, ran };
}

/** Claims the top-level `dryRun` key, as the default action dispatcher does. */
const dryRunSection = defineManifestSection({ key: 'dryRun', scope: 'manifest', schema: Type.Boolean() });
const dryRunOwner = sectionPlugin('dry-run', dryRunSection);

const live = (started: string[]) =>
  definePlugin({
    id: 'live-source',
    version: '1.0.0',
    kernel: '^0.2.0',
    replay: 'skip',
    register(reg) {
      reg.onInit({ start: ({ creator }) => void started.push(creator.id) });
    },
  });

function manifest(extra: Record<string, unknown> = {}) {
  return {
    dataDir: './never-used',
    plugins: { recorder: {}, 'live-source': {} },
    creators: { alice: { enable: ['recorder', 'live-source'] } },
    ...extra,
  };
}

describe('replay support in the kernel', () => {
  it('replay mode leaves out `replay: skip` plugins (registered, never started); overrides replace sections and dataDir', async () => {
    const { plugin, ran } = recorder();
    const started: string[] = [];
    const clock = new ManualClock(Date.UTC(2026, 10, 27, 9));
    const kernel = await createKernel({
      manifest: manifest(),
      plugins: [plugin, live(started), dryRunOwner] as AnyPlugin[],
      mode: 'replay',
      clock,
      overrides: { sections: { dryRun: true }, dataDir: '/tmp/streamsuites-replay-test' },
      logDestination: new LogCapture(),
    });
    expect([kernel.mode, dryRunSection.read(kernel.manifest), kernel.manifest.dataDir]).toEqual(['replay', true, '/tmp/streamsuites-replay-test']);
    await kernel.start();
    expect(started).toEqual([]);
    expect(ran).toEqual(['start:alice']);
    // Registered (its extensions stay declared) but never initialised or started.
    expect(Object.fromEntries(kernel.status().plugins.map((p) => [p.id, p.status]))).toEqual({ recorder: 'running', 'live-source': 'skipped', 'dry-run': 'running' });
    await kernel.stop();
  });

  it('an override of a section no loaded plugin claims is a manifest problem like the same key in the file', async () => {
    const { plugin } = recorder();
    await expect(
      createKernel({ manifest: manifest(), plugins: [plugin, live([])] as AnyPlugin[], overrides: { sections: { dryRun: true } }, logDestination: new LogCapture() }),
    ).rejects.toMatchObject({ code: 'SS_ERR_MANIFEST_INVALID', details: { issues: [{ code: 'SS_ERR_MANIFEST_SECTION_UNCLAIMED', path: '/dryRun' }] } });
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
      kernel: '^0.2.0',
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
    const needy = definePlugin({ id: 'needy', version: '1.0.0', kernel: '^0.2.0', dependencies: ['live-source'], register() {} });
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

  it('a skipped plugin\'s sections stay claimed, so a manifest that uses them still loads', async () => {
    const { plugin } = recorder();
    const mood = defineManifestSection({ key: 'mood', scope: 'creator', schema: Type.String() });
    const declaring = definePlugin({
      id: 'live-source',
      version: '1.0.0',
      kernel: '^0.2.0',
      replay: 'skip',
      register(reg) {
        reg.extend(manifestSectionsExtensionPoint, mood);
      },
    });
    const kernel = await createKernel({
      manifest: { plugins: { recorder: {}, 'live-source': {} }, creators: { alice: { enable: ['recorder', 'live-source'], mood: 'calm' } } },
      plugins: [plugin, declaring] as AnyPlugin[],
      mode: 'replay',
      logDestination: new LogCapture(),
    });
    await kernel.start();
    expect(mood.read(kernel.creator('alice')!)).toBe('calm');
    expect(kernel.status().plugins.find((p) => p.id === 'live-source')?.status).toBe('skipped');
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
