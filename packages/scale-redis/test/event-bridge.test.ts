import { EventBus, type EventName } from '@streamsuites/kernel';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreatorLeases, EventBridge, RedisLeadership } from '../src/index.js';
import { startLocalRedis, type LocalRedis } from '../src/testing.js';
import { connect, uniquePrefix, until } from './helpers.js';

/*
 * The bus bridge: chosen events of every process reach the holder of a duty
 * once, through a Redis stream and consumer group; a holder that dies leaves
 * its pending entries to the next one, which never re-emits one twice.
 */

const EVENT = 'probe.happened' as EventName;
const TTL_MS = 600;

let server: LocalRedis;
let redis: Redis;
const open: { stop(): Promise<void> | void }[] = [];
beforeAll(async () => {
  server = await startLocalRedis();
  redis = connect(server.url);
});
afterAll(async () => {
  for (const thing of open.splice(0).reverse()) await thing.stop();
  redis?.disconnect();
  await server?.stop();
});

/** One process's side: its bus, its leadership and its bridge; `seen` is what reached its bus. */
function processSide(name: string, prefix: string) {
  const commands = connect(server.url);
  const bus = new EventBus();
  const seen: { n: number }[] = [];
  bus.on(EVENT, (payload) => void seen.push(payload as unknown as { n: number }));
  const leadership = new RedisLeadership(commands, { owner: name, ttlMs: TTL_MS, prefix });
  const bridge = new EventBridge({ redis: commands, reader: connect(server.url), bus, leadership, process: name, events: [EVENT], prefix, blockMs: 100, claimIdleMs: 200 });
  const side = {
    bus,
    seen,
    leadership,
    bridge,
    emit: (n: number) => bus.emit(EVENT, { n } as never),
    async stop() {
      await bridge.stop();
      await leadership.stop();
      commands.disconnect();
    },
  };
  open.push(side);
  return side;
}

describe('EventBridge', () => {
  it('brings every process\'s chosen events to the duty holder\'s bus once, never its own twice, never back', async () => {
    const prefix = uniquePrefix();
    const a = processSide('a', prefix);
    a.bridge.start();
    await until(() => a.leadership.holds('exports'), 5000, 'a holds the exports duty');
    const b = processSide('b', prefix);
    b.bridge.start();

    b.emit(1);
    await until(() => a.seen.length === 1, 5000, 'b\'s event on a\'s bus');
    expect(a.seen).toEqual([{ n: 1 }]);

    // a's own event is on its bus already: the bridge acknowledges it without re-emitting. Published before
    // b's next event, it is read before it, so once that one arrived, a's own was handled.
    a.emit(2);
    await until(() => a.bridge.counters().published === 1, 5000, 'a published its own event');
    b.emit(3);
    await until(() => a.seen.some((e) => e.n === 3), 5000, 'b\'s second event on a\'s bus');
    expect(a.seen).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    // What a re-emitted is not published again (no echo): a published only its own event.
    expect(a.bridge.counters()).toMatchObject({ published: 1, delivered: 2, duplicates: 0, malformed: 0, publishFailures: 0 });
    // b is no holder: it sees its own events only.
    expect(b.seen).toEqual([{ n: 1 }, { n: 3 }]);
    expect(b.bridge.counters()).toMatchObject({ published: 2, delivered: 0 });
    expect(await redis.xpending(`${prefix}events`, 'bridge')).toEqual([0, null, null, null]);
  });

  it('a holder that died: the next one claims what it had taken, and re-emits none it had re-emitted already', async () => {
    const prefix = uniquePrefix();
    // A holder ("ghost") takes the duty, then three events, re-emits the first, and dies.
    const duty = new CreatorLeases(redis, { prefix: `${prefix}duty:` });
    expect(await duty.acquire('exports', 'ghost', TTL_MS)).toBeDefined();
    await redis.xgroup('CREATE', `${prefix}events`, 'bridge', '$', 'MKSTREAM');
    const b = processSide('b', prefix);
    b.bridge.start();
    for (const n of [1, 2, 3]) b.emit(n);
    await until(() => b.bridge.counters().published === 3, 5000, 'three events published');
    const taken = (await redis.xreadgroup('GROUP', 'bridge', 'ghost', 'COUNT', 10, 'STREAMS', `${prefix}events`, '>')) as [string, [string, string[]][]][];
    const entries = taken[0]![1];
    expect(entries).toHaveLength(3);
    const firstId = entries[0]![1][entries[0]![1].indexOf('i') + 1]!;
    await redis.set(`${prefix}event-done:${firstId}`, '1');
    // b leaves (else it could be the next holder, and its own events are not re-emitted to itself).
    await b.stop();

    // Its duty lease expires; the next holder claims the three and re-emits the two it had not.
    const a = processSide('a', prefix);
    a.bridge.start();
    await until(() => a.seen.length === 2 && a.bridge.counters().duplicates === 1, 10_000, 'the pending events claimed');
    expect(a.seen).toEqual([{ n: 2 }, { n: 3 }]);
    expect(a.bridge.counters()).toMatchObject({ claimed: 3, delivered: 2, duplicates: 1 });
    await until(async () => ((await redis.xpending(`${prefix}events`, 'bridge')) as [number])[0] === 0, 5000, 'all acknowledged');
  });

  it('an entry that is not an event is dropped, counted and acknowledged; the rest flow', async () => {
    const prefix = uniquePrefix();
    const a = processSide('a', prefix);
    a.bridge.start();
    await until(() => a.leadership.holds('exports'), 5000, 'a holds the exports duty');
    await until(async () => (await redis.exists(`${prefix}events`)) === 1, 5000, 'the group made');
    await redis.xadd(`${prefix}events`, '*', 'i', 'x1', 'n', EVENT, 'o', 'elsewhere', 'p', '{not json');
    await redis.xadd(`${prefix}events`, '*', 'i', 'x2', 'n', EVENT, 'o', 'elsewhere', 'p', '{"n":7}');
    await until(() => a.seen.length === 1, 5000, 'the good entry delivered');
    expect(a.seen).toEqual([{ n: 7 }]);
    expect(a.bridge.counters().malformed).toBe(1);
    expect(await redis.xpending(`${prefix}events`, 'bridge')).toEqual([0, null, null, null]);
  });
});
