import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { StreamSuitesError } from '@streamsuites/kernel';
import { errorTableProblems } from '@streamsuites/testing';
import * as errors from '../src/errors.js';

it('every store-sqlite error code equals its key and is documented in the README', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  expect(Object.keys(errors)).toHaveLength(5);
  expect(errorTableProblems(errors, readme)).toEqual([]);
});

it('errors name the file and carry a hint', () => {
  const error = new errors.SS_ERR_STORE_CORRUPT('/srv/data/streamsuites.db', 'file is not a database');
  expect(error).toBeInstanceOf(StreamSuitesError);
  expect(error.message).toContain('/srv/data/streamsuites.db');
  expect(error.hint).toMatch(/Move \/srv\/data\/streamsuites\.db away/);
  expect(errors.SS_ERR_STORE_CORRUPT.is(error)).toBe(true);
});
