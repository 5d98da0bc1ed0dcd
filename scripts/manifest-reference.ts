// Writes docs/manifest-reference.md: every key of the manifest JSON Schema
// (the one `streamsuites schema` prints, built by @streamsuites/config's
// manifestJsonSchema) with the default plugins and every official plugin, as
// Markdown tables. Run `pnpm run docs:reference` after changing a schema;
// test/manifest-reference.test.ts regenerates the page and fails when the
// committed file differs.
//
// It reads the packages' sources (the `@streamsuites/source` export
// condition, as the tests do), so it needs no build:
//   tsx --conditions=@streamsuites/source scripts/manifest-reference.ts
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { manifestJsonSchema } from '../packages/config/src/index.js';
import { defaultPlugins, OFFICIAL_PLUGINS } from '../packages/defaults/src/index.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const REFERENCE_FILE = join(ROOT, 'docs', 'manifest-reference.md');
export const REFERENCE_COMMAND = 'pnpm run docs:reference';

type Schema = Record<string, any>;
interface Plugin { id: string; description?: string; configSchema?: unknown; creatorConfigSchema?: unknown }
/** A plugin and the package it ships in. */
interface Source { plugin: Plugin; pkg: string }

/** Plain code-point order: the same on every machine (localeCompare depends on the ICU data). */
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Workspace package name → the source entry its `@streamsuites/source` export condition names. */
function sourceEntries(): Map<string, string> {
  const out = new Map<string, string>();
  for (const dir of readdirSync(join(ROOT, 'packages'))) {
    let manifest: { name?: string; exports?: Record<string, any> };
    try {
      manifest = JSON.parse(readFileSync(join(ROOT, 'packages', dir, 'package.json'), 'utf8'));
    } catch {
      continue;
    }
    const entry = manifest.exports?.['.']?.['@streamsuites/source'];
    if (manifest.name !== undefined && typeof entry === 'string') out.set(manifest.name, join(ROOT, 'packages', dir, entry));
  }
  return out;
}

/** The default plugins, then every official plugin (OFFICIAL_PLUGINS, the defaults' catalog), loaded from source. */
export async function referencePlugins(): Promise<Source[]> {
  const sources: Source[] = defaultPlugins().map((plugin) => ({ plugin: plugin as Plugin, pkg: '@streamsuites/defaults' }));
  const entries = sourceEntries();
  for (const [id, { package: pkg }] of [...OFFICIAL_PLUGINS].sort(([a], [b]) => byText(a, b))) {
    const entry = entries.get(pkg);
    if (entry === undefined) throw new Error(`official plugin "${id}": package ${pkg} is not in packages/`);
    const plugin = ((await import(pathToFileURL(entry).href)) as { default?: Plugin }).default;
    if (plugin?.id !== id) throw new Error(`official plugin "${id}": ${pkg} exports the plugin "${plugin?.id}"`);
    sources.push({ plugin, pkg });
  }
  return sources;
}

// ---------------------------------------------------------------- one schema node, in words

/** `|` would end a table cell; new lines would end the row. */
const cell = (text: string) => text.replace(/\s+/g, ' ').trim().replace(/\|/g, '\\|');
const code = (text: string) => `\`${text}\``;
const json = (value: unknown) => code(JSON.stringify(value));

function typeOf(schema: Schema): string {
  if ('const' in schema) return typeof schema.const === 'object' ? 'object' : typeof schema.const;
  if (Array.isArray(schema.anyOf)) return [...new Set(schema.anyOf.map((s: Schema) => typeOf(s)))].join(' or ');
  const types: string[] = Array.isArray(schema.type) ? schema.type : typeof schema.type === 'string' ? [schema.type] : [];
  if (types.length === 0) return schema.properties !== undefined || schema.patternProperties !== undefined ? 'object' : 'any';
  return types.map((type) => (type === 'array' && isSchema(schema.items) ? `array of ${typeOf(schema.items)}` : type)).join(' or ');
}

const isSchema = (value: unknown): value is Schema => typeof value === 'object' && value !== null && !Array.isArray(value);
const range = (min: number | undefined, max: number | undefined, what = '') =>
  min !== undefined && max !== undefined ? `${what}${min}–${max}` : min !== undefined ? `${what}≥ ${min}` : max !== undefined ? `${what}≤ ${max}` : undefined;

