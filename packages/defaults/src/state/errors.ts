import { defineError } from '@streamsuites/kernel';

/*
 * State store error codes. Kept beside the store until they are merged into
 * src/errors.ts (whose test ties every code to the README "Errors" table).
 */

export const SS_ERR_STATE_ARGUMENT = defineError(
  'SS_ERR_STATE_ARGUMENT',
  (what: string, problem: string) => `Invalid ${what}: ${problem}`,
  'Namespaces and tables look like "plugin.name" (a-z, A-Z, 0-9, "_", "-", dots between segments); keys are 1-1024 characters.',
);
export const SS_ERR_NOT_JSON = defineError(
  'SS_ERR_NOT_JSON',
  (what: string, path: string, problem: string) => `${what} is not plain JSON at ${path}: ${problem}`,
  'Store plain objects, arrays, strings, finite numbers, booleans and null (a Date as date.getTime() or toISOString(), a Map as an object or entries array).',
);
export const SS_ERR_STORE_CLOSED = defineError(
  'SS_ERR_STORE_CLOSED',
  (what: string) => `${what} is closed`,
  'It was used after the kernel stopped (or after close()); keep work inside the plugin lifecycle.',
);
