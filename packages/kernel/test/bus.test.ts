import { describe, expect, it, vi } from 'vitest';
import { EventBus, type ChatMessage } from '../src/index.js';
import { chatMessage } from '../src/testing.js';

const message = (text: string): ChatMessage => chatMessage({ id: text, creatorId: 'c1', receivedAt: 0, text });

describe('EventBus', () => {
  it('delivers typed payloads to on/once listeners and off removes them', () => {
    const bus = new EventBus();
    const seen: string[] = [];
    const listener = (m: ChatMessage) => void seen.push(`on:${m.text}`);
    bus.on('chat.message', listener);
    bus.once('chat.message', (m) => void seen.push(`once:${m.text}`));
    bus.emit('chat.message', message('a'));
    bus.off('chat.message', listener);
    bus.emit('chat.message', message('b'));
    expect(seen).toEqual(['on:a', 'once:a']);
    expect(bus.listenerCount('chat.message')).toBe(0);
  });

  it('the function returned by on() unsubscribes', () => {
    const bus = new EventBus();
    const fn = vi.fn();
    const off = bus.on('chat.message', fn);
    off();
    bus.emit('chat.message', message('a'));
    expect(fn).not.toHaveBeenCalled();
  });

  it('a throwing listener becomes kernel.listener.error and the other listeners still run', () => {
    const reported: unknown[] = [];
    const bus = new EventBus({ onListenerError: (error) => reported.push(error) });
    const errors: unknown[] = [];
    bus.on('kernel.listener.error', (e) => void errors.push(e));
    const after = vi.fn();
    bus.on('chat.message', () => {
      throw new Error('listener boom');
    });
    bus.on('chat.message', after);
    expect(() => bus.emit('chat.message', message('a'))).not.toThrow();
    expect(after).toHaveBeenCalledOnce();
    expect(errors).toEqual([{ event: 'chat.message', error: { name: 'Error', message: 'listener boom' } }]);
    expect(reported).toHaveLength(1);
  });

  it('a rejecting async listener becomes kernel.listener.error', async () => {
    const bus = new EventBus();
    bus.on('chat.message', async () => {
      throw new Error('async boom');
    });
    const error = bus.waitFor('kernel.listener.error', undefined, { timeout: 1000 });
    bus.emit('chat.message', message('a'));
    await expect(error).resolves.toMatchObject({ event: 'chat.message', error: { message: 'async boom' } });
  });

  it('a throwing kernel.listener.error listener does not recurse', () => {
    const reported: string[] = [];
    const bus = new EventBus({ onListenerError: (_error, event) => reported.push(event) });
    bus.on('kernel.listener.error', () => {
      throw new Error('error listener boom');
    });
    bus.on('chat.message', () => {
      throw new Error('first');
    });
    bus.emit('chat.message', message('a'));
    expect(reported).toEqual(['chat.message', 'kernel.listener.error']);
  });

  it('waitFor resolves with the first matching payload', async () => {
    const bus = new EventBus();
    const waiting = bus.waitFor('chat.message', (m) => m.text === 'two');
    bus.emit('chat.message', message('one'));
    bus.emit('chat.message', message('two'));
    await expect(waiting).resolves.toMatchObject({ text: 'two' });
    expect(bus.listenerCount('chat.message')).toBe(0);
  });

  it('waitFor rejects with SS_ERR_WAIT_TIMEOUT after the timeout', async () => {
    vi.useFakeTimers();
    try {
      const bus = new EventBus();
      const waiting = bus.waitFor('chat.message', undefined, { timeout: 500 });
      const assertion = expect(waiting).rejects.toMatchObject({ code: 'SS_ERR_WAIT_TIMEOUT' });
      await vi.advanceTimersByTimeAsync(500);
      await assertion;
      expect(bus.listenerCount('chat.message')).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('waitFor rejects with SS_ERR_ABORTED when the signal aborts', async () => {
    const bus = new EventBus();
    const controller = new AbortController();
    const waiting = bus.waitFor('chat.message', undefined, { signal: controller.signal });
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ code: 'SS_ERR_ABORTED' });
    await expect(bus.waitFor('chat.message', undefined, { signal: controller.signal })).rejects.toMatchObject({
      code: 'SS_ERR_ABORTED',
    });
  });

  it('onAny sees every event in order and can be removed', () => {
    const bus = new EventBus();
    const seen: string[] = [];
    const off = bus.onAny((event) => void seen.push(event));
    bus.emit('chat.message', message('a'));
    bus.emit('kernel.stopping', { at: 1 });
    off();
    bus.emit('kernel.stopping', { at: 2 });
    expect(seen).toEqual(['chat.message', 'kernel.stopping']);
  });
});
