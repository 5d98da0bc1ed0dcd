import { pointer, type ActionDescriptor, type ChatMonetary, type ManifestIssue } from '@streamsuites/kernel';
import { SS_ERR_RULES_INVALID } from './errors.js';
import type { Monetization } from './schema.js';

const MICROS = 1_000_000;

export interface CompiledMoneyRule {
  index: number;
  id: string;
  kinds: ReadonlySet<string>;
  minMicros: number;
  maxMicros: number;
  platforms?: readonly string[];
  actions: readonly ActionDescriptor[];
}

/** A creator's monetization section, compiled: thresholds in micros of `currency`. */
export interface CompiledMonetization {
  currency: string;
  rates: Readonly<Record<string, number>>;
  bitsPerUnit: number;
  match: 'highest' | 'all';
  rules: readonly CompiledMoneyRule[];
}

export function compileMonetization(section: Monetization, basePath: readonly (string | number)[]): { compiled: CompiledMonetization; issues: ManifestIssue[] } {
  const issues: ManifestIssue[] = [];
  const rules: CompiledMoneyRule[] = [];
  (section.rules ?? []).forEach((rule, index) => {
    const minMicros = Math.round(rule.min * MICROS);
    const maxMicros = rule.max === undefined ? Number.POSITIVE_INFINITY : Math.round(rule.max * MICROS);
    if (maxMicros < minMicros) {
      issues.push({
        code: SS_ERR_RULES_INVALID.code,
        path: pointer([...basePath, 'rules', index, 'max']),
        message: new SS_ERR_RULES_INVALID(`max ${rule.max} is below min ${rule.min}`).message,
        hint: 'Make max at least min, or leave max out for no upper bound.',
      });
      return;
    }
    rules.push({
      index,
      id: rule.id ?? `monetization:${index}`,
      kinds: new Set(rule.kinds),
      minMicros,
      maxMicros,
      ...(rule.platforms === undefined ? {} : { platforms: rule.platforms }),
      actions: rule.actions.map((a) => ({ ...a, params: a.params ?? {} })),
    });
  });
  const currency = section.currency ?? 'USD';
  return { compiled: { currency, rates: section.rates ?? {}, bitsPerUnit: section.bitsPerUnit ?? 100, match: section.match ?? 'highest', rules }, issues };
}

/**
 * An amount in micros of the configured currency, or undefined when there
 * is no rate for its currency. Bits (`BITS`) count `bitsPerUnit` to one unit;
 * a currency other than the configured one needs a rate in `rates`.
 */
export function normalizeAmount(money: CompiledMonetization, monetary: ChatMonetary): number | undefined {
  const currency = monetary.currency.toUpperCase();
  if (currency === money.currency) return Math.round(monetary.amountMicros);
  if (currency === 'BITS') return Math.round(monetary.amountMicros / money.bitsPerUnit);
  const rate = money.rates[currency];
  return rate === undefined ? undefined : Math.round(monetary.amountMicros * rate);
}

/** The rules an amount of `kind` triggers: the one with the highest min ("highest"), or all of them in order ("all"). */
export function matchingRules(money: CompiledMonetization, kind: string, platform: string, micros: number): CompiledMoneyRule[] {
  const hits = money.rules.filter(
    (r) => r.kinds.has(kind) && micros >= r.minMicros && micros <= r.maxMicros && (r.platforms === undefined || r.platforms.includes(platform)),
  );
  if (money.match === 'all' || hits.length <= 1) return hits;
  // Highest threshold wins; on a tie, the first written.
  return [hits.reduce((best, r) => (r.minMicros > best.minMicros ? r : best))];
}

/** "5.00": micros as a decimal amount with two places (what {amount} shows). */
export function formatMicros(micros: number): string {
  return (micros / MICROS).toFixed(2);
}
