/**
 * Deterministic JSON: object keys sorted by code point at every depth, two
 * spaces, a final newline. Array order is the section's responsibility.
 * Non-finite numbers and non-JSON values are refused rather than silently
 * turned into null.
 */
export function stableStringify(value: unknown): string {
  return `${JSON.stringify(normalize(value, '$'), null, 2)}\n`;
}

function normalize(value: unknown, path: string): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`${path} is ${value}, which JSON cannot represent`);
    return value;
  }
  if (Array.isArray(value)) return value.map((item, index) => normalize(item, `${path}[${index}]`));
  if (typeof value === 'object') {
    const prototype = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null) throw new TypeError(`${path} is a ${prototype?.constructor?.name ?? 'object'}, not plain JSON`);
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const item = (value as Record<string, unknown>)[key];
      if (item !== undefined) out[key] = normalize(item, `${path}.${key}`);
    }
    return out;
  }
  throw new TypeError(`${path} is a ${typeof value}, not JSON`);
}
