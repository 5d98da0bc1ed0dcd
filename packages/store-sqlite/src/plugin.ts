import { resolve } from 'node:path';
import {
  busRef,
  clockRef,
  createServiceRef,
  definePlugin,
  jobRegistryRef,
  secretsRef,
  stateStoreRef,
} from '@streamsuites/kernel';
import pkg from '../package.json' with { type: 'json' };
import { configSchema } from './config.js';
import { SqliteStore } from './store.js';

/** The open database, shared by the two services below (private to this plugin). */
const databaseRef = createServiceRef<SqliteStore>({ id: 'storeSqlite.database', scope: 'root' });

/**
 * Provides `stateStoreRef` and `jobRegistryRef` on one SQLite file under the
 * manifest's dataDir, replacing the kernel's in-memory defaults.
 */
export const storeSqlitePlugin = definePlugin({
  id: 'store-sqlite',
  version: pkg.version,
  kernel: '^0.2.0',
  description: 'State store and durable job queue on SQLite',
  configSchema,
  register(reg) {
    reg.provide(databaseRef, {
      // Factories are synchronous, and so is better-sqlite3: the file is opened, checked and migrated here.
      factory: (_deps, { config, dataDir, logger }) =>
        SqliteStore.open({
          file: resolve(dataDir, config.file),
          busyTimeoutMs: config.busyTimeoutMs,
          synchronous: config.synchronous,
          logger,
        }),
      // Stops the job registry before the connection closes (awilix disposes services in parallel).
      dispose: (store) => store.close(),
    });
    reg.provide(stateStoreRef, { deps: { store: databaseRef }, factory: ({ store }) => store.state });
    reg.provide(jobRegistryRef, {
      deps: { store: databaseRef, bus: busRef, clock: clockRef, secrets: secretsRef },
      factory: ({ store, bus, clock, secrets }, { logger }) =>
        store.jobRegistry({ bus, clock, logger, redact: (text) => secrets.redactString(text) }),
    });
    reg.onInit({
      // Resolving the database in init opens it during boot: a bad file becomes this plugin's
      // init failure (SS_ERR_PLUGIN_INIT_FAILED caused by SS_ERR_STORE_*), not a crash later.
      deps: { store: databaseRef },
      init: ({ deps, logger }) => logger.info({ file: deps.store.file }, 'SQLite store open'),
    });
  },
});
