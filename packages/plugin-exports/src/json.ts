import { REDACTED } from '@streamsuites/kernel';

/**
 * Deterministic JSON: object keys sorted by code point at every depth, two
 * spaces, a final newline. Array order is the section's responsibility.
 * Non-finite numbers and non-JSON values are refused rather than silently
 * turned into null.
 *
 * With `redact` (the kernel's `SecretRegistry.redactString`), every string
 * value and every key is masked before it is JSON-escaped, so a secret with
 * a `"` or `\` in it is found too; a number whose digits contain a known
 * secret becomes the string `[redacted]` (as the kernel does for values
 * under secret keys). Masking the final text instead would miss escaped
 * secrets and could turn a number into invalid JSON.
 */
export function stableStringify(value: unknown, redact?: (text: string) => string): string {
  return `${JSON.stringify(normalize(value, '$', redact), null, 2)}\n`;
}

function normalize(value: unknown, path: string, redact: ((text: string) => string) | undefined): unknown {
  if (value === null || typeof value === 'boolean') return value;
  if (typeof value === 'string') return redact === undefined ? value : redact(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`${path} is ${value}, which JSON cannot represent`);
    if (redact !== undefined) {
      const text = JSON.stringify(value);
      if (redact(text) !== text) return REDACTED;
    }
    return value;
  }
  if (Array.isArray(value)) return value.map((item, index) => normalize(item, `${path}[${index}]`, redact));
  if (typeof value === 'object') {
    const prototype = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null) throw new TypeError(`${path} is a ${prototype?.constructor?.name ?? 'object'}, not plain JSON`);
    const entries: [string, unknown][] = [];
    for (const key of Object.keys(value)) {
      const item = (value as Record<string, unknown>)[key];
      if (item !== undefined) entries.push([redact === undefined ? key : redact(key), normalize(item, `${path}.${key}`, redact)]);
    }
    // Sorted after masking, so the order does not depend on a secret's value.
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const out: Record<string, unknown> = {};
    for (const [key, item] of entries) out[key] = item;
    return out;
  }
  throw new TypeError(`${path} is a ${typeof value}, not JSON`);
}
