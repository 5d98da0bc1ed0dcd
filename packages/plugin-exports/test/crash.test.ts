import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnScript } from '@streamsuites/testing';
import { describe, expect, it } from 'vitest';
import { publishState } from '../src/index.js';
import { LOCK_FILE } from '../src/lock.js';
import { exportsKernel, readTree, tempDir } from './helpers.js';

const writer = fileURLToPath(new URL('./fixtures/writer.ts', import.meta.url));

/** Every file under `root`, relative, sorted. */
const list = (root: string): string[] =>
  readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(root, join(e.parentPath, e.name)).split('\\').join('/'))
    .sort();

/** Runs the writer until it pauses in the middle of file write number `pauseAt`, then kills it with SIGKILL. */
async function killedMidWrite(root: string, mirror: string, pauseAt: number): Promise<number> {
  const child = spawnScript(writer, [root, '1000', String(pauseAt), mirror]);
  await child.until(`paused mid-write ${pauseAt}`);
  expect(child.stdout()).toContain('wrote 200'); // progress: two writes (file and mirror copy) per line counted
  child.child.kill('SIGKILL');
  expect(await child.exited).toBeNull(); // killed by the signal...
  expect(child.stdout()).not.toContain('done'); // ...part-way through its 1,000 writes
  return child.child.pid!;
}

describe('writers killed with SIGKILL', () => {
  // Fails if writeFileAtomic writes in place (the temp path set to the target itself once: chat_events.json,
  // cut mid-write, failed to parse); if the next writer does not clean up (the removeStaleTemps calls in
  // src/plugin.ts removed once: the `.tmp` files stayed); and without the stale-lock takeover (the second
  // writer, then the kernel's exports plugin, failed with SS_ERR_EXPORTS_ROOT_LOCKED).
  it('leave every export valid JSON; their temp files are never published and the next writer removes them', async () => {
    const dataDir = tempDir();
    const root = join(dataDir, 'state');
    const mirror = tempDir();
    // Write 499 is iteration 250's file in the root, write 500 its mirror copy (runtime/signals/chat_events.json);
    // the temp file is named after the writer's pid and its write counter.
    const first = await killedMidWrite(root, mirror, 499);
    const second = await killedMidWrite(root, mirror, 500); // takes over the first one's lock: its pid is gone
    const rootTemp = `runtime/signals/.chat_events.json.${first}.499.tmp`;
    const mirrorTemp = `runtime/signals/.chat_events.json.${second}.500.tmp`;

    for (const dir of [root, mirror]) {
      const json = list(dir).filter((f) => f.endsWith('.json'));
      expect(json, dir).toHaveLength(4);
      for (const [file, text] of Object.entries(readTree(dir))) if (file.endsWith('.json')) expect(() => JSON.parse(text), file).not.toThrow();
    }
    // What else is there: the dead writer's lock, and the half-written temp file of each killed write.
    expect(list(root).filter((f) => !f.endsWith('.json'))).toEqual([LOCK_FILE, rootTemp]);
    expect(list(mirror).filter((f) => !f.endsWith('.json'))).toEqual([mirrorTemp]);
    expect(() => JSON.parse(readTree(root)[rootTemp]!)).toThrow();
    expect(() => JSON.parse(readTree(mirror)[mirrorTemp]!)).toThrow();

    // Never picked up as an export: publishing copies only the .json files.
    const target = tempDir();
    const json = list(root).filter((f) => f.endsWith('.json'));
    expect((await publishState({ from: root, target })).published).toEqual(json);
    expect(list(target)).toEqual(json);

    // The next writer takes over the dead writer's lock and removes the temp files in its root and its mirror.
    const t = await exportsKernel(dataDir, { config: { mirror: true, mirrorRoot: mirror } });
    expect(t.events.of('kernel.plugin.failed')).toEqual([]);
    await t.events.waitFor('exports.written');
    const removed = t.logs.lines.find((l) => l.msg === 'removed temp files a stopped writer left behind') as { files?: string[] } | undefined;
    expect(removed?.files).toEqual([join(root, rootTemp), join(mirror, mirrorTemp)]);
    await t.stop();
    for (const dir of [root, mirror]) {
      expect(list(dir).filter((f) => !f.endsWith('.json')), dir).toEqual([]);
      for (const [file, text] of Object.entries(readTree(dir))) expect(() => JSON.parse(text), file).not.toThrow();
    }
  }, 60_000);
});
