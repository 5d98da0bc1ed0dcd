import { actionDispatcherRef, SS_ERR_PLATFORM_UNSUPPORTED } from '@streamsuites/kernel';
import { chatMessage } from '@streamsuites/testing';
import { describe, expect, it } from 'vitest';
import { PILLED_UNSUPPORTED_REASON } from '../src/index.js';
import { countNetwork, startPilled } from './helpers.js';

describe('plugin-pilled without a transport (Pilled has no documented API)', () => {
  it('fails only the pilled start of each creator that enables it, with SS_ERR_PLATFORM_UNSUPPORTED on the bus, in the log and in the kernel status', async () => {
    const net = countNetwork();
    const t = await startPilled({
      creators: {
        maya: { channel: 'Maya_Live' },
        anna: { channel: 'AnnaStreams' },
        daniel: { enable: ['other'] },
      },
    });

    // The kernel runs; the creators' other plugin and the creator without Pilled are untouched.
    const status = t.kernel.status();
    expect(status.state).toBe('running');
    expect(Object.fromEntries(status.creators.map((c) => [c.id, c.plugins]))).toEqual({
      maya: { pilled: 'failed', other: 'running' },
      anna: { pilled: 'failed', other: 'running' },
      daniel: { other: 'running' },
    });

    // One kernel.plugin.failed per creator, the cause coded SS_ERR_PLATFORM_UNSUPPORTED with the explanation.
    const failed = t.events.of('kernel.plugin.failed');
    expect(failed.map((f) => f.creatorId).sort()).toEqual(['anna', 'maya']);
    for (const f of failed) {
      expect(f).toMatchObject({ pluginId: 'pilled', phase: 'start', error: { code: 'SS_ERR_PLUGIN_START_FAILED', cause: { code: 'SS_ERR_PLATFORM_UNSUPPORTED' } } });
      expect(f.error.message).toContain('no public, documented API');
      expect(f.error.message).toContain(`creator "${f.creatorId}"`);
    }

    // The connection is reported stopped, with the reason marked unsupported; never connecting or connected.
    const pilledStates = t.events.of('platform.connection').filter((e) => e.platform === 'pilled');
    expect(pilledStates.map(({ creatorId, state, reason }) => ({ creatorId, state, reason })).sort((a, b) => a.creatorId.localeCompare(b.creatorId))).toEqual([
      { creatorId: 'anna', state: 'stopped', reason: `unsupported: ${PILLED_UNSUPPORTED_REASON}` },
      { creatorId: 'maya', state: 'stopped', reason: `unsupported: ${PILLED_UNSUPPORTED_REASON}` },
    ]);
    expect(t.events.of('platform.connection').filter((e) => e.platform === 'other').map((e) => e.creatorId).sort()).toEqual(['anna', 'daniel', 'maya']);

    // An error log line per creator naming the code.
    const logged = t.logs.lines.filter((l) => l.level === 50 && JSON.stringify(l).includes(SS_ERR_PLATFORM_UNSUPPORTED.code));
    expect(logged.map((l) => l.creator).sort()).toEqual(['anna', 'maya']);

    // It never pretends: no chat, no live status from Pilled, and nothing went to the network.
    const fromPilled = [...t.events.of('chat.message'), ...t.events.of('stream.online'), ...t.events.of('stream.offline')].filter((e) => e.platform === 'pilled');
    expect(fromPilled).toEqual([]);
    await t.stop();
    expect(net).toEqual({ fetches: [], sockets: 0, listens: 0 });
  });

  it('leaves chat.reply for Pilled unhandled rather than pretending to send', async () => {
    const t = await startPilled({ creators: { maya: { channel: 'Maya_Live' } } });
    const record = await t.kernel.resolve(actionDispatcherRef).dispatch(
      { type: 'chat.reply', params: { text: 'hi' } },
      { creatorId: 'maya', message: chatMessage({ platform: 'pilled', creatorId: 'maya', channel: 'Maya_Live' }) },
    );
    expect(record).toMatchObject({ outcome: 'failed', error: { code: 'SS_ERR_ACTION_NO_HANDLER' } });
    expect(t.events.of('action.dispatched')).toEqual([]);
  });
});
