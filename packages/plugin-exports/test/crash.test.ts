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

describe('a writer killed with SIGKILL', () => {
  // Fails if writeFileAtomic writes in place (the temp path set to the target itself, so the write went in place:
  // clips.json, cut mid-write, failed to parse), and if the next writer does not clean up (the removeStaleTemps call in
  // src/plugin.ts removed: the `.tmp` files stayed; the stale-lock takeover removed: the next kernel's exports
  // plugin failed with SS_ERR_EXPORTS_ROOT_LOCKED).
  it('leaves every export valid JSON; its temp files are never published and the next writer removes them', async () => {
    const dataDir = tempDir();
    const root = join(dataDir, 'state');
    const child = spawnScript(writer, [root, '1000', '500']);
    await child.until('paused mid-write 500');
    expect(child.stdout()).toContain('wrote 400');
    child.child.kill('SIGKILL');
    expect(await child.exited).toBeNull(); // killed by the signal...
    expect(child.stdout()).not.toContain('done'); // ...part-way through the 1,000 writes
    const pid = child.child.pid!;

    const files = list(root);
    const json = files.filter((f) => f.endsWith('.json'));
    expect(json).toHaveLength(4);
    for (const file of json) expect(() => JSON.parse(readTree(root)[file]!), file).not.toThrow();
    // What else is there: the dead writer's lock and the temp file of the write it was killed in
    // (write 500 goes to runtime/exports/clips.json), half-written.
    const leftovers = files.filter((f) => !f.endsWith('.json'));
    expect(leftovers).toEqual([LOCK_FILE, `runtime/exports/.clips.json.${pid}.500.tmp`]);
    expect(() => JSON.parse(readTree(root)[leftovers[1]!]!)).toThrow();

    // Never picked up as an export: publishing copies only the .json files.
    const target = tempDir();
    expect((await publishState({ from: root, target })).published).toEqual(json);
    expect(list(target)).toEqual(json);

    // The next writer takes over the dead writer's lock and removes its temp files.
    const t = await exportsKernel(dataDir);
    expect(t.events.of('kernel.plugin.failed')).toEqual([]);
    await t.events.waitFor('exports.written');
    expect(list(root).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const removed = t.logs.lines.find((l) => l.msg === 'removed temp files a stopped writer left behind') as { files?: string[] } | undefined;
    expect(removed?.files?.map((f) => relative(root, f))).toEqual([leftovers[1]]);
    await t.stop();
    for (const [file, text] of Object.entries(readTree(root))) expect(() => JSON.parse(text), file).not.toThrow();
  });
});
