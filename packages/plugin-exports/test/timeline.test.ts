/** runtime/signals/events.json from real bus events: every kind, the reconnect collapse, the bound, redaction. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { actionDispatcherRef, definePlugin, ManualClock, quotaRegistryRef, schemaProblems, secretsRef, type TSchema } from '@streamsuites/kernel';
import { chatMessage, startTestKernel } from '@streamsuites/testing';
import { describe, expect, it } from 'vitest';
import exportsPlugin from '../src/index.js';
import { schemaPath } from '../src/schemas.js';
import { chatAt, writtenAt } from './dashboard-helpers.js';
import { exportsKernel, SECRET_TOKEN, tempDir } from './helpers.js';

const EVENTS = 'runtime/signals/events.json';
const T = Date.UTC(2026, 10, 27, 12, 0, 0);

type Row = { at: string; kind: string; creator?: string; platform?: string; message: string; count?: number };

/** A plugin whose start fails for bob (kernel.plugin.failed), with a local path and a keyed URL in its error. */
const failing = definePlugin({
  id: 'flaky',
  version: '1.0.0',
  kernel: '^0.2.0',
  register: (reg) =>
    reg.onInit({
      deps: {},
      start: ({ creator }) => {
        if (creator.id === 'bob') throw new Error('cannot read /home/daniel/.config/flaky/settings.json from https://api.example.com/v1/x?key=K3yedUrlSecret99');
      },
    }),
});

async function timelineKernel() {
  const clock = new ManualClock(T);
  const dataDir = tempDir();
  const root = join(dataDir, 'state');
  const t = await exportsKernel(dataDir, { now: () => clock.now(), config: { debounceMs: 0 } });
  return { t, clock, root, dataDir };
}

