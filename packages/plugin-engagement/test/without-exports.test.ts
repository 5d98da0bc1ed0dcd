import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnScript } from '@streamsuites/testing';
import { describe, expect, it } from 'vitest';

// `exports?` is an optional dependency: without @streamsuites/plugin-exports installed,
// the engagement plugin must still load and run (issue 13, item 6).

const entry = fileURLToPath(new URL('../src/index.ts', import.meta.url));
const alone = fileURLToPath(new URL('./fixtures/engagement-alone.ts', import.meta.url));
const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gmu;

/** The package specifiers imported anywhere in the source module graph of `file` (relative imports followed). */
function packageImports(file: string, seen = new Set<string>(), found = new Set<string>()): Set<string> {
  if (seen.has(file)) return found;
  seen.add(file);
  for (const [, specifier] of readFileSync(file, 'utf8').matchAll(IMPORT)) {
    if (!specifier!.startsWith('.')) found.add(specifier!);
    else if (specifier!.endsWith('.js')) packageImports(resolve(dirname(file), specifier!.replace(/\.js$/u, '.ts')), seen, found);
  }
  return found;
}

describe('plugin-engagement without plugin-exports', () => {
  it('its source module graph never imports @streamsuites/plugin-exports', () => {
    const imports = [...packageImports(entry)];
    expect(imports).toContain('@streamsuites/kernel'); // the walk reached the plugin's modules
    expect(imports.filter((s) => s.startsWith('@streamsuites/plugin-exports'))).toEqual([]);
  });

  it('a kernel with only engagement, in a process where plugin-exports cannot be resolved, runs a poll', async () => {
    const host = spawnScript(alone);
    expect(await host.exited, host.stderr()).toBe(0);
    expect(host.stdout()).toBe(
      [
        'plugin-exports: ERR_MODULE_NOT_FOUND',
        'plugins: actions=running chat-rules=running engagement=running identity=running leadership=running limits=running memory-jobs=running memory-state=running quotas=running rate-limits=running triggers=running',
        'opened: Best map?',
        'closed: {"results":[{"label":"Dust","votes":1},{"label":"Inferno","votes":2}],"winners":["Inferno"]}',
        'stopped',
        '',
      ].join('\n'),
    );
  }, 60_000);
});
