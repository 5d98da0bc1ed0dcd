import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { Value } from 'typebox/value';
import type { JsonPosition } from './json.js';
import { didYouMean, suggest } from './suggest.js';

/** One problem found in a manifest. */
export interface ManifestIssue {
  code: string;
  /** JSON Pointer of the offending value (`/creators/daniel/config/twitch/channel`). */
  path: string;
  message: string;
  hint?: string;
  /** Position in the file, when the manifest came from a file. */
  position?: JsonPosition;
}

/** Escapes one JSON Pointer segment (RFC 6901). */
export function pointerSegment(segment: string | number): string {
  return String(segment).replace(/~/g, '~0').replace(/\//g, '~1');
}

export function pointer(segments: readonly (string | number)[]): string {
  return segments.length === 0 ? '/' : segments.map((s) => `/${pointerSegment(s)}`).join('');
}

export function parsePointer(path: string): string[] {
  if (path === '' || path === '/') return [];
  return path
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

interface SchemaError {
  keyword: string;
  schemaPath: string;
  instancePath: string;
  params: Record<string, unknown>;
  message: string;
}

/**
 * Validates `value` against a typebox schema and turns its errors into
 * manifest issues under `basePath`: one issue per offending path, unknown
 * keys reported at the key itself, unions of literals as "must be one of".
 */
export function schemaIssues(
  schema: TSchema,
  value: unknown,
  basePath: readonly (string | number)[],
  codes: { schema: string; unknownKey: string; hint?: string },
): ManifestIssue[] {
  // Fast path: a compiled check (about 20x faster than collecting errors); errors only when invalid.
  if (check(schema, value)) return [];
  const errors = Value.Errors(schema, value) as unknown as SchemaError[];
  if (errors.length === 0) return [];
  const base = basePath.length === 0 ? '' : pointer(basePath);
  const byPath = new Map<string, SchemaError[]>();
  const issues: ManifestIssue[] = [];
  for (const error of errors) {
    if (error.keyword === 'additionalProperties') {
      const known = knownKeys(schema, error.schemaPath);
      for (const key of (error.params.additionalProperties as string[] | undefined) ?? []) {
        const mean = didYouMean(suggest(key, known));
        issues.push({
          code: codes.unknownKey,
          path: `${base}${error.instancePath}/${pointerSegment(key)}`,
          message: `unknown key "${key}"`,
          hint: mean === '' ? 'Remove the key or check its spelling.' : `Remove the key or check its spelling. ${mean}`,
        });
      }
      continue;
    }
    // The per-key twin of an additionalProperties error ("schema is false").
    if (error.keyword === 'boolean' && error.schemaPath.endsWith('/additionalProperties')) continue;
    const list = byPath.get(error.instancePath) ?? [];
    list.push(error);
    byPath.set(error.instancePath, list);
  }
  for (const [path, list] of byPath) {
    issues.push({
      code: codes.schema,
      path: `${base}${path}` || '/',
      message: describe(list),
      ...(codes.hint === undefined ? {} : { hint: codes.hint }),
    });
  }
  return issues;
}

/** The property names of the object schema at `schemaPath` (`#/properties/plugins/patternProperties/^.*$`), for did-you-mean. */
function knownKeys(schema: TSchema, schemaPath: string): string[] {
  let node: unknown = schema;
  for (const segment of parsePointer(schemaPath.replace(/^#/, ''))) {
    if (typeof node !== 'object' || node === null) return [];
    node = (node as Record<string, unknown>)[segment];
  }
  const properties = (node as { properties?: unknown } | undefined)?.properties;
  return typeof properties === 'object' && properties !== null ? Object.keys(properties) : [];
}

const validators = new WeakMap<object, (value: unknown) => boolean>();

/** A cached compiled validator per schema object; schemas typebox cannot compile fall back to Value.Check. */
function check(schema: TSchema, value: unknown): boolean {
  let validator = validators.get(schema);
  if (validator === undefined) {
    try {
      const compiled = Compile(schema);
      validator = (v) => compiled.Check(v);
    } catch {
      validator = (v) => Value.Check(schema, v);
    }
    validators.set(schema, validator);
  }
  return validator(value);
}

function describe(errors: SchemaError[]): string {
  const anyOf = errors.find((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  if (anyOf !== undefined) {
    const allowed = errors.filter((e) => e.keyword === 'const').map((e) => JSON.stringify(e.params.allowedValue));
    if (allowed.length > 0) return `must be one of ${[...new Set(allowed)].join(', ')}`;
  }
  const messages = [...new Set(errors.filter((e) => e.keyword !== 'anyOf').map((e) => e.message))];
  return messages.length > 0 ? messages.join('; ') : anyOf?.message ?? 'invalid value';
}

/** Problems of a value against a JSON Schema / typebox schema, as `{ path, message }` (empty when valid). */
export function schemaProblems(schema: TSchema, value: unknown): { path: string; message: string }[] {
  return schemaIssues(schema, value, [], { schema: 'schema', unknownKey: 'unknown-key' }).map(({ path, message }) => ({ path, message }));
}
