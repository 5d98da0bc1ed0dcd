import { createExtensionPoint } from '../extension-point.js';
import type { ServiceRef } from '../service-ref.js';
import { createServiceRef } from '../service-ref.js';

/**
 * A daily quota as written in the manifest
 * (`creators.<id>.quotas.<platform> = { daily, buffer?, timeZone? }`).
 */
export interface QuotaPolicyInput {
  /** Units per day: the hard cap, never exceeded. A positive integer. */
  daily: number;
  /**
   * The last `buffer` units of the day, kept for essential calls: a
   * non-essential charge is refused when it would take `used` above
   * `daily - buffer`. An integer, `0 <= buffer < daily`. Default 0
   * (YouTube: 500).
   */
  buffer?: number;
  /**
   * IANA time zone whose local midnight starts a new quota day. Default
   * `UTC` (YouTube: `America/Los_Angeles`, where Google resets the Data API
   * quota).
   */
  timeZone?: string;
}

/** A validated policy with defaults applied; `timeZone` is canonical (`utc` → `UTC`). */
export interface QuotaPolicy {
  daily: number;
  buffer: number;
  timeZone: string;
}

/**
 * - `ok`: every call may be charged (within what is left before the buffer).
 * - `buffer`: the non-essential allowance is spent (`used >= daily - buffer`); only essential calls pass.
 * - `exhausted`: `used >= daily`; nothing passes until `resetsAt`.
 */
export type QuotaStatus = 'ok' | 'buffer' | 'exhausted';

/** One tracker's state, as exported and as the payload of `quota.warning`. Plain JSON. */
export interface QuotaSnapshot {
  creatorId: string;
  platform: string;
  daily: number;
  buffer: number;
  /** Units charged in the current quota day. */
  used: number;
  /** `daily - used`: what essential calls may still spend. */
  remaining: number;
  status: QuotaStatus;
  /** The current quota day as a local date in `timeZone` (`YYYY-MM-DD`). */
  day: string;
  timeZone: string;
  /** Start of the next quota day (next local midnight in `timeZone`), ms since epoch. */
  resetsAt: number;
}

/** Payload of `quota.exceeded`: the snapshot at refusal, plus the refused call. */
export interface QuotaExceededEvent extends QuotaSnapshot {
  /** Units the refused call asked for. */
  requested: number;
  essential: boolean;
  reason?: string;
}

export interface QuotaChargeOptions {
  /** Essential calls may spend the buffer; nothing may pass the hard cap. */
  essential?: boolean;
  /** What the units are for (`liveChatMessages.list`...), for logs and events. */
  reason?: string;
}

/** Per creator + platform daily units. Charge before making the call. */
export interface QuotaTracker {
  readonly creatorId: string;
  readonly platform: string;
  /** The policy in force (manifest policy, else the plugin's, else the platform default). */
  readonly policy: QuotaPolicy;
  /**
   * Charges `units` (a non-negative integer) before the call is made.
   * Resolves once the new usage is persisted in the state store; rejects
   * with SS_ERR_QUOTA_BUFFER_RESERVED (non-essential call into the buffer)
   * or SS_ERR_QUOTA_EXHAUSTED (hard cap) and charges nothing. Concurrent
   * charges are serialized per tracker, so they can never overspend.
   */
  charge(units: number, options?: QuotaChargeOptions): Promise<void>;
  /** Whether `charge(units, options)` would pass now (no side effects). */
  canSpend(units: number, options?: QuotaChargeOptions): Promise<boolean>;
  /** Current state; loads the persisted usage first, rolls the day over if midnight passed. */
  snapshot(): Promise<QuotaSnapshot>;
}

export interface QuotaRegistry {
  /**
   * The tracker of a creator + platform: the same instance for every call.
   * `policy` is the caller's default (a plugin's): it applies only when no
   * policy was configured for the pair (the manifest's wins) and the tracker
   * does not exist yet; without either, the platform default is used
   * (YouTube 10000/day, buffer 500, America/Los_Angeles), and a platform
   * without a default is SS_ERR_QUOTA_POLICY_MISSING.
   */
  tracker(creatorId: string, platform: string, policy?: QuotaPolicyInput): QuotaTracker;
  /**
   * Sets (or replaces) the policy of a creator + platform, e.g. from the
   * manifest when the creator starts. Usage already charged today is kept.
   * Throws SS_ERR_QUOTA_POLICY_INVALID.
   */
  configure(creatorId: string, platform: string, policy: QuotaPolicyInput): void;
  /** Every tracker's snapshot, ordered by creator id, then platform. */
  snapshot(): Promise<QuotaSnapshot[]>;
}

export const quotaRegistryRef: ServiceRef<QuotaRegistry, 'root'> = createServiceRef<QuotaRegistry>({
  id: 'kernel.quotas',
  methods: ['tracker', 'configure', 'snapshot'],
  scope: 'root',
});

/** A platform's default quota policy, contributed by its plugin (e.g. plugin-youtube's 10,000 units a day). */
export interface QuotaDefault {
  platform: string;
  policy: QuotaPolicy;
}

/**
 * Where platform plugins contribute their default policies
 * (`reg.extend(quotaDefaultsExtensionPoint, { platform, policy })`): used when
 * neither the manifest nor the caller gives one. The kernel knows no platform.
 */
export const quotaDefaultsExtensionPoint = createExtensionPoint<QuotaDefault>({ id: 'kernel.quotaDefaults' });
