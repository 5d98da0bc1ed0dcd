import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import exportsPlugin from '@streamsuites/plugin-exports';
import { createTempDirs, LogCapture, readTree } from '@streamsuites/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { main, replayChatLogs, type CliIO, type ReplaySummary } from '../src/index.js';

// A recorded replay: the logs in fixtures/replay-golden/chatlog (made by make-logs.ts) through
// manifest.json must give exactly the files in expected/ and the summary in expected-summary.json.
// After an intended change of the exports, rewrite them with UPDATE_REPLAY_GOLDEN=1 and review the diff.
const fixture = fileURLToPath(new URL('./fixtures/replay-golden/', import.meta.url));
const expectedDir = join(fixture, 'expected');
const update = process.env.UPDATE_REPLAY_GOLDEN === '1';

const temp = createTempDirs('ss-replay-golden-');
afterEach(() => temp.removeAll());

/** The summary without what differs from run to run (wall time, output folder). */
function stable(summary: ReplaySummary): Omit<ReplaySummary, 'wallMs' | 'out'> {
  const { wallMs: _wallMs, out: _out, ...rest } = summary;
  return rest;
}

/** The files of a replay, with the exports plugin's own version (named in integrations.json) put as `<version>`: a release must not change the recording. */
function replayFiles(out: string): Record<string, Buffer> {
  const files = readTree(out, 'buffer');
  const integrations = 'runtime/admin/integrations.json';
  const version = `"version": ${JSON.stringify(exportsPlugin.version)}`;
  if (files[integrations] !== undefined) files[integrations] = Buffer.from(files[integrations].toString('utf8').replace(version, '"version": "<version>"'));
  return files;
}

function expectGolden(out: string): void {
  const files = replayFiles(out);
  if (update) {
    rmSync(expectedDir, { recursive: true, force: true });
    for (const [name, bytes] of Object.entries(files)) {
      mkdirSync(dirname(join(expectedDir, name)), { recursive: true });
      writeFileSync(join(expectedDir, name), bytes);
    }
  }
  const expected = readTree(expectedDir, 'buffer');
  expect(Object.keys(files)).toEqual(Object.keys(expected));
  for (const [name, bytes] of Object.entries(expected)) {
    // Compared as text first for a readable diff, then byte for byte.
    expect(files[name]!.toString('utf8'), name).toBe(bytes.toString('utf8'));
    expect(files[name]!.equals(bytes), name).toBe(true);
  }
}

describe('replay against a recorded expected output', () => {
  it('the recorded logs through the manifest give the recorded exports byte for byte, and the recorded summary', async () => {
    const out = join(temp.make(), 'out');
    const problems: string[] = [];
    const summary = await replayChatLogs({
      logs: [join(fixture, 'chatlog')],
      manifest: join(fixture, 'manifest.json'),
      plugins: [exportsPlugin],
      out,
      logDestination: new LogCapture(),
      onProblem: (p) => problems.push(`${p.file.slice(fixture.length)}:${p.line}: ${p.reason}`),
    });
    const summaryFile = join(fixture, 'expected-summary.json');
    if (update) writeFileSync(summaryFile, `${JSON.stringify({ summary: stable(summary), problems }, null, 2)}\n`);
    expect({ summary: stable(summary), problems }).toEqual(JSON.parse(readFileSync(summaryFile, 'utf8')));
    // The recording exercises what it is meant to: every kind of trigger fired, the chat rules acted, problems were skipped.
    expect(summary.triggersFired).toBeGreaterThan(20);
    expect(summary.skippedLines).toBe(2);
    expect(summary.unknownCreators).toEqual({ carol: 5 });
    expectGolden(out);
  });

  it('the CLI (with its progress display on a terminal) writes the same bytes', async () => {
    const cwd = temp.make();
    let stderr = '';
    const io: CliIO = { stdout: () => {}, stderr: (t) => void (stderr += t), env: {}, cwd, stderrTTY: { columns: 80 } };
    const code = await main(['replay', join(fixture, 'chatlog'), '--manifest', join(fixture, 'manifest.json'), '--out', 'out'], io);
    expect(code, stderr).toBe(0);
    expect(existsSync(join(cwd, 'out'))).toBe(true);
    if (!update) expectGolden(join(cwd, 'out')); // (when updating, the first test wrote the recording)
  });
});
