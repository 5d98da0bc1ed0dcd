import { Type } from 'typebox';
import { createServiceRef, definePlugin, manifestSectionsExtensionPoint, type AnyPlugin, type ManifestSection } from '../../src/index.js';

/** A journal shared by test plugins: what ran, in order. */
export function journal() {
  const entries: string[] = [];
  return { entries, push: (entry: string) => entries.push(entry) };
}

export interface TracePluginOptions {
  id: string;
  dependencies?: string[];
  log: ReturnType<typeof journal>;
  kernel?: string;
  failIn?: 'register' | 'init' | 'start' | 'stop' | 'creator-stop';
  /** Only fail start for this creator. */
  failFor?: string;
  hangIn?: 'init' | 'start' | 'stop';
}

/** A plugin that records each lifecycle step in a journal and can fail on demand. */
export function tracePlugin(options: TracePluginOptions): AnyPlugin {
  const { id, log } = options;
  const fails = (phase: TracePluginOptions['failIn'], creatorId?: string) =>
    options.failIn === phase && (options.failFor === undefined || options.failFor === creatorId);
  const hang = () => new Promise<never>(() => {});
  return definePlugin({
    id,
    version: '1.0.0',
    kernel: options.kernel ?? '^0.2.0',
    dependencies: options.dependencies ?? [],
    creatorConfigSchema: Type.Object({ label: Type.Optional(Type.String()) }),
    register(reg) {
      log.push(`register:${id}`);
      if (fails('register')) throw new Error(`${id} register boom`);
      reg.onInit({
        async init() {
          log.push(`init:${id}`);
          if (options.hangIn === 'init') await hang();
          if (fails('init')) throw new Error(`${id} init boom`);
        },
        async start({ creator }) {
          log.push(`start:${id}:${creator.id}`);
          if (options.hangIn === 'start') await hang();
          if (fails('start', creator.id)) throw new Error(`${id} start boom for ${creator.id}`);
          return async () => {
            log.push(`stop:${id}:${creator.id}`);
            if (fails('creator-stop', creator.id)) throw new Error(`${id} creator stop boom`);
          };
        },
        beforeStop() {
          log.push(`beforeStop:${id}`);
        },
        async stop() {
          log.push(`stop:${id}`);
          if (options.hangIn === 'stop') await hang();
          if (fails('stop')) throw new Error(`${id} stop boom`);
        },
      });
    },
  });
}

export const counterRef = createServiceRef<{ id: number; disposed: boolean }>({ id: 'test.counter', scope: 'creator' });

/** A plugin that only claims manifest sections (as the default trigger engine claims `triggers`). */
export function sectionPlugin(id: string, ...sections: ManifestSection<any>[]): AnyPlugin {
  return definePlugin({
    id,
    version: '1.0.0',
    kernel: '^0.2.0',
    register(reg) {
      for (const section of sections) reg.extend(manifestSectionsExtensionPoint, section);
    },
  });
}
