import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from '@streamsuites/kernel';
import { createRateLimitGovernor, type SlidingWindowGovernor } from '../src/ratelimit/governor.js';

// Policies shaped like published platform limits (the presets themselves live in the platform plugins).
const TWITCH_CHAT_USER = Object.freeze({ capacity: 20, windowMs: 30_000 });
const TWITCH_CHAT_MODERATOR = Object.freeze({ capacity: 100, windowMs: 30_000 });
const TWITCH_JOIN = Object.freeze({ capacity: 20, windowMs: 10_000 });
const discordRestGlobal = () => ({ capacity: 50, windowMs: 1_000 });

const T0 = Date.parse('2025-06-10T19:00:00Z');

let governor: SlidingWindowGovernor;

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(T0);
  governor = createRateLimitGovernor({ clock: systemClock });
});
afterEach(() => {
  governor.dispose();
  vi.useRealTimers();
});

/** Starts acquire() and records when (fake ms after T0) it settled. */
function track(promise: Promise<void>) {
  const state: { settledAt?: number; error?: unknown } = {};
  promise.then(
    () => void (state.settledAt = Date.now() - T0),
    (error: unknown) => {
      state.settledAt = Date.now() - T0;
      state.error = error;
    },
  );
  return state;
}

describe('sliding-window timing', () => {
  it('grants exactly N in a window; the N+1th waits until the first grant has left the whole (closed) window', async () => {
    governor.configure('twitch:send:bot', TWITCH_CHAT_USER);
    for (let i = 0; i < 20; i++) expect(governor.tryTake('twitch:send:bot')).toBe(true);
    expect(governor.tryTake('twitch:send:bot')).toBe(false);

    const next = track(governor.acquire('twitch:send:bot'));
    await vi.advanceTimersByTimeAsync(29_999);
    expect(next.settledAt).toBeUndefined();
    // At exactly +30 000 ms the first 20 are still inside a closed 30 s window.
    await vi.advanceTimersByTimeAsync(1);
    expect(next.settledAt).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(next).toEqual({ settledAt: 30_001 });
    expect(governor.snapshot()).toEqual([
      { key: 'twitch:send:bot', policy: { capacity: 20, windowMs: 30_000 }, used: 1, available: 19, waiting: 0 },
    ]);
  });

  it('never lets more than N through in any 30 s window under bursty load, and never delays a grant needlessly', async () => {
    governor.configure('k', TWITCH_CHAT_USER);
    const N = 20;
    const W = 30_000;
    // Deterministic pseudo-random bursts over ~4 minutes.
    let seed = 42;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    const requests: number[] = [];
    const grants: number[] = [];
    let t = 0;
    for (let i = 0; i < 150; i++) {
      t += random() < 0.7 ? 0 : Math.floor(random() * 5_000);
      requests.push(t);
    }
    const pending: Promise<void>[] = [];
    for (const [i, at] of requests.entries()) {
      await vi.advanceTimersByTimeAsync(at - (Date.now() - T0));
      pending.push(governor.acquire('k').then(() => void (grants[i] = Date.now() - T0)));
    }
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    await Promise.all(pending);

    // At most N grants in any closed window [g, g + W].
    for (const g of grants) expect(grants.filter((x) => x >= g && x <= g + W).length).toBeLessThanOrEqual(N);
    // Each grant is as early as FIFO and the window allow: max(request, previous grant, grant N back + W + 1).
    for (let j = 0; j < grants.length; j++) {
      const earliest = Math.max(requests[j]!, j > 0 ? grants[j - 1]! : 0, j >= N ? grants[j - N]! + W + 1 : 0);
      expect(grants[j]).toBe(earliest);
    }
    expect(grants.some((g, j) => g > requests[j]!)).toBe(true);
  });

  it('the Twitch JOIN preset allows 20 joins per 10 s', async () => {
    governor.configure('twitch:join', TWITCH_JOIN);
    const joins = Array.from({ length: 25 }, () => track(governor.acquire('twitch:join')));
    await vi.advanceTimersByTimeAsync(0);
    expect(joins.filter((j) => j.settledAt === 0)).toHaveLength(20);
    await vi.advanceTimersByTimeAsync(10_001);
    expect(joins.slice(20).map((j) => j.settledAt)).toEqual([10_001, 10_001, 10_001, 10_001, 10_001]);
  });
});

