import { describe, expect, it } from 'vitest';
import { DEFAULT_CHAT_MODEL, generateChat } from '../src/budget/simulate.js';
import { mulberry32 } from '../src/budget/prng.js';
import { CHANNEL, setup, T0, until } from './session-helpers.js';

const HOURS = 8;

describe('a whole stream day through the real session and the local API', () => {
  it('8 hours of bursty chat on a fake clock: polling covers the whole stream within 10,000 units, every message delivered once', async () => {
    const { messages } = generateChat(mulberry32(7), HOURS * 3_600_000, DEFAULT_CHAT_MODEL);
    let next = 0;
    let fake: Awaited<ReturnType<typeof setup>>['fake'] | undefined;
    // Chat "happens" as the virtual clock moves: every message due by now is said.
    const onAdvance = (now: number) => {
      while (next < messages.length && T0 + messages[next]! <= now && T0 + messages[next]! <= T0 + HOURS * 3_600_000) {
        fake!.say({ author: `viewer${next % 300}`, text: `m${next}` });
        next += 1;
      }
    };
    const s = await setup({ onAdvance });
    fake = s.fake;
    fake.goLive({ channelId: CHANNEL });
    let delivered = 0;
    const ids = new Set<string>();
    let duplicates = 0;
    s.t.bus.on('chat.message', (m) => {
      delivered += 1;
      if (ids.has(m.id)) duplicates += 1;
      ids.add(m.id);
    });
    s.session.start();
    await until('8 virtual hours', () => s.clock.now() >= T0 + HOURS * 3_600_000, 60_000);
    await until('the last messages', () => delivered >= next, 10_000);
    await s.session.stop();

    const quota = await s.tracker.snapshot();
    expect(next).toBeGreaterThan(10_000); // realistic volume: tens of thousands of messages
    expect(delivered).toBe(next);
    expect(duplicates).toBe(0);
    expect(fake.unitsUsed()).toBeLessThanOrEqual(10_000);
    expect(quota.used).toBe(fake.unitsUsed());
    // Polling ran to the end: no gap longer than the governor's ceiling in the last hour.
    const lastHour = s.sleeps.slice(-60);
    expect(Math.max(...lastHour)).toBeLessThanOrEqual(60_000);
    expect(s.t.events.of('quota.exceeded')).toHaveLength(0);
  }, 120_000);
});
