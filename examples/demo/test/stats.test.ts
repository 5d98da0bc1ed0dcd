import { EventBus, type ChatMessage } from '@streamsuites/kernel';
import { chatMessage } from '@streamsuites/testing';
import { describe, expect, it } from 'vitest';
import { limitsFrom } from '../src/view/limits.js';
import { DemoStats, RateMeter } from '../src/view/stats.js';

const T0 = 1_800_000_000_000;

function setup() {
  let now = T0;
  const bus = new EventBus();
  const stats = new DemoStats({
    bus,
    creators: { daniel: ['twitch'], maya: ['twitch'] },
    exportsRoot: 'demo-state',
    durationSec: 30,
    now: () => now,
  });
  return { bus, stats, advance: (ms: number) => void (now += ms), at: () => now };
}

function message(creatorId: string, id: string, at: number, login = 'viewer_anna'): ChatMessage {
  return chatMessage({ creatorId, id, receivedAt: at, text: '!hello', author: { id: login, login, displayName: login } });
}

describe('DemoStats', () => {
  it('follows connection status from the bus', () => {
    const { bus, stats } = setup();
    const status = () => Object.fromEntries(stats.snapshot().rows.map((r) => [r.creatorId, r.status]));
    expect(status()).toEqual({ daniel: 'starting', maya: 'starting' });
    bus.emit('kernel.creator.added', { creatorId: 'daniel', plugins: ['twitch'] });
    bus.emit('kernel.creator.added', { creatorId: 'maya', plugins: ['heartbeat'] });
    expect(status()).toEqual({ daniel: 'connecting', maya: 'failed' });
    bus.emit('chat.room-state', { creatorId: 'daniel', platform: 'twitch', channel: 'daniel', state: {}, at: T0 });
    expect(status()).toEqual({ daniel: 'connected', maya: 'failed' });
    bus.emit('kernel.creator.removed', { creatorId: 'daniel' });
    expect(status()).toEqual({ daniel: 'stopped', maya: 'failed' });
  });

  it('shows a reconnect as it happens, from the platform plugin\'s platform.connection events', () => {
    const { bus, stats } = setup();
    const status = () => stats.snapshot().rows.find((r) => r.creatorId === 'daniel')!.status;
    const connection = (state: 'connecting' | 'connected' | 'reconnecting' | 'stopped', attempt: number, reason?: string) =>
      bus.emit('platform.connection', { creatorId: 'daniel', platform: 'twitch', state, attempt, at: T0, ...(reason === undefined ? {} : { reason }) });
    connection('connecting', 1);
    connection('connected', 1);
    expect(status()).toBe('connected');
    connection('reconnecting', 1, 'Connection closed.');
    expect(status()).toBe('reconnecting');
    expect(stats.snapshot().recent.at(-1)!.text).toBe('twitch disconnected (Connection closed.); reconnecting');
    connection('connecting', 2);
    connection('connected', 2);
    expect(status()).toBe('connected');
    connection('stopped', 2);
    expect(status()).toBe('stopped');
  });

  it('counts messages, msg/s, triggers and actions, and keeps the last few as activity', () => {
    const { bus, stats, advance, at } = setup();
    bus.emit('kernel.started', { creators: ['daniel', 'maya'], plugins: ['twitch'], at: T0 });
    for (let i = 0; i < 10; i += 1) {
      advance(500);
      bus.emit('chat.message', message('daniel', `m${i}`, at()));
    }
    bus.emit('trigger.fired', {
      creatorId: 'daniel',
      triggerId: 'hello',
      messageId: 'm9',
      platform: 'twitch',
      args: [],
      actions: [{ type: 'chat.reply', params: { text: 'hi' } }],
      at: at(),
    });
    const action = { type: 'chat.reply', params: { text: 'hello viewer_anna' } };
    bus.emit('action.dispatched', { actionId: 'a1', creatorId: 'daniel', action, triggerId: 'hello', dryRun: false, at: at() });
    bus.emit('action.dispatched', { actionId: 'a2', creatorId: 'daniel', action, triggerId: 'hello', dryRun: true, at: at() });

    const snap = stats.snapshot();
    expect(snap.phase).toBe('running');
    const daniel = snap.rows.find((r) => r.creatorId === 'daniel')!;
    expect(daniel).toMatchObject({ status: 'connected', messages: 10, triggers: 1, errors: 0 });
    expect(daniel.ratePerSec).toBeCloseTo(2, 0);
    expect(snap.totals).toEqual({ messages: 10, triggers: 1, actions: { executed: 1, dryRun: 1, failed: 0, cancelled: 0 }, errors: 0 });
    expect(stats.messagesOf('daniel')).toBe(10);
    expect(stats.messagesOf('maya')).toBe(0);
    expect(snap.recent.map((a) => a.text)).toEqual([
      'trigger hello fired by viewer_anna',
      'chat.reply "hello viewer_anna"',
      'chat.reply (dry-run) "hello viewer_anna"',
    ]);
    expect(snap.durationSec).toBe(30);
  });

  it('names who did a Twitch channel event in the line of the event trigger it fired', () => {
    const { bus, stats, at } = setup();
    const base = { creatorId: 'daniel', platform: 'twitch' as const, channel: 'daniel', channelId: '500000001', at: at() };
    const fern = { id: '1', login: 'viewer_fern', displayName: 'Viewer_Fern' };
    bus.emit('twitch.follow', { ...base, eventId: 'e1', user: fern, followedAt: at() });
    const ivo = { id: '2', login: 'raider_ivo', displayName: '' };
    bus.emit('twitch.raid', { ...base, eventId: 'e2', user: ivo, from: ivo, to: { id: '500000001', login: 'daniel', displayName: 'Daniel' }, viewers: 12 });
    for (const [triggerId, messageId] of [['follow', 'e1'], ['raid', 'e2']] as const) {
      bus.emit('trigger.fired', { creatorId: 'daniel', triggerId, messageId, platform: 'twitch', args: [], actions: [], at: at() });
    }
    expect(stats.snapshot().recent.map((a) => a.text)).toEqual(['trigger follow fired by Viewer_Fern', 'trigger raid fired by raider_ivo']);
  });

  it('counts failures as errors, except actions aborted by the stop', () => {
    const { bus, stats } = setup();
    const action = { type: 'chat.reply', params: { text: 'x' } };
    const error = { name: 'StreamSuitesError', code: 'SS_ERR_ACTION_FAILED', message: 'Action "chat.reply" failed' };
    bus.emit('action.failed', { actionId: 'a1', creatorId: 'maya', action, dryRun: false, at: T0, error });
    bus.emit('kernel.plugin.failed', { pluginId: 'twitch', creatorId: 'daniel', phase: 'start', error: { name: 'E', message: 'boom' } });
    bus.emit('exports.failed', { file: 'x.json', error: { message: 'disk full' }, at: T0 });
    expect(stats.errors).toBe(3);
    expect(stats.snapshot().rows.find((r) => r.creatorId === 'daniel')).toMatchObject({ status: 'failed', errors: 1 });
    expect(stats.snapshot().lastError).toBe('export x.json failed: disk full');

    bus.emit('kernel.stopping', { at: T0 });
    bus.emit('action.failed', { actionId: 'a2', creatorId: 'maya', action, dryRun: false, at: T0, error });
    expect(stats.errors).toBe(3);
    expect(stats.actions).toEqual({ executed: 0, dryRun: 0, failed: 1, cancelled: 1 });
  });

  it('keeps at most six activity lines and counts export files once each', () => {
    const { bus, stats } = setup();
    for (let i = 0; i < 10; i += 1) {
      bus.emit('action.dispatched', { actionId: `a${i}`, creatorId: 'maya', action: { type: 'chat.reply', params: { text: `r${i}` } }, dryRun: false, at: T0 });
    }
    expect(stats.snapshot().recent.map((a) => a.text)).toEqual(['r4', 'r5', 'r6', 'r7', 'r8', 'r9'].map((t) => `chat.reply "${t}"`));
    bus.emit('exports.written', { files: ['a.json', 'b.json'], mirrored: 0, at: T0 });
    bus.emit('exports.written', { files: ['a.json'], mirrored: 0, at: T0 });
    expect(stats.exportFiles).toBe(2);
  });

  it('stops listening when disposed', () => {
    const { bus, stats } = setup();
    stats.dispose();
    bus.emit('chat.message', message('daniel', 'm1', T0));
    expect(stats.snapshot().totals.messages).toBe(0);
  });
});

