import { SS_ERR_NOT_JSON } from './errors.js';

/**
 * Checks that `value` is plain JSON and returns its JSON text. The text is
 * what every backend stores, so memory and SQLite hand back the same thing,
 * and parsing it on the way out is the deep copy that prevents aliasing.
 *
 * Refused (SS_ERR_NOT_JSON, with the path): undefined at the top or in an
 * array, functions, symbols, BigInt, NaN and ±Infinity, cycles, sparse
 * arrays, and objects that are not plain (Date, Map, Set, class instances),
 * because JSON.stringify would silently turn them into something else.
 * `undefined` object properties are dropped, as JSON.stringify does.
 */
export function encodeJson(value: unknown, what: string): string {
  check(value, '$', what, new Set());
  return JSON.stringify(value);
}

/** Parses text written by {@link encodeJson}. */
export function decodeJson<T>(text: string): T {
  return JSON.parse(text) as T;
}

function check(value: unknown, path: string, what: string, ancestors: Set<object>): void {
  const refuse = (problem: string, at = path): never => {
    throw new SS_ERR_NOT_JSON(what, at, problem, { details: { path: at } });
  };
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return;
    case 'number':
      if (!Number.isFinite(value)) refuse(`${value} is not a finite number`);
      return;
    case 'undefined':
      return refuse('undefined (delete the key instead, or store null)');
    case 'bigint':
      return refuse('a BigInt (store it as a string)');
    case 'function':
      return refuse('a function');
    case 'symbol':
      return refuse('a symbol');
  }
  if (value === null) return;
  const object = value as object;
  if (ancestors.has(object)) refuse('a cycle (the value contains itself)');
  ancestors.add(object);
  if (Array.isArray(object)) {
    for (let i = 0; i < object.length; i++) {
      if (!(i in object)) refuse('a hole (sparse array)', `${path}[${i}]`);
      check(object[i], `${path}[${i}]`, what, ancestors);
    }
  } else {
    const proto = Object.getPrototypeOf(object) as object | null;
    if (proto !== Object.prototype && proto !== null) {
      refuse(`a ${(object.constructor as { name?: string } | undefined)?.name || 'non-plain'} object, not a plain object`);
    }
    if (Object.getOwnPropertySymbols(object).length > 0) refuse('a symbol-keyed property');
    for (const [key, item] of Object.entries(object)) {
      if (item !== undefined) check(item, childPath(path, key), what, ancestors);
    }
  }
  ancestors.delete(object);
}

function childPath(path: string, key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}
