import { resolve } from 'node:path';
import { busRef, clockRef, definePlugin, isStreamSuitesError, kernelRef, leadershipRef, loggerRef, secretsRef } from '@streamsuites/kernel';
import pkg from '../package.json' with { type: 'json' };
import { configSchema } from './config.js';
import { exportsExtensionPoint, type ExportSection } from './contract.js';
import { SS_ERR_EXPORTS_DUPLICATE_FILE } from './errors.js';
import { removeStaleTemps } from './atomic.js';
import { Exporter } from './exporter.js';
import { lockExportsRoot, running, type RootLock } from './lock.js';
import { resolveMirrorRoot } from './mirror.js';
import { METRICS_FILE, QuotaSamples } from './metrics.js';
import { builtinSections, metaSection, placeholderSections, RuntimeObserver } from './sections.js';
import { EventTimeline } from './timeline.js';

/** Files whose data changes with the minute (chat buckets, messages in the last full minute): rewritten at each minute boundary. */
const MINUTE_FILES = [METRICS_FILE, 'shared/state/runtime_snapshot.json'];

/**
 * The exports plugin: every section contributed through
 * `exportsExtensionPoint` (plus the built-in ones) is written under
 * `<dataDir>/<root>` and mirrored to the dashboard publish root.
 */
export const exportsPlugin = definePlugin({
  id: 'exports',
  version: pkg.version,
  kernel: '^0.2.0',
  description: 'Deterministic JSON snapshots for read-only dashboards',
  configSchema,
  register(reg) {
    let exporter: Exporter | undefined;
    let lock: RootLock | undefined;
    let offObserver: (() => void)[] = [];
    let unwatch: (() => void) | undefined;
    let minuteTimer: NodeJS.Timeout | undefined;
    const stopMinutes = () => {
      clearTimeout(minuteTimer);
      minuteTimer = undefined;
    };
    // Gaining and losing the duty, one change at a time.
    let duty: Promise<void> = Promise.resolve();
    reg.onInit({
      deps: { bus: busRef, clock: clockRef, logger: loggerRef, secrets: secretsRef, kernel: kernelRef, leadership: leadershipRef },
      async init({ config, deps, dataDir, extensions, logger }) {
        const root = resolve(dataDir, config.root);
        // One writer per root: a second runtime on the same root fails here (SS_ERR_EXPORTS_ROOT_LOCKED).
        // In a scaled-out deployment only the holder of the "exports" duty writes, and locks when it gains it.
        if (deps.leadership.holds('exports')) lock = await lockExportsRoot(root);
        try {
          const now = () => deps.clock.now();
          const observer = new RuntimeObserver(config.signalsWindow, now);
          const timeline = new EventTimeline({ secrets: deps.secrets, now });
          const quotas = new QuotaSamples();
          offObserver = [
            deps.bus.on('chat.message', (message) => observer.chat(message)),
            deps.bus.on('kernel.plugin.failed', (failure) => observer.failure(failure.creatorId, failure.pluginId)),
            // From init on, so connection states reported while creators start are not missed.
            observer.attach(deps.bus),
            timeline.attach(deps.bus),
            deps.bus.on('quota.warning', (snapshot) => quotas.record(snapshot, now())),
            deps.bus.on('quota.exceeded', (snapshot) => quotas.record(snapshot, now())),
          ];
          const sections = mergeSections(
            [...placeholderSections, ...builtinSections(observer, { timeline, quotas })],
            extensions(exportsExtensionPoint).map((c) => ({ pluginId: c.pluginId, section: c.value })),
          );
          const all: ExportSection<unknown>[] = [...sections, metaSection(() => all)];
          const mirror = config.mirror
            ? resolveMirrorRoot({ env: process.env, ...(config.mirrorRoot === undefined ? {} : { configured: config.mirrorRoot }), cwd: process.cwd() })
            : undefined;
          // Temp files of a writer killed mid-write: every one in our (locked) root, the dead writers' in the mirror.
          const stale = [...(await removeStaleTemps(root)), ...(mirror === undefined ? [] : await removeStaleTemps(mirror.root, (pid) => pid === process.pid || running(pid)))];
          if (stale.length > 0) logger.info({ files: stale }, 'removed temp files a stopped writer left behind');
          exporter = new Exporter({
            sections: all,
            root,
            mirrorRoot: mirror?.root,
            source: config.source,
            debounceMs: config.debounceMs,
            cadenceMs: config.cadenceMs,
            kernel: deps.kernel,
            bus: deps.bus,
            clock: deps.clock,
            logger,
            secrets: deps.secrets,
          });
          logger.info({ root, mirror: mirror?.root, mirrorFrom: mirror?.from, files: all.length }, 'exports ready');
        } catch (error) {
          for (const off of offObserver.splice(0)) off();
          await lock?.release();
          throw error;
        }
        const gain = async () => {
          if (lock === undefined) {
            try {
              lock = await lockExportsRoot(root);
            } catch (error) {
              if (!isStreamSuitesError(error)) throw error;
              logger.error({ err: error }, 'this process holds the exports duty but cannot lock the exports root; not writing');
              return;
            }
          }
          logger.info({ root }, 'writing the exports (this process holds the exports duty)');
          await exporter?.start();
          // At each minute boundary of the kernel clock, the per-minute figures move on (also without any event).
          const tick = () => {
            minuteTimer = setTimeout(() => {
              void exporter?.flush(MINUTE_FILES);
              tick();
            }, 60_000 - (((deps.clock.now() % 60_000) + 60_000) % 60_000) + 5);
            minuteTimer.unref();
          };
          stopMinutes();
          tick();
        };
        const lose = async () => {
          stopMinutes();
          await exporter?.pause();
          await lock?.release();
          lock = undefined;
          logger.info({ root }, 'stopped writing the exports (another process holds the exports duty)');
        };
        // The first write waits for kernel.started, so the snapshot shows every creator.
        deps.bus.once('kernel.started', () => {
          unwatch = deps.leadership.watch('exports', (holds) => {
            duty = duty.then(holds ? gain : lose).catch((error: unknown) => logger.error({ err: error }, 'changing the exports duty failed'));
          });
        });
      },
      // The last write happens while every creator is still there (only by the holder of the duty).
      async beforeStop() {
        unwatch?.();
        await duty;
        stopMinutes();
        if (lock !== undefined) await exporter?.stop();
        await lock?.release();
      },
      async stop() {
        stopMinutes();
        for (const off of offObserver) off();
        await lock?.release();
      },
    });
  },
});

/** Built-ins first; a plugin's section replaces a placeholder of the same file; two plugins for one file is an error. */
function mergeSections(builtin: ExportSection<unknown>[], contributed: { pluginId: string; section: ExportSection<unknown> }[]): ExportSection<unknown>[] {
  const byFile = new Map(builtin.map((s) => [s.file, s]));
  const owners = new Map<string, string>();
  for (const { pluginId, section } of contributed) {
    const owner = owners.get(section.file);
    if (owner !== undefined) throw new SS_ERR_EXPORTS_DUPLICATE_FILE(section.file, `${owner}, ${pluginId}`);
    owners.set(section.file, pluginId);
    byFile.set(section.file, section);
  }
  return [...byFile.values()];
}
