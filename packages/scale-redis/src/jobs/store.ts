import type { JobRow, JobRowFilter } from '@streamsuites/defaults';
import type { JobState } from '@streamsuites/kernel';
import type { Redis } from 'ioredis';
import { jobCommands, type JobCommands } from './scripts.js';

/** A job as stored in Redis: the row, its insertion number and the token of its latest claim. */
export interface StoredJob extends JobRow {
  seq: number;
  /** Set by each claim (a counter): the fencing token writes of that attempt must carry. */
  claim: string | null;
  /** The registry (process) running or last running it. */
  owner: string | null;
}

/** What a compare-and-set expects to find. */
export interface Expected {
  state: JobState;
  attempts: number;
  claim: string | null;
}

const NUMBERS = ['attempts', 'maxAttempts', 'createdAt', 'updatedAt', 'runAt'] as const;
const OPTIONAL_NUMBERS = ['startedAt', 'finishedAt'] as const;
const OPTIONAL_TEXT = ['creatorId', 'error', 'errorCode', 'result', 'claim', 'owner'] as const;
/** Fields a state change may rewrite (never id, type, creatorId, payload, createdAt, seq). */
const MUTABLE = ['state', 'attempts', 'maxAttempts', 'updatedAt', 'runAt', 'startedAt', 'finishedAt', 'error', 'errorCode', 'result'] as const;
const LIST_CHUNK = 200;
const PRUNE_CHUNK = 500;
/** Queued jobs a claim looks at past creators at their limit. */
const CLAIM_SCAN = 200;

/** Low-level job storage on Redis: one method per script or read. No scheduling here (see RedisJobRegistry). */
export class RedisJobStore {
  readonly redis: Redis & JobCommands;
  /** `<prefix>{jobs}:`, the start of every key. */
  readonly base: string;

  constructor(redis: Redis, prefix: string) {
    this.redis = jobCommands(redis);
    this.base = `${prefix}{jobs}:`;
  }

  get channel(): string {
    return `${this.base}events`;
  }

  async insert(row: JobRow): Promise<number> {
    const fields: string[] = [];
    for (const [key, value] of Object.entries(row)) if (value !== null) fields.push(key, String(value));
    return Number(await this.redis.ssJobEnqueue(this.base, row.id, ...fields));
  }

  async get(id: string): Promise<StoredJob | undefined> {
    return fromHash(await this.redis.hgetall(`${this.base}job:${id}`));
  }

  /** Matching jobs, newest first (read in chunks; the filter runs here, not in Redis). */
  async list(filter: JobRowFilter): Promise<StoredJob[]> {
    const out: StoredJob[] = [];
    const limit = filter.limit ?? Number.POSITIVE_INFINITY;
    for (let start = 0; out.length < limit; start += LIST_CHUNK) {
      const ids = await this.redis.zrevrange(`${this.base}all`, start, start + LIST_CHUNK - 1);
      if (ids.length === 0) break;
      const pipeline = this.redis.pipeline();
      for (const id of ids) pipeline.hgetall(`${this.base}job:${id}`);
      for (const [error, hash] of (await pipeline.exec()) ?? []) {
        if (error) throw error;
        const job = fromHash(hash as Record<string, string>);
        if (job === undefined || !matches(job, filter)) continue;
        out.push(job);
        if (out.length >= limit) break;
      }
      if (ids.length < LIST_CHUNK) break;
    }
    return out;
  }

  /** Atomically takes the next due job of `type` for `owner` (state running, attempts + 1, a new claim token). */
  async claim(type: string, now: number, limits: { type: number; creator: number }, owner: string, leaseMs: number): Promise<StoredJob | undefined> {
    const reply = await this.redis.ssJobClaim(this.base, type, now, limits.type, limits.creator, owner, leaseMs, CLAIM_SCAN);
    if (reply === null) return undefined;
    const hash: Record<string, string> = {};
    for (let i = 0; i < reply.length; i += 2) hash[reply[i]!] = reply[i + 1]!;
    return fromHash(hash);
  }

  /** Writes `next` only if the job is still as expected (and, with `onlyIfExpired`, its lease ran out). */
  async transition(next: JobRow, expected: Expected, onlyIfExpired = false): Promise<boolean> {
    const del: string[] = [];
    const set: string[] = [];
    for (const key of MUTABLE) {
      const value = next[key];
      if (value === null) del.push(key);
      else set.push(key, String(value));
    }
    const done = await this.redis.ssJobTransition(
      this.base,
      next.id,
      expected.state,
      String(expected.attempts),
      expected.claim ?? '',
      onlyIfExpired ? '1' : '0',
      String(del.length),
      ...del,
      ...set,
    );
    return Number(done) === 1;
  }

  /** Extends the leases of running jobs; per job 'ok', 'cancelled', 'lost' or 'gone'. */
  async renew(jobs: readonly { id: string; claim: string }[], leaseMs: number): Promise<string[]> {
    if (jobs.length === 0) return [];
    return this.redis.ssJobRenew(this.base, leaseMs, ...jobs.flatMap((job) => [job.id, job.claim]));
  }

  /** Ids of running jobs whose lease expired. */
  async expired(limit: number): Promise<string[]> {
    return this.redis.ssJobExpired(this.base, limit);
  }

  /** The earliest runAt later than `now` among queued jobs of these types. */
  async nextRunAt(types: readonly string[], now: number): Promise<number | undefined> {
    if (types.length === 0) return undefined;
    const pipeline = this.redis.pipeline();
    for (const type of types) pipeline.zrangebyscore(`${this.base}queued:${type}`, `(${now}`, '+inf', 'WITHSCORES', 'LIMIT', 0, 1);
    let next: number | undefined;
    for (const [error, reply] of (await pipeline.exec()) ?? []) {
      if (error) throw error;
      const at = (reply as string[])[1];
      if (at !== undefined && (next === undefined || Number(at) < next)) next = Number(at);
    }
    return next;
  }

  async prune(before: number): Promise<number> {
    let total = 0;
    for (;;) {
      const n = Number(await this.redis.ssJobPrune(this.base, before, PRUNE_CHUNK));
      total += n;
      if (n < PRUNE_CHUNK) return total;
    }
  }

  /** Tells every registry sharing the prefix: `w|<type>` (jobs of a type may be claimable), `c|<id>` (a job was cancelled). */
  async publish(message: string): Promise<void> {
    await this.redis.publish(this.channel, message);
  }
}

function matches(job: StoredJob, filter: JobRowFilter): boolean {
  return (
    (filter.type === undefined || job.type === filter.type) &&
    (filter.creatorId === undefined || job.creatorId === filter.creatorId) &&
    (filter.states === undefined || filter.states.includes(job.state))
  );
}

function fromHash(hash: Record<string, string>): StoredJob | undefined {
  if (hash.id === undefined) return undefined;
  const job = { id: hash.id, type: hash.type, state: hash.state, payload: hash.payload, seq: Number(hash.seq) } as StoredJob;
  for (const key of NUMBERS) job[key] = Number(hash[key]);
  for (const key of OPTIONAL_NUMBERS) job[key] = hash[key] === undefined ? null : Number(hash[key]);
  for (const key of OPTIONAL_TEXT) job[key] = hash[key] ?? null;
  return job;
}
