/**
 * X-RateLimit-* headers on every REST answer, per-bucket counting (a client
 * that ignores the headers gets a real 429), and scripted failures (failNext).
 * Header and body shapes follow rest.429.user-rate-limit.http and
 * rest.429.shared-resource-rate-limit.http from the API docs: `retry_after` is
 * a float in seconds in the body, `Retry-After` an integer (rounded up) header.
 */
import { createHash } from 'node:crypto';
import type { FakeFailure } from './types.js';

export type Headers = Record<string, string>;

export interface RestAnswer {
  status: number;
  body: unknown;
  headers: Headers;
}

interface Bucket {
  hash: string;
  remaining: number;
  resetAt: number;
}

interface ScriptedFailure {
  prefix: string;
  failure: FakeFailure;
  left: number;
}

/** The bucket route: major parameters (channel, guild, webhook) kept, other ids folded, as Discord groups limits. */
export function bucketRoute(method: string, path: string): string {
  const parts = path.split('/');
  const out: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] ?? '';
    const prev = parts[i - 1];
    const major = prev === 'channels' || prev === 'guilds' || prev === 'webhooks' || prev === 'interactions';
    if (/^\d{5,}$/.test(part) && !major) out.push(':id');
    else if (prev !== undefined && (parts[i - 2] === 'webhooks' || parts[i - 2] === 'interactions') && part !== 'messages') out.push(':token');
    else out.push(part);
  }
  return `${method} ${out.join('/')}`;
}

export class RateLimits {
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #buckets = new Map<string, Bucket>();
  readonly #failures: ScriptedFailure[] = [];

  constructor(limit: number, windowMs: number) {
    this.#limit = Math.max(1, limit);
    this.#windowMs = Math.max(1, windowMs);
  }

  failNext(prefix: string, failure: FakeFailure, count = 1): void {
    this.#failures.push({ prefix, failure, left: count });
  }

  /** A scripted failure for this request, consumed; null if none matches. */
  scripted(method: string, path: string): RestAnswer | null {
    const key = `${method} ${path}`;
    const i = this.#failures.findIndex((f) => f.left > 0 && (key.startsWith(f.prefix) || path.startsWith(f.prefix)));
    if (i < 0) return null;
    const f = this.#failures[i]!;
    if (--f.left === 0) this.#failures.splice(i, 1);
    const bucket = this.#bucket(method, path, Date.now());
    if (f.failure.status !== 429) {
      const names: Record<number, string> = { 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable' };
      return { status: f.failure.status, body: { message: `${f.failure.status}: ${names[f.failure.status]}`, code: 0 }, headers: {} };
    }
    return rateLimited(f.failure.retryAfterSec, f.failure.global ? 'global' : (f.failure.scope ?? 'user'), this.#limit, bucket);
  }

  /**
   * Counts the request in its bucket. Returns the headers for a normal answer,
   * or a 429 when the bucket was already empty.
   */
  take(method: string, path: string): { headers: Headers; limited: RestAnswer | null } {
    const now = Date.now();
    const bucket = this.#bucket(method, path, now);
    if (bucket.remaining <= 0) {
      return { headers: {}, limited: rateLimited((bucket.resetAt - now) / 1000, 'user', this.#limit, bucket) };
    }
    bucket.remaining--;
    return { headers: this.#headers(bucket, now), limited: null };
  }

  #bucket(method: string, path: string, now: number): Bucket {
    const route = bucketRoute(method, path);
    let bucket = this.#buckets.get(route);
    if (bucket === undefined) {
      bucket = { hash: createHash('sha1').update(route.replace(/\/\d+/g, '')).digest('hex').slice(0, 16), remaining: this.#limit, resetAt: now + this.#windowMs };
      this.#buckets.set(route, bucket);
    }
    if (now >= bucket.resetAt) {
      bucket.remaining = this.#limit;
      bucket.resetAt = now + this.#windowMs;
    }
    return bucket;
  }

  #headers(bucket: Bucket, now: number): Headers {
    return {
      'X-RateLimit-Limit': String(this.#limit),
      'X-RateLimit-Remaining': String(bucket.remaining),
      'X-RateLimit-Reset': (bucket.resetAt / 1000).toFixed(3),
      'X-RateLimit-Reset-After': (Math.max(0, bucket.resetAt - now) / 1000).toFixed(3),
      'X-RateLimit-Bucket': bucket.hash,
    };
  }
}

function rateLimited(retryAfterSec: number, scope: 'user' | 'shared' | 'global', limit: number, bucket: Bucket): RestAnswer {
  const retryAfter = Math.max(0, Math.round(retryAfterSec * 1000) / 1000);
  const resetAt = Date.now() + retryAfter * 1000;
  const headers: Headers = {
    'Retry-After': String(Math.ceil(retryAfter)),
    'X-RateLimit-Scope': scope,
  };
  if (scope === 'global') {
    headers['X-RateLimit-Global'] = 'true';
  } else {
    headers['X-RateLimit-Limit'] = String(limit);
    // A shared-resource limit does not spend the bot's own bucket (the sample keeps 9 of 10).
    headers['X-RateLimit-Remaining'] = scope === 'shared' ? String(Math.max(0, bucket.remaining)) : '0';
    headers['X-RateLimit-Reset'] = (resetAt / 1000).toFixed(3);
    headers['X-RateLimit-Reset-After'] = retryAfter.toFixed(3);
    headers['X-RateLimit-Bucket'] = bucket.hash;
  }
  const message = scope === 'shared' ? 'The resource is being rate limited.' : 'You are being rate limited.';
  return { status: 429, body: { message, retry_after: retryAfter, global: scope === 'global' }, headers };
}
