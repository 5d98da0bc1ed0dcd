import { readFileSync } from 'node:fs';
import { errorTableProblems } from '@streamsuites/testing';
import { expect, it } from 'vitest';
import * as errors from '../src/errors.js';

it('every engagement error code equals its key, has a hint and is documented in the README', () => {
  expect(errorTableProblems(errors, readFileSync(new URL('../README.md', import.meta.url), 'utf8'))).toEqual([]);
  expect(Object.keys(errors)).toHaveLength(12);
  for (const [code, ErrorClass] of Object.entries(errors)) {
    // Arrays work both as ids (in template strings) and as lists of ids.
    const error = new (ErrorClass as unknown as new (...a: unknown[]) => Error & { code: string; hint?: string })(['c1'], ['id'], ['label'], ['x']);
    expect(error.code, code).toBe(code);
    expect(error.hint, code).toEqual(expect.any(String));
    expect(error.message, code).toContain('c1');
  }
});
