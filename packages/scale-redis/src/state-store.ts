import type { ReadOptions, StateStore, TableRow, TrimOptions } from '@streamsuites/kernel';
import {
  SS_ERR_STATE_ARGUMENT,
  SS_ERR_STORE_CLOSED,
  checkStateInteger,
  checkStateKey,
  checkStateName,
  compareCodePoints,
  decodeJson,
  encodeJson,
} from '@streamsuites/defaults';
import type { Cluster, Redis } from 'ioredis';
import { SS_ERR_SCALE_REDIS_UNAVAILABLE } from './errors.js';

/*
 * The kernel's StateStore on Redis, so a creator's state (polls, tallies,
 * identity links, page tokens...) follows it to whichever process holds its
 * lease. Keys (the {…} hash tag keeps a call's keys in one Cluster slot):
 *
 *   <prefix>state:{<namespace>}       HASH  field = key, value = JSON text
 *   <prefix>state-table:{<table>}:seq   STRING  last seq ever appended (INCR, never lowered)
 *   <prefix>state-table:{<table>}:rows  ZSET  score = seq, member = "<seq>:<JSON text>"
 *
 * The seq inside the member keeps two equal records distinct (a sorted set
 * holds each member once). Validation and JSON rules are the defaults' ones,
 * so every backend accepts and returns exactly the same values.
 */

/** INCR + ZADD in one step: a seq is taken and its row stored together, or neither. */
const APPEND = `
local seq = redis.call('INCR', KEYS[1])
local text = string.format('%d', seq)
redis.call('ZADD', KEYS[2], text, text .. ':' .. ARGV[1])
return seq`;

/** ARGV[1] = beforeSeq or '', ARGV[2] = keepLast or ''; returns how many rows went. */
const TRIM = `
local removed = 0
if ARGV[1] ~= '' then
  removed = removed + redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[1])
end
if ARGV[2] ~= '' then
  local drop = redis.call('ZCARD', KEYS[1]) - tonumber(ARGV[2])
  if drop > 0 then removed = removed + redis.call('ZREMRANGEBYRANK', KEYS[1], 0, drop - 1) end
end
return removed`;

type StateCommands = {
  ssStateAppend(seqKey: string, rowsKey: string, json: string): Promise<number>;
  ssStateTrim(rowsKey: string, beforeSeq: string, keepLast: string): Promise<number>;
};

export interface RedisStateStoreOptions {
  /**
   * The ioredis client: a `Redis`, or a `Cluster` (every call's keys share
   * one hash slot). Not closed by the store: the caller owns it.
   */
  redis: Redis | Cluster;
  /**
   * Key prefix (default `streamsuites:`). Every process of a deployment must
   * use the same one to share state; different prefixes keep deployments
   * apart on one Redis.
   */
  prefix?: string;
}

/**
 * A {@link StateStore} whose data lives in Redis: every process sharing the
 * Redis and prefix sees the same namespaces and tables, and each call is one
 * atomic Redis command or script. Redis failures are
 * `SS_ERR_SCALE_REDIS_UNAVAILABLE` (error.cause has the client error).
 *
 * `entries()` reads the whole namespace (HGETALL) and sorts it in the
 * process, so keep a namespace to what fits in one reply comfortably (tens of
 * thousands of small entries); use tables for logs that grow.
 */
export class RedisStateStore implements StateStore {
  readonly #redis: Redis & StateCommands;
  readonly #prefix: string;
  #closed = false;

  constructor(options: RedisStateStoreOptions) {
    const client = options?.redis as (Redis & Partial<StateCommands>) | undefined;
    if (typeof client?.defineCommand !== 'function') {
      throw new SS_ERR_STATE_ARGUMENT('Redis state store option redis', 'must be an ioredis client');
    }
    const prefix = options.prefix ?? 'streamsuites:';
    if (typeof prefix !== 'string') throw new SS_ERR_STATE_ARGUMENT('Redis state store option prefix', 'must be a string');
    // Defined once per client: several stores may share it. (Cluster has the same command methods; one type keeps the calls simple.)
    if (client.ssStateAppend === undefined) client.defineCommand('ssStateAppend', { numberOfKeys: 2, lua: APPEND });
    if (client.ssStateTrim === undefined) client.defineCommand('ssStateTrim', { numberOfKeys: 1, lua: TRIM });
    this.#redis = client as Redis & StateCommands;
    this.#prefix = prefix;
  }

  async get<T = unknown>(namespace: string, key: string): Promise<T | undefined> {
    this.#open();
    checkStateName('namespace', namespace);
    checkStateKey(key);
    const json = await this.#call('get', () => this.#redis.hget(this.#hashKey(namespace), key));
    return json === null ? undefined : decodeJson<T>(json);
  }

