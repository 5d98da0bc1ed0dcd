// What an integrator sees of a package before its code: the manifest npm
// shows and installs from, and the README's opening. Every published package
// must say where it comes from (repository, homepage, bugs), what it needs
// (engines, the kernel as a peer of every plugin, so one kernel instance is
// shared), what it ships (files, exports with types first, sideEffects), and
// open its README with an example to copy. publint and attw (`pnpm lint`)
// check the packed tarballs; this checks the intent, without a build.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const REPOSITORY_URL = 'git+https://github.com/streamsuites/streamsuites.git';
const KERNEL = '@streamsuites/kernel';
/** The workspace-only condition that resolves to src/*.ts; never published. */
const SOURCE_CONDITION = '@streamsuites/source';
/**
 * Hosts create the kernel instead of being loaded into one, so they bring it
 * as a dependency: `npx streamsuites` must run with nothing else installed,
 * and npm/pnpm resolve the plugins' kernel peer to that same copy. The
 * dashboard is a standalone server (it only uses defineError), not a plugin.
 */
const HOSTS = new Set(['@streamsuites/cli', '@streamsuites/dashboard']);
/** How far down a README its first example may start. */
const README_EXAMPLE_WITHIN_LINES = 40;

type ExportValue = string | { [condition: string]: ExportValue } | null;
interface Manifest {
  name: string;
  private?: boolean;
  description?: string;
  license?: string;
  type?: string;
  sideEffects?: boolean | string[];
  engines?: { node?: string };
  files?: string[];
  exports?: Record<string, ExportValue>;
  publishConfig?: { exports?: Record<string, ExportValue> };
  repository?: { type?: string; url?: string; directory?: string };
  homepage?: string;
  bugs?: { url?: string };
  keywords?: string[];
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

interface Pkg {
  dir: string;
  manifest: Manifest;
  readme: string | undefined;
}

function packages(): Pkg[] {
  const base = join(ROOT, 'packages');
  return readdirSync(base, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(base, entry.name, 'package.json')))
    .map((entry) => {
      const dir = join(base, entry.name);
      const readmeFile = join(dir, 'README.md');
      return {
        dir: entry.name,
        manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest,
        readme: existsSync(readmeFile) ? readFileSync(readmeFile, 'utf8') : undefined,
      };
    })
    .sort((a, b) => a.dir.localeCompare(b.dir));
}

/** Problems with one `exports` value: `types` must come first and `default` last, at every level. */
export function exportOrderProblems(subpath: string, value: ExportValue): string[] {
  if (value === null || typeof value === 'string') return [];
  const conditions = Object.keys(value).filter((c) => c !== SOURCE_CONDITION);
  const problems: string[] = [];
  const jsTarget = Object.values(value).some((v) => typeof v === 'string' && /\.[mc]?js$/u.test(v));
  if (jsTarget && !conditions.includes('types')) problems.push(`exports["${subpath}"] has no "types"`);
  if (conditions.includes('types') && conditions[0] !== 'types') problems.push(`exports["${subpath}"]: "types" must be the first condition (after ${SOURCE_CONDITION}), not ${JSON.stringify(conditions)}`);
  if (conditions.includes('default') && conditions.at(-1) !== 'default') problems.push(`exports["${subpath}"]: "default" must be the last condition, not ${JSON.stringify(conditions)}`);
  for (const [condition, inner] of Object.entries(value)) problems.push(...exportOrderProblems(`${subpath}/${condition}`, inner));
  return problems;
}

/** `exports` as published: the same map without the workspace-only source condition. */
export function withoutSourceCondition(value: ExportValue): ExportValue {
  if (value === null || typeof value === 'string') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([condition]) => condition !== SOURCE_CONDITION)
      .map(([condition, inner]) => [condition, withoutSourceCondition(inner)]),
  );
}

function targets(value: ExportValue): string[] {
  if (value === null) return [];
  if (typeof value === 'string') return [value];
  return Object.values(value).flatMap(targets);
}

