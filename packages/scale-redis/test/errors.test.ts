import { readFileSync } from 'node:fs';
import { errorTableProblems } from '@streamsuites/kernel/testing';
import { expect, it } from 'vitest';
import * as errors from '../src/errors.js';

it('every scale-redis error code equals its key and is documented in the README', () => {
  expect(errorTableProblems(errors, readFileSync(new URL('../README.md', import.meta.url), 'utf8'))).toEqual([]);
});
