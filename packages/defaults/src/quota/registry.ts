import type { QuotaPolicy, QuotaPolicyInput, QuotaRegistry, QuotaSnapshot, QuotaTracker } from '@streamsuites/kernel';
import { SS_ERR_QUOTA_POLICY_MISSING } from './errors.js';
import { resolveQuotaPolicy } from './policy.js';
import { DailyQuotaTracker, type QuotaTrackerDeps } from './tracker.js';

export interface QuotaRegistryDeps extends QuotaTrackerDeps {
  /** Default policy per platform (contributed by platform plugins through quotaDefaultsExtensionPoint). */
  platformDefaults?: ReadonlyMap<string, Readonly<QuotaPolicy>>;
}

const pairKey = (creatorId: string, platform: string) => JSON.stringify([creatorId, platform]);
const policyPath = (creatorId: string, platform: string) => `creators.${creatorId}.quotas.${platform}`;

/**
 * Owns every QuotaTracker of the process (one per creator + platform) and the
 * policies configured for them. Usage lives in the state store, so a new
 * registry over the same store (a restart) continues the day where it was.
 */
export class DefaultQuotaRegistry implements QuotaRegistry {
  readonly #deps: QuotaRegistryDeps;
  readonly #trackers = new Map<string, DailyQuotaTracker>();
  /** Policies from configure() (the manifest), by pair; they win over a plugin's default. */
  readonly #configured = new Map<string, { creatorId: string; platform: string; policy: QuotaPolicy }>();

  constructor(deps: QuotaRegistryDeps) {
    this.#deps = deps;
  }

  tracker(creatorId: string, platform: string, policy?: QuotaPolicyInput): QuotaTracker {
    const key = pairKey(creatorId, platform);
    const existing = this.#trackers.get(key);
    if (existing !== undefined) return existing;
    const resolved = this.#configured.get(key)?.policy ?? this.#defaultPolicy(creatorId, platform, policy);
    const tracker = new DailyQuotaTracker(creatorId, platform, resolved, this.#deps);
    this.#trackers.set(key, tracker);
    return tracker;
  }

  configure(creatorId: string, platform: string, policy: QuotaPolicyInput): void {
    const resolved = resolveQuotaPolicy(policy, policyPath(creatorId, platform), this.#deps.platformDefaults?.get(platform));
    const key = pairKey(creatorId, platform);
    this.#configured.set(key, { creatorId, platform, policy: resolved });
    this.#trackers.get(key)?.setPolicy(resolved);
  }

  async snapshot(): Promise<QuotaSnapshot[]> {
    // Configured pairs appear even before a plugin asked for their tracker.
    for (const { creatorId, platform } of this.#configured.values()) this.tracker(creatorId, platform);
    const trackers = [...this.#trackers.values()].sort(
      (a, b) => compare(a.creatorId, b.creatorId) || compare(a.platform, b.platform),
    );
    return Promise.all(trackers.map((t) => t.snapshot()));
  }

  /** Waits for every charge in flight (their usage is then in the store). */
  async flush(): Promise<void> {
    await Promise.all([...this.#trackers.values()].map((t) => t.snapshot().catch(() => undefined)));
  }

  #defaultPolicy(creatorId: string, platform: string, policy: QuotaPolicyInput | undefined): QuotaPolicy {
    const platformDefault = this.#deps.platformDefaults?.get(platform);
    if (policy !== undefined) return resolveQuotaPolicy(policy, policyPath(creatorId, platform), platformDefault);
    if (platformDefault !== undefined) return { ...platformDefault };
    throw new SS_ERR_QUOTA_POLICY_MISSING(creatorId, platform, { details: { creatorId, platform } });
  }
}

/** Code-unit order: the same on every machine, whatever its locale. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function createQuotaRegistry(deps: QuotaRegistryDeps): DefaultQuotaRegistry {
  return new DefaultQuotaRegistry(deps);
}

/**
 * Applies a creator's manifest quotas (`creators.<id>.quotas`) to the
 * registry. The kernel calls it when the creator starts, before its plugins
 * start, so their tracker() calls see the manifest policy.
 */
export function configureCreatorQuotas(
  registry: Pick<QuotaRegistry, 'configure'>,
  creator: { readonly id: string; readonly quotas: Readonly<Record<string, QuotaPolicyInput>> },
): void {
  for (const platform of Object.keys(creator.quotas).sort(compare)) {
    registry.configure(creator.id, platform, creator.quotas[platform]!);
  }
}
