import { defaultPlugins } from '@streamsuites/defaults';
import { ManifestSchema, manifestSectionsExtensionPoint, type AnyPlugin, type ManifestSection } from '@streamsuites/kernel';
import { CONFIG_FILES } from './formats.js';

const DRAFT = 'https://json-schema.org/draft/2020-12/schema';
const BASE = 'https://streamsuites.dev/schemas/';

/** A typebox schema as plain JSON Schema (typebox's own `~` keys, if any, left out). */
function plain(schema: unknown): unknown {
  return JSON.parse(JSON.stringify(schema, (key, value) => (key.startsWith('~') ? undefined : value)));
}

/** The JSON Schema of every configuration file, by file name (`creators.json` → its schema). */
export function configSchemas(): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const file of CONFIG_FILES) {
    const name = file.name.replace(/\.json$/, '.schema.json');
    out[file.name] = { $schema: DRAFT, $id: `${BASE}${name}`, ...(plain(file.schema) as Record<string, unknown>) };
  }
  return out;
}

/**
 * The manifest's JSON Schema: the kernel's own keys plus the sections the
 * given plugins claim (default: the default plugins: triggers, quotas,
 * dryRun...). Each plugin's register() only declares things, so it is run
 * against a registrar that keeps the section claims and ignores the rest.
 */
export function manifestJsonSchema(plugins: readonly AnyPlugin[] = defaultPlugins()): Record<string, unknown> {
  const sections: ManifestSection[] = [];
  for (const plugin of plugins) {
    const reg = new Proxy(
      {},
      {
        get: (_, name) =>
          name === 'extend'
            ? (point: { id: string }, value: unknown) => {
                if (point.id === manifestSectionsExtensionPoint.id) sections.push(value as ManifestSection);
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
  const schema = plain(ManifestSchema) as { properties: Record<string, unknown>; additionalProperties?: unknown };
  const creators = schema.properties.creators as { patternProperties: Record<string, { properties: Record<string, unknown> }> };
  const creator = Object.values(creators.patternProperties)[0]!;
  for (const section of [...sections].sort((a, b) => a.key.localeCompare(b.key))) {
    const target = section.scope === 'creator' ? creator.properties : schema.properties;
    if (!(section.key in target)) target[section.key] = plain(section.schema);
  }
  return { $schema: DRAFT, $id: `${BASE}manifest.schema.json`, title: 'streamsuites.json', description: 'A StreamSuites manifest: kernel settings, plugins and creators.', ...schema };
}

/** The files of the package's schemas/ folder: name → text (what `pnpm run schemas` writes). */
export function renderSchemaFiles(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [file, schema] of Object.entries(configSchemas())) out[file.replace(/\.json$/, '.schema.json')] = `${JSON.stringify(schema, null, 2)}\n`;
  out['manifest.schema.json'] = `${JSON.stringify(manifestJsonSchema(), null, 2)}\n`;
  return out;
}
