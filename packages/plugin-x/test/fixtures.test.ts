import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isDuplicateContent, readRateLimit, waitMsFor } from '../src/index.js';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8')) as unknown;

describe('X answers as published', () => {
  it('the captured duplicate-content 403 is recognised, and its rate limit headers read', () => {
    expect(isDuplicateContent({ status: 403, body: fixture('create-tweet.duplicate-403.json'), rateLimit: {} })).toBe(true);
    expect(isDuplicateContent({ status: 403, body: { title: 'Forbidden', detail: 'You are not permitted to perform this action.', status: 403 }, rateLimit: {} })).toBe(false);
    const info = readRateLimit(new Headers(fixture('create-tweet.duplicate-403.headers.json') as Record<string, string>));
    expect(info).toEqual({ limit: 40000, remaining: 39998, resetAt: 1682422975000 });
    expect(waitMsFor(info, 1682422000000, false)).toBe(0);
  });

  it('remaining 0 waits until the reset; a 429 prefers retry-after, then the reset', () => {
    const now = 1_700_000_000_000;
    expect(waitMsFor({ remaining: 0, resetAt: now + 5000 }, now, false)).toBe(5000);
    expect(waitMsFor({ remaining: 0, resetAt: now + 5000, retryAfterMs: 2000 }, now, true)).toBe(2000);
    expect(waitMsFor({ remaining: 0, resetAt: now + 5000 }, now, true)).toBe(5000);
    expect(waitMsFor({}, now, true, 60_000)).toBe(60_000);
    expect(waitMsFor({ remaining: 3, resetAt: now + 5000 }, now, false)).toBe(0);
  });
});