/** What a value must be beyond its type: constants, patterns, lengths, ranges, sizes. */
function allowed(schema: Schema): string[] {
  const out: string[] = [];
  if ('const' in schema) out.push(json(schema.const));
  if (Array.isArray(schema.enum)) out.push(`one of ${schema.enum.map(json).join(', ')}`);
  if (Array.isArray(schema.anyOf)) {
    if (schema.anyOf.every((s: Schema) => 'const' in s)) out.push(`one of ${schema.anyOf.map((s: Schema) => json(s.const)).join(', ')}`);
    else if (!schema.anyOf.some(isComplex)) out.push(schema.anyOf.map((s: Schema) => allowed(s).join(', ') || typeOf(s)).join(' or '));
  }
  if (typeof schema.pattern === 'string') out.push(`matches ${code(schema.pattern)}`);
  if (typeof schema.format === 'string') out.push(`format ${code(schema.format)}`);
  const length = range(schema.minLength, schema.maxLength, 'length ');
  if (length !== undefined) out.push(length);
  const exclusive = [schema.exclusiveMinimum !== undefined ? `> ${schema.exclusiveMinimum}` : undefined, schema.exclusiveMaximum !== undefined ? `< ${schema.exclusiveMaximum}` : undefined];
  const inclusive = range(schema.minimum, schema.maximum);
  for (const part of [inclusive, ...exclusive]) if (part !== undefined) out.push(part);
  if (typeof schema.multipleOf === 'number') out.push(`multiple of ${schema.multipleOf}`);
  const items = range(schema.minItems, schema.maxItems, 'items ');
  if (items !== undefined) out.push(items);
  if (schema.uniqueItems === true) out.push('no repeats');
  if (isSchema(schema.items) && !isComplex(schema.items)) {
    const each = allowed(schema.items);
    if (each.length > 0) out.push(`each: ${each.join(', ')}`);
  }
  if (isSchema(schema.propertyNames)) out.push(`keys: ${allowed(schema.propertyNames).join(', ')}`);
  // An object takes only the keys listed under it, unless it says so here.
  if (schema.properties !== undefined && schema.additionalProperties === undefined && schema.patternProperties === undefined) out.push('other keys allowed');
  return out;
}

/** A schema whose keys get rows of their own (rather than words in its parent's row). */
function isComplex(schema: unknown): boolean {
  if (!isSchema(schema)) return false;
  return (
    schema.properties !== undefined ||
    schema.patternProperties !== undefined ||
    isSchema(schema.additionalProperties) ||
    (Array.isArray(schema.anyOf) && schema.anyOf.some(isComplex)) ||
    isComplex(schema.items)
  );
}

// ---------------------------------------------------------------- rows

export interface Row { path: string; type: string; default: string; required: string; allowed: string; description: string }

/** Named placeholders for the maps whose keys are ids. */
const PLACEHOLDERS: Record<string, string> = { creators: '<creator>', plugins: '<plugin>' };
const key = (path: string, name: string) => (/^[A-Za-z_$][\w$-]*$/.test(name) ? `${path}.${name}` : `${path}[${JSON.stringify(name)}]`);

/** How one alternative of an anyOf is named in a path: by the constant it has (`(kind="local")`), else by position. */
function branchLabel(branches: Schema[], index: number): string {
  const constants = (branch: Schema) =>
    Object.entries((branch.properties ?? {}) as Record<string, Schema>).filter(([, s]) => isSchema(s) && 'const' in s).map(([name, s]) => `${name}=${JSON.stringify(s.const)}`);
  const own = constants(branches[index]!).filter((c) => branches.every((b, i) => i === index || !constants(b).includes(c)));
  return own.length > 0 ? `(${own[0]})` : `(${index + 1})`;
}

/**
 * The rows of a schema node and everything under it, depth first. `required`
 * is "yes"/"no" for an object's property, "" where it does not apply (map
 * entries, list items, alternatives). `stop` leaves out the given paths.
 */
export function rows(schema: Schema, path: string, required: string, out: Row[] = [], extra: string[] = [], stop: ReadonlySet<string> = new Set()): Row[] {
  if (stop.has(path)) return out;
  out.push({
    path,
    type: typeOf(schema),
    default: 'default' in schema ? json(schema.default) : '',
    required,
    allowed: [...extra, ...allowed(schema)].join('; '),
    description: typeof schema.description === 'string' ? schema.description : '',
  });
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  const needed = new Set<string>(Array.isArray(schema.required) ? schema.required : []);
  for (const name of Object.keys(properties).sort(byText)) rows(properties[name]!, key(path, name), needed.has(name) ? 'yes' : 'no', out, [], stop);
  const leaf = path.slice(path.lastIndexOf('.') + 1);
  for (const [pattern, sub] of Object.entries((schema.patternProperties ?? {}) as Record<string, Schema>).sort(([a], [b]) => byText(a, b))) {
    if (pattern === '^.*$' && Object.keys(sub).length === 0) continue; // any key, any value: the parent's row says "object"
    const note = pattern === '^.*$' ? [] : [`key matches ${code(pattern)}`];
    rows(sub, `${path}.${PLACEHOLDERS[leaf] ?? '<key>'}`, '', out, note, stop);
  }
  if (isSchema(schema.additionalProperties) && Object.keys(schema.additionalProperties).length > 0) rows(schema.additionalProperties, `${path}.<key>`, '', out, [], stop);
  if (isComplex(schema.items)) rows(schema.items, `${path}[]`, '', out, [], stop);
  if (Array.isArray(schema.anyOf) && schema.anyOf.some(isComplex)) {
    schema.anyOf.forEach((branch: Schema, index: number) => rows(branch, `${path}${branchLabel(schema.anyOf, index)}`, '', out, [], stop));
  }
  return out;
}

