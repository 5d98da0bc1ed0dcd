import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  defineManifestSection,
  formatIssue,
  inspectManifest,
  parseJsonWithPositions,
  isJsonSyntaxError,
  Type,
  type ManifestDocument,
  type ManifestReader,
} from '../src/index.js';
import { sectionPlugin } from './helpers/plugins.js';
import { tempTree } from './helpers/tmp.js';

const flags = sectionPlugin('flags', defineManifestSection({ key: 'dryRun', scope: 'creator', schema: Type.Boolean() }));

/**
 * A toy folder format, as a host's reader would bring one: each `<id>.json`
 * in the folder is a creator `{ "dry": boolean }`. It locates every manifest
 * path back in the creator's own file, like the real config-folder reader.
 */
const toyReader: ManifestReader = {
  id: 'toy',
  accepts: async (path) => (await stat(path)).isDirectory() && (await readdir(path)).includes('toy.marker'),
  async read(path): Promise<ManifestDocument> {
    const files = (await readdir(path)).filter((f) => f.endsWith('.json')).sort();
    const creators: Record<string, unknown> = {};
    const located = new Map<string, { file: string; parsed: ReturnType<typeof parseJsonWithPositions> }>();
    for (const name of files) {
      const file = join(path, name);
      const parsed = parseJsonWithPositions(await readFile(file, 'utf8'));
      if (isJsonSyntaxError(parsed)) continue;
      const id = name.slice(0, -'.json'.length);
      creators[id] = { enable: [], dryRun: (parsed.value as { dry?: unknown }).dry };
      located.set(id, { file, parsed });
    }
    return {
      source: path,
      baseDir: path,
      value: { creators },
      issues: [],
      files: files.map((f) => join(path, f)),
      locate(pointer) {
        const [, top, id, key] = pointer.split('/');
        const entry = top === 'creators' && id !== undefined ? located.get(id) : undefined;
        if (entry === undefined || isJsonSyntaxError(entry.parsed)) return undefined;
        const inFile = key === 'dryRun' ? ['dry'] : [];
        const position = entry.parsed.positionOf(inFile);
        return position === undefined ? undefined : { file: entry.file, path: `/${inFile.join('/')}`, ...position };
      },
    };
  },
};

describe('manifest include and readers', () => {
  it('merges an included manifest file under the manifest: its creators join, the manifest wins a clash', async () => {
    const dir = await tempTree({
      'streamsuites.json': JSON.stringify({ include: ['./more.json'], logLevel: 'warn', creators: { daniel: { enable: [], dryRun: true } } }, null, 2),
      'more.json': JSON.stringify({ logLevel: 'debug', creators: { daniel: { enable: [], dryRun: false }, sol: { enable: [], dryRun: false } } }, null, 2),
    });
    const result = await inspectManifest(join(dir, 'streamsuites.json'), { plugins: [flags] });
    expect(result.issues).toEqual([]);
    expect(result.manifest!.logLevel).toBe('warn');
    expect(Object.keys(result.manifest!.creators).sort()).toEqual(['daniel', 'sol']);
    expect(result.manifest!.creators.daniel!.sections.dryRun).toBe(true);
    expect(result.manifest!.creators.sol!.sections.dryRun).toBe(false);
    expect(result.files).toEqual([join(dir, 'streamsuites.json'), join(dir, 'more.json')]);
  });

  it('a problem in an included file is reported in that file, at its line', async () => {
    const dir = await tempTree({
      'streamsuites.json': JSON.stringify({ include: ['more.json'], creators: { daniel: { enable: [] } } }, null, 2),
      'more.json': '{\n  "creators": {\n    "sol": {\n      "enable": [],\n      "dryRun": "yes"\n    }\n  }\n}\n',
    });
    const result = await inspectManifest(join(dir, 'streamsuites.json'), { plugins: [flags] });
    expect(result.issues.map((i) => [i.code, i.path, i.file, i.position?.line])).toEqual([
      ['SS_ERR_MANIFEST_SCHEMA', '/creators/sol/dryRun', join(dir, 'more.json'), 5],
    ]);
    expect(formatIssue(result.issues[0]!)).toMatch(new RegExp(`^${join(dir, 'more.json').replace(/[/.]/g, '\\$&')}:5:7 /creators/sol/dryRun: `));
  });

  it('a folder is read through the reader that accepts it, as the manifest itself or as an include', async () => {
    const dir = await tempTree({ 'config/toy.marker': '', 'config/sol.json': '{\n  "dry": true\n}\n', 'config/ana.json': '{\n\n  "dry": 3\n}\n' });
    const direct = await inspectManifest(join(dir, 'config'), { plugins: [flags], readers: [toyReader] });
    expect(direct.issues.map((i) => [i.path, i.file, i.filePath, i.position?.line])).toEqual([['/creators/ana/dryRun', join(dir, 'config/ana.json'), '/dry', 3]]);
    expect(formatIssue(direct.issues[0]!)).toContain('ana.json:3:3 /dry: ');

    await tempTreeInto(dir, { 'streamsuites.json': JSON.stringify({ include: ['./config'], creators: { ana: { enable: [], dryRun: false } } }) });
    const included = await inspectManifest(join(dir, 'streamsuites.json'), { plugins: [flags], readers: [toyReader] });
    // The manifest's own value for ana wins over the folder's broken one.
    expect(included.issues).toEqual([]);
    expect(included.manifest!.creators.sol!.sections.dryRun).toBe(true);
    expect(included.files).toContain(join(dir, 'config/sol.json'));
  });

  it('reports includes that are missing, unreadable or nested, every one at once', async () => {
    const dir = await tempTree({
      'streamsuites.json': JSON.stringify({ include: ['./nope', './plain-folder', './nested.json', './broken.json'], creators: {} }, null, 2),
      'plain-folder/readme.txt': 'not a config folder',
      'nested.json': JSON.stringify({ include: ['./x.json'], creators: {} }),
      'broken.json': '{ "creators": ',
    });
    const result = await inspectManifest(join(dir, 'streamsuites.json'), { plugins: [flags], readers: [toyReader] });
    expect(result.issues.map((i) => [i.code, i.path])).toEqual([
      ['SS_ERR_MANIFEST_INCLUDE', '/include/0'],
      ['SS_ERR_MANIFEST_INCLUDE', '/include/1'],
      ['SS_ERR_MANIFEST_INCLUDE', '/include/3'],
      ['SS_ERR_MANIFEST_INCLUDE', '/include/2'],
    ]);
    const messages = result.issues.map((i) => i.message).join('\n');
    expect(messages).toContain('does not exist');
    expect(messages).toContain('no reader of this host understands the folder');
    expect(messages).toContain('not valid JSON');
    expect(messages).toContain('included files cannot include others');
    // The nested one points into the file that holds the nested include.
    expect(result.issues.find((i) => i.path === '/include/2')!.file).toBe(join(dir, 'nested.json'));
  });

  it('an include entry that is not a path is a schema problem', async () => {
    const dir = await tempTree({ 'streamsuites.json': JSON.stringify({ include: [3], creators: {} }) });
    const result = await inspectManifest(join(dir, 'streamsuites.json'), { plugins: [flags] });
    expect(result.issues.map((i) => [i.code, i.path])).toEqual([['SS_ERR_MANIFEST_SCHEMA', '/include/0']]);
  });
});

async function tempTreeInto(dir: string, files: Record<string, string>): Promise<void> {
  const { writeFile } = await import('node:fs/promises');
  for (const [path, content] of Object.entries(files)) await writeFile(join(dir, path), content);
}
