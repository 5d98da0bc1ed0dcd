// A package's published code may import only what its package.json promises
// to install: its dependencies and peerDependencies (devDependencies are for
// tests, benchmarks and builds). A plugin that imported another plugin's
// runtime code without depending on it would fail to load wherever that
// plugin is not installed — even when the dependency is optional (`exports?`).
import { builtinModules } from 'node:module';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BUILTINS = new Set(builtinModules);

interface Manifest {
  name: string;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

/** `@scope/name/sub` → `@scope/name`, `name/sub` → `name`; undefined for relative paths and Node built-ins. */
export function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:')) return undefined;
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
  return BUILTINS.has(name) ? undefined : name;
}

/** Source files below `dir` (.ts, .mts, .js, .mjs), build output and dependencies left out. */
function sources(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.(m?ts|m?js|tsx)$/u.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((file) => !/[\\/](node_modules|dist)[\\/]/u.test(file));
}

const manifestOf = (packageDir: string) => JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as Manifest;

/** Every package a package's src imports (static, dynamic with a literal, `export from`, `declare module`), with the file. */
function srcImports(packageDir: string): { file: string; specifier: string; name: string }[] {
  return sources(join(packageDir, 'src')).flatMap((file) =>
    ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles.flatMap(({ fileName }) => {
      const name = packageOf(fileName);
      return name === undefined ? [] : [{ file: relative(ROOT, file), specifier: fileName, name }];
    }),
  );
}

/** `file: specifier` for every import of a package its package.json does not promise. */
export function undeclaredImports(packageDir: string): string[] {
  const manifest = manifestOf(packageDir);
  const allowed = new Set([manifest.name, ...Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies, ...manifest.optionalDependencies })]);
  return srcImports(packageDir)
    .filter(({ name }) => !allowed.has(name))
    .map(({ file, specifier }) => `${file}: ${specifier}`);
}

/** A plugin package's id and the plugins it requires (`dependencies` without `?`), read from the `= definePlugin({...})` in its src/plugin.ts. */
function pluginOf(packageDir: string): { id: string; required: string[] } | undefined {
  const file = join(packageDir, 'src', 'plugin.ts');
  if (!existsSync(file)) return undefined;
  const text = readFileSync(file, 'utf8');
  const id = /=\s*definePlugin\(\{[\s\S]*?\bid:\s*'([^']+)'/u.exec(text)?.[1];
  if (id === undefined) return undefined;
  const deps = /=\s*definePlugin\(\{[\s\S]*?\bdependencies:\s*\[([^\]]*)\]/u.exec(text)?.[1] ?? '';
  return { id, required: [...deps.matchAll(/'([^'?]+)'/gu)].map((m) => m[1]!) };
}

const packageDirs = ['packages', 'examples'].flatMap((group) =>
  readdirSync(join(ROOT, group), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(ROOT, group, entry.name, 'package.json')))
    .map((entry) => join(ROOT, group, entry.name)),
);

describe('package imports', () => {
  it('finds the packages', () => {
    expect(packageDirs.map((dir) => relative(ROOT, dir))).toEqual(expect.arrayContaining(['packages/kernel', 'packages/plugin-engagement', 'examples/demo']));
  });

  it.each(packageDirs.map((dir) => [relative(ROOT, dir), dir]))('%s: src imports only its dependencies and peerDependencies', (_name, dir) => {
    expect(undeclaredImports(dir)).toEqual([]);
  });

  it('a plugin imports another plugin\'s package only when that plugin is a required dependency (not `id?`)', () => {
    const plugins = new Map(packageDirs.flatMap((dir) => {
      const plugin = pluginOf(dir);
      return plugin === undefined ? [] : [[manifestOf(dir).name, { dir, ...plugin }] as const];
    }));
    expect([...plugins.values()].map((p) => p.id)).toEqual(expect.arrayContaining(['engagement', 'exports', 'clips', 'twitch']));
    const problems = [...plugins.entries()].flatMap(([name, plugin]) =>
      srcImports(plugin.dir)
        .filter((i) => i.name !== name && plugins.has(i.name) && !plugin.required.includes(plugins.get(i.name)!.id))
        .map((i) => `${i.file}: ${i.specifier} (plugin "${plugins.get(i.name)!.id}" is not a required dependency of "${plugin.id}")`),
    );
    expect(problems).toEqual([]);
  });

  it('names a package from a specifier, and skips relative paths and Node built-ins', () => {
    expect(['@streamsuites/kernel/testing', 'tmi.js', 'ws/lib/x', './a.js', 'node:fs', 'path', '../package.json'].map(packageOf)).toEqual([
      '@streamsuites/kernel',
      'tmi.js',
      'ws',
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });
});
