import { describe, expect, it } from 'vitest';
import { actionDispatcherRef, actionTypesExtensionPoint, createKernel, definePlugin, ManualClock, Type, type AnyPlugin } from '@streamsuites/kernel';
import { LogCapture } from '@streamsuites/kernel/testing';
import { dryRunSection, withDefaults } from '../src/index.js';
import { chat } from './helpers/chat.js';

/*
 * Replays with the default plugins: triggers fire on recorded chat, actions
 * run dry (packages/kernel/test/replay-mode.test.ts has the kernel's part).
 */

/** Offers `score.bump` (internal) and `test.shout` (external) and counts what actually ran. */
function recorder() {
  const ran: string[] = [];
  const plugin = definePlugin({
    id: 'recorder',
    version: '1.0.0',
    kernel: '^0.2.0',
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
    kernel: '^0.2.0',
    replay: 'skip',
    register(reg) {
      reg.onInit({ start: ({ creator }) => void started.push(creator.id) });
    },
  });

describe('replays with the default plugins', () => {
  it('replay mode leaves out `replay: skip` plugins; dry-run records external actions and runs internal ones; idle() waits for them', async () => {
    const { plugin, ran } = recorder();
    const started: string[] = [];
    const clock = new ManualClock(Date.UTC(2026, 10, 27, 9));
    const kernel = await createKernel(
      withDefaults({
        manifest: {
          dataDir: './never-used',
          plugins: { recorder: {}, 'live-source': {} },
          creators: {
            alice: {
              enable: ['recorder', 'live-source'],
              triggers: [{ id: 'go', type: 'command', params: { command: '!go' }, actions: [{ type: 'score.bump', params: {} }, { type: 'test.shout', params: {} }] }],
            },
          },
        },
        plugins: [plugin, live(started)] as AnyPlugin[],
        mode: 'replay',
        clock,
        overrides: { sections: { dryRun: true }, dataDir: '/tmp/streamsuites-replay-test' },
        logDestination: new LogCapture(),
      }),
    );
    expect([kernel.mode, dryRunSection.read(kernel.manifest), kernel.manifest.dataDir]).toEqual(['replay', true, '/tmp/streamsuites-replay-test']);
    await kernel.start();
    expect(started).toEqual([]);
    // Registered (its types stay declared) but never initialised or started.
    const statuses = Object.fromEntries(kernel.status().plugins.map((p) => [p.id, p.status]));
    expect([statuses.recorder, statuses['live-source']]).toEqual(['running', 'skipped']);
    const outcomes: string[] = [];
    kernel.bus.on('action.dispatched', (record) => void outcomes.push(`${record.action.type}:${record.dryRun ? 'dry-run' : 'executed'}`));
    clock.set(Date.UTC(2026, 10, 27, 10));
    kernel.bus.emit('chat.message', chat('!go'));
    await kernel.idle();
    expect(ran).toEqual(['score.bump']);
    expect(outcomes).toEqual(['score.bump:executed', 'test.shout:dry-run']);
    await kernel.stop();
  });

  it('a skipped plugin\'s action types stay declared, so triggers that use them still load (and dry-run)', async () => {
    const { plugin } = recorder();
    const declaring = definePlugin({
      id: 'live-source',
      version: '1.0.0',
      kernel: '^0.2.0',
      replay: 'skip',
      register(reg) {
        reg.extend(actionTypesExtensionPoint, { type: 'live.thing', paramsSchema: Type.Object({}) });
      },
    });
    const kernel = await createKernel(
      withDefaults({
        manifest: {
          plugins: { recorder: {}, 'live-source': {} },
          creators: { alice: { enable: ['recorder', 'live-source'], triggers: [{ type: 'command', params: { command: '!go' }, actions: [{ type: 'live.thing', params: {} }] }] } },
        },
        plugins: [plugin, declaring] as AnyPlugin[],
        mode: 'replay',
        overrides: { sections: { dryRun: true } },
        logDestination: new LogCapture(),
      }),
    );
    await kernel.start();
    const outcomes: string[] = [];
    kernel.bus.on('action.dispatched', (record) => void outcomes.push(`${record.action.type}:${record.dryRun}`));
    kernel.bus.emit('chat.message', chat('!go'));
    await kernel.idle();
    expect(outcomes).toEqual(['live.thing:true']);
    await kernel.stop();
  });
});
