import { defaultPlugins } from '@streamsuites/defaults';
import { definePlugin, stateStoreRef, type StateStore } from '@streamsuites/kernel';
import { freeLocalPort, startTestKernel } from '@streamsuites/kernel/testing';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeStateStore } from '../../defaults/test/suites/state-store.js';
import { createRedisStateStore, RedisStateStore } from '../src/state-store.js';
import { startLocalRedis, type LocalRedis } from '../src/testing.js';
import { connect, uniquePrefix, until } from './helpers.js';

let server: LocalRedis;
let redis: Redis;
const clients: Redis[] = [];
/** A connection of its own (closed after all tests), as each process of a deployment has. */
const client = (): Redis => {
  const c = connect(server.url);
  clients.push(c);
  return c;
};
beforeAll(async () => {
  server = await startLocalRedis();
  redis = client();
});
afterAll(async () => {
  for (const c of clients) c.disconnect();
  await server?.stop();
});

// The behaviour every backend has (memory, SQLite), each test on a prefix of its own.
describeStateStore('redis', {
  open: () => createRedisStateStore({ redis, prefix: uniquePrefix() }),
  close: (store) => (store as RedisStateStore).close(),
});

describe('RedisStateStore', () => {
  it('keeps a namespace in one hash and a table in a counter and a sorted set, hash-tagged by name', async () => {
    const prefix = uniquePrefix();
    const store = createRedisStateStore({ redis, prefix });
    await store.set('polls.open', 'alice', { question: 'Map?', votes: [0, 0] });
    await store.append('clips.ledger', { id: 'c1' });
    await store.append('clips.ledger', { id: 'c1' }); // equal records stay two rows
    expect(store.keysOf('namespace', 'polls.open')).toEqual({ hash: `${prefix}state:{polls.open}` });
    expect(store.keysOf('table', 'clips.ledger')).toEqual({ seq: `${prefix}state-table:{clips.ledger}:seq`, rows: `${prefix}state-table:{clips.ledger}:rows` });
    expect(await redis.hgetall(`${prefix}state:{polls.open}`)).toEqual({ alice: '{"question":"Map?","votes":[0,0]}' });
    expect(await redis.get(`${prefix}state-table:{clips.ledger}:seq`)).toBe('2');
    expect(await redis.zrange(`${prefix}state-table:{clips.ledger}:rows`, 0, -1, 'WITHSCORES')).toEqual(['1:{"id":"c1"}', '1', '2:{"id":"c1"}', '2']);
    expect(await store.read('clips.ledger')).toEqual([
      { seq: 1, record: { id: 'c1' } },
      { seq: 2, record: { id: 'c1' } },
    ]);
    // Nothing outside the prefix.
    expect((await redis.keys(`${prefix}*`)).sort()).toEqual([`${prefix}state-table:{clips.ledger}:rows`, `${prefix}state-table:{clips.ledger}:seq`, `${prefix}state:{polls.open}`]);
  });

  it('two stores on separate connections with one prefix see each other: values, deletes and interleaved appends', async () => {
    const prefix = uniquePrefix();
    const a = createRedisStateStore({ redis: client(), prefix });
    const b = createRedisStateStore({ redis: client(), prefix });
    await a.set('scores.game', 'alice', 10);
    expect(await b.get('scores.game', 'alice')).toBe(10);
    await b.set('scores.game', 'bob', 7);
    expect(await a.entries('scores.game')).toEqual([
      ['alice', 10],
      ['bob', 7],
    ]);
    expect(await b.delete('scores.game', 'alice')).toBe(true);
    expect(await a.get('scores.game', 'alice')).toBeUndefined();

    const appends = Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? a : b).append('chat.log', { from: i % 2 === 0 ? 'a' : 'b', i }));
    const seqs = await Promise.all(appends);
    expect(new Set(seqs).size).toBe(40);
    expect([...seqs].sort((x, y) => x - y)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    // Each store's own appends got increasing numbers (its connection keeps its order).
    const own = (from: number) => seqs.filter((_, i) => i % 2 === from);
    expect(own(0)).toEqual([...own(0)].sort((x, y) => x - y));
    expect(own(1)).toEqual([...own(1)].sort((x, y) => x - y));
    const rowsA = await a.read<{ from: string; i: number }>('chat.log');
    expect(await b.read('chat.log')).toEqual(rowsA);
    expect(rowsA.map((r) => r.seq)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(rowsA.filter((r) => r.record.from === 'a').map((r) => r.record.i)).toEqual(Array.from({ length: 20 }, (_, i) => 2 * i));
    // A trim through one store is seen by the other; numbers go on from the highest.
    expect(await b.trim('chat.log', { keepLast: 5 })).toBe(35);
    expect((await a.read('chat.log')).map((r) => r.seq)).toEqual([36, 37, 38, 39, 40]);
    expect(await a.lastSeq('chat.log')).toBe(40);
    expect(await b.append('chat.log', 'next')).toBe(41);
  });

  it('a different prefix is a different deployment', async () => {
    const a = createRedisStateStore({ redis, prefix: uniquePrefix() });
    const b = createRedisStateStore({ redis, prefix: uniquePrefix() });
    await a.set('links.identity', 'twitch:1', 'youtube:2');
    await a.append('test.log', 1);
    expect(await b.get('links.identity', 'twitch:1')).toBeUndefined();
    expect(await b.lastSeq('test.log')).toBe(0);
  });

  it('handles keys that are special to JavaScript objects and very large keepLast', async () => {
    const store = createRedisStateStore({ redis, prefix: uniquePrefix() });
    for (const key of ['__proto__', 'constructor', 'hasOwnProperty', 'toString']) await store.set('test.odd', key, { key });
    expect(await store.entries('test.odd')).toEqual([
      ['__proto__', { key: '__proto__' }],
      ['constructor', { key: 'constructor' }],
      ['hasOwnProperty', { key: 'hasOwnProperty' }],
      ['toString', { key: 'toString' }],
    ]);
    expect(await store.get('test.odd', '__proto__')).toEqual({ key: '__proto__' });
    await store.append('test.big', 1);
    expect(await store.trim('test.big', { keepLast: Number.MAX_SAFE_INTEGER })).toBe(0);
    expect(await store.trim('test.big', { beforeSeq: Number.MAX_SAFE_INTEGER })).toBe(1);
    expect(await store.read('test.big', { afterSeq: Number.MAX_SAFE_INTEGER - 1 })).toEqual([]);
  });

  it('close() refuses later calls with SS_ERR_STORE_CLOSED; the data and the client stay', async () => {
    const prefix = uniquePrefix();
    const own = client();
    const store = createRedisStateStore({ redis: own, prefix });
    await store.set('test.kv', 'k', 1);
    await store.append('test.log', 1);
    store.close();
    const calls: [string, () => Promise<unknown>][] = [
      ['get', () => store.get('test.kv', 'k')],
      ['set', () => store.set('test.kv', 'k', 2)],
      ['delete', () => store.delete('test.kv', 'k')],
      ['entries', () => store.entries('test.kv')],
      ['append', () => store.append('test.log', 2)],
      ['read', () => store.read('test.log')],
      ['lastSeq', () => store.lastSeq('test.log')],
      ['trim', () => store.trim('test.log', { keepLast: 0 })],
    ];
    for (const [name, call] of calls) await expect(call(), name).rejects.toMatchObject({ code: 'SS_ERR_STORE_CLOSED' });
    expect(await own.ping()).toBe('PONG');
    const again = createRedisStateStore({ redis: own, prefix });
    expect(await again.get('test.kv', 'k')).toBe(1);
    expect(await again.read('test.log')).toEqual([{ seq: 1, record: 1 }]);
  });

  it('an unreachable Redis fails every call with SS_ERR_SCALE_REDIS_UNAVAILABLE, the client error as cause', async () => {
    const port = await freeLocalPort(); // nothing listens there
    const dead = new Redis(`redis://127.0.0.1:${port}`, { maxRetriesPerRequest: 0, retryStrategy: () => null });
    dead.on('error', () => undefined);
    clients.push(dead);
    const store = createRedisStateStore({ redis: dead, prefix: uniquePrefix() });
    const calls: [string, () => Promise<unknown>][] = [
      ['get', () => store.get('test.kv', 'k')],
      ['set', () => store.set('test.kv', 'k', 2)],
      ['delete', () => store.delete('test.kv', 'k')],
      ['entries', () => store.entries('test.kv')],
      ['append', () => store.append('test.log', 2)],
      ['read', () => store.read('test.log')],
      ['lastSeq', () => store.lastSeq('test.log')],
      ['trim', () => store.trim('test.log', { keepLast: 0 })],
    ];
    for (const [name, call] of calls) {
      const error = await call().catch((e: unknown) => e);
      expect(error, name).toMatchObject({ code: 'SS_ERR_SCALE_REDIS_UNAVAILABLE', details: { operation: `state store ${name}()` } });
      expect((error as Error).cause, name).toBeInstanceOf(Error);
    }
    // Argument and JSON errors come first, without Redis.
    await expect(store.set('Bad name', 'k', 1)).rejects.toMatchObject({ code: 'SS_ERR_STATE_ARGUMENT' });
    await expect(store.append('test.log', () => 1)).rejects.toMatchObject({ code: 'SS_ERR_NOT_JSON' });
  });

  it('refuses a missing client or a non-string prefix with SS_ERR_STATE_ARGUMENT', () => {
    expect(() => createRedisStateStore({} as never)).toThrow(expect.objectContaining({ code: 'SS_ERR_STATE_ARGUMENT' }));
    expect(() => createRedisStateStore({ redis, prefix: 7 as never })).toThrow(expect.objectContaining({ code: 'SS_ERR_STATE_ARGUMENT' }));
  });
});

