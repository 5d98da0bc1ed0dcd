/**
 * No package source touches tmi.js's private members. Patching `_onMessage`
 * to tap raw frames broke silently with any tmi.js change and hid a leaked
 * socket (tmi.js reopened its own connection after RECONNECT); the transport
 * now owns the WebSocket. This scan keeps it that way for every package.
 *
 * The private names come from tmi.js's own source (members reached through
 * `this._x` / `prototype._x`, and its internal `'_promise…'` events), so an
 * upgrade that adds one is covered. The scan reads the TypeScript syntax
 * tree, so a comment may name them; code may not, in any form: `a._x`,
 * `a['_x']`, `on('_x')`, `{ _x: … }` or a type that declares it.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const PACKAGES = fileURLToPath(new URL('../../', import.meta.url));
const SOURCE = /\.(?:ts|tsx|mts|cts|js|mjs|cjs)$/;

/** `_name` members and internal events of the installed tmi.js. */
function tmiPrivateNames(): Set<string> {
  const lib = join(dirname(createRequire(import.meta.url).resolve('tmi.js/package.json')), 'lib');
  const names = new Set<string>();
  for (const file of readdirSync(lib).filter((f) => f.endsWith('.js'))) {
    const text = readFileSync(join(lib, file), 'utf8');
    for (const [, name] of text.matchAll(/\b(?:this|prototype)\.(_[A-Za-z]\w*)/g)) names.add(name!);
    for (const [, name] of text.matchAll(/['"](_[A-Za-z]\w*)['"]/g)) names.add(name!);
  }
  return names;
}

interface Finding {
  file: string;
  line: number;
  name: string;
  code: string;
}

/** Every identifier or string in `text` that is one of `names`. */
function findPrivateUses(file: string, text: string, names: ReadonlySet<string>): Finding[] {
  if (![...names].some((name) => text.includes(name))) return [];
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: Finding[] = [];
  const visit = (node: ts.Node): void => {
    const name = ts.isIdentifier(node) || ts.isStringLiteralLike(node) ? node.text : undefined;
    if (name !== undefined && names.has(name)) {
      const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
      found.push({ file, line: line + 1, name, code: (node.parent ?? node).getText(source).slice(0, 120) });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(path));
    else if (SOURCE.test(entry.name)) out.push(path);
  }
  return out;
}

const names = tmiPrivateNames();

describe('tmi.js private members', () => {
  it('are read from tmi.js itself', () => {
    expect([...names]).toEqual(expect.arrayContaining(['_onMessage', '_sendCommand', '_isConnected', '_promiseConnect', '_events']));
  });

  it('the scan finds every way code can reach one, and ignores comments', () => {
    const patched = [
      '// we used to patch client._onMessage here',
      'type TmiClient = tmi.Client & { _onMessage: (event: { data: string }) => void };',
      'const original = client._onMessage;',
      'client._onMessage = function tap(event) { original.call(client, event); };',
      "(client as any)['_sendCommand'](null, '#c', '/me');",
      'client?._isConnected();',
      "client.once('_promiseConnect', () => {});",
      'Object.assign(client, { _onOpen() {} });',
    ].join('\n');
    const found = findPrivateUses('patched.ts', patched, names);
    expect(found.map((f) => [f.line, f.name])).toEqual([
      [2, '_onMessage'],
      [3, '_onMessage'],
      [4, '_onMessage'],
      [5, '_sendCommand'],
      [6, '_isConnected'],
      [7, '_promiseConnect'],
      [8, '_onOpen'],
    ]);
  });

  it('are never used by any package source (packages/*/src)', () => {
    const files = readdirSync(PACKAGES, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && existsSync(join(PACKAGES, entry.name, 'src')))
      .flatMap((entry) => sourceFiles(join(PACKAGES, entry.name, 'src')));
    expect(files.length).toBeGreaterThan(50);
    const found = files.flatMap((file) => findPrivateUses(relative(PACKAGES, file), readFileSync(file, 'utf8'), names));
    expect(found.map((f) => `packages/${f.file}:${f.line} ${f.name}: ${f.code}`)).toEqual([]);
  });
});
