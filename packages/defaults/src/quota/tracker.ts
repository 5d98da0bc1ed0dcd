import type { Clock, EventBus, QuotaChargeOptions, QuotaExceededEvent, QuotaPolicy, QuotaSnapshot, QuotaStatus, QuotaTracker, StateStore } from '@streamsuites/kernel';
import { localDay, nextLocalMidnight } from './day.js';
import { SS_ERR_QUOTA_BUFFER_RESERVED, SS_ERR_QUOTA_EXHAUSTED, SS_ERR_QUOTA_STORE_FAILED, SS_ERR_QUOTA_UNITS_INVALID } from './errors.js';

/** State store namespace of quota usage; keys are `<creatorId>/<platform>`. */
export const QUOTA_STORE_NAMESPACE = 'kernel.quotas';

/** What is persisted per tracker after every charge. */
export interface StoredQuotaUsage {
  /** Local date of the quota day the usage belongs to. */
  day: string;
  timeZone: string;
  /** End of that quota day (ms since epoch). */
  resetsAt: number;
  used: number;
  /** `quota.warning` was emitted for this day. */
  warned: boolean;
}

export interface QuotaTrackerDeps {
  // Only the key-value part of the store is needed.
  store: Pick<StateStore, 'get' | 'set'>;
  bus: Pick<EventBus, 'emit'>;
  clock: Clock;
}

interface Period {
  day: string;
  timeZone: string;
  resetsAt: number;
}

/**
 * One creator + platform's daily units. Every operation that reads or
 * changes usage runs on one promise chain, so concurrent charges are checked
 * and persisted one after the other: 50 parallel charges cannot pass the cap
 * together, and each resolves only after its usage is in the store.
 */
