/** Keyed sections: one file per key (e.g. per Discord server), the file of a key that went away removed. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Type } from '@streamsuites/kernel';
import { describe, expect, it } from 'vitest';
import { type ExportSection, SS_ERR_EXPORTS_BAD_PATH } from '../src/index.js';
import { exporterFor, exportsKernel, readTree, tempDir } from './helpers.js';

describe('keyed sections', () => {
  it('one file per key, built with its key; a key no longer listed loses its file (and its mirror); bad keys are reported, not written', async () => {
    // Checked by skipping #forgetGone: guilds/2.json stays after key 2 went away.
    const dataDir = tempDir();
    const t = await exportsKernel(dataDir);
    const root = join(dataDir, 'keyed');
    const mirror = tempDir();
    let keys = ['1', '2'];
    const section: ExportSection<unknown> = {
      file: 'guilds/{key}.json',
      schema: 'test.guild',
      version: 1,
      visibility: 'dashboard-only',
      description: 'one per guild',
      bodySchema: Type.Object({ guild: Type.String() }),
      keys: () => keys,
      snapshot: ({ key }) => ({ guild: key ?? 'none' }),
    };
    const exporter = exporterFor(t, [section], root, { mirrorRoot: mirror });
    await exporter.flush();
    expect(readTree(root)).toEqual({
      'guilds/1.json': expect.stringContaining('"guild": "1"'),
      'guilds/2.json': expect.stringContaining('"guild": "2"'),
    });
    expect(JSON.parse(readFileSync(join(root, 'guilds/1.json'), 'utf8')).meta.schema).toBe('test.guild');
    keys = ['1'];
    await exporter.flush();
    expect(Object.keys(readTree(root))).toEqual(['guilds/1.json']);
    expect(Object.keys(readTree(mirror))).toEqual(['guilds/1.json']);
    keys = ['../escape', '1'];
    t.events.clear();
    await exporter.flush();
    expect(t.events.of('exports.failed')).toEqual([expect.objectContaining({ file: 'guilds/{key}.json', error: expect.objectContaining({ code: 'SS_ERR_EXPORTS_SNAPSHOT_FAILED' }) })]);
    expect(existsSync(join(dataDir, 'escape.json'))).toBe(false);
    await t.stop();
  });

  it('a keyed path needs {key} once, a plain path none: SS_ERR_EXPORTS_BAD_PATH', async () => {
    const dataDir = tempDir();
    const t = await exportsKernel(dataDir);
    const base = { schema: 's', version: 1, visibility: 'public' as const, description: 'd', bodySchema: Type.Object({}), snapshot: () => ({}) };
    expect(() => exporterFor(t, [{ ...base, file: 'guilds.json', keys: () => [] }], dataDir)).toThrow(SS_ERR_EXPORTS_BAD_PATH);
    expect(() => exporterFor(t, [{ ...base, file: 'guilds/{key}.json' }], dataDir)).toThrow(SS_ERR_EXPORTS_BAD_PATH);
    await t.stop();
  });
});