describe('in a kernel: state follows a creator to another process', () => {
  /** What the scale plugin does: provide the Redis store over the memory one (a test double of it, not plugin.ts). */
  const redisState = (connection: Redis, prefix: string) =>
    definePlugin({
      id: 'redis-state-test',
      version: '1.0.0',
      kernel: '^0.2.0',
      register(reg) {
        reg.provide(stateStoreRef, { factory: () => createRedisStateStore({ redis: connection, prefix }), dispose: (store) => store.close() });
      },
    });
  /** Counts its creator's starts in a namespace and logs each in a table. */
  const tally = definePlugin({
    id: 'tally',
    version: '1.0.0',
    kernel: '^0.2.0',
    register(reg) {
      reg.onInit({
        deps: { state: stateStoreRef },
        async start({ deps, creator }) {
          const starts = ((await deps.state.get<number>('tally.starts', creator.id)) ?? 0) + 1;
          await deps.state.set('tally.starts', creator.id, starts);
          await deps.state.append('tally.log', { creator: creator.id, starts });
        },
      });
    },
  });

  it('a creator started by a second kernel continues from the first one\'s state', async () => {
    const prefix = uniquePrefix();
    const manifest = { creators: { daniel: { enable: ['tally'] } } };
    const first = await startTestKernel({ defaults: defaultPlugins(), plugins: [redisState(client(), prefix), tally], manifest });
    const firstStore: StateStore = first.kernel.resolve(stateStoreRef);
    expect(firstStore).toBeInstanceOf(RedisStateStore);
    expect(await firstStore.get('tally.starts', 'daniel')).toBe(1);
    await first.stop();
    await expect(firstStore.get('tally.starts', 'daniel')).rejects.toMatchObject({ code: 'SS_ERR_STORE_CLOSED' });

    const second = await startTestKernel({ defaults: defaultPlugins(), plugins: [redisState(client(), prefix), tally], manifest });
    const state = second.kernel.resolve(stateStoreRef);
    expect(await state.get('tally.starts', 'daniel')).toBe(2);
    expect(await state.read('tally.log')).toEqual([
      { seq: 1, record: { creator: 'daniel', starts: 1 } },
      { seq: 2, record: { creator: 'daniel', starts: 2 } },
    ]);
    await second.stop();
  });
});