describe('DemoStats degraded periods', () => {
  const setupYouTube = () => {
    let now = T0;
    const bus = new EventBus();
    const stats = new DemoStats({ bus, creators: { daniel: ['twitch'], maya: ['youtube'] }, exportsRoot: 'demo-state', now: () => now });
    const connection = (creatorId: string, platform: string, state: 'connecting' | 'connected' | 'reconnecting' | 'offline' | 'auth-failed' | 'stopped', reason?: string) =>
      bus.emit('platform.connection', { creatorId, platform, state, attempt: 1, at: now, ...(reason === undefined ? {} : { reason }) });
    return { bus, stats, connection, advance: (ms: number) => void (now += ms) };
  };

  it('a brief reconnect is listed but is no error; the first connect is not listed', () => {
    const { stats, connection, advance } = setupYouTube();
    connection('daniel', 'twitch', 'connecting');
    advance(800);
    connection('daniel', 'twitch', 'connected');
    advance(5000);
    connection('daniel', 'twitch', 'reconnecting', 'Connection closed.');
    advance(2000);
    connection('daniel', 'twitch', 'connecting');
    advance(1000);
    connection('daniel', 'twitch', 'connected');
    expect(stats.degradedPeriods()).toEqual([
      { creatorId: 'daniel', platform: 'twitch', since: T0 + 5800, until: T0 + 8800, durationMs: 3000, reason: 'Connection closed.', long: false },
    ]);
    expect(stats.errors).toBe(0);
    expect(stats.snapshot().totals.errors).toBe(0);
  });

  it('a stream that ended (offline, not live) is no degraded period, however long', () => {
    const { stats, connection, advance } = setupYouTube();
    connection('maya', 'youtube', 'connecting');
    advance(500);
    connection('maya', 'youtube', 'connected');
    advance(5000);
    connection('maya', 'youtube', 'offline', 'the live chat ended');
    advance(120_000);
    expect(stats.degradedPeriods()).toEqual([]);
    expect(stats.errors).toBe(0);
    expect(stats.snapshot().rows.find((r) => r.platform === 'youtube')?.status).toBe('offline');
  });

  it('a platform degraded for 15 s or more is one error (once), named in the last error, while it lasts and after', () => {
    const { bus, stats, connection, advance } = setupYouTube();
    connection('maya', 'youtube', 'connecting');
    connection('maya', 'youtube', 'connected');
    connection('maya', 'youtube', 'reconnecting', 'invalidPageToken');
    advance(14_999);
    expect(stats.errors).toBe(0);
    advance(1);
    expect(stats.errors).toBe(1); // counted as soon as it reaches the threshold, still degraded
    expect(stats.snapshot().lastError).toBe('maya: youtube degraded for 15 s or more (invalidPageToken)');
    expect(stats.snapshot().rows.find((r) => r.platform === 'youtube')!.errors).toBe(1);
    expect(stats.degradedPeriods()).toEqual([{ creatorId: 'maya', platform: 'youtube', since: T0, durationMs: 15_000, reason: 'invalidPageToken', long: true }]);
    connection('maya', 'youtube', 'reconnecting', 'quotaExceeded'); // same period, the first reason is the cause
    advance(45_000);
    connection('maya', 'youtube', 'connected');
    expect(stats.errors).toBe(1);
    expect(stats.degradedPeriods()).toEqual([
      { creatorId: 'maya', platform: 'youtube', since: T0, until: T0 + 60_000, durationMs: 60_000, reason: 'invalidPageToken', long: true },
    ]);
    // Stopping is not degradation: periods end, later connection changes are ignored.
    connection('maya', 'youtube', 'reconnecting', 'x');
    advance(1000);
    bus.emit('kernel.stopping', { at: T0 });
    connection('daniel', 'twitch', 'reconnecting', 'closing');
    advance(60_000);
    expect(stats.degradedPeriods().map((p) => p.durationMs)).toEqual([60_000, 1000]);
    expect(stats.errors).toBe(1);
  });

  it('a first connect that never succeeds within the threshold counts too', () => {
    const { stats, connection, advance } = setupYouTube();
    connection('maya', 'youtube', 'connecting');
    advance(20_000);
    expect(stats.errors).toBe(1);
    expect(stats.degradedPeriods()).toMatchObject([{ platform: 'youtube', durationMs: 20_000, long: true }]);
    expect(stats.degradedPeriods()[0]!.until).toBeUndefined();
  });
});

