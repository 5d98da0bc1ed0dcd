import { JobQueue, SS_ERR_STORE_CLOSED, StorageStateStore, type JobQueueOptions } from '@streamsuites/defaults';
import type { StateStore } from '@streamsuites/kernel';
import { SqliteDatabase, type OpenDatabaseOptions } from './database.js';
import { SqliteJobStorage } from './job-storage.js';
import { SqliteStateStorage } from './state-storage.js';

export type SqliteStoreOptions = OpenDatabaseOptions;

/**
 * One SQLite file holding the state store and the job queue. The plugin opens
 * one per process; hosts and tools (backups, inspection, tests) may open one
 * directly. One process per file: two processes sharing a file would each
 * treat the other's running jobs as crashed.
 */
export class SqliteStore {
  readonly file: string;
  /** The StateStore contract on this file. */
  readonly state: StateStore;
  readonly #db: SqliteDatabase;
  readonly #state: StorageStateStore;
  #jobs: JobQueue | undefined;
  #closing: Promise<void> | undefined;

  private constructor(db: SqliteDatabase) {
    this.#db = db;
    this.file = db.file;
    this.#state = new StorageStateStore(new SqliteStateStorage(db), `The SQLite state store (${db.file})`);
    this.state = this.#state;
  }

  /** Opens, checks and migrates the file (see SqliteDatabase.open for the errors). */
  static open(options: SqliteStoreOptions): SqliteStore {
    return new SqliteStore(SqliteDatabase.open(options));
  }

  /**
   * The durable job registry on this file, created on first call (crash
   * recovery runs then); later calls return the same one.
   */
  jobRegistry(options: Omit<JobQueueOptions, 'storage'>): JobQueue {
    if (this.#closing !== undefined) throw new SS_ERR_STORE_CLOSED(`The SQLite store (${this.file})`);
    this.#jobs ??= new JobQueue({ name: `The SQLite job registry (${this.file})`, ...options, storage: new SqliteJobStorage(this.#db) });
    return this.#jobs;
  }

  /**
   * Stops the job registry first (its last writes still land), then closes
   * the connection. Idempotent: the plugin's services may each call it.
   */
  close(): Promise<void> {
    return (this.#closing ??= (async () => {
      await this.#jobs?.close();
      this.#state.close();
      this.#db.close();
    })());
  }
}