describe('on Redis Cluster', () => {
  it('every call works through a Cluster client: the keys one script touches share a hash slot', async () => {
    // A one-node cluster holding every slot: Cluster mode still refuses a script whose keys span slots (CROSSSLOT).
    const port = await freeLocalPort();
    const dir = mkdtempSync(join(tmpdir(), 'ss-state-cluster-'));
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'];
    const child = spawn('redis-server', [...args, '--cluster-enabled', 'yes', '--cluster-announce-ip', '127.0.0.1', '--cluster-config-file', join(dir, 'nodes.conf')], { stdio: 'ignore' });
    const node = new Redis(port, '127.0.0.1', { maxRetriesPerRequest: 1, retryStrategy: () => 50 });
    node.on('error', () => undefined);
    let cluster: Cluster | undefined;
    try {
      await until(async () => (await node.ping().catch(() => '')) === 'PONG', 10_000, 'the cluster node to answer');
      await node.call('CLUSTER', 'ADDSLOTSRANGE', '0', '16383');
      await until(async () => String(await node.call('CLUSTER', 'INFO')).includes('cluster_state:ok'), 10_000, 'cluster_state:ok');
      const prefix = uniquePrefix();
      const seqKey = `${prefix}state-table:{clips.ledger}:seq`;
      expect(await node.call('CLUSTER', 'KEYSLOT', seqKey)).toBe(await node.call('CLUSTER', 'KEYSLOT', `${prefix}state-table:{clips.ledger}:rows`));
      // Without the tag the two keys would be in different slots, and the append script would fail.
      expect(await node.call('CLUSTER', 'KEYSLOT', `${prefix}state-table:clips.ledger:seq`)).not.toBe(await node.call('CLUSTER', 'KEYSLOT', `${prefix}state-table:clips.ledger:rows`));

      cluster = new Cluster([{ host: '127.0.0.1', port }], { redisOptions: { maxRetriesPerRequest: 1 } });
      const store = createRedisStateStore({ redis: cluster, prefix });
      await store.set('polls.open', 'alice', { votes: [1, 2] });
      expect(await store.get('polls.open', 'alice')).toEqual({ votes: [1, 2] });
      expect(await store.entries('polls.open')).toEqual([['alice', { votes: [1, 2] }]]);
      for (let i = 1; i <= 5; i++) expect(await store.append('clips.ledger', { i })).toBe(i);
      expect((await store.read('clips.ledger', { afterSeq: 1, limit: 2 })).map((r) => r.seq)).toEqual([2, 3]);
      expect(await store.trim('clips.ledger', { keepLast: 2, beforeSeq: 2 })).toBe(3);
      expect(await store.lastSeq('clips.ledger')).toBe(5);
      expect(await store.delete('polls.open', 'alice')).toBe(true);
    } finally {
      cluster?.disconnect();
      node.disconnect();
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