describe('RateMeter', () => {
  it('averages over the window, and over the time since start before the window is full', () => {
    const meter = new RateMeter(5, T0);
    for (let i = 0; i < 8; i += 1) meter.add(T0 + i * 250);
    expect(meter.rate(T0 + 2000)).toBeCloseTo(4, 5);
    expect(meter.rate(T0 + 20_000)).toBe(0);
  });
});

describe('limitsFrom', () => {
  it('prefers quotas, falls back to rate limits, else none', () => {
    const rate = [{ key: 'twitch:send:bot', policy: { capacity: 20, windowMs: 30_000 }, used: 4, available: 16, waiting: 2 }];
    expect(limitsFrom([], rate)).toEqual({
      source: 'rate-limits',
      bars: [{ label: 'twitch:send:bot', used: 4, capacity: 20, note: 'per 30 s, 2 waiting' }],
    });
    const quota = {
      creatorId: 'daniel',
      platform: 'youtube',
      daily: 10_000,
      buffer: 500,
      used: 9600,
      remaining: 400,
      status: 'buffer' as const,
      day: '2026-01-01',
      timeZone: 'America/Los_Angeles',
      resetsAt: T0,
    };
    expect(limitsFrom([quota], rate)).toEqual({
      source: 'quotas',
      bars: [{ label: 'daniel youtube', used: 9600, capacity: 10_000, reserved: 500, note: 'buffer until the America/Los_Angeles midnight' }],
    });
    expect(limitsFrom([], [])).toEqual({ source: 'none', bars: [] });
  });
});
