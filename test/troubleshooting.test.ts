// docs/troubleshooting.md must list exactly the SS_ERR_* codes the code can
// report, each with a cause and a fix: a code added without docs, or docs
// left behind for a removed code, fails here. The code side is a regex scan
// of the shipped sources (packages/*/src, examples/*/src; not tests, not
// dist), so it also catches codes used as plain string literals
// (status.error('SS_ERR_...'), fallbacks) and not only defineError() calls.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DOC = join(ROOT, 'docs', 'troubleshooting.md');
const SOURCE_PARENTS = ['packages', 'examples'];
const SKIP_DIRS = new Set(['node_modules', 'dist', 'test', 'tests', '__tests__', 'coverage']);
const SOURCE_FILE = /\.[cm]?[jt]sx?$/;
const TEST_FILE = /\.(test|spec)\.[cm]?[jt]sx?$/;
// A code is a quoted literal: 'SS_ERR_X', "SS_ERR_X" or `SS_ERR_X` (not the bare 'SS_ERR_' prefix check).
const CODE_LITERAL = /['"`](SS_ERR_[A-Z0-9]+(?:_[A-Z0-9]+)*)['"`]/g;
const CODE_TOKEN = /\bSS_ERR_[A-Z0-9]+(?:_[A-Z0-9]+)*\b/g;

function sourceFiles(dir: string, out: string[]): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) sourceFiles(full, out);
    } else if (entry.isFile() && SOURCE_FILE.test(entry.name) && !TEST_FILE.test(entry.name)) {
      out.push(full);
    }
  }
  return out;
}

/** code → names of the packages whose sources use it. */
function codesInSource(): Map<string, Set<string>> {
  const codes = new Map<string, Set<string>>();
  for (const parent of SOURCE_PARENTS) {
    for (const entry of readdirSync(join(ROOT, parent), { withFileTypes: true })) {
      const dir = join(ROOT, parent, entry.name);
      if (!entry.isDirectory() || !existsSync(join(dir, 'src')) || !existsSync(join(dir, 'package.json'))) continue;
      const name = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string }).name;
      for (const file of sourceFiles(join(dir, 'src'), [])) {
        for (const match of readFileSync(file, 'utf8').matchAll(CODE_LITERAL)) {
          const code = match[1]!;
          if (!codes.has(code)) codes.set(code, new Set());
          codes.get(code)!.add(name);
        }
      }
    }
  }
  return codes;
}

interface DocEntry { readonly code: string; readonly pkg: string | undefined; readonly cause: string; readonly fix: string; readonly line: number }

/** Every `### SS_ERR_...` section, with the `## <package>` it sits under and its **Cause:** / **Fix:** paragraphs. */
function entriesInDoc(text: string): DocEntry[] {
  const entries: DocEntry[] = [];
  let pkg: string | undefined;
  let current: { code: string; pkg: string | undefined; cause: string; fix: string; line: number } | undefined;
  const lines = text.split('\n');
  lines.forEach((line, index) => {
    const h2 = /^## (.+)$/.exec(line);
    const h3 = /^### (SS_ERR_[A-Z0-9_]+)\s*$/.exec(line);
    if (h2 || h3) {
      if (current) entries.push(current);
      current = undefined;
    }
    if (h2) pkg = h2[1]!.trim();
    if (h3) current = { code: h3[1]!, pkg, cause: '', fix: '', line: index + 1 };
    const field = /^\*\*(Cause|Fix):\*\*(.*)$/.exec(line);
    if (field && current) current[field[1] === 'Cause' ? 'cause' : 'fix'] = field[2]!.trim();
  });
  if (current) entries.push(current);
  return entries;
}

describe('docs/troubleshooting.md', () => {
  const inSource = codesInSource();
  const text = readFileSync(DOC, 'utf8');
  const entries = entriesInDoc(text);
  const documented = new Map(entries.map((e) => [e.code, e]));

  it('the source scan finds the codes (a scan that finds nothing would pass everything)', () => {
    expect(inSource.size).toBeGreaterThan(100);
    for (const known of ['SS_ERR_MANIFEST_PARSE', 'SS_ERR_DISCORD_CONNECT', 'SS_ERR_DEMO_PORT_IN_USE']) expect(inSource.has(known), known).toBe(true);
  });

  it('documents every code defined in the code, with a cause and a fix', () => {
    const missing = [...inSource.keys()].filter((code) => !documented.has(code)).sort();
    expect(missing, `codes used in packages/*/src or examples/*/src but missing from ${relative(ROOT, DOC)}`).toEqual([]);
    const incomplete = entries.filter((e) => e.cause.length < 10 || e.fix.length < 10).map((e) => `${e.code} (line ${e.line})`);
    expect(incomplete, 'entries without a **Cause:** or **Fix:** paragraph').toEqual([]);
  });

  it('names no code the code does not have (so it cannot go stale)', () => {
    const mentioned = new Set(text.match(CODE_TOKEN) ?? []);
    const stale = [...mentioned].filter((code) => !inSource.has(code)).sort();
    expect(stale, 'codes in the doc that no source defines or uses any more').toEqual([]);
  });

  it('lists each code once, under a package that uses it', () => {
    const counts = new Map<string, number>();
    for (const e of entries) counts.set(e.code, (counts.get(e.code) ?? 0) + 1);
    expect([...counts].filter(([, n]) => n > 1).map(([code]) => code)).toEqual([]);
    const misplaced = entries
      .filter((e) => inSource.has(e.code) && (e.pkg === undefined || !inSource.get(e.code)!.has(e.pkg)))
      .map((e) => `${e.code} under "${e.pkg}" (used by ${[...inSource.get(e.code)!].join(', ')})`);
    expect(misplaced).toEqual([]);
  });
});
