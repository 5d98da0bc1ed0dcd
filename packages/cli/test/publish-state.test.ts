import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cli } from './helpers.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tree(files: Record<string, unknown>): string {
  const root = mkdtempSync(join(tmpdir(), 'ss-publish-'));
  dirs.push(root);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), typeof content === 'string' ? content : JSON.stringify(content));
  }
  return root;
}

const file = (visibility: string, extra: object = {}) => ({ meta: { schema: 's', version: 1, generatedAt: '2026-11-27T00:00:00.000Z', source: 'x', visibility }, ...extra });

describe('streamsuites publish-state', () => {
  it('copies public and dashboard-only files, never internal-only ones', async () => {
    const from = tree({
      'runtime/exports/clips.json': file('public', { clips: [] }),
      'shared/state/quotas.json': file('dashboard-only', { quotas: [] }),
      'runtime/admin/integrations.json': file('internal-only', { integrations: [] }),
      'runtime/admin/notes.json': '{ not json',
    });
    const target = tree({});
    const { code, stdout, stderr } = await cli(['publish-state', '--from', from, '--target', target]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('published 2 file(s)');
    expect(readFileSync(join(target, 'runtime/exports/clips.json'), 'utf8')).toBe(readFileSync(join(from, 'runtime/exports/clips.json'), 'utf8'));
    expect(existsSync(join(target, 'shared/state/quotas.json'))).toBe(true);
    expect(existsSync(join(target, 'runtime/admin/integrations.json'))).toBe(false);
    expect(existsSync(join(target, 'runtime/admin/notes.json'))).toBe(false);
  });

  it('--changelog validates the runtime changelog and copies it; an invalid one fails with a coded error', async () => {
    const from = tree({ 'runtime/exports/meta.json': file('public', { files: [] }) });
    const good = tree({ 'changelog.runtime.json': { entries: [{ version: '0.2.0', date: '2026-11-27', changes: ['Trigger engine'] }] } });
    const target = tree({});
    const ok = await cli(['publish-state', '--from', from, '--target', target, '--changelog', join(good, 'changelog.runtime.json')]);
    expect(ok.code).toBe(0);
    expect(JSON.parse(readFileSync(join(target, 'runtime/exports/changelog.runtime.json'), 'utf8')).entries[0].version).toBe('0.2.0');
    const bad = tree({ 'changelog.runtime.json': { entries: [{ version: '0.2.0', date: 'yesterday', changes: [] }] } });
    const failed = await cli(['publish-state', '--from', from, '--target', tree({}), '--changelog', join(bad, 'changelog.runtime.json')]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/^error SS_ERR_EXPORTS_CHANGELOG_INVALID: .*\/entries\/0\/date/);
  });

  it('usage errors: no --target, an extra argument, an unknown flag (exit 2); a missing --from (exit 1)', async () => {
    expect((await cli(['publish-state'])).code).toBe(2);
    expect((await cli(['publish-state', '--target', 'x', 'extra'])).code).toBe(2);
    expect((await cli(['publish-state', '--target', 'x', '--force'])).code).toBe(2);
    const missing = await cli(['publish-state', '--target', 'x', '--from', '/nonexistent/state']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('error SS_ERR_EXPORTS_SOURCE_MISSING');
  });
});
