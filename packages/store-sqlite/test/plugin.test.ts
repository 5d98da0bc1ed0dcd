import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JobQueue, MemoryJobRegistry, MemoryStateStore, StorageStateStore } from '@streamsuites/defaults';
import { definePlugin, jobRegistryRef, stateStoreRef } from '@streamsuites/kernel';
import { startTestKernel } from '@streamsuites/testing';
import storeSqlite, { SqliteStore } from '../src/index.js';
import { tempDir } from './helpers.js';

/** A plugin that uses the state store and the job queue without knowing which backend provides them. */
const counter = definePlugin({
  id: 'counter',
  version: '1.0.0',
  kernel: '^0.2.0',
  register(reg) {
    reg.onInit({
      deps: { store: stateStoreRef, jobs: jobRegistryRef },
      async init({ deps }) {
        const boots = (await deps.store.get<number>('counter.boots', 'n')) ?? 0;
        await deps.store.set('counter.boots', 'n', boots + 1);
        deps.jobs.register({ type: 'counter.tick', run: (job) => ({ ticked: job.payload }) });
      },
    });
  },
});

describe('the store-sqlite plugin', () => {
  it('replaces the kernel defaults when listed, and keeps state and jobs across kernel restarts', async () => {
    const dataDir = tempDir();
    const first = await startTestKernel({ plugins: [storeSqlite, counter], manifest: { dataDir, creators: {} } });
    const store = first.kernel.resolve(stateStoreRef);
    expect(store).toBeInstanceOf(StorageStateStore);
    expect(store).not.toBeInstanceOf(MemoryStateStore);
    const jobs = first.kernel.resolve(jobRegistryRef);
    expect(jobs).toBeInstanceOf(JobQueue);
    expect(jobs).not.toBeInstanceOf(MemoryJobRegistry);
    const later = await jobs.enqueue('counter.tick', 7, { delayMs: 3_600_000 });
    await first.stop();
    expect(existsSync(join(dataDir, 'streamsuites.db'))).toBe(true);

    const second = await startTestKernel({ plugins: [storeSqlite, counter], manifest: { dataDir, creators: {} } });
    expect(await second.kernel.resolve(stateStoreRef).get('counter.boots', 'n')).toBe(2);
    expect(await second.kernel.resolve(jobRegistryRef).get(later.id)).toMatchObject({ state: 'queued', payload: 7 });
    await second.stop();
  });

  it('without the plugin the same consumer gets the in-memory defaults', async () => {
    const t = await startTestKernel({ plugins: [counter], manifest: { dataDir: tempDir(), creators: {} } });
    expect(t.kernel.resolve(stateStoreRef)).toBeInstanceOf(MemoryStateStore);
    expect(t.kernel.resolve(jobRegistryRef)).toBeInstanceOf(MemoryJobRegistry);
    await t.stop();
  });

  it('puts the file at data/streamsuites.db next to the manifest by default, and honours config.file', async () => {
    const root = tempDir();
    const manifest = join(root, 'streamsuites.json');
    writeFileSync(manifest, JSON.stringify({ creators: {} }));
    const t = await startTestKernel({ plugins: [storeSqlite], manifest });
    await t.kernel.resolve(stateStoreRef).set('test.where', 'k', 1);
    await t.stop();
    const reopened = SqliteStore.open({ file: join(root, 'data', 'streamsuites.db') });
    expect(await reopened.state.get('test.where', 'k')).toBe(1);
    await reopened.close();

    const custom = await startTestKernel({
      plugins: [storeSqlite],
      manifest: { dataDir: root, plugins: { 'store-sqlite': { config: { file: 'sub/custom.db', busyTimeoutMs: 250 } } }, creators: {} },
    });
    await custom.stop();
    expect(existsSync(join(root, 'sub', 'custom.db'))).toBe(true);
  });

  it('a corrupt database is a coded init failure of the plugin (the rest keeps running), and the file is kept', async () => {
    const dataDir = tempDir();
    const file = join(dataDir, 'streamsuites.db');
    const bytes = Buffer.from('definitely not sqlite\n'.repeat(100));
    writeFileSync(file, bytes);
    const dependent = definePlugin({ id: 'dependent', version: '1.0.0', kernel: '^0.2.0', dependencies: ['store-sqlite'], register() {} });
    const bystander = definePlugin({ id: 'bystander', version: '1.0.0', kernel: '^0.2.0', register() {} });

    const t = await startTestKernel({ plugins: [storeSqlite, dependent, bystander], manifest: { dataDir, creators: {} } });
    const failures = t.events.of('kernel.plugin.failed');
    const own = failures.find((f) => f.pluginId === 'store-sqlite')!;
    expect(own).toMatchObject({ phase: 'init', error: { code: 'SS_ERR_PLUGIN_INIT_FAILED' } });
    expect(own.error.message).toContain(file);
    expect(own.error.message).toContain('not a SQLite database');
    expect(failures.find((f) => f.pluginId === 'dependent')).toMatchObject({ error: { code: 'SS_ERR_PLUGIN_DEPENDENCY_FAILED' } });
    expect(t.kernel.status().plugins).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: 'store-sqlite', status: 'failed' }),
        expect.objectContaining({ id: 'bystander', status: 'running' }),
      ]),
    );
    expect(() => t.kernel.resolve(stateStoreRef)).toThrow(expect.objectContaining({ code: 'SS_ERR_STORE_CORRUPT' }));
    expect(t.logs.text()).toContain('SS_ERR_STORE_CORRUPT');
    await t.stop();
    expect(readFileSync(file).equals(bytes)).toBe(true);
  });

  it('with onBootFailure "abort", start() rejects and the cause chain ends in SS_ERR_STORE_CORRUPT', async () => {
    const dataDir = tempDir();
    writeFileSync(join(dataDir, 'streamsuites.db'), 'garbage'.repeat(1000));
    const t = await startTestKernel({ plugins: [storeSqlite], manifest: { dataDir, onBootFailure: 'abort', creators: {} }, start: false });
    const error = (await t.kernel.start().catch((e: unknown) => e)) as Error & { code: string; cause: Error & { cause: unknown } };
    expect(error.code).toBe('SS_ERR_BOOT_ABORTED');
    expect(error.cause).toMatchObject({ code: 'SS_ERR_PLUGIN_INIT_FAILED' });
    expect(error.cause.cause).toMatchObject({ code: 'SS_ERR_STORE_CORRUPT' });
    expect(t.kernel.state).toBe('stopped');
  });

  it('an unwritable data folder is a coded init failure too', async () => {
    const root = tempDir();
    writeFileSync(join(root, 'file'), 'x');
    const t = await startTestKernel({ plugins: [storeSqlite], manifest: { dataDir: join(root, 'file', 'data'), creators: {} } });
    expect(t.events.of('kernel.plugin.failed')).toEqual([
      expect.objectContaining({ pluginId: 'store-sqlite', error: expect.objectContaining({ message: expect.stringContaining('Cannot create or write') }) }),
    ]);
    await t.stop();
  });

  it('rejects a bad config at load with the manifest error', async () => {
    await expect(
      startTestKernel({ plugins: [storeSqlite], manifest: { plugins: { 'store-sqlite': { config: { busyTimeoutMs: -1, extra: true } } }, creators: {} } }),
    ).rejects.toMatchObject({ code: 'SS_ERR_MANIFEST_INVALID' });
  });
});
