import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SAMPLES = fileURLToPath(new URL('../samples/', import.meta.url));
export const sample = (...parts: string[]) => join(SAMPLES, ...parts);
export const DEMO_CONFIG = sample('demo', 'shared', 'config');
export const FULL_CONFIG = sample('full', 'shared', 'config');
export const DEMO_MANIFEST = fileURLToPath(new URL('../../../examples/demo/streamsuites.json', import.meta.url));
export const DEMO_DIR = fileURLToPath(new URL('../../../examples/demo/', import.meta.url));

/** Short form of an issue for assertions: `file code path line:column`. */
export function brief(issue: { code: string; file?: string; path: string; filePath?: string; position?: { line: number; column: number } }): string {
  const at = issue.position === undefined ? '-' : `${issue.position.line}:${issue.position.column}`;
  return `${issue.file === undefined ? '<manifest>' : basename(issue.file)} ${issue.code} ${issue.filePath ?? issue.path} ${at}`;
}

/**
 * A copy of a sample folder as `<root>/shared/config` in a fresh temp folder
 * (removed by the returned function). `inPackage`: the root is inside this
 * package (git-ignored .tmp/), so plugin packages resolve from its node_modules.
 */
export function copySample(from: string, inPackage = false): { dir: string; root: string; remove: () => void } {
  const parent = inPackage ? fileURLToPath(new URL('../.tmp/', import.meta.url)) : tmpdir();
  mkdirSync(parent, { recursive: true });
  const root = mkdtempSync(join(parent, 'ss-config-'));
  const dir = join(root, 'shared', 'config');
  cpSync(from, dir, { recursive: true });
  return { dir, root, remove: () => rmSync(root, { recursive: true, force: true }) };
}
