import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { schemaProblems, type TSchema } from '@streamsuites/kernel';
import { expect, it } from 'vitest';
import { writeBigState } from './big-state.js';

// The page is written against the exports plugin's files: the fixtures it is
// tested with must be files the exporter could have written.
const fixtures = fileURLToPath(new URL('./fixtures/state/', import.meta.url));
const schemas = fileURLToPath(new URL('../../plugin-exports/schemas/', import.meta.url));
const surface = (function list(dir: string, prefix = ''): { path: string }[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? list(dir, `${prefix}${entry.name}/`) : [{ path: `${prefix}${entry.name}`.replace(/\.schema\.json$/, '.json') }],
  );
})(schemas);

/** Every file of `root` that the export surface has a schema for, checked against it; returns how many. */
function checkAgainstSchemas(root: string): number {
  let checked = 0;
  for (const { path } of surface) {
    const file = join(root, path);
    if (!existsSync(file)) continue;
    const schema = JSON.parse(readFileSync(join(schemas, path.replace(/\.json$/, '.schema.json')), 'utf8')) as TSchema;
    expect(schemaProblems(schema, JSON.parse(readFileSync(file, 'utf8'))), path).toEqual([]);
    checked += 1;
  }
  return checked;
}

it('every fixture file of the export surface matches the exports plugin schema', () => {
  expect(checkAgainstSchemas(fixtures)).toBeGreaterThanOrEqual(12);
});

it("the browser tests' busy state root (metrics, events, 100 polls, 50 clips) matches the schemas too", () => {
  const root = mkdtempSync(join(tmpdir(), 'ss-dashboard-contract-'));
  try {
    writeBigState(root, { now: Date.parse('2026-12-06T12:00:30.000Z') });
    // runtime_snapshot, creators, metrics, quotas, rate_limits, clips, polls, tallies, scoreboards, jobs, chat_events, events
    expect(checkAgainstSchemas(root)).toBe(12);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
