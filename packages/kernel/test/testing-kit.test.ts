import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definePlugin, type ChatMessage } from '../src/index.js';
import { chatMessage, startTestKernel, type TestKernel } from '../src/testing.js';

describe('chatMessage()', () => {
  it('builds a valid, JSON-safe message with sensible defaults', () => {
    const before = Date.now();
    const message = chatMessage();
    expect(message).toEqual({
      id: expect.stringMatching(/^msg-\d+$/),
      platform: 'twitch',
      creatorId: 'alice',
      channel: 'alice',
      receivedAt: expect.any(Number),
      sentAt: message.receivedAt,
      author: { id: 'uid-viewer', login: 'viewer', displayName: 'Viewer', roles: [] },
      text: 'hello',
      isAction: false,
    } satisfies ChatMessage);
    expect(message.receivedAt).toBeGreaterThanOrEqual(before);
    expect(message.receivedAt).toBeLessThanOrEqual(Date.now());
    expect(JSON.parse(JSON.stringify(message))).toEqual(message);
  });

  it('gives every message its own id', () => {
    const ids = Array.from({ length: 1000 }, () => chatMessage().id);
    expect(new Set(ids).size).toBe(1000);
  });

  it('takes overrides: the channel follows the creator, sentAt the receive time, author fields merge with the defaults', () => {
    const message = chatMessage({
      creatorId: 'bob',
      text: '!clip 30',
      receivedAt: 1_000,
      author: { login: 'mod_anna', roles: ['moderator'] },
      emotes: [{ id: '25', name: 'Kappa', start: 0, end: 5 }],
    });
    expect(message).toMatchObject({ creatorId: 'bob', channel: 'bob', text: '!clip 30', receivedAt: 1_000, sentAt: 1_000 });
    expect(message.author).toEqual({ id: 'uid-mod_anna', login: 'mod_anna', displayName: 'Mod_anna', roles: ['moderator'] });
    expect(message.emotes).toEqual([{ id: '25', name: 'Kappa', start: 0, end: 5 }]);
    // Explicit values win over derived ones.
    const explicit = chatMessage({ id: 'x1', creatorId: 'bob', channel: '#bobby', sentAt: 5, platform: 'youtube', author: { id: 'UC1', displayName: 'Anna' } });
    expect(explicit).toMatchObject({ id: 'x1', channel: '#bobby', sentAt: 5, platform: 'youtube', author: { id: 'UC1', login: 'viewer', displayName: 'Anna' } });
  });
});

describe('startTestKernel stops its kernels', () => {
  let fromTest: TestKernel | undefined;

  it('a kernel started in a test is stopped when the test ends (1/2: start it, leave it running)', async () => {
    fromTest = await startTestKernel();
    expect(fromTest.stopsWithTest).toBe(true);
    expect(fromTest.kernel.status().state).toBe('running');
  });

  it('a kernel started in a test is stopped when the test ends (2/2: it is stopped)', () => {
    expect(fromTest!.kernel.status().state).toBe('stopped');
    expect(fromTest!.events.names()).toContain('kernel.stopped');
  });

  it('a test that stopped its kernel itself, even with a failure it expected, is left alone', async () => {
    const failing = definePlugin({
      id: 'failing',
      version: '1.0.0',
      kernel: '^0.2.0',
      register(reg) {
        reg.onInit({
          stop() {
            throw new Error('stop bug');
          },
        });
      },
    });
    const t = await startTestKernel({ plugins: [failing] });
    await expect(t.stop()).rejects.toMatchObject({ code: 'SS_ERR_STOP_FAILED' });
    // Stopping again at the end of the test would reject again and fail this test.
  });
});

describe('a kernel started in beforeAll', () => {
  let shared: TestKernel;
  beforeAll(async () => {
    shared = await startTestKernel();
  });
  afterAll(async () => {
    await shared.stop();
  });

  it('is not tied to a test: it says so, and outlives each test (stop it in afterAll)', () => {
    expect(shared.stopsWithTest).toBe(false);
    expect(shared.kernel.status().state).toBe('running');
  });

  it('is still running in the next test', () => {
    expect(shared.kernel.status().state).toBe('running');
  });
});
