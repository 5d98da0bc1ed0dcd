import { describe, expect, it } from 'vitest';
import { actionDispatcherRef, actionTypesExtensionPoint, definePlugin, defineError, serializeError, Type } from '@streamsuites/kernel';
import { SS_ERR_ACTION_FAILED } from '../src/index.js';
import { chat } from './helpers/chat.js';
import { startTestKernel } from './helpers/kernel.js';

const SS_ERR_TEST_NOPE = defineError('SS_ERR_TEST_NOPE', (what: string) => `no ${what}`);

describe('action failures on the bus', () => {
  it('serializeError keeps the wrapped error (one level), so listeners see the real code', () => {
    const wrapped = new SS_ERR_ACTION_FAILED('test.nope', { cause: new SS_ERR_TEST_NOPE('luck', { cause: new Error('deeper') }) });
    expect(serializeError(wrapped)).toEqual({
      name: 'StreamSuitesError',
      code: 'SS_ERR_ACTION_FAILED',
      message: 'Action "test.nope" failed',
      cause: { name: 'StreamSuitesError', code: 'SS_ERR_TEST_NOPE', message: 'no luck' },
    });
  });

  it('50 actions running at once for one creator: no listener-leak warning, each failure carries its cause code', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => void warnings.push(warning.name);
    process.on('warning', onWarning);
    const release: (() => void)[] = [];
    const plugin = definePlugin({
      id: 'slow',
      version: '1.0.0',
      kernel: '^0.2.0',
      register(reg) {
        reg.extend(actionTypesExtensionPoint, { type: 'test.slow', paramsSchema: Type.Object({}) });
        reg.onInit({
          deps: { actions: actionDispatcherRef },
          init({ deps }) {
            deps.actions.registerHandler({
              type: 'test.slow',
              handle: () => new Promise<void>((_, reject) => release.push(() => reject(new SS_ERR_TEST_NOPE('way')))),
            });
          },
        });
      },
    });
    const t = await startTestKernel({
      plugins: [plugin],
      manifest: { creators: { alice: { enable: ['slow'], triggers: [{ type: 'command', params: { command: '!go' }, actions: [{ type: 'test.slow', params: {} }] }] } } },
    });
    try {
      for (let i = 0; i < 50; i++) t.bus.emit('chat.message', chat('!go', { user: `u${i}` }));
      await t.events.waitFor('trigger.fired', () => t.events.of('trigger.fired').length === 50);
      const deadline = Date.now() + 5000;
      while (release.length < 50 && Date.now() < deadline) await new Promise((resolve) => setImmediate(resolve));
      for (const fail of release) fail();
      await t.kernel.idle();
      const failures = t.events.of('action.failed');
      expect(failures).toHaveLength(50);
      expect(new Set(failures.map((f) => `${f.error.code}<-${f.error.cause?.code}`))).toEqual(new Set(['SS_ERR_ACTION_FAILED<-SS_ERR_TEST_NOPE']));
      await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on the next tick
      expect(warnings).not.toContain('MaxListenersExceededWarning');
    } finally {
      process.off('warning', onWarning);
      await t.stop();
    }
  });
});

describe('what a handler returns', () => {
  it("goes back to dispatch()'s caller as `result`, never into recent() or action events", async () => {
    // Checked by dropping the value in #run (returning undefined): no result.
    const plugin = definePlugin({
      id: 'answers',
      version: '1.0.0',
      kernel: '^0.2.0',
      register(reg) {
        reg.extend(actionTypesExtensionPoint, { type: 'test.answer', paramsSchema: Type.Object({}) });
        reg.onInit({
          deps: { actions: actionDispatcherRef },
          init({ deps }) {
            deps.actions.registerHandler({ type: 'test.answer', handle: async () => ({ clipId: 'clip-42' }) });
          },
        });
      },
    });
    const t = await startTestKernel({ plugins: [plugin], manifest: { creators: { alice: { enable: ['answers'] } } } });
    try {
      const dispatcher = t.kernel.resolve(actionDispatcherRef);
      const record = await dispatcher.dispatch({ type: 'test.answer', params: {} }, { creatorId: 'alice', dryRun: false });
      expect(record).toMatchObject({ outcome: 'executed', result: { clipId: 'clip-42' } });
      expect(dispatcher.recent().at(-1)).not.toHaveProperty('result');
      expect(JSON.stringify(t.events.of('action.dispatched'))).not.toContain('clip-42');
    } finally {
      await t.stop();
    }
  });
});
