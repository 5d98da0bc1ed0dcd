/**
 * Applies JSON Schema `default`s to a value (a deep copy is returned).
 * typebox's Value.Default only understands schemas built by the same typebox
 * copy; plugins may ship plain JSON Schema or another typebox version, so we
 * walk the standard keywords ourselves: properties, items, allOf.
 */
export function applyDefaults(schema: unknown, value: unknown): unknown {
  if (!isRecord(schema)) return value;
  let out = value === undefined && 'default' in schema ? structuredClone(schema.default) : value;
  if (Array.isArray(schema.allOf)) for (const part of schema.allOf) out = applyDefaults(part, out);
  if (isRecord(out) && !Array.isArray(out) && isRecord(schema.properties)) {
    const copy: Record<string, unknown> = { ...out };
    for (const [key, propertySchema] of Object.entries(schema.properties)) {
      const next = applyDefaults(propertySchema, copy[key]);
      if (next !== undefined) copy[key] = next;
    }
    out = copy;
  }
  if (Array.isArray(out) && isRecord(schema.items)) out = out.map((item) => applyDefaults(schema.items, item));
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/**
 * Converts strings to the number, integer or boolean a schema asks for
 * (templated action params arrive as strings: `"{arg1}"` → `"45"` → 45).
 * Anything that does not convert cleanly is left for validation to report.
 */
export function coerceStrings(schema: unknown, value: unknown): unknown {
  if (!isRecord(schema)) return value;
  if (typeof value === 'string') {
    const type = schema.type;
    if ((type === 'number' || type === 'integer') && /^-?\d+(\.\d+)?$/.test(value.trim())) return Number(value.trim());
    if (type === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
    return value;
  }
  if (Array.isArray(value)) return isRecord(schema.items) ? value.map((item) => coerceStrings(schema.items, item)) : value;
  if (isRecord(value) && isRecord(schema.properties)) {
    const copy: Record<string, unknown> = { ...value };
    for (const [key, propertySchema] of Object.entries(schema.properties)) {
      if (key in copy) copy[key] = coerceStrings(propertySchema, copy[key]);
    }
    return copy;
  }
  return value;
}
