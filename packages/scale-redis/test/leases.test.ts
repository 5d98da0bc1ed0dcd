import { fileURLToPath } from 'node:url';
import { spawnScript } from '@streamsuites/kernel/testing';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { SS_ERR_SCALE_LEASE_INVALID } from '../src/errors.js';
import { CreatorLeases, LeaseKeeper, fairShare } from '../src/leases.js';
import { startLocalRedis, type LocalRedis } from '../src/testing.js';
import { connect, uniquePrefix, until, useLocalRedis } from './helpers.js';

let server: LocalRedis;
let redis: Redis;
useLocalRedis((s, r) => {
  server = s;
  redis = r;
});

const creators = (n: number): string[] => Array.from({ length: n }, (_, i) => `c${i}`);

describe('CreatorLeases', () => {
  it('acquire is exclusive until released, and release frees the lease at once', async () => {
    const leases = new CreatorLeases(redis, { prefix: uniquePrefix() });
    const a = await leases.acquire('alice', 'proc-a', 60_000);
    expect(a).toEqual({ token: 1 });
    expect(await leases.acquire('alice', 'proc-b', 60_000)).toBeUndefined();
    expect(await leases.acquire('alice', 'proc-a', 60_000)).toBeUndefined(); // not re-entrant either
    expect(await leases.owner('alice')).toEqual({ owner: 'proc-a', token: 1 });
    // Only the holder, with its token, can release it.
    expect(await leases.release('alice', 'proc-b', 1)).toBe(false);
    expect(await leases.release('alice', 'proc-a', 2)).toBe(false);
    expect(await leases.owner('alice')).toEqual({ owner: 'proc-a', token: 1 });
    expect(await leases.release('alice', 'proc-a', a!.token)).toBe(true);
    expect(await leases.owner('alice')).toBeUndefined();
    expect(await leases.acquire('alice', 'proc-b', 60_000)).toEqual({ token: 2 });
  });

  it('uses the configured prefix for its keys, with a PX expiry on the lease', async () => {
    const prefix = uniquePrefix();
    const leases = new CreatorLeases(redis, { prefix });
    await leases.acquire('bob', 'p', 60_000);
    expect(await redis.get(`${prefix}lease:{bob}`)).toBe('1|p');
    expect(await redis.get(`${prefix}lease-fence:{bob}`)).toBe('1');
    const ttl = await redis.pttl(`${prefix}lease:{bob}`);
    expect(ttl).toBeGreaterThan(50_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
    expect(await redis.pttl(`${prefix}lease-fence:{bob}`)).toBe(-1); // the fence never expires: tokens only grow
  });

  it('renew extends only the current holder; a stale token (after a takeover) fails', async () => {
    const leases = new CreatorLeases(redis, { prefix: uniquePrefix() });
    const first = (await leases.acquire('carol', 'proc-a', 100))!;
    expect(await leases.renew('carol', 'proc-a', first.token, 60_000)).toBe(true);
    expect(await redis.pttl(leases.leaseKey('carol'))).toBeGreaterThan(50_000);
    await leases.release('carol', 'proc-a', first.token);
    const second = (await leases.acquire('carol', 'proc-b', 60_000))!;
    expect(await leases.renew('carol', 'proc-a', first.token, 60_000)).toBe(false);
    expect(await leases.renew('carol', 'proc-b', first.token, 60_000)).toBe(false); // right owner, stale token
    expect(await leases.renew('carol', 'proc-a', second.token, 60_000)).toBe(false); // right token, wrong owner
    expect(await leases.renew('carol', 'proc-b', second.token, 60_000)).toBe(true);
    expect(await leases.owner('carol')).toEqual({ owner: 'proc-b', token: second.token });
  });

  it('renew fails once the lease expired, even if nobody took it', async () => {
    const leases = new CreatorLeases(redis, { prefix: uniquePrefix() });
    const lease = (await leases.acquire('dave', 'proc-a', 40))!;
    await until(async () => (await leases.owner('dave')) === undefined, 5000, 'lease to expire');
    expect(await leases.renew('dave', 'proc-a', lease.token, 60_000)).toBe(false);
    expect(await leases.owner('dave')).toBeUndefined();
  });

  it('the fencing token increases on every takeover, by release or by expiry', async () => {
    const leases = new CreatorLeases(redis, { prefix: uniquePrefix() });
    const tokens: number[] = [];
    for (let i = 0; i < 6; i++) {
      const owner = `proc-${i % 3}`;
      const lease = await leases.acquire('erin', owner, i % 2 === 0 ? 40 : 60_000);
      expect(lease).toBeDefined();
      tokens.push(lease!.token);
      if (i % 2 === 0) await until(async () => (await leases.owner('erin')) === undefined, 5000, 'lease to expire');
      else await leases.release('erin', owner, lease!.token);
    }
    expect(tokens).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('rejects empty names and tiny TTLs with SS_ERR_SCALE_LEASE_INVALID', async () => {
    const leases = new CreatorLeases(redis, { prefix: uniquePrefix() });
    await expect(leases.acquire('', 'p', 1000)).rejects.toSatisfy(SS_ERR_SCALE_LEASE_INVALID.is);
    await expect(leases.acquire('x', '', 1000)).rejects.toSatisfy(SS_ERR_SCALE_LEASE_INVALID.is);
    await expect(leases.acquire('a{b}', 'p', 1000)).rejects.toSatisfy(SS_ERR_SCALE_LEASE_INVALID.is);
    await expect(leases.acquire('x', 'p', 5)).rejects.toSatisfy(SS_ERR_SCALE_LEASE_INVALID.is);
    await expect(leases.renew('x', 'p', 1, 1.5)).rejects.toSatisfy(SS_ERR_SCALE_LEASE_INVALID.is);
  });
});

describe('LeaseKeeper', () => {
  it('fair share is ceil(N / P)', () => {
    expect(fairShare(10, 2)).toBe(5);
    expect(fairShare(10, 3)).toBe(4);
    expect(fairShare(10, 0)).toBe(10);
    expect(fairShare(0, 4)).toBe(0);
  });

  it('two keepers with 10 creators end up with 5 each, disjoint, matching Redis', async () => {
    const prefix = uniquePrefix();
    const all = creators(10);
    const a = new LeaseKeeper(redis, { owner: 'proc-a', ttlMs: 60_000, prefix, creators: all });
    const b = new LeaseKeeper(redis, { owner: 'proc-b', ttlMs: 60_000, prefix, creators: all });
    const acquired: string[] = [];
    a.on('acquired', (id) => acquired.push(id));
    await a.tick();
    expect(a.held().size).toBe(10); // alone: everything
    expect(acquired).toHaveLength(10);
    await b.tick(); // joins: its share is 5, but all are taken
    expect(b.held().size).toBe(0);
    await a.tick(); // sees 2 processes: gives up 5
    expect(a.held().size).toBe(5);
    await b.tick(); // takes the free ones
    expect(b.held().size).toBe(5);
    const ofA = [...a.held().keys()];
    const ofB = [...b.held().keys()];
    expect(new Set([...ofA, ...ofB])).toEqual(new Set(all));
    const leases = new CreatorLeases(redis, { prefix });
    for (const id of ofA) expect((await leases.owner(id))?.owner).toBe('proc-a');
    for (const id of ofB) expect((await leases.owner(id))?.owner).toBe('proc-b');
    // Stable: more rounds move nothing.
    await a.tick();
    await b.tick();
    expect([...a.held().keys()]).toEqual(ofA);
    expect([...b.held().keys()]).toEqual(ofB);
    // A clean stop hands everything over on the next round.
    await a.stop();
    await b.tick();
    expect(b.held().size).toBe(10);
    await b.stop();
    for (const id of all) expect(await leases.owner(id)).toBeUndefined();
  });

  it('setCreators: a removed creator is released at the next round, a new one acquired', async () => {
    const prefix = uniquePrefix();
    const keeper = new LeaseKeeper(redis, { owner: 'proc-a', ttlMs: 60_000, prefix, creators: ['hal', 'ivy'] });
    const events: string[] = [];
    keeper.on('acquired', (id) => events.push(`+${id}`));
    keeper.on('released', (id) => events.push(`-${id}`));
    await keeper.tick();
    keeper.setCreators(['ivy', 'jo']);
    await keeper.tick();
    expect(events.sort()).toEqual(['+hal', '+ivy', '+jo', '-hal']);
    expect([...keeper.held().keys()].sort()).toEqual(['ivy', 'jo']);
    const leases = new CreatorLeases(redis, { prefix });
    expect(await leases.owner('hal')).toBeUndefined();
    await keeper.stop();
  });

  it('emits lost when a renew fails (someone else holds the lease now)', async () => {
    const prefix = uniquePrefix();
    const keeper = new LeaseKeeper(redis, { owner: 'proc-a', ttlMs: 60_000, prefix, creators: ['frank'] });
    const lost: string[] = [];
    keeper.on('lost', (id) => lost.push(id));
    await keeper.tick();
    const token = keeper.held().get('frank')!;
    // An operator (or an expiry plus a takeover) moves the lease away.
    const leases = new CreatorLeases(redis, { prefix });
    await redis.del(leases.leaseKey('frank'));
    expect(await leases.acquire('frank', 'proc-b', 60_000)).toEqual({ token: token + 1 });
    await keeper.tick();
    expect(lost).toEqual(['frank']);
    expect(keeper.held().size).toBe(0);
    await keeper.stop();
    expect(await leases.owner('frank')).toEqual({ owner: 'proc-b', token: token + 1 }); // stop() did not free b's lease
  });

  it('when Redis is unreachable, reports lost only leases not renewed for 2/3 of the TTL', async () => {
    const own = await startLocalRedis();
    const client = new Redis(own.url, { maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => 50 });
    let now = 1_000_000;
    const timers = { setInterval: () => undefined, clearInterval: () => undefined, now: () => now };
    const keeper = new LeaseKeeper(client, { owner: 'proc-a', ttlMs: 3000, prefix: uniquePrefix(), creators: ['gina'], timers });
    const lost: string[] = [];
    const errors: unknown[] = [];
    keeper.on('lost', (id) => lost.push(id));
    keeper.on('error', (error) => errors.push(error));
    try {
      await until(() => client.status === 'ready', 5000, 'client to connect'); // no offline queue: commands fail until then
      await keeper.tick();
      expect(keeper.held().has('gina')).toBe(true);
      await own.stop();
      await until(() => client.status !== 'ready', 5000, 'client to notice the server is gone');
      now += 1000; // one missed heartbeat: the lease is still valid in Redis
      await keeper.tick();
      expect(errors).toHaveLength(1);
      expect(lost).toEqual([]);
      now += 1000; // 2/3 of the TTL without a renewal: stop serving before it may expire
      await keeper.tick();
      expect(errors).toHaveLength(2);
      expect(lost).toEqual(['gina']);
      expect(keeper.held().size).toBe(0);
    } finally {
      client.disconnect();
      await own.stop();
    }
  });

  it('a SIGKILLed process loses its creators to another keeper within the lease TTL', async () => {
    const prefix = uniquePrefix();
    const ttlMs = 1500;
    const holder = spawnScript(fileURLToPath(new URL('./fixtures/holder.ts', import.meta.url)), [server.url, prefix, 'proc-dead', String(ttlMs), '10'], {
      env: { PATH: process.env.PATH ?? '' },
    });
    try {
      await holder.until('holding 10');
      const survivor = new LeaseKeeper(redis, { owner: 'proc-live', ttlMs, prefix, creators: creators(10) });
      const tokens = new Map<string, number>();
      survivor.on('acquired', (id, token) => tokens.set(id, token));
      await survivor.start();
      // Both run on real timers: the holder gives up half at its next round.
      await until(() => survivor.held().size === 5, 5 * ttlMs, 'survivor to get its fair share');
      await holder.until('holding 5');
      const leases = new CreatorLeases(redis, { prefix });
      const deadTokens = new Map<string, number>();
      for (const id of creators(10)) {
        const lease = await leases.owner(id);
        if (lease?.owner === 'proc-dead') deadTokens.set(id, lease.token);
      }
      expect(deadTokens.size).toBe(5);
      holder.child.kill('SIGKILL');
      await holder.exited;
      const killedAt = Date.now();
      // The dead leases expire within ttlMs; the survivor's next round (every ttlMs / 3) takes them.
      await until(() => survivor.held().size === 10, 4 * ttlMs, 'survivor to take the dead process creators');
      // Expiry (ttlMs) plus one round (ttlMs / 3); the rest is slack for a loaded CI machine (2 test workers on 2 cores).
      expect(Date.now() - killedAt).toBeLessThan(ttlMs + ttlMs / 3 + 2000);
      for (const [id, old] of deadTokens) expect(tokens.get(id)!).toBeGreaterThan(old);
      await survivor.stop();
    } finally {
      holder.child.kill('SIGKILL');
    }
  });
});
