import { describe, expect, it } from 'vitest';
import { createKernel, type Kernel } from '../src/index.js';
import { startTestKernel } from '../src/testing.js';
import { journal, tracePlugin } from './helpers/plugins.js';

const silent = { logLevel: 'silent' as const };

describe('phase order', () => {
  it('registers every plugin, then inits in dependency order, then starts creators', async () => {
    const log = journal();
    const plugins = [
      tracePlugin({ id: 'clips', dependencies: ['twitch', 'exports?'], log }),
      tracePlugin({ id: 'twitch', log }),
      tracePlugin({ id: 'exports', log }),
    ];
    const t = await startTestKernel({
      plugins,
      manifest: { creators: { daniel: { enable: ['clips', 'twitch', 'exports'] } } },
    });
    await t.stop();
    // register in topo order, all before any init
    expect(log.entries.slice(0, 3).every((e) => e.startsWith('register:'))).toBe(true);
    const index = (entry: string) => log.entries.indexOf(entry);
    expect(index('init:twitch')).toBeLessThan(index('init:clips'));
    expect(index('init:exports')).toBeLessThan(index('init:clips'));
    expect(index('init:clips')).toBeLessThan(index('start:twitch:daniel'));
    expect(index('start:twitch:daniel')).toBeLessThan(index('start:clips:daniel'));
    expect(index('start:exports:daniel')).toBeLessThan(index('start:clips:daniel'));
    // stop: beforeStop hooks (reverse init order) while creators still run, then creator
    // stops in reverse start order, then plugin stops in reverse init order
    expect(index('beforeStop:clips')).toBeLessThan(index('beforeStop:twitch'));
    expect(index('beforeStop:twitch')).toBeLessThan(index('stop:clips:daniel'));
    expect(index('stop:clips:daniel')).toBeLessThan(index('stop:twitch:daniel'));
    expect(index('stop:twitch:daniel')).toBeLessThan(index('stop:clips'));
    expect(index('stop:clips')).toBeLessThan(index('stop:twitch'));
    expect(t.events.names()).toContain('kernel.started');
    expect(t.events.names().at(-1)).toBe('kernel.stopped');
  });

  it('an optional dependency that is absent does not block the plugin', async () => {
    const log = journal();
    const t = await startTestKernel({
      plugins: [tracePlugin({ id: 'clips', dependencies: ['exports?'], log })],
      manifest: { creators: { c1: { enable: ['clips'] } } },
    });
    expect(t.kernel.status().plugins).toEqual([{ id: 'clips', version: '1.0.0', status: 'running' }]);
    await t.stop();
  });
});

