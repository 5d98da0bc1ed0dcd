import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as errors from '../src/errors.js';
import { StreamSuitesError } from '../src/index.js';
import { errorTableProblems } from '../src/testing.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('error codes', () => {
  const entries = Object.entries(errors);

  it('every export is a coded error whose key equals its code', () => {
    expect(entries.length).toBeGreaterThan(30);
    for (const [key, value] of entries) expect(value.code).toBe(key);
  });

  it('every code is documented in the README Errors table, and nothing else is', () => {
    expect(errorTableProblems(errors, readme)).toEqual([]);
    expect(errorTableProblems({ ...errors, SS_ERR_MADE_UP: { code: 'SS_ERR_MADE_UP' } }, readme)).toEqual([
      'SS_ERR_MADE_UP: not in the README Errors table',
    ]);
  });

  it('constructs StreamSuitesErrors with message, hint, details and cause', () => {
    const cause = new Error('socket closed');
    const error = new errors.SS_ERR_PLUGIN_DEPENDENCY_MISSING('clips', 'twitch', { cause, details: { pluginId: 'clips' } });
    expect(error).toBeInstanceOf(StreamSuitesError);
    expect(error.code).toBe('SS_ERR_PLUGIN_DEPENDENCY_MISSING');
    expect(error.message).toBe('Plugin "clips" requires plugin "twitch", which is not loaded');
    expect(error.hint).toContain('"twitch?"');
    expect(error.cause).toBe(cause);
    expect(error.details).toEqual({ pluginId: 'clips' });
    expect(errors.SS_ERR_PLUGIN_DEPENDENCY_MISSING.is(error)).toBe(true);
    expect(errors.SS_ERR_DEPENDENCY_CYCLE.is(error)).toBe(false);
    expect(JSON.parse(JSON.stringify(error))).toMatchObject({ code: 'SS_ERR_PLUGIN_DEPENDENCY_MISSING', hint: error.hint });
  });
});
