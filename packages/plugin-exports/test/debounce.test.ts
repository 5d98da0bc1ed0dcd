/** The debounce of watched events: one write after the quiet time, one timer for a burst (it runs per chat message). */
import { Type } from '@streamsuites/kernel';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ExportSection } from '../src/index.js';
import { exporterFor, exportsKernel, message, tempDir } from './helpers.js';

afterEach(() => void vi.useRealTimers());

describe('watched events', () => {
  it('a burst is written once, debounceMs after its last event, with one timer for the whole burst', async () => {
    const t = await exportsKernel(tempDir());
    let snapshots = 0;
    const section: ExportSection<unknown> = {
      file: 'signals.json',
      schema: 'test.signals',
      version: 1,
      visibility: 'dashboard-only',
      description: 'counts its snapshots',
      bodySchema: Type.Object({ n: Type.Integer() }),
      snapshot: () => ({ n: ++snapshots }),
      watch: ['chat.message'],
    };
    const exporter = exporterFor(t, [section], tempDir(), { debounceMs: 500 });
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    await exporter.start();
    expect(snapshots).toBe(1); // the first write, on start
    const timers = vi.spyOn(globalThis, 'setTimeout');
    // 2 s of chat, a message every 100 ms (never 500 ms of quiet): nothing is written meanwhile.
    for (let i = 0; i < 20; i++) {
      for (let j = 0; j < 50; j++) t.bus.emit('chat.message', message('alice', `m${i}-${j}`));
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(snapshots).toBe(1);
    // One timer for the burst, re-armed when it fires early (events kept coming): a handful, not one per message (1,000).
    expect(timers.mock.calls.length).toBeLessThan(20);
    await vi.advanceTimersByTimeAsync(398); // 498 ms after the last message
    expect(snapshots).toBe(1);
    const written = t.bus.waitFor('exports.written');
    await vi.advanceTimersByTimeAsync(2);
    await written;
    expect(snapshots).toBe(2);
    // Quiet afterwards: no further write.
    await vi.advanceTimersByTimeAsync(5000);
    expect(snapshots).toBe(2);
    timers.mockRestore();
    await exporter.stop();
    expect(snapshots).toBe(3); // the last write, on stop
  });
});
