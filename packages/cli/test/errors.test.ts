import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import * as errors from '../src/errors.js';

it('every CLI error code equals its key and is documented in the README', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const documented = [...readme.matchAll(/^\| `(SS_ERR_[A-Z_]+)` \|/gm)].map((m) => m[1]).sort();
  const codes = Object.entries(errors).map(([key, value]) => {
    expect(value.code).toBe(key);
    return key;
  });
  expect(documented).toEqual(codes.sort());
});
