import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ViewState } from '../src/view/state.js';
import { ENTER_SCREEN, LEAVE_SCREEN, PlainView, TerminalView } from '../src/view/terminal.js';

const T0 = Date.UTC(2026, 0, 1);

function state(messages: number): ViewState {
  return {
    now: T0 + 1000,
    startedAt: T0,
    phase: 'running',
    rows: [{ creatorId: 'daniel', platform: 'twitch', status: 'connected', messages, ratePerSec: 1, triggers: 0, errors: 0 }],
    totals: { messages, triggers: 0, actions: { executed: 0, dryRun: 0, failed: 0, cancelled: 0 }, errors: 0 },
    recent: [],
    limits: { source: 'none', bars: [] },
    exportsRoot: 'demo-state',
    exportFiles: 0,
  };
}

/** A fake TTY stream: collects writes, has a size, emits resize. */
class FakeTty extends EventEmitter {
  readonly isTTY = true;
  columns = 80;
  rows = 30;
  readonly chunks: string[] = [];
  write(chunk: string): boolean {
    this.chunks.push(chunk);
    return true;
  }
}

afterEach(() => vi.useRealTimers());

describe('TerminalView', () => {
  it('enters the alternate screen, redraws in place only on change, and restores the terminal once', () => {
    vi.useFakeTimers();
    const out = new FakeTty();
    let messages = 1;
    const view = new TerminalView(out, () => state(messages), { color: false, intervalMs: 250 });
    view.start();
    expect(out.chunks[0]).toBe(ENTER_SCREEN);
    expect(out.chunks[1]).toMatch(/^\x1b\[H/);
    expect(out.chunks[1]).toContain('daniel');
    vi.advanceTimersByTime(1000);
    expect(out.chunks).toHaveLength(2); // nothing changed: nothing written
    messages = 2;
    vi.advanceTimersByTime(250);
    expect(out.chunks).toHaveLength(3);
    // Every line clears its rest, and the screen below the last line is cleared.
    expect(out.chunks[2]).toMatch(/\x1b\[K\x1b\[J$/);
    for (const line of out.chunks[2]!.split('\n')) expect(line.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').length).toBeLessThanOrEqual(80);

    view.stop();
    view.stop();
    expect(out.chunks.at(-1)).toBe(LEAVE_SCREEN);
    expect(out.chunks.filter((c) => c === LEAVE_SCREEN)).toHaveLength(1);
    messages = 3;
    vi.advanceTimersByTime(1000);
    expect(out.chunks.at(-1)).toBe(LEAVE_SCREEN); // no frame after stop
    expect(out.listenerCount('resize')).toBe(0);
  });

  it('never draws more lines than the terminal has, and redraws everything on resize', () => {
    const out = new FakeTty();
    out.rows = 5;
    const view = new TerminalView(out, () => state(1), { color: false });
    view.start();
    const frame = out.chunks[1]!;
    expect(frame.split('\n')).toHaveLength(5);
    out.rows = 8;
    out.emit('resize');
    expect(out.chunks.at(-1)!.split('\n')).toHaveLength(8);
    view.stop();
  });
});

describe('PlainView', () => {
  it('writes one status line per interval, no escape sequences', () => {
    vi.useFakeTimers();
    const out = new FakeTty();
    const view = new PlainView(out, () => state(7), { intervalMs: 5000 });
    view.start();
    vi.advanceTimersByTime(4999);
    expect(out.chunks).toHaveLength(0);
    vi.advanceTimersByTime(1);
    expect(out.chunks).toEqual(['[demo 0:01 running] | daniel/twitch connected 7 msgs 1.0/s 0 triggers | triggers 0 | actions 0 executed 0 dry-run 0 failed | errors 0\n']);
    view.stop();
    vi.advanceTimersByTime(10_000);
    expect(out.chunks).toHaveLength(1);
  });
});