describe('start failure isolation', () => {
  it('a plugin failing for one creator is reported while everything else runs', async () => {
    const log = journal();
    const t = await startTestKernel({
      plugins: [tracePlugin({ id: 'twitch', log, failIn: 'start', failFor: 'bob' }), tracePlugin({ id: 'youtube', log })],
      manifest: { creators: { alice: { enable: ['twitch', 'youtube'] }, bob: { enable: ['twitch', 'youtube'] } } },
    });
    const failed = t.events.of('kernel.plugin.failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ pluginId: 'twitch', creatorId: 'bob', phase: 'start', error: { code: 'SS_ERR_PLUGIN_START_FAILED' } });
    expect(failed[0]!.error.message).toContain('twitch start boom for bob');
    expect(t.kernel.state).toBe('running');
    const status = Object.fromEntries(t.kernel.status().creators.map((c) => [c.id, c.plugins]));
    expect(status).toEqual({ alice: { twitch: 'running', youtube: 'running' }, bob: { twitch: 'failed', youtube: 'running' } });
    await t.stop();
  });

  it('a plugin that throws in init is reported and its dependents are skipped, others run', async () => {
    const log = journal();
    const t = await startTestKernel({
      plugins: [
        tracePlugin({ id: 'twitch', log, failIn: 'init' }),
        tracePlugin({ id: 'clips', dependencies: ['twitch'], log }),
        tracePlugin({ id: 'youtube', log }),
      ],
      manifest: { creators: { alice: { enable: ['twitch', 'clips', 'youtube'] } } },
    });
    const failed = t.events.of('kernel.plugin.failed');
    expect(failed.map((f) => [f.pluginId, f.phase, f.error.code])).toEqual([
      ['twitch', 'init', 'SS_ERR_PLUGIN_INIT_FAILED'],
      ['clips', 'init', 'SS_ERR_PLUGIN_DEPENDENCY_FAILED'],
    ]);
    expect(log.entries).toContain('start:youtube:alice');
    expect(log.entries).not.toContain('start:clips:alice');
    await t.stop();
    expect(log.entries).not.toContain('stop:twitch');
  });

  it('a plugin that throws in register is reported at start and the rest run', async () => {
    const log = journal();
    const t = await startTestKernel({
      plugins: [tracePlugin({ id: 'twitch', log, failIn: 'register' }), tracePlugin({ id: 'youtube', log })],
      manifest: { creators: { alice: { enable: ['twitch', 'youtube'] } } },
    });
    expect(t.events.of('kernel.plugin.failed')).toMatchObject([{ pluginId: 'twitch', phase: 'register', error: { code: 'SS_ERR_PLUGIN_REGISTER_FAILED' } }]);
    expect(log.entries).toContain('start:youtube:alice');
    await t.stop();
  });

  it('a start that hangs times out with SS_ERR_PLUGIN_TIMEOUT', async () => {
    const log = journal();
    const t = await startTestKernel({
      plugins: [tracePlugin({ id: 'slow', log, hangIn: 'start' }), tracePlugin({ id: 'fast', log })],
      manifest: { timeouts: { startMs: 50 }, creators: { alice: { enable: ['slow', 'fast'] } } },
    });
    expect(t.events.of('kernel.plugin.failed')).toMatchObject([{ pluginId: 'slow', error: { code: 'SS_ERR_PLUGIN_TIMEOUT' } }]);
    expect(log.entries).toContain('start:fast:alice');
    await t.stop();
  });

  it('onBootFailure "abort" with an init failure: no creator starts, no plugin start ran', async () => {
    const log = journal();
    const kernel = await createKernel({
      ...silent,
      plugins: [tracePlugin({ id: 'store', log, failIn: 'init' }), tracePlugin({ id: 'chat', log, dependencies: ['store?'] })],
      manifest: { onBootFailure: 'abort', creators: { alice: { enable: ['chat', 'store'] }, bob: { enable: ['chat'] } } },
    });
    const started: string[] = [];
    kernel.bus.on('kernel.creator.added', (e) => void started.push(e.creatorId));
    await expect(kernel.start()).rejects.toMatchObject({ code: 'SS_ERR_BOOT_ABORTED' });
    // Broken on purpose once (the abort check after the init layers removed): start:chat:alice and start:chat:bob ran.
    expect(log.entries.filter((e) => e.startsWith('start:'))).toEqual([]);
    expect(started).toEqual([]);
    expect(kernel.state).toBe('stopped');
  });

  it('onBootFailure "abort" stops what started and rejects with SS_ERR_BOOT_ABORTED', async () => {
    const log = journal();
    const kernel = await createKernel({
      ...silent,
      plugins: [tracePlugin({ id: 'twitch', log, failIn: 'start' }), tracePlugin({ id: 'youtube', log })],
      manifest: { onBootFailure: 'abort', creators: { alice: { enable: ['youtube', 'twitch'] } } },
    });
    await expect(kernel.start()).rejects.toMatchObject({ code: 'SS_ERR_BOOT_ABORTED' });
    expect(kernel.state).toBe('stopped');
    expect(log.entries).toContain('stop:youtube:alice');
    expect(log.entries).toContain('stop:youtube');
  });
});

describe('stop', () => {
  it('is idempotent: every call returns the same promise and hooks run once', async () => {
    const log = journal();
    const t = await startTestKernel({ plugins: [tracePlugin({ id: 'a', log })], manifest: { creators: { c1: { enable: ['a'] } } } });
    const first = t.kernel.stop();
    const second = t.kernel.stop();
    expect(second).toBe(first);
    await first;
    await t.kernel.stop();
    expect(log.entries.filter((e) => e === 'stop:a')).toHaveLength(1);
    expect(log.entries.filter((e) => e === 'stop:a:c1')).toHaveLength(1);
  });

  it('runs every step despite failures and hangs, then rejects with all of them', async () => {
    const log = journal();
    const t = await startTestKernel({
      plugins: [
        tracePlugin({ id: 'a', log, failIn: 'creator-stop' }),
        tracePlugin({ id: 'b', log, hangIn: 'stop' }),
        tracePlugin({ id: 'c', log, failIn: 'stop' }),
      ],
      manifest: { timeouts: { stopMs: 50 }, creators: { c1: { enable: ['a', 'b', 'c'] } } },
    });
    const error = await t.kernel.stop().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'SS_ERR_STOP_FAILED' });
    const causes = ((error as Error).cause as AggregateError).errors.map((e: { code: string }) => e.code);
    expect(causes.sort()).toEqual(['SS_ERR_PLUGIN_STOP_FAILED', 'SS_ERR_PLUGIN_STOP_FAILED', 'SS_ERR_PLUGIN_TIMEOUT']);
    // every plugin stop ran, in reverse init order
    expect(log.entries.filter((e) => /^stop:[abc]$/.test(e))).toEqual(['stop:c', 'stop:b', 'stop:a']);
    expect(t.kernel.state).toBe('stopped');
  });

  it('stop during start waits for start to settle, and creators see their signal aborted', async () => {
    const log = journal();
    const kernel: Kernel = await createKernel({
      ...silent,
      plugins: [tracePlugin({ id: 'a', log })],
      manifest: { creators: { c1: { enable: ['a'] } } },
    });
    const starting = kernel.start();
    await kernel.stop();
    await starting;
    expect(kernel.state).toBe('stopped');
  });

  it('start after stop is refused with SS_ERR_KERNEL_STATE', async () => {
    const t = await startTestKernel({});
    await t.stop();
    await expect(t.kernel.start()).rejects.toMatchObject({ code: 'SS_ERR_KERNEL_STATE' });
  });
});
