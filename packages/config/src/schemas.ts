import { defaultPlugins } from '@streamsuites/defaults';
import { ManifestSchema, manifestSectionsExtensionPoint, type AnyPlugin, type ManifestSection, type SectionScope } from '@streamsuites/kernel';
import { CONFIG_FILES, RULE_SECTIONS } from './formats.js';
import { snakeKey } from './keys.js';

const DRAFT = 'https://json-schema.org/draft/2020-12/schema';
const BASE = 'https://streamsuites.dev/schemas/';

/** A typebox schema as plain JSON Schema (typebox's own `~` keys, if any, left out). */
function plain(schema: unknown): unknown {
  return JSON.parse(JSON.stringify(schema, (key, value) => (key.startsWith('~') ? undefined : value)));
}

type Sections = ReadonlyMap<string, ManifestSection>;

/**
 * The sections the plugins claim, by `<scope>:<key>`. Each plugin's
 * register() only declares things, so it is run against a registrar that
 * keeps the section claims and ignores the rest.
 */
function claimedSections(plugins: readonly AnyPlugin[]): Sections {
  const sections = new Map<string, ManifestSection>();
  for (const plugin of plugins) {
    const reg = new Proxy(
      {},
      {
        get: (_, name) =>
          name === 'extend'
            ? (point: { id: string }, value: unknown) => {
                const section = value as ManifestSection;
                if (point.id === manifestSectionsExtensionPoint.id && !sections.has(`${section.scope}:${section.key}`)) sections.set(`${section.scope}:${section.key}`, section);
              }
            : () => undefined,
      },
    );
    try {
      (plugin.register as (r: unknown) => void)(reg);
    } catch {
      // A plugin that needs more of the registrar to declare its sections is left out of the schema.
    }
  }
  return sections;
}

const SUBSCHEMAS = new Set(['items', 'additionalProperties', 'not', 'if', 'then', 'else', 'contains']);
const SCHEMA_LISTS = new Set(['anyOf', 'oneOf', 'allOf', 'prefixItems']);

/**
 * A section's schema as the folder writes it: property names in snake_case
 * (the reader converts them back), everything else as it is. `partial`
 * drops the top level's `required`, for a creator's entry merged over the
 * file's `defaults`.
 */
export function snakeSchema(schema: unknown, partial = false): unknown {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'properties' && typeof value === 'object' && value !== null) {
      out.properties = Object.fromEntries(Object.entries(value).map(([name, sub]) => [snakeKey(name), snakeSchema(sub)]));
    } else if (key === 'required' && Array.isArray(value)) {
      if (!partial) out.required = value.map((name) => snakeKey(String(name)));
    } else if (key === 'patternProperties' && typeof value === 'object' && value !== null) {
      out.patternProperties = Object.fromEntries(Object.entries(value).map(([pattern, sub]) => [pattern, snakeSchema(sub)]));
    } else if (SUBSCHEMAS.has(key)) {
      out[key] = snakeSchema(value);
    } else if (SCHEMA_LISTS.has(key) && Array.isArray(value)) {
      out[key] = value.map((sub) => snakeSchema(sub));
    } else {
      out[key] = value;
    }
  }
  return out;
}

/**
 * The published schema of a file: its own (envelope) schema, with the
 * fields of the section it fills in snake_case where a plugin claims that
 * section — what editors complete. The reader checks only the envelope; the
 * section's plugin checks the rest, so both agree with this schema.
 */
function withSections(name: string, schema: Record<string, any>, sections: Sections): Record<string, any> {
  const section = (scope: SectionScope, key: string) => sections.get(`${scope}:${key}`)?.schema;
  const rule = RULE_SECTIONS[name];
  if (rule !== undefined) {
    const claimed = section('creator', rule);
    if (claimed === undefined) return schema;
    const entry = snakeSchema(plain(claimed), true);
    schema.properties.defaults = { ...(entry as object), description: schema.properties.defaults.description };
    schema.properties.creators.patternProperties = Object.fromEntries(Object.keys(schema.properties.creators.patternProperties).map((p) => [p, entry]));
  } else if (name === 'chat_triggers.json') {
    const claimed = section('creator', 'triggers');
    if (claimed === undefined) return schema;
    const list = snakeSchema(plain(claimed));
    schema.properties.defaults = { ...(list as object), description: schema.properties.defaults.description };
    schema.properties.creators.patternProperties = Object.fromEntries(Object.keys(schema.properties.creators.patternProperties).map((p) => [p, list]));
  } else if (name === 'tiers.json') {
    const claimed = section('manifest', 'tiers');
    if (claimed !== undefined) schema.properties.tiers = { ...(snakeSchema(plain(claimed)) as object), description: schema.properties.tiers.description };
  }
  return schema;
}

/** The JSON Schema of every configuration file, by file name (`creators.json` → its schema). */
export function configSchemas(plugins: readonly AnyPlugin[] = defaultPlugins()): Record<string, Record<string, unknown>> {
  const sections = claimedSections(plugins);
  const out: Record<string, Record<string, unknown>> = {};
  for (const file of CONFIG_FILES) {
    const name = file.name.replace(/\.json$/, '.schema.json');
    out[file.name] = { $schema: DRAFT, $id: `${BASE}${name}`, ...withSections(file.name, plain(file.schema) as Record<string, any>, sections) };
  }
  return out;
}

