import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Type } from '@streamsuites/kernel';
import { describe, expect, it } from 'vitest';
import type { MediaContext, MediaSection } from '../src/index.js';
import { exporterFor, exportsKernel, tempDir } from './helpers.js';

describe("a section's media hook", () => {
  it('runs with the exports root before each write of its file, so the snapshot lists what it placed; never mirrored', async () => {
    const t = await exportsKernel(tempDir());
    const root = tempDir();
    const mirror = tempDir();
    const calls: MediaContext[] = [];
    let placed: string[] = [];
    const section: MediaSection<{ files: string[] }> = {
      file: 'runtime/exports/things.json',
      schema: 'streamsuites.things',
      version: 1,
      visibility: 'dashboard-only',
      description: 'Things with media.',
      bodySchema: Type.Object({ files: Type.Array(Type.String()) }),
      media(ctx) {
        calls.push(ctx);
        mkdirSync(join(ctx.root, 'runtime', 'media', 'things'), { recursive: true });
        writeFileSync(join(ctx.root, 'runtime', 'media', 'things', `t${calls.length}.jpg`), 'x');
        placed = [`runtime/media/things/t${calls.length}.jpg`];
      },
      snapshot: () => ({ files: placed }),
    };
    const exporter = exporterFor(t, [section], root, { mirrorRoot: mirror });
    await exporter.flush();
    await exporter.flush();
    expect(calls.map((c) => c.root)).toEqual([root, root]);
    expect(calls[0]!.now).toBe(Date.UTC(2026, 10, 27, 12, 0, 0));
    const written = JSON.parse(readFileSync(join(root, 'runtime', 'exports', 'things.json'), 'utf8')) as { files: string[] };
    expect(written.files).toEqual(['runtime/media/things/t2.jpg']);
    expect(existsSync(join(root, written.files[0]!))).toBe(true);
    // The JSON is mirrored, the media are not.
    expect(existsSync(join(mirror, 'runtime', 'exports', 'things.json'))).toBe(true);
    expect(existsSync(join(mirror, 'runtime', 'media'))).toBe(false);
    await t.stop();
  });

  it('a throwing hook is logged and the file is still written', async () => {
    const t = await exportsKernel(tempDir());
    const root = tempDir();
    const section: MediaSection<{ n: number }> = {
      file: 'runtime/exports/things.json',
      schema: 'streamsuites.things',
      version: 1,
      visibility: 'dashboard-only',
      description: 'Things with media.',
      bodySchema: Type.Object({ n: Type.Integer() }),
      media() {
        throw new Error('disk on fire');
      },
      snapshot: () => ({ n: 1 }),
    };
    await exporterFor(t, [section], root).flush();
    expect(JSON.parse(readFileSync(join(root, 'runtime', 'exports', 'things.json'), 'utf8'))).toMatchObject({ n: 1 });
    expect(t.logs.text()).toMatch(/the media of runtime\/exports\/things\.json could not be placed: disk on fire/);
    expect(t.events.of('exports.failed')).toEqual([]);
    await t.stop();
  });
});
