import { describe, expect, it } from 'vitest';
import { stateStoreRef } from '@streamsuites/kernel';
import { MemoryStateStore } from '../src/state/memory-store.js';
import { startTestKernel } from './helpers/kernel.js';
import { describeStateStore } from './suites/state-store.js';

describeStateStore('memory', { open: () => new MemoryStateStore() });

describe('MemoryStateStore', () => {
  it('is the kernel default for stateStoreRef, one instance per process', async () => {
    const t = await startTestKernel();
    const store = t.kernel.resolve(stateStoreRef);
    expect(store).toBeInstanceOf(MemoryStateStore);
    expect(t.kernel.resolve(stateStoreRef)).toBe(store);
    await store.set('test.default', 'k', [1]);
    expect(await t.kernel.resolve(stateStoreRef).get('test.default', 'k')).toEqual([1]);
    await t.stop();
  });

  it('refuses every call after close() with SS_ERR_STORE_CLOSED', async () => {
    const store = new MemoryStateStore();
    await store.set('test.closed', 'k', 1);
    store.close();
    await expect(store.get('test.closed', 'k')).rejects.toMatchObject({ code: 'SS_ERR_STORE_CLOSED' });
    await expect(store.append('test.closed', 1)).rejects.toMatchObject({ code: 'SS_ERR_STORE_CLOSED' });
    await expect(store.entries('test.closed')).rejects.toMatchObject({ code: 'SS_ERR_STORE_CLOSED' });
  });
});