function table(list: readonly Row[]): string {
  const header = '| Key | Type | Default | Required | Allowed | Description |\n| --- | --- | --- | --- | --- | --- |\n';
  return header + list.map((r) => `| ${[code(r.path), r.type, r.default, r.required, r.allowed, r.description].map(cell).join(' | ')} |`).join('\n') + '\n';
}

// ---------------------------------------------------------------- the page

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens. */
export function anchor(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

export interface Reference { markdown: string; keys: number; undescribed: number }

export async function buildManifestReference(): Promise<Reference> {
  const sources = await referencePlugins();
  const plugins = sources.map((s) => s.plugin);
  const full = manifestJsonSchema(plugins as never, { envReferences: false }) as Schema;
  const base = manifestJsonSchema([], { envReferences: false }) as Schema;
  const creatorOf = (schema: Schema) => Object.values(schema.properties.creators.patternProperties as Record<string, Schema>)[0]!;

  // Who claims each section: the keys a plugin adds to the schema built with it alone.
  const claims = new Map<string, string[]>();
  for (const { plugin } of sources) {
    const alone = manifestJsonSchema([plugin] as never, { envReferences: false }) as Schema;
    const claim = (scope: string, own: Schema, baseProps: Schema) => {
      for (const name of Object.keys(own)) if (!(name in baseProps)) claims.set(`${scope}:${name}`, [...(claims.get(`${scope}:${name}`) ?? []), plugin.id]);
    };
    claim('manifest', alone.properties, base.properties);
    claim('creator', creatorOf(alone).properties, creatorOf(base).properties);
  }
  const packageOf = new Map(sources.map((s) => [s.plugin.id, s.pkg]));
  const about = (id: string) => {
    const description = plugins.find((p) => p.id === id)?.description;
    return `Package \`${packageOf.get(id)}\`${description === undefined ? '' : `: ${description.replace(/\.$/, '')}`}.`;
  };
  const claimedBy = (scope: string, name: string) =>
    (claims.get(`${scope}:${name}`) ?? []).map((id) => `\`${id}\` (${packageOf.get(id)})`).join(', ') || 'no plugin';

  const creatorPath = 'creators.<creator>';
  const topKeys = Object.keys(base.properties).sort(byText);
  const creatorKeys = Object.keys(creatorOf(base).properties).sort(byText);
  const topSections = Object.keys(full.properties).filter((k) => !topKeys.includes(k)).sort(byText);
  const creatorSections = Object.keys(creatorOf(full).properties).filter((k) => !creatorKeys.includes(k)).sort(byText);
  const configured = (kind: 'configSchema' | 'creatorConfigSchema') => plugins.filter((p) => p[kind] !== undefined).map((p) => p.id).sort(byText);
  const pluginConfigs = configured('configSchema');
  const creatorConfigs = configured('creatorConfigSchema');
  const without = (ids: string[]) => plugins.map((p) => p.id).filter((id) => !ids.includes(id)).sort(byText).map(code).join(', ');

  // The kernel's own keys: the manifest without the sections and without each plugin's config (they have their own tables).
  const kernelRows: Row[] = [];
  const stops = new Set([...topSections, ...pluginConfigs.map((id) => `plugins.${id}`), ...creatorSections.map((k) => `${creatorPath}.${k}`), ...creatorConfigs.map((id) => `${creatorPath}.config.${id}`)]);
  for (const name of topKeys) rows(full.properties[name], name, (full.required ?? []).includes(name) ? 'yes' : 'no', kernelRows, [], stops);

  const all: Row[] = [];
  const block = (list: Row[]) => {
    all.push(...list);
    return table(list);
  };
  const lines: string[] = [];
  const heading = (level: number, text: string) => lines.push(`${'#'.repeat(level)} ${text}`, '');
  const toc: string[] = [];
  const entry = (level: number, text: string) => toc.push(`${'  '.repeat(level - 2)}- [${text}](#${anchor(text)})`);

  entry(2, 'Top-level keys');
  entry(2, 'Sections');
  for (const name of topSections) entry(3, `Top-level section ${name}`);
  for (const name of creatorSections) entry(3, `Creator section ${name}`);
  entry(2, 'Plugin config');
  for (const id of pluginConfigs) entry(3, `Plugin config: ${id}`);
  entry(2, 'Creator config');
  for (const id of creatorConfigs) entry(3, `Creator config: ${id}`);

  const body: string[] = [];
  const section = (level: number, text: string, ...paragraphs: string[]) => body.push(`${'#'.repeat(level)} ${text}`, '', ...paragraphs.flatMap((p) => [p, '']));

  section(2, 'Top-level keys', "The kernel's own keys: at the top of the manifest, in a plugin entry and in a creator entry.");
  body.push(block(kernelRows));
  section(2, 'Sections', 'Keys a plugin claims (through `manifestSectionsExtensionPoint`) at the top of the manifest or in a creator entry; the plugin checks them with this schema.');
  for (const name of topSections) {
    section(3, `Top-level section ${name}`, `Claimed by ${claimedBy('manifest', name)}.`);
    body.push(block(rows(full.properties[name], name, (full.required ?? []).includes(name) ? 'yes' : 'no')));
  }
  const creator = creatorOf(full);
  for (const name of creatorSections) {
    section(3, `Creator section ${name}`, `Claimed by ${claimedBy('creator', name)}.`);
    body.push(block(rows(creator.properties[name], `${creatorPath}.${name}`, (creator.required ?? []).includes(name) ? 'yes' : 'no')));
  }
  section(2, 'Plugin config', `Each plugin's config, under \`plugins.<plugin>.config\`. Plugins without one: ${without(pluginConfigs)}.`);
  for (const id of pluginConfigs) {
    section(3, `Plugin config: ${id}`, about(id));
    body.push(block(rows(full.properties.plugins.properties[id].properties.config, `plugins.${id}.config`, 'no')));
  }
  section(2, 'Creator config', `Each plugin's per-creator config, under \`creators.<creator>.config.<plugin>\` (for a creator that enables the plugin). Plugins without one: ${without(creatorConfigs)}.`);
  for (const id of creatorConfigs) {
    section(3, `Creator config: ${id}`, about(id));
    body.push(block(rows(creator.properties.config.properties[id], `${creatorPath}.config.${id}`, 'no')));
  }

  heading(1, 'Manifest reference');
  lines.push(
    `<!-- Generated by \`${REFERENCE_COMMAND}\` (scripts/manifest-reference.ts) from the manifest JSON Schema. Do not edit: change the schema and regenerate; test/manifest-reference.test.ts fails when this file is out of date. -->`,
    '',
    'Every key of `streamsuites.json`, from the JSON Schema that `npx streamsuites schema` prints, with the default plugins and every official plugin installed:',
    `${plugins.map((p) => p.id).sort(byText).map(code).join(', ')}.`,
    'A third-party plugin adds its own keys; `npx streamsuites schema --manifest streamsuites.json` prints the schema for the plugins a manifest declares.',
    '',
    'How to read the tables:',
    '',
    '- **Key**: the path from the top of the manifest. `<creator>` and `<plugin>` stand for any creator or plugin id, `<key>` for any key of a map, `[]` for each item of a list, `(kind="local")` or `(1)` for one of the shapes a key accepts.',
    '- **Default**: filled in by the loader when the key is left out. A key with a default is never required.',
    '- **Required**: `yes` when the object above it must have it.',
    '- **Allowed**: constants, patterns, lengths, ranges (inclusive, `–`) and list sizes. An object takes only the keys listed under it, unless it says *other keys allowed*.',
    '- Any text value may use `${env:NAME}`: the loader replaces it with that environment variable (a missing one is a validation error) and redacts the value from every log line.',
    '',
    '## Contents',
    '',
    ...toc,
    '',
    ...body,
  );
  const markdown = `${lines.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
  return { markdown, keys: all.length, undescribed: all.filter((r) => r.description === '').length };
}

export async function renderManifestReference(): Promise<string> {
  return (await buildManifestReference()).markdown;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { markdown, keys, undescribed } = await buildManifestReference();
  writeFileSync(REFERENCE_FILE, markdown);
  console.log(`wrote ${relative(process.cwd(), REFERENCE_FILE)}: ${keys} keys, ${undescribed} without a description`);
}
