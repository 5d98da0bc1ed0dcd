/** RuntimeWatch's messages per minute, on a clock the test moves. */
import { EventBus } from '@streamsuites/kernel';
import { chatMessage } from '@streamsuites/testing';
import { describe, expect, it } from 'vitest';
import { RuntimeWatch } from '../src/index.js';

describe('messages per minute', () => {
  it('counts the messages of the last 60 seconds, per creator and platform, and forgets older ones', () => {
    let now = 1_800_000_000_000;
    const bus = new EventBus();
    const watch = new RuntimeWatch(bus, () => now);
    const say = (creatorId: string, n: number) => {
      for (let i = 0; i < n; i++) bus.emit('chat.message', chatMessage({ creatorId }));
    };
    const perMinute = (creatorId: string) => watch.platforms().find((p) => p.creatorId === creatorId)?.perMinute;
    say('daniel', 1000);
    now += 30_000;
    say('daniel', 5);
    say('maya', 2);
    expect([perMinute('daniel'), perMinute('maya')]).toEqual([1005, 2]);
    now += 31_000; // the first 1,000 are 61 s old
    expect(perMinute('daniel')).toBe(5);
    now += 120_000;
    expect([perMinute('daniel'), perMinute('maya')]).toEqual([0, 0]);
    say('daniel', 3);
    expect(perMinute('daniel')).toBe(3);
    watch.dispose();
  });
});