/** Every problem with a non-private package's manifest, as readable lines. */
export function manifestProblems(dir: string, m: Manifest): string[] {
  const problems: string[] = [];
  const need = (ok: unknown, problem: string) => void (ok ? undefined : problems.push(problem));

  need(
    typeof m.description === 'string' && m.description.length >= 40 && /^[A-Z`@]/u.test(m.description) && /\.$/u.test(m.description),
    `description must be a sentence (capital letter, at least 40 characters, ending with "."): ${JSON.stringify(m.description)}`,
  );
  need(m.license === 'MIT', `license must be "MIT", not ${JSON.stringify(m.license)}`);
  need(m.type === 'module', 'type must be "module" (the packages are ESM only)');
  need(typeof m.sideEffects === 'boolean' || Array.isArray(m.sideEffects), 'sideEffects must be declared (false, or the list of files with side effects)');
  const nodeMajor = /^>=\s*(\d+)/u.exec(m.engines?.node ?? '')?.[1];
  need(nodeMajor !== undefined && Number(nodeMajor) >= 20, `engines.node must be ">=20" or newer, not ${JSON.stringify(m.engines?.node)}`);
  need(Array.isArray(m.files) && m.files.includes('dist'), 'files must list "dist"');
  need(m.repository?.type === 'git' && m.repository.url === REPOSITORY_URL && m.repository.directory === `packages/${dir}`,
    `repository must be { type: "git", url: "${REPOSITORY_URL}", directory: "packages/${dir}" }, not ${JSON.stringify(m.repository)}`);
  need(m.homepage === `https://github.com/streamsuites/streamsuites/tree/main/packages/${dir}#readme`, `homepage must be the package's README on GitHub, not ${JSON.stringify(m.homepage)}`);
  need(m.bugs?.url === 'https://github.com/streamsuites/streamsuites/issues', `bugs.url must be the issue tracker, not ${JSON.stringify(m.bugs)}`);
  need(Array.isArray(m.keywords) && m.keywords.includes('streamsuites') && m.keywords.length >= 3, 'keywords must include "streamsuites" and say what the package is about');

  if (m.exports === undefined || !('.' in m.exports)) {
    problems.push('exports must have a "." entry');
  } else {
    for (const [subpath, value] of Object.entries(m.exports)) problems.push(...exportOrderProblems(subpath, value));
    // The source condition points at src/, which is not packed: the published
    // manifest drops it (pnpm pack/publish apply publishConfig.exports).
    const published = withoutSourceCondition(m.exports);
    if (JSON.stringify(m.exports).includes(SOURCE_CONDITION)) {
      need(JSON.stringify(m.publishConfig?.exports) === JSON.stringify(published),
        `publishConfig.exports must be exports without the "${SOURCE_CONDITION}" condition: ${JSON.stringify(published)}`);
    }
    const shipped = m.publishConfig?.exports ?? m.exports;
    for (const target of Object.values(shipped).flatMap(targets)) {
      const top = target.replace(/^\.\//u, '').split('/')[0]!;
      need(top === 'package.json' || m.files?.includes(top), `export target ${target} is not in files`);
    }
  }

  const isHost = HOSTS.has(m.name);
  if (m.name !== KERNEL && !isHost) {
    need(m.peerDependencies?.[KERNEL] !== undefined, `${KERNEL} must be a peerDependency (one kernel instance, the host's)`);
    need(m.dependencies?.[KERNEL] === undefined, `${KERNEL} must not be a dependency (a second copy breaks service refs and instanceof)`);
  }
  if (isHost) need(m.dependencies?.[KERNEL] !== undefined, `${m.name} is a host: ${KERNEL} must be a dependency`);
  return problems;
}

/** The README's first fenced code block, if it opens within `withinLines`: its language and body. */
export function openingExample(readme: string, withinLines = README_EXAMPLE_WITHIN_LINES): { lang: string; body: string } | undefined {
  const lines = readme.split(/\r?\n/u);
  const start = lines.findIndex((line) => /^```/u.test(line));
  if (start < 0 || start >= withinLines) return undefined;
  const end = lines.findIndex((line, i) => i > start && /^```\s*$/u.test(line));
  if (end < 0) return undefined;
  return { lang: lines[start]!.slice(3).trim(), body: lines.slice(start + 1, end).join('\n') };
}

/** Problems with a README's opening: it must show how to use the package, as JSON, shell or TypeScript. */
export function readmeProblems(m: Manifest, readme: string | undefined): string[] {
  if (readme === undefined) return ['README.md is missing'];
  if (!readme.startsWith(`# ${m.name}\n`)) return [`README.md must start with "# ${m.name}"`];
  const example = openingExample(readme);
  if (example === undefined) return [`README.md must open (within its first ${README_EXAMPLE_WITHIN_LINES} lines) with a fenced code block of a runnable example`];
  const { lang, body } = example;
  if (!['json', 'sh', 'ts'].includes(lang)) return [`README.md's first example must be \`\`\`json (a manifest), \`\`\`sh (commands) or \`\`\`ts, not \`\`\`${lang}`];
  if (lang === 'json') {
    try {
      JSON.parse(body);
    } catch (error) {
      return [`README.md's first example is not valid JSON: ${(error as Error).message}`];
    }
  }
  // It must be this package's example: a manifest or code naming it, or the CLI.
  const usesPackage = body.includes(m.name) || (lang === 'sh' && /\bstreamsuites\s/u.test(body));
  return usesPackage ? [] : [`README.md's first example does not use ${m.name}`];
}

const all = packages();
const published = all.filter((p) => !p.manifest.private);

describe('package metadata', () => {
  it('finds the packages', () => {
    expect(published.length).toBeGreaterThanOrEqual(20);
  });

  it.each(published.map((p) => [p.dir, p] as const))('%s has complete, consistent publishing metadata', (dir, p) => {
    expect(manifestProblems(dir, p.manifest)).toEqual([]);
  });

  it.each(published.map((p) => [p.dir, p] as const))('%s README opens with a runnable example', (_dir, p) => {
    expect(readmeProblems(p.manifest, p.readme)).toEqual([]);
  });
});

describe('the checks themselves', () => {
  const good: Manifest = JSON.parse(readFileSync(join(ROOT, 'packages', 'plugin-twitch', 'package.json'), 'utf8')) as Manifest;

  it('accepts a complete plugin manifest', () => {
    expect(manifestProblems('plugin-twitch', good)).toEqual([]);
  });

  it('rejects default before types, a missing peer kernel, a stale publishConfig and missing fields', () => {
    const bad: Manifest = {
      ...good,
      exports: { '.': { [SOURCE_CONDITION]: './src/index.ts', default: './dist/index.js', types: './dist/index.d.ts' } },
      peerDependencies: {},
      dependencies: { [KERNEL]: '^0.1.0' },
      repository: { type: 'git', url: REPOSITORY_URL, directory: 'packages/elsewhere' },
      keywords: [],
    };
    delete bad.sideEffects;
    const problems = manifestProblems('plugin-twitch', bad).join('\n');
    expect(problems).toContain('"types" must be the first condition');
    expect(problems).toContain('"default" must be the last condition');
    expect(problems).toContain(`${KERNEL} must be a peerDependency`);
    expect(problems).toContain(`${KERNEL} must not be a dependency`);
    expect(problems).toContain('publishConfig.exports must be exports without');
    expect(problems).toContain('repository must be');
    expect(problems).toContain('keywords must include');
    expect(problems).toContain('sideEffects must be declared');
  });

  it('rejects a README whose first example is missing, too far down, or not about the package', () => {
    const name = '@streamsuites/plugin-twitch';
    const pad = Array.from({ length: 45 }, () => 'prose').join('\n');
    expect(readmeProblems({ name }, `# ${name}\n\nNo code.\n`)).toEqual([expect.stringContaining('must open')]);
    expect(readmeProblems({ name }, `# ${name}\n${pad}\n\`\`\`ts\nimport x from '${name}';\n\`\`\`\n`)).toEqual([expect.stringContaining('must open')]);
    expect(readmeProblems({ name }, `# ${name}\n\n\`\`\`ts\nconst a = 1;\n\`\`\`\n`)).toEqual([expect.stringContaining('does not use')]);
    expect(readmeProblems({ name }, `# ${name}\n\n\`\`\`json\n{ "package": "${name}", }\n\`\`\`\n`)).toEqual([expect.stringContaining('not valid JSON')]);
    expect(readmeProblems({ name }, `# ${name}\n\n\`\`\`sh\npnpm add ${name}\n\`\`\`\n`)).toEqual([]);
  });
});
