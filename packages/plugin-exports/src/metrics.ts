/**
 * `shared/state/metrics.json`: what a dashboard draws as time series —
 * chat messages per minute per creator and platform over the last hour, and
 * each quota's `used` through the current quota day (for a burn-down with a
 * projection to `resetsAt`). Both are bounded: 60 counters per chat key,
 * at most 289 samples per quota key.
 */
import { quotaRegistryRef, Type, type QuotaSnapshot } from '@streamsuites/kernel';
import type { ExportSection } from './contract.js';
import { Iso, iso, section } from './section.js';

export const BUCKET_MS = 60_000;
/** One hour of one-minute buckets. */
export const BUCKETS = 60;
/** A quota sample is taken at most this often. */
export const QUOTA_SAMPLE_MS = 5 * 60_000;
/** A quota day (24 h, 25 on a DST day is cut to the latest) sampled every 5 minutes, plus its first sample. */
export const MAX_QUOTA_SAMPLES = 289;

interface RateRing {
  creator: string;
  platform: string;
  /** counts[minute % 60] for the 60 minutes ending with `minute`. */
  readonly counts: Uint32Array;
  /** The latest minute counted (ms / 60,000). */
  minute: number;
}

/**
 * Chat messages per minute per creator and platform: a ring of 60 counters
 * per key, O(1) per message (a key idle for a while clears at most its 60
 * counters once), memory bounded by the number of keys.
 */
export class ChatRate {
  readonly #rings = new Map<string, RateRing>();

  /** Counts one message of `creator` on `platform` at kernel time `at`. */
  add(creator: string, platform: string, at: number): void {
    const key = `${creator}\u0000${platform}`;
    const minute = Math.floor(at / BUCKET_MS);
    let ring = this.#rings.get(key);
    if (ring === undefined) this.#rings.set(key, (ring = { creator, platform, counts: new Uint32Array(BUCKETS), minute: Number.isFinite(minute) ? minute : -Infinity }));
    if (!Number.isFinite(minute)) return; // the key is known (its row shows zeros), the message has no time to count it at
    if (minute > ring.minute) {
      // The minutes between the latest one counted and this one had no message.
      const gap = Math.min(minute - ring.minute, BUCKETS);
      for (let m = minute - gap + 1; m <= minute; m++) ring.counts[m % BUCKETS] = 0;
      ring.minute = minute;
    } else if (minute <= ring.minute - BUCKETS) {
      return; // older than the hour kept
    }
    ring.counts[minute % BUCKETS]! += 1;
  }

  /** Messages of one key in the minute starting at `minute` (ms / 60,000); 0 outside the hour kept. */
  #count(ring: RateRing, minute: number): number {
    return minute <= ring.minute && minute > ring.minute - BUCKETS ? ring.counts[minute % BUCKETS]! : 0;
  }

  /** Messages in the last full minute before `now` (the minute before the current one). */
  lastFullMinute(creator: string, platform: string, now: number): number {
    const ring = this.#rings.get(`${creator}\u0000${platform}`);
    return ring === undefined ? 0 : this.#count(ring, Math.floor(now / BUCKET_MS) - 1);
  }

  /** Every key's 60 buckets ending with the current minute, oldest first, zeros included; rows sorted by creator, then platform. */
  series(now: number): { creator: string; platform: string; buckets: { at: string; messages: number }[] }[] {
    const current = Math.floor(now / BUCKET_MS);
    return [...this.#rings.values()]
      .sort((a, b) => compare(a.creator, b.creator) || compare(a.platform, b.platform))
      .map((ring) => ({
        creator: ring.creator,
        platform: ring.platform,
        buckets: Array.from({ length: BUCKETS }, (_, i) => {
          const minute = current - BUCKETS + 1 + i;
          return { at: iso(minute * BUCKET_MS), messages: this.#count(ring, minute) };
        }),
      }));
  }
}

interface QuotaSeries {
  creator: string;
  platform: string;
  day: string;
  daily: number;
  resetsAt: number;
  samples: { at: number; used: number }[];
}

/**
 * `used` of every quota through its current quota day: a sample at most
 * every 5 minutes, the series restarted when the quota day changes, at most
 * 289 samples per key (the oldest dropped).
 */
export class QuotaSamples {
  readonly #series = new Map<string, QuotaSeries>();

  /** Records a snapshot taken at kernel time `now` (a quota event's payload or the registry's snapshot). */
  record(snapshot: QuotaSnapshot, now: number): void {
    if (typeof snapshot !== 'object' || snapshot === null || typeof snapshot.creatorId !== 'string' || typeof snapshot.platform !== 'string') return;
    const key = `${snapshot.creatorId}\u0000${snapshot.platform}`;
    let series = this.#series.get(key);
    if (series === undefined || series.day !== snapshot.day) {
      series = { creator: snapshot.creatorId, platform: snapshot.platform, day: snapshot.day, daily: snapshot.daily, resetsAt: snapshot.resetsAt, samples: [] };
      this.#series.set(key, series);
    }
    series.daily = snapshot.daily;
    series.resetsAt = snapshot.resetsAt;
    const last = series.samples.at(-1);
    if (last !== undefined && now - last.at < QUOTA_SAMPLE_MS) return;
    series.samples.push({ at: now, used: snapshot.used });
    if (series.samples.length > MAX_QUOTA_SAMPLES) series.samples.splice(0, series.samples.length - MAX_QUOTA_SAMPLES);
  }

  rows(): { creator: string; platform: string; daily: number; resetsAt: string; samples: { at: string; used: number }[] }[] {
    return [...this.#series.values()]
      .sort((a, b) => compare(a.creator, b.creator) || compare(a.platform, b.platform))
      .map((s) => ({ creator: s.creator, platform: s.platform, daily: s.daily, resetsAt: iso(s.resetsAt), samples: s.samples.map((p) => ({ at: iso(p.at), used: p.used })) }));
  }
}

export const METRICS_FILE = 'shared/state/metrics.json';

export function metricsSection(rate: ChatRate, quotas: QuotaSamples): ExportSection<unknown> {
  return section(
    METRICS_FILE,
    'dashboard-only',
    'Time series for charts: chat messages per minute per creator and platform over the last hour (60 one-minute buckets, oldest first), and each quota\'s units used through the current quota day (a sample at most every 5 minutes).',
    Type.Object({
      bucketMs: Type.Literal(BUCKET_MS),
      chat: Type.Array(
        Type.Object({
          creator: Type.String(),
          platform: Type.String(),
          buckets: Type.Array(Type.Object({ at: Iso, messages: Type.Integer({ minimum: 0 }) }), { minItems: BUCKETS, maxItems: BUCKETS }),
        }),
      ),
      quota: Type.Array(
        Type.Object({
          creator: Type.String(),
          platform: Type.String(),
          daily: Type.Integer(),
          resetsAt: Iso,
          samples: Type.Array(Type.Object({ at: Iso, used: Type.Integer({ minimum: 0 }) }), { maxItems: MAX_QUOTA_SAMPLES }),
        }),
      ),
    }),
    async ({ kernel, now }) => {
      // A sample per write when 5 minutes passed (the file is rewritten every minute and on the cadence).
      for (const snapshot of await kernel.resolve(quotaRegistryRef).snapshot()) quotas.record(snapshot, now);
      return { bucketMs: BUCKET_MS, chat: rate.series(now), quota: quotas.rows() };
    },
    ['chat.message', 'quota.warning', 'quota.exceeded'],
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
