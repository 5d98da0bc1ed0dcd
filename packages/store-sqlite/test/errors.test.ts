import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { StreamSuitesError } from '@streamsuites/kernel';
import * as errors from '../src/errors.js';

it('every store-sqlite error code equals its key and is documented in the README', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const documented = [...readme.matchAll(/^\| `(SS_ERR_[A-Z_]+)` \|/gm)].map((m) => m[1]).sort();
  const codes = Object.entries(errors).map(([key, value]) => {
    expect(value.code).toBe(key);
    return key;
  });
  expect(codes.length).toBe(5);
  expect(documented).toEqual(codes.sort());
});

it('errors name the file and carry a hint', () => {
  const error = new errors.SS_ERR_STORE_CORRUPT('/srv/data/streamsuites.db', 'file is not a database');
  expect(error).toBeInstanceOf(StreamSuitesError);
  expect(error.message).toContain('/srv/data/streamsuites.db');
  expect(error.hint).toMatch(/Move \/srv\/data\/streamsuites\.db away/);
  expect(errors.SS_ERR_STORE_CORRUPT.is(error)).toBe(true);
});
