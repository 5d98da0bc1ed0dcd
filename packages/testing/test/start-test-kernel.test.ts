import { describe, expect, it } from 'vitest';
import { chatMessage, errorTableProblems, LogCapture, startTestKernel } from '../src/index.js';

describe('startTestKernel of @streamsuites/testing', () => {
  it('boots the default plugins: a command trigger fires chat.reply, dry-run', async () => {
    const t = await startTestKernel({
      manifest: {
        dryRun: true,
        creators: {
          alice: {
            enable: [],
            triggers: [{ id: 'hello', type: 'command', params: { command: '!hello' }, actions: [{ type: 'chat.reply', params: { text: 'hi {user}' } }] }],
          },
        },
      },
    });
    t.bus.emit('chat.message', chatMessage({ text: '!hello', author: { login: 'ann' } }));
    await t.kernel.idle();
    expect(t.events.of('trigger.fired')).toMatchObject([{ creatorId: 'alice', triggerId: 'hello', actions: [{ type: 'chat.reply' }] }]);
    expect(t.events.of('action.dispatched')).toMatchObject([
      { creatorId: 'alice', triggerId: 'hello', dryRun: true, action: { type: 'chat.reply', params: { text: 'hi Ann' } } },
    ]);
    expect(t.events.of('action.failed')).toEqual([]);
    expect(t.stopsWithTest).toBe(true);
  });

  it('the official catalog is there for hints; `defaults: []` boots the kernel alone', async () => {
    const manifest = { creators: { alice: { enable: [], triggers: [] } } };
    await expect(startTestKernel({ manifest: { creators: { alice: { enable: ['youtube'] } } } })).rejects.toMatchObject({
      details: { issues: [{ path: '/creators/alice/enable/0', hint: expect.stringContaining('"@streamsuites/plugin-youtube"') }] },
    });
    await expect(startTestKernel({ manifest, defaults: [] })).rejects.toMatchObject({
      details: { issues: [{ code: 'SS_ERR_MANIFEST_SECTION_UNCLAIMED', path: '/creators/alice/triggers' }] },
    });
  });

  it('re-exports the rest of the kernel\'s kit', () => {
    expect(new LogCapture().text()).toBe('');
    expect(errorTableProblems({}, '')).toEqual(['no error codes exported']);
  });
});
