import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as kernel from '@streamsuites/kernel';
import { StreamSuitesError } from '@streamsuites/kernel';
import { errorTableProblems } from '@streamsuites/kernel/testing';
import * as errors from '../src/errors.js';
import * as index from '../src/index.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const srcDir = fileURLToPath(new URL('../src/', import.meta.url));

/** Every code declared with defineError anywhere in src/ (the per-service errors files included). */
function declaredCodes(): string[] {
  return readdirSync(srcDir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .flatMap((file) => [...readFileSync(join(srcDir, file), 'utf8').matchAll(/defineError\(\s*'(SS_ERR_[A-Z0-9_]+)'/g)].map((m) => m[1]!))
    .sort();
}

describe('error codes of the default plugins', () => {
  it('every code equals its key and is documented in the README Errors table, and nothing else is', () => {
    expect(Object.keys(errors).length).toBeGreaterThanOrEqual(30);
    expect(errorTableProblems(errors, readme)).toEqual([]);
    expect(errorTableProblems({ ...errors, SS_ERR_MADE_UP: { code: 'SS_ERR_MADE_UP' } }, readme)).toEqual(['SS_ERR_MADE_UP: not in the README Errors table']);
  });

  it('src/errors.ts gathers every code declared in src/ (the per-service errors files too), and the package exports them', () => {
    expect(Object.keys(errors).sort()).toEqual(declaredCodes());
    for (const key of Object.keys(errors)) expect((index as Record<string, unknown>)[key], key).toBe((errors as Record<string, unknown>)[key]);
  });

  it('no code is also one of the kernel\'s', () => {
    const kernelCodes = Object.keys(kernel).filter((key) => key.startsWith('SS_ERR_'));
    expect(kernelCodes.length).toBeGreaterThan(30);
    expect(Object.keys(errors).filter((key) => kernelCodes.includes(key))).toEqual([]);
  });

  it('constructs StreamSuitesErrors; the trigger and action hints point at this README', () => {
    const error = new errors.SS_ERR_TRIGGER_TYPE_NOT_ENABLED('shout', 'shouter', 'alice');
    expect(error).toBeInstanceOf(StreamSuitesError);
    expect(error.message).toBe('Trigger type "shout" comes from plugin "shouter", which creator "alice" does not enable');
    expect(error.hint).toBe('Add "shouter" to the creator\'s "enable" list, or remove the trigger.');
    expect(errors.SS_ERR_TRIGGER_TYPE_NOT_ENABLED.is(error)).toBe(true);
    for (const hint of [new errors.SS_ERR_TRIGGER_INVALID('command', 'x').hint, new errors.SS_ERR_ACTION_PARAMS_INVALID('chat.reply', 'x').hint]) {
      expect(hint).toContain('the "Chat triggers and actions" section of the @streamsuites/defaults README');
    }
    expect(readme).toContain('\n## Chat triggers and actions\n');
  });
});
