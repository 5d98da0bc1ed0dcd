import type { ServiceRef } from '../service-ref.js';
import { createServiceRef } from '../service-ref.js';

export interface QuotaPolicy {
  /** Units per day. */
  daily: number;
  /** Units kept back: non-essential calls are refused once `used > daily - buffer`. */
  buffer: number;
  /** IANA time zone whose midnight resets the day (YouTube: America/Los_Angeles). */
  timeZone: string;
}

export interface QuotaSnapshot {
  creatorId: string;
  platform: string;
  daily: number;
  buffer: number;
  used: number;
  remaining: number;
  /** `ok`, `buffer` (only essential calls), `exhausted`. */
  status: 'ok' | 'buffer' | 'exhausted';
  /** Next reset, ms since epoch. */
  resetsAt: number;
}

export interface QuotaChargeOptions {
  /** Essential calls may spend the buffer; nothing may pass the hard cap. */
  essential?: boolean;
  /** What the units are for, for logs and snapshots. */
  reason?: string;
}

export interface QuotaTracker {
  readonly creatorId: string;
  readonly platform: string;
  /** Charges before the call is made; throws a coded error when refused. */
  charge(units: number, options?: QuotaChargeOptions): Promise<void>;
  canSpend(units: number, options?: QuotaChargeOptions): boolean;
  snapshot(): QuotaSnapshot;
}

export interface QuotaRegistry {
  tracker(creatorId: string, platform: string, policy?: Partial<QuotaPolicy>): QuotaTracker;
  snapshot(): QuotaSnapshot[];
}

export const quotaRegistryRef: ServiceRef<QuotaRegistry, 'root'> = createServiceRef<QuotaRegistry>({
  id: 'kernel.quotas',
  scope: 'root',
});
