// docs/manifest-reference.md is generated from the manifest JSON Schema
// (scripts/manifest-reference.ts): this regenerates it and compares it byte
// for byte with the committed file, so a schema change without a
// regenerated page fails here, as does a hand edit of the page.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OFFICIAL_PLUGINS } from '../packages/defaults/src/index.js';
import { buildManifestReference, REFERENCE_COMMAND, REFERENCE_FILE, rows } from '../scripts/manifest-reference.js';

/** The first line where two texts differ, for a failure message a person can act on. */
function firstDifference(actual: string, expected: string): string {
  const a = actual.split('\n');
  const e = expected.split('\n');
  for (let i = 0; i < Math.max(a.length, e.length); i++) {
    if (a[i] !== e[i]) return `line ${i + 1}:\n  committed: ${a[i] ?? '(end of file)'}\n  generated: ${e[i] ?? '(end of file)'}`;
  }
  return 'no line differs (line endings?)';
}

describe('docs/manifest-reference.md', () => {
  it('is what the generator writes from the current schemas', async () => {
    const { markdown } = await buildManifestReference();
    const committed = readFileSync(REFERENCE_FILE, 'utf8');
    if (committed !== markdown) {
      expect.fail(`docs/manifest-reference.md is out of date: run \`${REFERENCE_COMMAND}\` to update it (first difference at ${firstDifference(committed, markdown)})`);
    }
  });

  it('describes every key: a config key without a description fails here', async () => {
    const { markdown, undescribed } = await buildManifestReference();
    const bare = markdown.split('\n').filter((line) => line.startsWith('| `') && /\|\s*\|\s*$/.test(line));
    expect(undescribed, `keys without a description (add \`description\` to the schema):\n${bare.slice(0, 10).join('\n')}`).toBe(0);
  });

  it('comes out the same on a second run (nothing depends on load order or the clock)', async () => {
    const [first, second] = [await buildManifestReference(), await buildManifestReference()];
    expect(second.markdown).toBe(first.markdown);
  });

  it("has a table for every official plugin's config and creator config, and the kernel's own keys", async () => {
    const { markdown, keys } = await buildManifestReference();
    const headings = new Set(markdown.split('\n').filter((line) => line.startsWith('#')));
    for (const id of ['twitch', 'youtube', 'kick', 'x', 'clips', 'discord', 'engagement', 'chatlog', 'store-sqlite']) {
      expect(headings.has(`### Plugin config: ${id}`), id).toBe(true);
    }
    for (const id of ['twitch', 'youtube', 'kick', 'rumble', 'x', 'clips']) expect(headings.has(`### Creator config: ${id}`), id).toBe(true);
    // Every official plugin is named in the list of plugins the page covers.
    for (const id of OFFICIAL_PLUGINS.keys()) expect(markdown).toContain(`\`${id}\``);
    for (const key of ['creators', 'creators.<creator>.enable', 'plugins.<plugin>.package', 'timeouts.stopMs', 'logLevel']) {
      expect(markdown).toContain(`| \`${key}\` |`);
    }
    expect(markdown).toContain('### Creator section triggers');
    expect(keys).toBeGreaterThan(400);
  });

  it('describes a key with its type, default, requiredness, limits and description', () => {
    const schema = {
      type: 'object',
      required: ['mode'],
      properties: {
        concurrency: { type: 'integer', minimum: 1, maximum: 16, default: 2, description: 'Jobs at once.' },
        mode: { anyOf: [{ type: 'string', const: 'copy' }, { type: 'string', const: 'reencode' }] },
        tags: { type: 'array', items: { type: 'string', pattern: '^[a-z|]+$' }, maxItems: 5, uniqueItems: true },
        target: {
          anyOf: [
            { type: 'object', properties: { kind: { type: 'string', const: 'local' }, dir: { type: 'string', minLength: 1 } }, required: ['kind'], additionalProperties: false },
            { type: 'object', properties: { kind: { type: 'string', const: 'http' }, url: { type: 'string' } }, additionalProperties: false },
          ],
        },
      },
      additionalProperties: false,
    };
    expect(rows(schema, 'plugins.demo.config', 'no').map((r) => [r.path, r.type, r.default, r.required, r.allowed, r.description])).toEqual([
      ['plugins.demo.config', 'object', '', 'no', '', ''],
      ['plugins.demo.config.concurrency', 'integer', '`2`', 'no', '1–16', 'Jobs at once.'],
      ['plugins.demo.config.mode', 'string', '', 'yes', 'one of `"copy"`, `"reencode"`', ''],
      ['plugins.demo.config.tags', 'array of string', '', 'no', 'items ≤ 5; no repeats; each: matches `^[a-z|]+$`', ''],
      ['plugins.demo.config.target', 'object', '', 'no', '', ''],
      ['plugins.demo.config.target(kind="local")', 'object', '', '', '', ''],
      ['plugins.demo.config.target(kind="local").dir', 'string', '', 'no', 'length ≥ 1', ''],
      ['plugins.demo.config.target(kind="local").kind', 'string', '', 'yes', '`"local"`', ''],
      ['plugins.demo.config.target(kind="http")', 'object', '', '', '', ''],
      ['plugins.demo.config.target(kind="http").kind', 'string', '', 'no', '`"http"`', ''],
      ['plugins.demo.config.target(kind="http").url', 'string', '', 'no', '', ''],
    ]);
  });

  it('escapes the pipes of patterns so a table row keeps its columns', async () => {
    const { markdown } = await buildManifestReference();
    const tableRows = markdown.split('\n').filter((line) => line.startsWith('| `'));
    expect(tableRows.length).toBeGreaterThan(400);
    const columns = (line: string) => line.replace(/\\\|/g, '').split('|').length - 2;
    expect(tableRows.filter((line) => columns(line) !== 6)).toEqual([]);
  });
});
