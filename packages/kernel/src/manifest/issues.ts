import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { Settings } from 'typebox/system';
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
  /**
   * The file the problem is in, when it is not the manifest itself (a file
   * of a configuration folder, an included file); `position` is in it.
   */
  file?: string;
  /** JSON Pointer of the value inside `file`, when it differs from `path` (a folder's file has its own shape). */
  filePath?: string;
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
 * One problem as schemaIssues found it, for a caller that words its own hint.
 * `at` is the JSON Pointer relative to the validated value ('' = the value).
 */
export type SchemaProblem =
  | { kind: 'unknown-key'; at: string; key: string; known: readonly string[] }
  | {
      kind: 'value';
      at: string;
      /** The schema the value at `at` must match (undefined when it cannot be found). */
      schema: unknown;
      /** Required keys missing from the object at `at`. */
      missing: readonly string[];
    };

export interface SchemaIssueCodes {
  schema: string;
  unknownKey: string;
  /** The hint of each problem; a string applies to value problems only (unknown keys get a did-you-mean). */
  hint?: string | ((problem: SchemaProblem) => string);
}

/**
 * How many schema errors one validation collects. typebox stops at
 * `Settings.maxErrors` (8 by default), and a union of literals alone costs
 * two errors per branch: `"logLevel": 5` used up all 8, and every later
 * problem of the manifest went unreported. Above this many we say so.
 */
export const MAX_SCHEMA_ERRORS = 10_000;

/**
 * Validates `value` against a typebox schema and turns its errors into
 * manifest issues under `basePath`: one issue per offending path, unknown
 * keys reported at the key itself, unions of literals as "must be one of".
 */
