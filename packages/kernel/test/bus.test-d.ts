import { describe, expectTypeOf, it } from 'vitest';
import { EventBus, type ChatMessage, type StreamSuitesEvents } from '../src/index.js';

// Plugins extend the event map by augmentation; the bus picks it up.
declare module '../src/index.js' {
  interface StreamSuitesEvents {
    'test.ping': { n: number };
  }
}

describe('bus typing', () => {
  const bus = new EventBus();

  it('listeners receive the payload type of their event', () => {
    bus.on('chat.message', (payload) => {
      expectTypeOf(payload).toEqualTypeOf<ChatMessage>();
    });
    bus.on('test.ping', (payload) => {
      expectTypeOf(payload).toEqualTypeOf<{ n: number }>();
    });
  });

  it('rejects a wrong payload, an unknown event and a wrong listener', () => {
    // @ts-expect-error — payload of test.ping needs n: number
    bus.emit('test.ping', { n: 'one' });
    // @ts-expect-error — chat.message needs a ChatMessage
    bus.emit('chat.message', { text: 'hi' });
    // @ts-expect-error — unknown event name
    bus.emit('no.such-event', {});
    // @ts-expect-error — listener expects the wrong payload type
    bus.on('test.ping', (payload: { n: string }) => void payload);
    bus.emit('test.ping', { n: 1 });
  });

  it('waitFor resolves with the event payload type', () => {
    expectTypeOf(bus.waitFor('test.ping')).resolves.toEqualTypeOf<StreamSuitesEvents['test.ping']>();
  });
});
