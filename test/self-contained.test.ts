// A clone must pass `npm test` alone: nothing in the repository may read data
// from outside it (the captured payloads once lived in a sibling shared/
// folder, and a fresh clone failed 52 tests). This scans every source, test,
// benchmark and script for relative paths that climb out of the repository.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SCANNED_DIRS = ['packages', 'examples', 'scripts', 'test', '.ci'];
const SKIP_DIRS = new Set(['node_modules', 'dist', 'coverage', 'bench-results', 'test-artifacts', 'demo-state', 'replay-state', 'data', 'clips']);
const CODE_EXTENSIONS = new Set(['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs', '.json', '']);

function walk(dir: string, out: string[]): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name) && !entry.name.startsWith('.tmp')) walk(full, out);
    } else if (entry.isFile() && CODE_EXTENSIONS.has(extname(entry.name)) && statSync(full).size < 2_000_000) {
      out.push(full);
    }
  }
}

/** String literals without interpolation, with their line numbers. */
function stringLiterals(text: string): { value: string; line: number }[] {
  const out: { value: string; line: number }[] = [];
  const re = /'((?:[^'\\\n]|\\.)*)'|"((?:[^"\\\n]|\\.)*)"|`((?:[^`\\$]|\\.|\$(?!\{))*)`/g;
  for (let match = re.exec(text); match !== null; match = re.exec(text)) {
    const value = match[1] ?? match[2] ?? match[3] ?? '';
    out.push({ value, line: text.slice(0, match.index).split('\n').length });
  }
  return out;
}

const inside = (path: string) => path === ROOT || path.startsWith(ROOT + sep);

/**
 * Where a file's literals send a reader outside the repository:
 * - a relative path (`../x`, `./x`) that resolves outside it from the file's folder
 *   (how a URL built on import.meta.url and a join on __dirname read);
 * - a run of bare parent segments in one call (a join of dir, then "..", "..")
 *   climbing past the root from the file's folder;
 * - any mention of the old sibling folder (`shared/fixtures`) or of /work/.
 */
export function escapes(file: string, text: string): string[] {
  const problems: string[] = [];
  const base = dirname(file);
  const literals = stringLiterals(text);
  for (const [i, { value, line }] of literals.entries()) {
    const where = `${relative(ROOT, file)}:${line}`;
    if (/(^|[^\w-])shared\/fixtures\b/.test(value) || /^\/work\//.test(value)) {
      problems.push(`${where}: '${value}' names a folder outside the repository`);
      continue;
    }
    if (/^\.\.?\//.test(value) && !value.includes('*')) {
      const target = resolve(base, value.split(/[?#]/)[0]!);
      if (!inside(target)) problems.push(`${where}: '${value}' resolves to ${target}, outside the repository`);
      continue;
    }
    if (value === '..' && (i === 0 || literals[i - 1]!.value !== '..')) {
      let depth = 0;
      while (literals[i + depth]?.value === '..' && literals[i + depth]!.line - line <= 1) depth += 1;
      const target = resolve(base, ...Array<string>(depth).fill('..'));
      if (!inside(target)) problems.push(`${where}: ${depth} '..' segments climb to ${target}, outside the repository`);
    }
  }
  return problems;
}

describe('the repository is self-contained', () => {
  it('no source, test, benchmark or script reads from outside the repository root', () => {
    const files: string[] = [];
    for (const dir of SCANNED_DIRS) walk(join(ROOT, dir), files);
    expect(files.length).toBeGreaterThan(100);
    const problems = files.flatMap((file) => escapes(file, readFileSync(file, 'utf8')));
    expect(problems).toEqual([]);
  });

  it('the check catches the ways a path can climb out (so a pass means something)', () => {
    const file = join(ROOT, 'packages', 'x', 'test', 'a.test.ts');
    // The sample sources are assembled from parts, so this file itself names no outside folder.
    const up = (levels: number) => '../'.repeat(levels);
    const sibling = ['shared', 'fixtures'].join('/');
    const quote = (text: string) => `'${text}'`;
    const parent = quote('..');
    expect(escapes(file, `new URL(${quote(`${up(4)}${sibling}/twitch/`)}, import.meta.url)`)).toHaveLength(1);
    expect(escapes(file, `readFileSync(new URL(${quote(`${up(4)}elsewhere/a.json`)}, import.meta.url))`)).toHaveLength(1);
    expect(escapes(file, `join(here, ${Array(4).fill(parent).join(', ')}, 'x')`)).toHaveLength(1);
    expect(escapes(file, `const p = ${quote(`/${['work', 'shared', 'x.json'].join('/')}`)}`)).toHaveLength(1);
    expect(escapes(file, `new URL(${quote(`${up(3)}fixtures/twitch/`)}, import.meta.url); join(here, ${parent}, ${parent})`)).toEqual([]);
  });

  it('the vendored captured payloads are here, with their provenance', () => {
    const sources = readFileSync(join(ROOT, 'fixtures', 'SOURCES.md'), 'utf8');
    for (const platform of ['twitch', 'youtube', 'discord', 'rumble']) {
      expect(readdirSync(join(ROOT, 'fixtures', platform)).length, platform).toBeGreaterThan(0);
      expect(sources.toLowerCase()).toContain(platform);
    }
  });
});