export class DailyQuotaTracker implements QuotaTracker {
  readonly creatorId: string;
  readonly platform: string;
  #policy: QuotaPolicy;
  readonly #deps: QuotaTrackerDeps;
  readonly #key: string;
  #period: Period | undefined;
  #used = 0;
  #warned = false;
  #loaded = false;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(creatorId: string, platform: string, policy: QuotaPolicy, deps: QuotaTrackerDeps) {
    this.creatorId = creatorId;
    this.platform = platform;
    this.#policy = policy;
    this.#deps = deps;
    this.#key = `${creatorId}/${platform}`;
  }

  get policy(): QuotaPolicy {
    return { ...this.#policy };
  }

  /** Replaces the policy; today's usage is kept (a new time zone re-derives the day on next use). */
  setPolicy(policy: QuotaPolicy): void {
    this.#policy = policy;
  }

  charge(units: number, options: QuotaChargeOptions = {}): Promise<void> {
    return this.#serial(async () => {
      this.#checkUnits(units);
      await this.#current();
      const refusal = this.#refusal(units, options);
      if (refusal !== undefined) {
        this.#deps.bus.emit('quota.exceeded', this.#exceededEvent(units, options));
        throw refusal;
      }
      // Counted before the write: if the write fails the units stay spent in
      // memory (over-counting is safe, under-counting could overspend).
      this.#used += units;
      // Once per day (persisted), also when a lowered policy put usage past the line.
      const crossed = !this.#warned && this.#status() !== 'ok';
      if (crossed) this.#warned = true;
      try {
        await this.#save();
      } finally {
        // Emitted even when the save failed: the units are counted either way.
        if (crossed) this.#deps.bus.emit('quota.warning', this.#snapshotNow());
      }
    });
  }

  canSpend(units: number, options: QuotaChargeOptions = {}): Promise<boolean> {
    return this.#serial(async () => {
      this.#checkUnits(units);
      await this.#current();
      return this.#refusal(units, options) === undefined;
    });
  }

  snapshot(): Promise<QuotaSnapshot> {
    return this.#serial(async () => {
      await this.#current();
      return this.#snapshotNow();
    });
  }

  #serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(work);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  #checkUnits(units: number): void {
    if (typeof units !== 'number' || !Number.isSafeInteger(units) || units < 0) {
      throw new SS_ERR_QUOTA_UNITS_INVALID(this.creatorId, this.platform, units, {
        details: { creatorId: this.creatorId, platform: this.platform, units: String(units) },
      });
    }
  }

  /** Loads the stored usage once, and starts a new day when the current one ended. */
  async #current(): Promise<void> {
    if (!this.#loaded) {
      let stored: StoredQuotaUsage | undefined;
      try {
        stored = await this.#deps.store.get<StoredQuotaUsage>(QUOTA_STORE_NAMESPACE, this.#key);
      } catch (error) {
        throw new SS_ERR_QUOTA_STORE_FAILED(this.creatorId, this.platform, 'load', { cause: error, details: this.#ids() });
      }
      this.#loaded = true;
      if (stored !== undefined && isCurrent(stored, this.#deps.clock.now())) {
        this.#period = { day: stored.day, timeZone: stored.timeZone, resetsAt: stored.resetsAt };
        this.#used = stored.used;
        this.#warned = stored.warned;
      }
    }
    // Read after the load: the day may have ended while the store answered.
    const now = this.#deps.clock.now();
    const period = this.#period;
    const { timeZone } = this.#policy;
    if (period === undefined || now >= period.resetsAt || period.timeZone !== timeZone) {
      const day = localDay(now, timeZone);
      // A changed time zone keeps today's usage when the local date is the same.
      const sameDay = period !== undefined && now < period.resetsAt && period.day === day;
      this.#period = { day, timeZone, resetsAt: nextLocalMidnight(now, timeZone) };
      if (!sameDay) {
        this.#used = 0;
        this.#warned = false;
      }
    }
  }

  #refusal(units: number, options: QuotaChargeOptions) {
    const { daily, buffer } = this.#policy;
    const resetsAt = this.#period!.resetsAt;
    const details = { ...this.#ids(), used: this.#used, daily, buffer, requested: units, essential: options.essential === true, resetsAt };
    if (this.#used + units > daily) {
      return new SS_ERR_QUOTA_EXHAUSTED(this.creatorId, this.platform, this.#used, daily, resetsAt, { details });
    }
    if (options.essential !== true && this.#used + units > daily - buffer) {
      return new SS_ERR_QUOTA_BUFFER_RESERVED(this.creatorId, this.platform, this.#used, daily, buffer, { details });
    }
    return undefined;
  }

  #status(): QuotaStatus {
    const { daily, buffer } = this.#policy;
    if (this.#used >= daily) return 'exhausted';
    return buffer > 0 && this.#used >= daily - buffer ? 'buffer' : 'ok';
  }

  async #save(): Promise<void> {
    const period = this.#period!;
    const record: StoredQuotaUsage = { ...period, used: this.#used, warned: this.#warned };
    try {
      await this.#deps.store.set(QUOTA_STORE_NAMESPACE, this.#key, record);
    } catch (error) {
      throw new SS_ERR_QUOTA_STORE_FAILED(this.creatorId, this.platform, 'save', { cause: error, details: this.#ids() });
    }
  }

  #snapshotNow(): QuotaSnapshot {
    const { daily, buffer, timeZone } = this.#policy;
    const period = this.#period!;
    return {
      creatorId: this.creatorId,
      platform: this.platform,
      daily,
      buffer,
      used: this.#used,
      remaining: Math.max(0, daily - this.#used),
      status: this.#status(),
      day: period.day,
      timeZone,
      resetsAt: period.resetsAt,
    };
  }

  #exceededEvent(units: number, options: QuotaChargeOptions): QuotaExceededEvent {
    return {
      ...this.#snapshotNow(),
      requested: units,
      essential: options.essential === true,
      ...(options.reason === undefined ? {} : { reason: options.reason }),
    };
  }

  #ids() {
    return { creatorId: this.creatorId, platform: this.platform };
  }
}

/** A stored day is still running when its end is in the future (exact across DST and restarts). */
function isCurrent(stored: StoredQuotaUsage, now: number): boolean {
  return (
    typeof stored === 'object' &&
    stored !== null &&
    typeof stored.resetsAt === 'number' &&
    typeof stored.used === 'number' &&
    typeof stored.day === 'string' &&
    typeof stored.timeZone === 'string' &&
    now < stored.resetsAt
  );
}
