/**
 * @streamsuites/store-sqlite — the state store and job queue on SQLite.
 * List the plugin in the manifest; it replaces the kernel's in-memory defaults.
 */
import { storeSqlitePlugin } from './plugin.js';

export default storeSqlitePlugin;
export { storeSqlitePlugin };
export { configSchema } from './config.js';
export type { StoreSqliteConfig } from './config.js';
export { SqliteStore } from './store.js';
export type { SqliteStoreOptions } from './store.js';
export * from './errors.js';
