/**
 * @streamsuites/config — reference-style configuration folders
 * (`shared/config`: creators.json, platforms.json, system.json...) read as
 * the manifest, with every problem located in its file; the one-file
 * import; the published JSON Schemas (`@streamsuites/config/schemas/*`).
 */
export { configDirReader, defaultBaseDir, readConfigDir } from './reader.js';
export type { ConfigDirOptions, ConfigDocument } from './reader.js';
export { importConfigDir, MANIFEST_SCHEMA_FILE } from './import.js';
export type { ImportOptions, ImportResult } from './import.js';
export type { Unmapped } from './map/index.js';
export { CONFIG_FILES, PLATFORM_PLUGINS, RULE_SECTIONS } from './formats.js';
export type { ConfigFile } from './formats.js';
export { camelKey, snakeKey } from './keys.js';
export { configSchemas, manifestJsonSchema, renderSchemaFiles, snakeSchema, type ManifestJsonSchemaOptions } from './schemas.js';
export * from './errors.js';