/**
 * The manifest's JSON Schema: the kernel's own keys plus the sections the
 * given plugins claim (default: the default plugins: triggers, quotas,
 * dryRun, tiers, the rules...).
 */
export function manifestJsonSchema(plugins: readonly AnyPlugin[] = defaultPlugins(), options: ManifestJsonSchemaOptions = {}): Record<string, unknown> {
  const schema = plain(ManifestSchema) as { properties: Record<string, unknown>; additionalProperties?: unknown };
  const creators = schema.properties.creators as { patternProperties: Record<string, { properties: Record<string, unknown> }> };
  const creator = Object.values(creators.patternProperties)[0]!;
  for (const section of [...claimedSections(plugins).values()].sort((a, b) => a.key.localeCompare(b.key))) {
    const target = section.scope === 'creator' ? creator.properties : schema.properties;
    if (!(section.key in target)) target[section.key] = plain(section.schema);
  }
  // Each plugin's config (`plugins.<id>.config`) and creator config (`creators.<id>.config.<id>`), so editors complete them too.
  const entries = schema.properties.plugins as { properties?: Record<string, unknown>; patternProperties: Record<string, { properties: Record<string, unknown> }> };
  const entry = Object.values(entries.patternProperties)[0]!;
  const creatorConfig = creator.properties.config as { properties?: Record<string, unknown> };
  for (const plugin of [...plugins].sort((a, b) => a.id.localeCompare(b.id))) {
    if (plugin.configSchema !== undefined) {
      (entries.properties ??= {})[plugin.id] = { ...entry, properties: { ...entry.properties, config: plain(plugin.configSchema) } };
    }
    if (plugin.creatorConfigSchema !== undefined) (creatorConfig.properties ??= {})[plugin.id] = plain(plugin.creatorConfigSchema);
  }
  return {
    $schema: DRAFT,
    $id: `${BASE}manifest.schema.json`,
    title: 'streamsuites.json',
    description: 'A StreamSuites manifest: kernel settings, plugins and creators.',
    ...((options.envReferences === false ? defaultsOptional(schema) : acceptEnvReferences(defaultsOptional(schema))) as object),
  };
}

export interface ManifestJsonSchemaOptions {
  /**
   * Let every constrained string (a pattern, a format or a list of values)
   * also be a `${env:NAME}` reference, as the loader substitutes them before
   * it validates (default true: an editor must not flag
   * `"guildId": "${env:DISCORD_GUILD}"`). False gives the plain rules, for
   * the manifest reference.
   */
  envReferences?: boolean;
}

/** Any `${env:NAME}` in a string: the loader replaces it before checking the value. */
const ENV_REFERENCE = { type: 'string', pattern: '\\$\\{env:[A-Za-z_][A-Za-z0-9_]*\\}', description: 'A ${env:NAME} reference, replaced by the variable at load and checked then.' };

function acceptEnvReferences(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(acceptEnvReferences);
  if (typeof schema !== 'object' || schema === null) return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) out[key] = key === 'const' || key === 'enum' || key === 'default' || key === 'examples' ? value : acceptEnvReferences(value);
  // A choice of words ("info" | "debug"...) may come from the environment too.
  if (Array.isArray(out.anyOf) && out.anyOf.length > 0 && out.anyOf.every((member) => typeof (member as { const?: unknown }).const === 'string')) {
    return { ...out, anyOf: [...out.anyOf, ENV_REFERENCE] };
  }
  const constrained = out.type === 'string' && (out.pattern !== undefined || out.format !== undefined || out.enum !== undefined);
  if (!constrained) return out;
  const { description, default: fallback, title, ...rule } = out;
  return {
    ...(title === undefined ? {} : { title }),
    ...(description === undefined ? {} : { description }),
    ...(fallback === undefined ? {} : { default: fallback }),
    anyOf: [rule, ENV_REFERENCE],
  };
}

/**
 * The schema as a person writes the manifest: a property with a `default`
 * is not required (the loader fills defaults in before it validates, so
 * typebox lists them as required; an editor must not ask for them).
 */
function defaultsOptional(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(defaultsOptional);
  if (typeof schema !== 'object' || schema === null) return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) out[key] = defaultsOptional(value);
  const properties = out.properties as Record<string, { default?: unknown }> | undefined;
  if (Array.isArray(out.required) && properties !== undefined) {
    const required = (out.required as string[]).filter((name) => properties[name]?.default === undefined);
    if (required.length === 0) delete out.required;
    else out.required = required;
  }
  return out;
}

/** The files of the package's schemas/ folder: name → text (what `pnpm run schemas` writes). */
export function renderSchemaFiles(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [file, schema] of Object.entries(configSchemas())) out[file.replace(/\.json$/, '.schema.json')] = `${JSON.stringify(schema, null, 2)}\n`;
  out['manifest.schema.json'] = `${JSON.stringify(manifestJsonSchema(), null, 2)}\n`;
  return out;
}