  async set(namespace: string, key: string, value: unknown): Promise<void> {
    this.#open();
    checkStateName('namespace', namespace);
    checkStateKey(key);
    const json = encodeJson(value, `The value of ${namespace} ${JSON.stringify(key)}`);
    await this.#call('set', () => this.#redis.hset(this.#hashKey(namespace), key, json));
  }

  async delete(namespace: string, key: string): Promise<boolean> {
    this.#open();
    checkStateName('namespace', namespace);
    checkStateKey(key);
    return (await this.#call('delete', () => this.#redis.hdel(this.#hashKey(namespace), key))) === 1;
  }

  async entries<T = unknown>(namespace: string): Promise<[key: string, value: T][]> {
    this.#open();
    checkStateName('namespace', namespace);
    const all = await this.#call('entries', () => this.#redis.hgetall(this.#hashKey(namespace)));
    // Redis hashes have no order: sort here, by code point like every backend.
    return Object.keys(all)
      .sort(compareCodePoints)
      .map((key) => [key, decodeJson<T>(all[key]!)]);
  }

  async append(table: string, record: unknown): Promise<number> {
    this.#open();
    checkStateName('table', table);
    const json = encodeJson(record, `The record appended to ${table}`);
    const seq = await this.#call('append', () => this.#redis.ssStateAppend(this.#seqKey(table), this.#rowsKey(table), json));
    return Number(seq);
  }

  async read<T = unknown>(table: string, options: ReadOptions = {}): Promise<TableRow<T>[]> {
    this.#open();
    checkStateName('table', table);
    checkStateInteger('read() afterSeq', options.afterSeq, 0);
    checkStateInteger('read() limit', options.limit, 0);
    const { afterSeq = 0, limit } = options;
    if (limit === 0) return [];
    const key = this.#rowsKey(table);
    const from = `(${afterSeq}`;
    // The score index finds the first row after afterSeq directly: a page costs O(log n + limit).
    const members = await this.#call('read', () =>
      limit === undefined ? this.#redis.zrangebyscore(key, from, '+inf') : this.#redis.zrangebyscore(key, from, '+inf', 'LIMIT', 0, limit),
    );
    return members.map((member) => {
      const colon = member.indexOf(':');
      return { seq: Number(member.slice(0, colon)), record: decodeJson<T>(member.slice(colon + 1)) };
    });
  }

  async lastSeq(table: string): Promise<number> {
    this.#open();
    checkStateName('table', table);
    const seq = await this.#call('lastSeq', () => this.#redis.get(this.#seqKey(table)));
    return seq === null ? 0 : Number(seq);
  }

  async trim(table: string, options: TrimOptions): Promise<number> {
    this.#open();
    checkStateName('table', table);
    checkStateInteger('trim() keepLast', options?.keepLast, 0);
    checkStateInteger('trim() beforeSeq', options?.beforeSeq, 0);
    if (options?.keepLast === undefined && options?.beforeSeq === undefined) {
      throw new SS_ERR_STATE_ARGUMENT('trim() options', 'give keepLast, beforeSeq or both');
    }
    const { keepLast, beforeSeq } = options;
    const removed = await this.#call('trim', () =>
      this.#redis.ssStateTrim(this.#rowsKey(table), beforeSeq === undefined ? '' : String(beforeSeq), keepLast === undefined ? '' : String(keepLast)),
    );
    return Number(removed);
  }

  /** Later calls reject with SS_ERR_STORE_CLOSED. The data stays in Redis, and the client stays open (the caller owns it). */
  close(): void {
    this.#closed = true;
  }

  /** The Redis keys of a namespace or table, for inspection and tests. */
  keysOf(kind: 'namespace', namespace: string): { hash: string };
  keysOf(kind: 'table', table: string): { seq: string; rows: string };
  keysOf(kind: 'namespace' | 'table', name: string): { hash: string } | { seq: string; rows: string } {
    checkStateName(kind, name);
    return kind === 'namespace' ? { hash: this.#hashKey(name) } : { seq: this.#seqKey(name), rows: this.#rowsKey(name) };
  }

  #open(): void {
    if (this.#closed) throw new SS_ERR_STORE_CLOSED('The Redis state store');
  }

  async #call<R>(operation: string, run: () => Promise<R>): Promise<R> {
    try {
      return await run();
    } catch (error) {
      const what = `state store ${operation}()`;
      throw new SS_ERR_SCALE_REDIS_UNAVAILABLE(what, (error as Error).message, { cause: error, details: { operation: what } });
    }
  }

  #hashKey(namespace: string): string {
    return `${this.#prefix}state:{${namespace}}`;
  }

  #seqKey(table: string): string {
    return `${this.#prefix}state-table:{${table}}:seq`;
  }

  #rowsKey(table: string): string {
    return `${this.#prefix}state-table:{${table}}:rows`;
  }
}

/** A {@link RedisStateStore}: provide it as the kernel's `stateStoreRef` in every process of a deployment. */
export function createRedisStateStore(options: RedisStateStoreOptions): RedisStateStore {
  return new RedisStateStore(options);
}
