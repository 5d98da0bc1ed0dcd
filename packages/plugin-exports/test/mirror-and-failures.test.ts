import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Type } from '@streamsuites/kernel';
import { describe, expect, it } from 'vitest';
import type { ExportFs, ExportSection } from '../src/index.js';
import { nodeFs } from '../src/atomic.js';
import { exporterFor, exportsKernel, readTree, tempDir } from './helpers.js';

describe('mirroring', () => {
  it('mirrors every file but the internal-only ones, byte for byte', async () => {
    const dataDir = tempDir();
    const mirror = tempDir();
    const t = await exportsKernel(dataDir, { config: { mirror: true, mirrorRoot: mirror } });
    await t.events.waitFor('exports.written');
    await t.stop();
    const written = readTree(join(dataDir, 'state'));
    const mirrored = readTree(mirror);
    const internal = Object.keys(written).filter((f) => JSON.parse(written[f]!).meta.visibility === 'internal-only');
    expect(internal.sort()).toEqual(['runtime/admin/integrations.json', 'runtime/admin/permissions.json']);
    expect(Object.keys(mirrored).sort()).toEqual(Object.keys(written).filter((f) => !internal.includes(f)).sort());
    for (const file of Object.keys(mirrored)) expect(mirrored[file]).toBe(written[file]);
  });
});

describe('a failing disk for one file', () => {
  it('keeps that file, reports it once, and still writes the others', async () => {
    const dataDir = tempDir();
    const t = await exportsKernel(dataDir);
    const root = join(dataDir, 'manual');
    let full = false;
    const fs: ExportFs = {
      ...nodeFs,
      rename: async (from, to) => {
        if (full && to.endsWith('b.json')) throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
        return nodeFs.rename(from, to);
      },
    };
    let version = 1;
    const make = (file: string): ExportSection<unknown> => ({
      file,
      schema: 'test',
      version: 1,
      visibility: 'dashboard-only',
      description: file,
      bodySchema: Type.Object({ version: Type.Integer() }),
      snapshot: () => ({ version }),
    });
    const exporter = exporterFor(t, [make('a.json'), make('b.json'), make('c.json')], root, { fs });
    await exporter.flush();
    full = true;
    version = 2;
    t.events.clear();
    await exporter.flush();
    const read = (file: string) => JSON.parse(readFileSync(join(root, file), 'utf8')).version;
    expect([read('a.json'), read('b.json'), read('c.json')]).toEqual([2, 1, 2]);
    expect(t.events.of('exports.failed')).toEqual([
      { file: 'b.json', error: { code: 'SS_ERR_EXPORTS_WRITE_FAILED', message: expect.stringContaining('ENOSPC') }, at: expect.any(Number) },
    ]);
    expect(t.events.of('exports.written')[0]?.files).toEqual(['a.json', 'c.json']);
    await t.stop();
  });
});

describe('a failing mirror', () => {
  it('counts only the mirror copies that were written (exports.written `mirrored`), and reports the others', async () => {
    // Checked by counting a mirror copy whether or not it was written: mirrored 2.
    const dataDir = tempDir();
    const t = await exportsKernel(dataDir);
    const root = join(dataDir, 'manual');
    const mirror = join(dataDir, 'mirror');
    const fs: ExportFs = {
      ...nodeFs,
      rename: async (from, to) => {
        if (to.startsWith(mirror) && to.endsWith('b.json')) throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
        return nodeFs.rename(from, to);
      },
    };
    const section = (file: string): ExportSection<unknown> => ({ file, schema: 'test', version: 1, visibility: 'public', description: file, bodySchema: Type.Object({}), snapshot: () => ({}) });
    t.events.clear();
    await exporterFor(t, [section('a.json'), section('b.json')], root, { mirrorRoot: mirror, fs }).flush();
    expect(t.events.of('exports.written')).toEqual([expect.objectContaining({ files: ['a.json', 'b.json'], mirrored: 1 })]);
    expect(t.events.of('exports.failed').map((f) => f.file)).toEqual(['mirror:b.json']);
    await t.stop();
  });
});
