import { describe, expect, it } from 'vitest';
import { createServiceRef, creatorContextRef, definePlugin } from '../src/index.js';
import { startTestKernel } from '../src/testing.js';

interface Counter {
  creatorId: string;
  serial: number;
  disposed: boolean;
}

const counterRef = createServiceRef<Counter>({ id: 'test.counter', scope: 'creator' });
const sharedRef = createServiceRef<{ disposed: boolean }>({ id: 'test.shared' });

function scopedPlugin(seen: Counter[]) {
  let serial = 0;
  return definePlugin({
    id: 'scoped',
    version: '1.0.0',
    kernel: '^0.2.0',
    register(reg) {
      reg.provide(counterRef, {
        deps: { creator: creatorContextRef },
        factory: ({ creator }) => ({ creatorId: creator.id, serial: ++serial, disposed: false }),
        dispose: (counter) => void (counter.disposed = true),
      });
      reg.provide(sharedRef, { factory: () => ({ disposed: false }), dispose: (s) => void (s.disposed = true) });
      reg.onInit({
        start({ resolve }) {
          seen.push(resolve(counterRef));
        },
      });
    },
  });
}

describe('creator scopes', () => {
  it('a creator-scoped service is one instance per creator, isolated, disposed on removeCreator', async () => {
    const seen: Counter[] = [];
    const t = await startTestKernel({
      plugins: [scopedPlugin(seen)],
      manifest: { creators: { alice: { enable: ['scoped'] }, bob: { enable: ['scoped'] } } },
    });
    const alice = t.kernel.resolveFor('alice', counterRef);
    const bob = t.kernel.resolveFor('bob', counterRef);
    expect(alice).not.toBe(bob);
    expect(alice.creatorId).toBe('alice');
    expect(bob.creatorId).toBe('bob');
    // the same instance within a scope
    expect(t.kernel.resolveFor('alice', counterRef)).toBe(alice);
    expect(seen).toContain(alice);
    // root services are shared
    expect(t.kernel.resolveFor('alice', sharedRef)).toBe(t.kernel.resolveFor('bob', sharedRef));
    const shared = t.kernel.resolve(sharedRef);
    // A creator service resolved from the root would be cached process-wide.
    // @ts-expect-error — kernel.resolve() only takes root refs
    expect(() => t.kernel.resolve(counterRef)).toThrow(expect.objectContaining({ code: 'SS_ERR_SCOPE_VIOLATION' }));

    await t.kernel.removeCreator('alice');
    expect(alice.disposed).toBe(true);
    expect(bob.disposed).toBe(false);
    expect(shared.disposed).toBe(false);
    expect(t.kernel.creators()).toEqual(['bob']);
    expect(t.events.of('kernel.creator.removed')).toEqual([{ creatorId: 'alice' }]);
    expect(() => t.kernel.resolveFor('alice', counterRef)).toThrow(expect.objectContaining({ code: 'SS_ERR_CREATOR_NOT_FOUND' }));

    await t.stop();
    expect(bob.disposed).toBe(true);
    expect(shared.disposed).toBe(true);
  });

  it('addCreator starts a new creator at runtime with its own scope', async () => {
    const seen: Counter[] = [];
    const t = await startTestKernel({ plugins: [scopedPlugin(seen)], manifest: { creators: {} } });
    await t.kernel.addCreator('carol', { enable: ['scoped'] });
    expect(t.kernel.creators()).toEqual(['carol']);
    expect(seen.map((c) => c.creatorId)).toEqual(['carol']);
    expect(t.events.of('kernel.creator.added')).toEqual([{ creatorId: 'carol', plugins: ['scoped'] }]);
    await expect(t.kernel.addCreator('carol', { enable: ['scoped'] })).rejects.toMatchObject({ code: 'SS_ERR_CREATOR_EXISTS' });
    await t.stop();
  });

  it('addCreator validates the id, the enabled plugins and the config, all at once', async () => {
    const t = await startTestKernel({ plugins: [scopedPlugin([])], manifest: { creators: {} } });
    const error = await t.kernel.addCreator('Bad Id', { enable: ['scoped', 'nope'], extra: 1 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SS_ERR_MANIFEST_INVALID' });
    const codes = (error as { details: { issues: { code: string }[] } }).details.issues.map((i) => i.code).sort();
    // `extra` is a creator section no loaded plugin claims.
    expect(codes).toEqual(['SS_ERR_CREATOR_ID_INVALID', 'SS_ERR_MANIFEST_SECTION_UNCLAIMED', 'SS_ERR_MANIFEST_UNKNOWN_PLUGIN']);
    expect(t.kernel.creators()).toEqual([]);
    await t.stop();
  });

  it('removeCreator aborts the creator signal', async () => {
    const signals: AbortSignal[] = [];
    const plugin = definePlugin({
      id: 'watcher',
      version: '1.0.0',
      kernel: '^0.2.0',
      register: (reg) => reg.onInit({ start: ({ signal }) => void signals.push(signal) }),
    });
    const t = await startTestKernel({ plugins: [plugin], manifest: { creators: { c1: { enable: ['watcher'] } } } });
    expect(signals[0]!.aborted).toBe(false);
    await t.kernel.removeCreator('c1');
    expect(signals[0]!.aborted).toBe(true);
    await t.stop();
  });
});

describe('disposal order', () => {
  it('services are disposed newest first, one at a time: a dependent finishes before its dependency closes', async () => {
    const log: string[] = [];
    const storeRef = createServiceRef<{ closed: boolean; write(x: string): Promise<void> }>({ id: 'test.store' });
    const writerRef = createServiceRef<{ pending: string }>({ id: 'test.writer' });
    const perCreatorRef = createServiceRef<{ id: string }>({ id: 'test.perCreator', scope: 'creator' });
    const plugin = definePlugin({
      id: 'ordered',
      version: '1.0.0',
      kernel: '^0.2.0',
      register(reg) {
        reg.provide(storeRef, {
          factory: () => {
            const store = {
              closed: false,
              async write(x: string) {
                await new Promise((resolve) => setImmediate(resolve));
                if (store.closed) throw new Error('write after close');
                log.push(`write:${x}`);
              },
            };
            return store;
          },
          dispose: async (store) => {
            await new Promise((resolve) => setImmediate(resolve));
            store.closed = true;
            log.push('store:closed');
          },
        });
        reg.provide(writerRef, {
          deps: { store: storeRef },
          factory: () => ({ pending: 'last-usage' }),
          dispose: ({ pending }) => storeLater(pending),
        });
        reg.provide(perCreatorRef, {
          deps: { creator: creatorContextRef, store: storeRef },
          factory: ({ creator }) => ({ id: creator.id }),
          dispose: async ({ id }) => {
            await storeLater(`creator-${id}`);
          },
        });
        let storeLater: (x: string) => Promise<void> = async () => {};
        reg.onInit({
          deps: { store: storeRef, writer: writerRef },
          init: ({ deps }) => void (storeLater = (x) => deps.store.write(x)),
          start: ({ resolve }) => void resolve(perCreatorRef),
        });
      },
    });
    const t = await startTestKernel({ plugins: [plugin], manifest: { creators: { c1: { enable: ['ordered'] } } } });
    await t.stop();
    expect(log).toEqual(['write:creator-c1', 'write:last-usage', 'store:closed']);
  });
});
