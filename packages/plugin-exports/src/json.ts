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
 * secrets and could turn a number into invalid JSON. When the text has no
 * escape and nothing in it needs masking (the usual case), it is returned
 * after one pass, as cheap as masking the text.
 */
export function stableStringify(value: unknown, redact?: (text: string) => string): string {
  const plain = `${JSON.stringify(normalize(value, '$', undefined), null, 2)}\n`;
  // Fast path, exact: without a `\` in the text every string and key appears in it verbatim, so
  // when redacting the whole text changes nothing, redacting each string would change nothing.
  if (redact === undefined || (!plain.includes('\\') && redact(plain) === plain)) return plain;
  return `${JSON.stringify(normalize(value, '$', memoized(redact)), null, 2)}\n`;
}

/** Keys and short values repeat across rows (`state`, `"published"`): each distinct one is redacted once per file. */
function memoized(redact: (text: string) => string): (text: string) => string {
  const seen = new Map<string, string>();
  return (text) => {
    if (text.length > 64) return redact(text);
    let out = seen.get(text);
    if (out === undefined) seen.set(text, (out = redact(text)));
    return out;
  };
}

/** Shorter numbers cannot hold a registered secret (the kernel registers values of 6 characters or more). */
const MIN_SECRET_DIGITS = 6;

function normalize(value: unknown, path: string, redact: ((text: string) => string) | undefined): unknown {
  if (value === null || typeof value === 'boolean') return value;
  if (typeof value === 'string') return redact === undefined ? value : redact(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`${path} is ${value}, which JSON cannot represent`);
    if (redact !== undefined) {
      const text = JSON.stringify(value);
      if (text.length >= MIN_SECRET_DIGITS && redact(text) !== text) return REDACTED;
    }
    return value;
  }
  if (Array.isArray(value)) return value.map((item, index) => normalize(item, `${path}[${index}]`, redact));
  if (typeof value === 'object') {
    const prototype = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null) throw new TypeError(`${path} is a ${prototype?.constructor?.name ?? 'object'}, not plain JSON`);
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record).sort();
    const out: Record<string, unknown> = {};
    if (redact === undefined || keys.every((key) => redact(key) === key)) {
      for (const key of keys) {
        const item = record[key];
        if (item !== undefined) out[key] = normalize(item, `${path}.${key}`, redact);
      }
      return out;
    }
    // A key holds a secret: sorted after masking, so the order does not depend on the secret's value.
    const entries: [string, unknown][] = [];
    for (const key of keys) {
      const item = record[key];
      if (item !== undefined) entries.push([redact(key), normalize(item, `${path}.${key}`, redact)]);
    }
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    for (const [key, item] of entries) out[key] = item;
    return out;
  }
  throw new TypeError(`${path} is a ${typeof value}, not JSON`);
}