describe('events.json', () => {
  it('gets every kind from real bus events, collapses identical reconnects within a minute, and keeps no secret, keyed URL or local path', async () => {
    const clock = new ManualClock(T);
    const dataDir = tempDir();
    const root = join(dataDir, 'state');
    const t = await startTestKernel({
      plugins: [exportsPlugin, failing],
      env: { TOKEN: SECRET_TOKEN },
      clock: { now: () => clock.now() },
      manifest: {
        dataDir,
        plugins: { exports: { config: { mirror: false, debounceMs: 0 } } },
        creators: {
          alice: { enable: ['exports'], quotas: { youtube: { daily: 10000, buffer: 500 } } },
          bob: { enable: ['exports', 'flaky'] },
        },
      },
    });
    await writtenAt(root, EVENTS, clock);
    // A token the kernel knows (registered in its SecretRegistry), as a platform might put it in a reason.
    t.kernel.resolve(secretsRef).add('tok_live_9f8e7d6c5b4a3921');
    const at = () => clock.now();
    const bus = t.bus;
    clock.advance(1000);
    bus.emit('stream.online', { creatorId: 'alice', platform: 'twitch', channel: 'alice', at: at(), title: 'Speedrun night' });
    bus.emit('platform.connection', { creatorId: 'alice', platform: 'twitch', state: 'connected', attempt: 1, at: at() });
    // Three identical reconnect reports within a minute: one row, count 3.
    const reason = `socket closed by wss://irc.example.com/?token=${SECRET_TOKEN} (tok_live_9f8e7d6c5b4a3921)`;
    for (let i = 0; i < 3; i++) {
      clock.advance(10_000);
      bus.emit('platform.connection', { creatorId: 'alice', platform: 'twitch', state: 'reconnecting', attempt: 2 + i, reason, at: at() });
    }
    // Another reason: a new row; then the first reason again more than a minute after its row: a new row.
    clock.advance(1000);
    bus.emit('platform.connection', { creatorId: 'alice', platform: 'twitch', state: 'reconnecting', attempt: 5, reason: 'ping timeout', at: at() });
    clock.advance(1000);
    bus.emit('platform.connection', { creatorId: 'alice', platform: 'youtube', state: 'offline', attempt: 1, reason: 'not live', at: at() });
    clock.advance(61_000);
    bus.emit('platform.connection', { creatorId: 'alice', platform: 'twitch', state: 'reconnecting', attempt: 6, reason: 'ping timeout', at: at() });
    bus.emit('platform.connection', { creatorId: 'alice', platform: 'twitch', state: 'reconnecting', attempt: 7, reason: 'ping timeout', at: at() + 1 });
    bus.emit('platform.auth-failed', { creatorId: 'alice', platform: 'twitch', error: { code: 'SS_ERR_TWITCH_AUTH', message: `login failed for oauth:abcdef0123456789` }, at: at() });
    // Real quota events from the quota service: into the buffer (warning), then a refused call (exceeded).
    const tracker = t.kernel.resolve(quotaRegistryRef).tracker('alice', 'youtube');
    await tracker.charge(9600, { essential: true, reason: 'liveChatMessages.list' });
    await expect(tracker.charge(100, { reason: 'liveChatMessages.insert' })).rejects.toThrow();
    // clip.state failed, as plugin-clips emits it (by name: no plugin-clips code here).
    (bus.emit as (event: string, payload: unknown) => void)('clip.state', {
      clipId: 'c1',
      creatorId: 'alice',
      platform: 'twitch',
      state: 'failed',
      previous: 'encoding',
      reason: 'ffmpeg exited 1 on C:\\Users\\daniel\\clips\\c1.mp4 and /var/lib/streamsuites/ring/seg-0001.ts',
      at: at(),
    });
    (bus.emit as (event: string, payload: unknown) => void)('clip.state', { clipId: 'c2', creatorId: 'alice', platform: 'twitch', state: 'published', previous: 'uploading', reason: 'published', at: at() });
    // A real action failure: no handler for chat.reply.
    await t.kernel.resolve(actionDispatcherRef).dispatch({ type: 'chat.reply', params: { text: 'hello' } }, { creatorId: 'alice', message: chatMessage({ creatorId: 'alice', receivedAt: at() }) });
    bus.emit('trigger.failed', {
      creatorId: 'alice',
      triggerId: 'hello',
      triggerType: 'regex',
      messageId: 'm1',
      platform: 'twitch',
      code: 'SS_ERR_TRIGGER_MATCH_FAILED',
      error: { name: 'StreamSuitesError', code: 'SS_ERR_TRIGGER_MATCH_FAILED', message: 'trigger hello failed', cause: { name: 'Error', message: 'boom in match()' } },
      at: at(),
    });
    bus.emit('chat.gap', { creatorId: 'alice', platform: 'twitch', from: at() - 125_000, to: at(), reason: 'all connections down', resumed: true, at: at() });
    bus.emit('stream.offline', { creatorId: 'alice', platform: 'twitch', channel: 'alice', at: at() });
    clock.advance(1000);
    bus.emit('chat.message', chatAt(clock, 'alice'));
    bus.emit('stream.offline', { creatorId: 'alice', platform: 'twitch', channel: 'alice', at: at() });

    const text = await (async () => {
      await writtenAt(root, EVENTS, clock);
      return readFileSync(join(root, EVENTS), 'utf8');
    })();
    const rows = (JSON.parse(text) as { events: Row[] }).events;
    const kinds = rows.map((r) => r.kind);
    expect(new Set(kinds)).toEqual(
      new Set([
        'stream.online',
        'stream.offline',
        'platform.connected',
        'platform.reconnecting',
        'platform.auth-failed',
        'quota.warning',
        'quota.exceeded',
        'clip.failed',
        'action.failed',
        'trigger.failed',
        'plugin.failed',
        'chat.gap',
      ]),
    );
    // plugin.failed came at start (bob), before everything else.
    expect(rows[0]).toMatchObject({ kind: 'plugin.failed', creator: 'bob' });
    expect(rows[0]!.message).toMatch(/^Plugin flaky failed at start: /);
    expect(rows[1]).toEqual({ at: '2026-11-27T12:00:01.000Z', kind: 'stream.online', creator: 'alice', platform: 'twitch', message: 'Live on twitch: “Speedrun night”' });
    expect(rows[2]).toEqual({ at: '2026-11-27T12:00:01.000Z', kind: 'platform.connected', creator: 'alice', platform: 'twitch', message: 'Connected to twitch' });
    const reconnects = rows.filter((r) => r.kind === 'platform.reconnecting');
    expect(reconnects.map((r) => [r.platform, r.at, r.count])).toEqual([
      ['twitch', '2026-11-27T12:00:11.000Z', 3],
      ['twitch', '2026-11-27T12:00:32.000Z', undefined],
      ['youtube', '2026-11-27T12:00:33.000Z', undefined],
      ['twitch', '2026-11-27T12:01:34.000Z', 2],
    ]);
    expect(reconnects[0]!.message).toBe('twitch connection reconnecting: socket closed by wss://irc.example.com/?token=[redacted] ([redacted])');
    expect(reconnects[2]!.message).toBe('youtube connection offline: not live');
    expect(rows.find((r) => r.kind === 'platform.auth-failed')!.message).toBe('twitch refused the credentials: login failed for oauth:[redacted] (SS_ERR_TWITCH_AUTH)');
    expect(rows.find((r) => r.kind === 'quota.warning')!.message).toBe('youtube quota reached its reserve: 9,600 of 10,000 units used');
    expect(rows.find((r) => r.kind === 'quota.exceeded')!.message).toBe('youtube quota refused 100 units for liveChatMessages.insert: 9,600 of 10,000 used');
    expect(rows.filter((r) => r.kind === 'clip.failed')).toEqual([
      { at: expect.any(String), kind: 'clip.failed', creator: 'alice', platform: 'twitch', message: 'Clip c1 failed: ffmpeg exited 1 on …/c1.mp4 and …/seg-0001.ts' },
    ]);
    expect(rows.find((r) => r.kind === 'action.failed')).toMatchObject({ creator: 'alice', platform: 'twitch', message: expect.stringMatching(/^Action chat\.reply failed: .*SS_ERR_ACTION_NO_HANDLER/) });
    expect(rows.find((r) => r.kind === 'trigger.failed')!.message).toBe('Trigger hello (regex) failed: SS_ERR_TRIGGER_MATCH_FAILED: boom in match()');
    expect(rows.find((r) => r.kind === 'chat.gap')!.message).toBe('Chat on twitch may be missing for 2 min 5 s (all connections down)');
    expect(rows.filter((r) => r.kind === 'stream.offline')).toHaveLength(2);
    // Oldest first.
    expect(rows.map((r) => r.at)).toEqual([...rows.map((r) => r.at)].sort());

    // Nothing secret or local anywhere in the file.
    for (const secret of [SECRET_TOKEN, 'tok_live_9f8e7d6c5b4a3921', 'abcdef0123456789', 'K3yedUrlSecret99', '/home/daniel', 'C:\\\\Users', '/var/lib']) expect(text).not.toContain(secret);
    expect(rows[0]!.message).toContain('…/settings.json');
    expect(rows[0]!.message).toContain('?key=[redacted]');

    // The file validates against its committed schema.
    const schema = JSON.parse(readFileSync(new URL(`../schemas/${schemaPath(EVENTS)}`, import.meta.url), 'utf8')) as TSchema;
    expect(schemaProblems(schema, JSON.parse(text))).toEqual([]);
    await t.stop();
  });

  it('leaves start-up and stopping out: the first connecting and a stop without a reason are not reconnects', async () => {
    const { t, clock, root } = await timelineKernel();
    await writtenAt(root, EVENTS, clock);
    const connection = (state: 'connecting' | 'connected' | 'reconnecting' | 'stopped', reason?: string) => {
      clock.advance(1000);
      t.bus.emit('platform.connection', { creatorId: 'alice', platform: 'twitch', state, attempt: 1, ...(reason === undefined ? {} : { reason }), at: clock.now() });
    };
    connection('connecting');
    connection('connected');
    connection('connecting', 'server asked to reconnect');
    connection('connected');
    connection('stopped');
    connection('stopped', 'the channel was banned');
    const rows = (await writtenAt(root, EVENTS, clock)).events as Row[];
    expect(rows.map((r) => [r.kind, r.message])).toEqual([
      ['platform.connected', 'Connected to twitch'],
      ['platform.reconnecting', 'twitch connection connecting: server asked to reconnect'],
      ['platform.connected', 'Connected to twitch'],
      ['platform.reconnecting', 'twitch connection stopped: the channel was banned'],
    ]);
    await t.stop();
  });

  it('keeps the last 300 events, oldest first', async () => {
    const { t, clock, root } = await timelineKernel();
    await writtenAt(root, EVENTS, clock);
    for (let i = 0; i < 350; i++) {
      clock.advance(1000);
      t.bus.emit(i % 2 === 0 ? 'stream.online' : 'stream.offline', { creatorId: 'alice', platform: 'twitch', channel: 'alice', at: clock.now(), title: `#${i}` });
    }
    const rows = (await writtenAt(root, EVENTS, clock)).events as Row[];
    expect(rows).toHaveLength(300);
    expect(rows[0]).toMatchObject({ kind: 'stream.online', message: 'Live on twitch: “#50”', at: new Date(T + 51_000).toISOString() });
    expect(rows.at(-1)).toMatchObject({ kind: 'stream.offline', at: new Date(T + 350_000).toISOString() });
    expect(rows.map((r) => r.at)).toEqual([...rows.map((r) => r.at)].sort());
    await t.stop();
  });
});