describe('fairness and abort', () => {
  it('serves waiters strictly FIFO: a later small request never overtakes an earlier large one', async () => {
    governor.configure('k', { capacity: 5, windowMs: 1_000 });
    expect(governor.tryTake('k', 1)).toBe(true); // t=0
    await vi.advanceTimersByTimeAsync(500);
    expect(governor.tryTake('k', 4)).toBe(true); // t=500, window full

    const order: string[] = [];
    const big = track(governor.acquire('k', { cost: 3 }).then(() => void order.push('big')));
    const small = track(governor.acquire('k', { cost: 1 }).then(() => void order.push('small')));

    await vi.advanceTimersByTimeAsync(501); // t=1001: the first unit is free, enough for `small` only
    expect(governor.snapshot()[0]).toMatchObject({ used: 4, available: 1, waiting: 2 });
    expect(small.settledAt).toBeUndefined();
    // Re-configuring wakes the queue: still head first.
    governor.configure('k', { capacity: 5, windowMs: 1_000 });
    await vi.advanceTimersByTimeAsync(0);
    expect(small.settledAt).toBeUndefined();
    // tryTake does not jump the queue either.
    expect(governor.tryTake('k', 1)).toBe(false);

    await vi.advanceTimersByTimeAsync(500); // t=1501: all free
    expect(order).toEqual(['big', 'small']);
    expect([big.settledAt, small.settledAt]).toEqual([1_501, 1_501]);
  });

  it('an aborted waiter is removed and rejects with SS_ERR_ABORTED; the one behind it moves up', async () => {
    governor.configure('k', { capacity: 3, windowMs: 1_000 });
    expect(governor.tryTake('k', 2)).toBe(true);
    const controller = new AbortController();
    const head = track(governor.acquire('k', { cost: 3, signal: controller.signal }));
    const behind = track(governor.acquire('k', { cost: 1 }));
    await vi.advanceTimersByTimeAsync(10);
    expect(governor.snapshot()[0]!.waiting).toBe(2);
    expect(behind.settledAt).toBeUndefined();

    controller.abort(new Error('viewer left'));
    await vi.advanceTimersByTimeAsync(0);
    expect(head.error).toMatchObject({ code: 'SS_ERR_ABORTED', details: { key: 'k' } });
    expect((head.error as Error).cause).toEqual(new Error('viewer left'));
    // One unit was free all along: the waiter behind is granted as soon as the head leaves.
    expect(behind).toEqual({ settledAt: 10 });
    expect(governor.snapshot()[0]).toMatchObject({ used: 3, waiting: 0 });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('an already-aborted signal rejects at once and queues nothing; aborting after the grant changes nothing', async () => {
    governor.configure('k', { capacity: 1, windowMs: 1_000 });
    await expect(governor.acquire('k', { signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'SS_ERR_ABORTED' });
    expect(governor.snapshot()[0]).toMatchObject({ used: 0, waiting: 0 });
    const controller = new AbortController();
    await governor.acquire('k', { signal: controller.signal });
    controller.abort();
    expect(governor.snapshot()[0]).toMatchObject({ used: 1, waiting: 0 });
  });
});

describe('configure', () => {
  it('switching the user preset to the moderator preset keeps what was sent and lets the waiters through at once', async () => {
    governor.configure('twitch:send:bot', TWITCH_CHAT_USER);
    for (let i = 0; i < 20; i++) governor.tryTake('twitch:send:bot');
    const waiting = track(governor.acquire('twitch:send:bot'));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(waiting.settledAt).toBeUndefined();

    governor.configure('twitch:send:bot', TWITCH_CHAT_MODERATOR); // the bot was made moderator
    await vi.advanceTimersByTimeAsync(0);
    expect(waiting.settledAt).toBe(1_000);
    let sent = 0;
    while (governor.tryTake('twitch:send:bot')) sent++;
    expect(sent).toBe(79); // 100 - 20 - the waiter
    expect(governor.snapshot()[0]).toMatchObject({ policy: TWITCH_CHAT_MODERATOR, used: 100, available: 0 });

    // Demoted again: 100 sends in the window are over the user limit until they leave it.
    governor.configure('twitch:send:bot', TWITCH_CHAT_USER);
    expect(governor.snapshot()[0]).toMatchObject({ used: 100, available: 0 });
    await vi.advanceTimersByTimeAsync(30_000); // t=31 000: the first 20 left, 80 remain
    expect(governor.tryTake('twitch:send:bot')).toBe(false);
    await vi.advanceTimersByTimeAsync(1); // t=31 001: the 80 sent at t=1 000 left too
    expect(governor.tryTake('twitch:send:bot')).toBe(true);
  });

  it('a longer new window still counts grants made under the shorter one', async () => {
    governor.configure('k', { capacity: 2, windowMs: 1_000 });
    governor.tryTake('k', 2);
    await vi.advanceTimersByTimeAsync(1_500);
    governor.configure('k', { capacity: 2, windowMs: 5_000 });
    expect(governor.tryTake('k')).toBe(false);
    await vi.advanceTimersByTimeAsync(3_501); // t=5 001
    expect(governor.tryTake('k')).toBe(true);
  });

  it('a lowered capacity fails a queued waiter that can never fit, instead of blocking the queue', async () => {
    governor.configure('k', { capacity: 5, windowMs: 1_000 });
    governor.tryTake('k', 5);
    const big = track(governor.acquire('k', { cost: 4 }));
    const small = track(governor.acquire('k', { cost: 1 }));
    governor.configure('k', { capacity: 3, windowMs: 1_000 });
    await vi.advanceTimersByTimeAsync(0);
    expect(big.error).toMatchObject({ code: 'SS_ERR_RATE_LIMIT_COST_INVALID', details: { key: 'k', cost: '4', capacity: 3 } });
    await vi.advanceTimersByTimeAsync(1_001);
    expect(small).toEqual({ settledAt: 1_001 });
  });
});

describe('errors, disposal and snapshots', () => {
  it('unknown keys, invalid policies and invalid costs are coded errors', async () => {
    expect(() => governor.tryTake('nope')).toThrow(expect.objectContaining({ code: 'SS_ERR_RATE_LIMIT_UNKNOWN_KEY', details: { key: 'nope' } }));
    await expect(governor.acquire('nope')).rejects.toMatchObject({ code: 'SS_ERR_RATE_LIMIT_UNKNOWN_KEY' });
    expect(() => governor.configure('k', { capacity: 0, windowMs: 1.5 })).toThrow(
      expect.objectContaining({
        code: 'SS_ERR_RATE_LIMIT_POLICY_INVALID',
        details: { key: 'k', problems: ['capacity must be an integer ≥ 1 (got 0)', 'windowMs must be an integer ≥ 1 (got 1.5)'] },
      }),
    );
    governor.configure('k', { capacity: 5, windowMs: 1_000 });
    for (const cost of [0, -1, 1.5, 6]) {
      expect(() => governor.tryTake('k', cost)).toThrow(expect.objectContaining({ code: 'SS_ERR_RATE_LIMIT_COST_INVALID' }));
      await expect(governor.acquire('k', { cost })).rejects.toMatchObject({ code: 'SS_ERR_RATE_LIMIT_COST_INVALID' });
    }
    expect(governor.snapshot()[0]!.used).toBe(0);
  });

  it('dispose() rejects every waiter with SS_ERR_RATE_LIMIT_DISPOSED, clears its timers and refuses later calls', async () => {
    governor.configure('a', { capacity: 1, windowMs: 60_000 });
    governor.configure('b', { capacity: 1, windowMs: 60_000 });
    governor.tryTake('a');
    governor.tryTake('b');
    const waiters = [governor.acquire('a'), governor.acquire('a'), governor.acquire('b')].map(track);
    expect(vi.getTimerCount()).toBe(2);
    governor.dispose();
    await vi.advanceTimersByTimeAsync(0);
    expect(waiters.map((w) => (w.error as { code?: string }).code)).toEqual([
      'SS_ERR_RATE_LIMIT_DISPOSED',
      'SS_ERR_RATE_LIMIT_DISPOSED',
      'SS_ERR_RATE_LIMIT_DISPOSED',
    ]);
    expect(vi.getTimerCount()).toBe(0);
    await expect(governor.acquire('a')).rejects.toMatchObject({ code: 'SS_ERR_RATE_LIMIT_DISPOSED' });
    expect(() => governor.configure('c', TWITCH_JOIN)).toThrow(expect.objectContaining({ code: 'SS_ERR_RATE_LIMIT_DISPOSED' }));
  });

  it('snapshot() is ordered by key and identical whatever the configuration order', () => {
    const build = (keys: string[]) => {
      const g = createRateLimitGovernor({ clock: systemClock });
      for (const key of keys) g.configure(key, key.startsWith('twitch') ? TWITCH_CHAT_USER : discordRestGlobal());
      g.tryTake('twitch:send:b', 3);
      const snapshot = g.snapshot();
      g.dispose();
      return snapshot;
    };
    const a = build(['twitch:send:b', 'discord:rest', 'twitch:send:a', 'Twitch:upper']);
    const b = build(['twitch:send:a', 'Twitch:upper', 'twitch:send:b', 'discord:rest']);
    expect(a.map((s) => s.key)).toEqual(['Twitch:upper', 'discord:rest', 'twitch:send:a', 'twitch:send:b']);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(a[3]).toEqual({ key: 'twitch:send:b', policy: { capacity: 20, windowMs: 30_000 }, used: 3, available: 17, waiting: 0 });
  });
});

describe('policies', () => {
  it('configure() copies the preset, so a caller cannot change the policy in place', () => {
    const policy: { capacity: number; windowMs: number } = { ...TWITCH_CHAT_USER };
    governor.configure('k', policy);
    policy.capacity = 1_000;
    expect(governor.snapshot()[0]!.policy.capacity).toBe(20);
  });
});

describe('timers (real)', () => {
  it('a pending acquire() does not keep the process alive: its timer is unref\'d', async () => {
    vi.useRealTimers();
    const real = createRateLimitGovernor({ clock: systemClock });
    real.configure('k', { capacity: 1, windowMs: 60_000 });
    real.tryTake('k');
    const timeouts = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timeouts();
    const pending = real.acquire('k');
    expect(real.snapshot()[0]!.waiting).toBe(1);
    expect(timeouts()).toBe(before);
    real.dispose();
    await expect(pending).rejects.toMatchObject({ code: 'SS_ERR_RATE_LIMIT_DISPOSED' });
  });
});
