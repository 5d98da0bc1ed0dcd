import { describe, expect, it, vi } from 'vitest';
import { delay } from '../src/index.js';

describe('delay', () => {
  it('resolves after the time and leaves no abort listener behind', async () => {
    vi.useFakeTimers();
    try {
      const controller = new AbortController();
      const remove = vi.spyOn(controller.signal, 'removeEventListener');
      let done = false;
      const waiting = delay(1000, controller.signal).then(() => (done = true));
      await vi.advanceTimersByTimeAsync(999);
      expect(done).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      await waiting;
      expect(done).toBe(true);
      expect(remove).toHaveBeenCalledWith('abort', expect.any(Function));
    } finally {
      vi.useRealTimers();
    }
  });

  it("rejects with the signal's reason at once when aborted, before or during the wait", async () => {
    const reason = new Error('stopped');
    await expect(delay(10, AbortSignal.abort(reason))).rejects.toBe(reason);
    const controller = new AbortController();
    const waiting = delay(60_000, controller.signal);
    controller.abort(reason);
    await expect(waiting).rejects.toBe(reason);
  });
});