export function schemaIssues(
  schema: TSchema,
  value: unknown,
  basePath: readonly (string | number)[],
  codes: SchemaIssueCodes,
): ManifestIssue[] {
  // Fast path: a compiled check (about 20x faster than collecting errors); errors only when invalid.
  if (check(schema, value)) return [];
  const errors = collectErrors(schema, value);
  if (errors.length === 0) return [];
  const base = basePath.length === 0 ? '' : pointer(basePath);
  const byPath = new Map<string, SchemaError[]>();
  const issues: ManifestIssue[] = [];
  for (const error of errors) {
    if (error.keyword === 'additionalProperties') {
      const known = knownKeys(schema, error.schemaPath);
      for (const key of (error.params.additionalProperties as string[] | undefined) ?? []) {
        const at = `${error.instancePath}/${pointerSegment(key)}`;
        issues.push({
          code: codes.unknownKey,
          path: `${base}${at}`,
          message: `unknown key "${key}"`,
          hint: typeof codes.hint === 'function' ? codes.hint({ kind: 'unknown-key', at, key, known }) : unknownKeyHint(key, known),
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
    const hint = typeof codes.hint === 'function' ? codes.hint(valueProblem(schema, path, list)) : codes.hint;
    issues.push({
      code: codes.schema,
      path: `${base}${path}` || '/',
      message: describe(list, valueAt(value, path)),
      ...(hint === undefined ? {} : { hint }),
    });
  }
  if (errors.length >= MAX_SCHEMA_ERRORS) {
    issues.push({
      code: codes.schema,
      path: base || '/',
      message: `validation stopped after ${MAX_SCHEMA_ERRORS} schema errors`,
      hint: 'Fix the problems listed and validate again to see the rest.',
    });
  }
  return issues;
}

/** Every error typebox finds, up to MAX_SCHEMA_ERRORS (its own limit is raised only for this call). */
function collectErrors(schema: TSchema, value: unknown): SchemaError[] {
  const previous = Settings.Get().maxErrors;
  Settings.Set({ maxErrors: MAX_SCHEMA_ERRORS });
  try {
    return Value.Errors(schema, value) as unknown as SchemaError[];
  } finally {
    Settings.Set({ maxErrors: previous });
  }
}

/** The default hint of an unknown key: remove it, or the known key it most likely meant. */
export function unknownKeyHint(key: string, known: readonly string[]): string {
  const mean = didYouMean(suggest(key, known));
  return mean === '' ? 'Remove the key or check its spelling.' : `Remove the key or check its spelling. ${mean}`;
}

function valueProblem(root: TSchema, at: string, errors: readonly SchemaError[]): SchemaProblem {
  // The errors of one value come from its schema and from inside it (union branches): the shortest path is its own.
  const schemaPath = errors.map((e) => e.schemaPath).reduce((a, b) => (b.length < a.length ? b : a));
  const missing = errors.flatMap((e) => (e.keyword === 'required' ? ((e.params.requiredProperties as string[] | undefined) ?? []) : []));
  return { kind: 'value', at, schema: schemaAt(root, schemaPath), missing: [...new Set(missing)] };
}

/** The node of `schema` at a typebox schemaPath (`#/properties/creators/patternProperties/^.*$`). */
export function schemaAt(schema: unknown, schemaPath: string): unknown {
  let node: unknown = schema;
  for (const segment of parsePointer(schemaPath.replace(/^#/, ''))) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return node;
}

/**
 * The first sentence of a value problem's hint: "Add creators.daniel.enable
 * (a list, each a non-empty string)." for missing keys, else
 * "logLevel should be one of ...". `name` words a pointer relative to the
 * validated value.
 */
export function valueHint(problem: SchemaProblem & { kind: 'value' }, name: (at: string) => string): string {
  if (problem.missing.length > 0) {
    const properties = isRecord(problem.schema) && isRecord(problem.schema.properties) ? problem.schema.properties : {};
    const adds = problem.missing.map((key) => `${name(`${problem.at}/${pointerSegment(key)}`)} (${expectation(properties[key])})`);
    return `Add ${adds.join(' and ')}.`;
  }
  return `${name(problem.at)} should be ${expectation(problem.schema)}.`;
}

/** The property names of the object schema at `schemaPath` (`#/properties/plugins/patternProperties/^.*$`), for did-you-mean. */
function knownKeys(schema: TSchema, schemaPath: string): string[] {
  const node = schemaAt(schema, schemaPath);
  const properties = typeof node === 'object' && node !== null ? (node as { properties?: unknown }).properties : undefined;
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

function valueAt(value: unknown, at: string): unknown {
  let node = value;
  for (const segment of parsePointer(at)) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return node;
}

function describe(errors: SchemaError[], value: unknown): string {
  const repeated = errors.find((e) => e.keyword === 'uniqueItems');
  if (repeated !== undefined && Array.isArray(value)) {
    // Name the repeated items: "must not have duplicate items" leaves the reader to find them.
    const indexes = (repeated.params.duplicateItems as number[] | undefined) ?? [];
    const items = [...new Set(indexes.map((i) => JSON.stringify(value[i])))];
    const others = errors.filter((e) => e !== repeated);
    if (items.length > 0) return [`lists ${items.join(', ')} more than once`, ...(others.length > 0 ? [describe(others, value)] : [])].join('; ');
  }
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

/**
 * What a JSON Schema / typebox schema asks for, in words, for hints:
 * `a whole number from 1 to 600`, `one of "copy", "reencode"`,
 * `a string of 1-100 characters matching ^\S+$`. Shallow on purpose: an
 * object lists its keys, not their schemas.
 */
export function expectation(schema: unknown): string {
  if (schema === true) return 'any value';
  if (schema === false) return 'absent (nothing is allowed here)';
  if (!isRecord(schema)) return 'a valid value';
  const alternatives = Array.isArray(schema.anyOf) ? schema.anyOf : Array.isArray(schema.oneOf) ? schema.oneOf : undefined;
  let text: string;
  if (alternatives !== undefined) {
    const constants = alternatives.filter((a): a is Record<string, unknown> => isRecord(a) && 'const' in a);
    text =
      constants.length === alternatives.length
        ? oneOf(constants.map((c) => c.const))
        : [...new Set(alternatives.map(expectation))].join(' or ');
  } else if ('const' in schema) {
    text = JSON.stringify(schema.const);
  } else if (Array.isArray(schema.enum)) {
    text = oneOf(schema.enum);
  } else {
    const declared = Array.isArray(schema.type) ? schema.type : typeof schema.type === 'string' ? [schema.type] : [];
    const types = declared.length > 0 ? declared : isRecord(schema.properties) ? ['object'] : isRecord(schema.items) ? ['array'] : [];
    text = types.length === 0 ? 'a valid value' : types.map((type) => describeType(String(type), schema)).join(' or ');
  }
  const description = typeof schema.description === 'string' ? schema.description.trim() : '';
  return description === '' ? text : `${text} (${description.replace(/\.$/, '')})`;
}

function describeType(type: string, schema: Record<string, unknown>): string {
  const n = (key: string) => (typeof schema[key] === 'number' ? (schema[key] as number) : undefined);
  switch (type) {
    case 'string': {
      const [min, max] = [n('minLength'), n('maxLength')];
      let text = min === 1 && max === undefined ? 'a non-empty string' : 'a string';
      if (min !== undefined && max !== undefined) text += min === max ? ` of exactly ${min} characters` : ` of ${min}-${max} characters`;
      else if (max !== undefined) text += ` of at most ${max} characters`;
      else if (min !== undefined && min > 1) text += ` of at least ${min} characters`;
      if (typeof schema.format === 'string') text += ` in ${schema.format} format`;
      if (typeof schema.pattern === 'string') text += ` matching ${schema.pattern}`;
      return text;
    }
    case 'integer':
    case 'number': {
      let text = type === 'integer' ? 'a whole number' : 'a number';
      const [min, max] = [n('minimum'), n('maximum')];
      if (min !== undefined && max !== undefined) text += ` from ${min} to ${max}`;
      else if (min !== undefined) text += ` of at least ${min}`;
      else if (max !== undefined) text += ` of at most ${max}`;
      if (n('exclusiveMinimum') !== undefined) text += ` greater than ${n('exclusiveMinimum')}`;
      if (n('exclusiveMaximum') !== undefined) text += ` less than ${n('exclusiveMaximum')}`;
      if (n('multipleOf') !== undefined) text += `, a multiple of ${n('multipleOf')}`;
      return text;
    }
    case 'boolean':
      return 'true or false';
    case 'null':
      return 'null';
    case 'array': {
      const [min, max] = [n('minItems'), n('maxItems')];
      let text = 'a list';
      if (min !== undefined && max !== undefined) text += ` of ${min}-${max} items`;
      else if (min !== undefined && min > 0) text += ` of at least ${min} item${min === 1 ? '' : 's'}`;
      else if (max !== undefined) text += ` of at most ${max} items`;
      if (isRecord(schema.items)) text += `, each ${expectation(schema.items)}`;
      if (schema.uniqueItems === true) text += ', without repeats';
      return text;
    }
    case 'object': {
      if (!isRecord(schema.properties)) return 'an object';
      const keys = Object.keys(schema.properties);
      if (keys.length === 0) return schema.additionalProperties === false ? 'an empty object ({})' : 'an object';
      const required = Array.isArray(schema.required) ? schema.required.map(String) : [];
      return `an object with the keys ${keys.join(', ')}${required.length === 0 ? '' : ` (required: ${required.join(', ')})`}`;
    }
    default:
      return `a value of type ${type}`;
  }
}

function oneOf(values: readonly unknown[]): string {
  const quoted = [...new Set(values.map((v) => JSON.stringify(v)))];
  return quoted.length === 1 ? quoted[0]! : `one of ${quoted.join(', ')}`;
}

/**
 * A JSON Pointer as a reader writes the field: `/aliases/0` under `params`
 * is `params.aliases[0]`; `''` is the root itself.
 */
export function fieldName(at: string, root = ''): string {
  let text = root;
  for (const segment of parsePointer(at)) {
    if (/^\d+$/.test(segment)) text += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(segment)) text += text === '' ? segment : `.${segment}`;
    else text += `[${JSON.stringify(segment)}]`;
  }
  return text;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
