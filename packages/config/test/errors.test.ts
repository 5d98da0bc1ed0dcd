import { readFileSync } from 'node:fs';
import { errorTableProblems } from '@streamsuites/testing';
import { expect, it } from 'vitest';
import * as errors from '../src/errors.js';

it('every code equals its key and is documented in the README Errors table, and nothing else is', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  expect(errorTableProblems(errors, readme)).toEqual([]);
  expect(errorTableProblems({ ...errors, SS_ERR_MADE_UP: { code: 'SS_ERR_MADE_UP' } }, readme)).toEqual(['SS_ERR_MADE_UP: not in the README Errors table']);
});
