// The Markdown documentation stays true to the repository:
// - a fenced code block preceded by `<!-- file: <path from the repository root> -->`
//   is an excerpt of that file and must appear in it verbatim (so the guide's
//   code is the real code, and a change to the code that the guide shows fails here);
// - every relative link in docs/*.md (and the README of examples/custom-trigger,
//   which the guide builds on) points at a file that exists, and a `#anchor`
//   at a heading that exists in the target Markdown file.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DOCS = join(ROOT, 'docs');
const PAGES = [
  ...readdirSync(DOCS)
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => join(DOCS, name)),
  join(ROOT, 'examples', 'custom-trigger', 'README.md'),
];
const MARKER = /^<!--\s*file:\s*(\S+)\s*-->\s*$/;
const FENCE = /^(\s*)(`{3,}|~{3,})/;

interface Excerpt { readonly page: string; readonly line: number; readonly file: string; readonly code: string }

/** The marked excerpts of a page: the marker line, then a fenced block on the very next line. */
function excerpts(page: string, text: string): { excerpts: Excerpt[]; problems: string[] } {
  const lines = text.split('\n');
  const found: Excerpt[] = [];
  const problems: string[] = [];
  lines.forEach((line, index) => {
    const marker = MARKER.exec(line);
    if (!marker) return;
    const open = FENCE.exec(lines[index + 1] ?? '');
    if (!open) {
      problems.push(`${page}:${index + 1}: a file marker must be followed directly by a fenced code block`);
      return;
    }
    const end = lines.findIndex((l, i) => i > index + 1 && l.trim() === open[2]);
    if (end === -1) {
      problems.push(`${page}:${index + 2}: the code block never closes`);
      return;
    }
    found.push({ page, line: index + 1, file: marker[1]!, code: lines.slice(index + 2, end).join('\n') });
  });
  return { excerpts: found, problems };
}

/** GitHub's anchor for a heading: inline code and links reduced to their text, lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  return heading
    .replace(/`([^`]*)`/g, '$1')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** Text outside fenced code blocks and inline code, where Markdown links live. */
function prose(text: string): string[] {
  let fence: string | undefined;
  return text.split('\n').map((line) => {
    const open = FENCE.exec(line);
    if (fence !== undefined) {
      if (open && line.trim() === fence) fence = undefined;
      return '';
    }
    if (open) {
      fence = open[2]!;
      return '';
    }
    return line.replace(/`[^`]*`/g, '');
  });
}

/** Every heading's anchor in a Markdown file, with GitHub's -1, -2 suffixes for repeats. */
function anchorsOf(file: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  let fence: string | undefined;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const open = FENCE.exec(line);
    if (fence !== undefined) {
      if (open && line.trim() === fence) fence = undefined;
      continue;
    }
    if (open) {
      fence = open[2]!;
      continue;
    }
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const base = slug(heading[1]!);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

/** Problems with the relative links of a page: missing files, missing anchors. */
function linkProblems(page: string): string[] {
  const problems: string[] = [];
  const anchors = new Map<string, Set<string>>();
  prose(readFileSync(page, 'utf8')).forEach((line, index) => {
    for (const match of line.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
      const target = match[1]!;
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto: — not ours to check here
      const [path, anchor] = target.split('#', 2) as [string, string | undefined];
      const file = path === '' ? page : resolve(dirname(page), decodeURIComponent(path));
      const where = `${relative(ROOT, page)}:${index + 1}: ${target}`;
      if (!existsSync(file)) {
        problems.push(`${where}: ${relative(ROOT, file)} does not exist`);
        continue;
      }
      if (anchor === undefined || !file.endsWith('.md') || statSync(file).isDirectory()) continue;
      if (!anchors.has(file)) anchors.set(file, anchorsOf(file));
      if (!anchors.get(file)!.has(anchor)) problems.push(`${where}: no heading with the anchor #${anchor} in ${relative(ROOT, file)}`);
    }
  });
  return problems;
}

describe('docs', () => {
  it('the pages to check are there', () => {
    for (const name of ['README.md', 'writing-a-plugin.md', 'manifest-reference.md', 'architecture.md', 'operations.md', 'troubleshooting.md']) {
      expect(PAGES, name).toContain(join(DOCS, name));
    }
  });

  it('every code block marked with <!-- file: ... --> appears verbatim in that file', () => {
    const problems: string[] = [];
    let count = 0;
    for (const page of PAGES) {
      const found = excerpts(relative(ROOT, page), readFileSync(page, 'utf8'));
      problems.push(...found.problems);
      for (const e of found.excerpts) {
        count++;
        const file = join(ROOT, e.file);
        if (!existsSync(file)) problems.push(`${e.page}:${e.line}: ${e.file} does not exist`);
        else if (e.code.trim() === '') problems.push(`${e.page}:${e.line}: the excerpt of ${e.file} is empty`);
        else if (!readFileSync(file, 'utf8').includes(e.code)) problems.push(`${e.page}:${e.line}: this excerpt is not (or no longer) in ${e.file}: copy it again from the file`);
      }
    }
    expect(problems).toEqual([]);
    // A marker convention nobody uses would pass everything.
    expect(count).toBeGreaterThanOrEqual(15);
  });

  it("the plugin guide quotes the example's package.json and every source file", () => {
    const { excerpts: found } = excerpts('docs/writing-a-plugin.md', readFileSync(join(DOCS, 'writing-a-plugin.md'), 'utf8'));
    const files = new Set(found.map((e) => e.file));
    for (const file of ['package.json', 'src/config.ts', 'src/plugin.ts', 'src/index.ts', 'tsup.config.ts']) {
      expect(files, file).toContain(`examples/custom-trigger/${file}`);
    }
  });

  it('every relative link points at a file that exists, and every anchor at a heading', () => {
    expect(PAGES.flatMap(linkProblems)).toEqual([]);
  });

  it('computes anchors the way GitHub does', () => {
    expect(slug('SS_ERR_MANIFEST_PARSE')).toBe('ss_err_manifest_parse');
    expect(slug('8. Loading it by package name')).toBe('8-loading-it-by-package-name');
    expect(slug('Plugin config: store-sqlite')).toBe('plugin-config-store-sqlite');
    expect(slug('`streamsuites validate <manifest> [--json]`')).toBe('streamsuites-validate-manifest---json');
  });
});
