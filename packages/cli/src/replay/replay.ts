import { withDefaults } from '@streamsuites/defaults';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  createKernel,
  ManualClock,
  type AnyPlugin,
  type CreateKernelOptions,
  type EventName,
  type Kernel,
  type LogLevel,
} from '@streamsuites/kernel';
import { mergeChatLogBatches, openChatLogs, type ChatLogProblem, type LoggedEvent } from '@streamsuites/plugin-chatlog';

export interface ReplayOptions {
  /** Chat log files or folders (`dataDir/chatlog`, one creator's folder, single days). */
  logs: readonly string[];
  /** The manifest (path or object) whose triggers and plugins the events go through. */
  manifest: string | Record<string, unknown>;
  /** Where the exports plugin writes (its `root` is pointed here; mirroring is off). */
  out: string;
  /** Plugins given by the host, as for createKernel. */
  plugins?: readonly AnyPlugin[];
  env?: Readonly<Record<string, string | undefined>>;
  /** Base folder of an inline manifest's relative paths. */
  baseDir?: string;
  /** Readers of other configuration formats (a `shared/config` folder as the manifest, or in its `include`). */
  readers?: CreateKernelOptions['readers'];
  /** Real-time factor (1 = as recorded, 10 = ten times faster); omitted: as fast as possible. */
  speed?: number;
  /** Run external actions for real (default: dry-run; internal ones always run). */
  execute?: boolean;
  /** The replay's data folder (state store, jobs); default a fresh temp folder, removed afterwards. */
  dataDir?: string;
  logLevel?: LogLevel;
  /** pretty or json lines; default pretty on a terminal, json otherwise. */
  logFormat?: CreateKernelOptions['logFormat'];
  logDestination?: CreateKernelOptions['logDestination'];
  /** Called for every skipped line (corrupt, truncated, wrong creator). */
  onProblem?: (problem: ChatLogProblem) => void;
  /** Aborting stops the replay after the current event (the exports are still written). */
  signal?: AbortSignal;
  /**
   * Called after each log line is taken (replayed, skipped, or of a creator
   * the manifest lacks), with the lines taken so far and the lines in all
   * the logs (counted first, only when this is given).
   */
  onProgress?: (progress: { read: number; total: number; file: string }) => void;
}

export interface ReplaySummary {
  events: number;
  perCreator: Record<string, number>;
  /** Lines skipped as corrupt or truncated. */
  skippedLines: number;
  /** Events of creators the manifest does not have, by creator. */
  unknownCreators: Record<string, number>;
  triggersFired: number;
  actions: { executed: number; dryRun: number; failed: number };
  /** Recorded time span, epoch ms. */
  firstAt?: number;
  lastAt?: number;
  wallMs: number;
  out: string;
  stopped: boolean;
}

/**
 * Feeds logged chat events through a kernel built from the manifest, on a
 * virtual clock set to each event's recorded time, one event at a time
 * (each one's triggers and actions finish before the next): the same log
 * and manifest always give the same exports, byte for byte. Platform and
 * logging plugins (`replay: 'skip'`) are left out; external actions are
 * dry-run unless `execute`.
 */
export async function replayChatLogs(options: ReplayOptions): Promise<ReplaySummary> {
  const started = performance.now();
  const files = await openChatLogs(options.logs);
  const summary: ReplaySummary = {
    events: 0,
    perCreator: {},
    skippedLines: 0,
    unknownCreators: {},
    triggersFired: 0,
    actions: { executed: 0, dryRun: 0, failed: 0 },
    wallMs: 0,
    out: resolve(options.out),
    stopped: false,
  };
  const total = options.onProgress === undefined ? 0 : await countEventLines(files.map((f) => f.path));
  let read = 0;
  const progress = options.onProgress === undefined ? undefined : (file: string) => options.onProgress!({ read: ++read, total, file });
  options.onProgress?.({ read: 0, total, file: '' }); // the total is known before any line is read (or found corrupt)
  const batches = mergeChatLogBatches(files, (problem) => {
    summary.skippedLines += 1;
    options.onProblem?.(problem);
    progress?.(problem.file);
  });
  const firstBatch = (await batches.next()).value as LoggedEvent[] | undefined;
  const first = firstBatch?.[0];
  const ownDataDir = options.dataDir === undefined ? await mkdtemp(join(tmpdir(), 'streamsuites-replay-')) : undefined;
  try {
    const clock = new ManualClock(first?.at ?? 0);
    const kernel = await createKernel(
      withDefaults({
        manifest: options.manifest,
        mode: 'replay',
        clock,
        ...(options.plugins === undefined ? {} : { plugins: options.plugins }),
        ...(options.env === undefined ? {} : { env: options.env }),
        ...(options.baseDir === undefined ? {} : { baseDir: options.baseDir }),
        ...(options.readers === undefined ? {} : { readers: options.readers }),
        ...(options.logLevel === undefined ? {} : { logLevel: options.logLevel }),
        ...(options.logFormat === undefined ? {} : { logFormat: options.logFormat }),
        ...(options.logDestination === undefined ? {} : { logDestination: options.logDestination }),
        overrides: {
          dataDir: options.dataDir ?? ownDataDir!,
          ...(options.execute === true ? {} : { sections: { dryRun: true } }),
          pluginConfig: { exports: { root: summary.out, mirror: false } },
        },
      }),
    );
    count(kernel, summary);
    await kernel.start();
    try {
      if (firstBatch !== undefined) await feed(kernel, clock, firstBatch, batches, summary, options, progress);
    } finally {
      await kernel.stop();
    }
  } finally {
    if (ownDataDir !== undefined) await rm(ownDataDir, { recursive: true, force: true });
  }
  summary.wallMs = Math.round(performance.now() - started);
  return summary;
}

async function feed(
  kernel: Kernel,
  clock: ManualClock,
  firstBatch: LoggedEvent[],
  rest: AsyncGenerator<LoggedEvent[]>,
  summary: ReplaySummary,
  options: ReplayOptions,
  progress: ((file: string) => void) | undefined,
): Promise<void> {
  const creators = new Set(Object.keys(kernel.manifest.creators));
  const { bus } = kernel;
  const { signal, speed } = options;
  const perCreator = summary.perCreator;
  summary.firstAt = firstBatch[0]!.at;
  let previous = summary.firstAt;
  let batch: LoggedEvent[] | undefined = firstBatch;
  // The loop's only await per event is kernel.idle(): the reader hands over
  // hundreds of events at a time, and counting is plain field updates.
  while (batch !== undefined) {
    for (let i = 0; i < batch.length; i++) {
      const event = batch[i]!;
      if (signal?.aborted) {
        summary.stopped = true;
        return;
      }
      const creator = event.creator;
      if (!creators.has(creator)) {
        summary.unknownCreators[creator] = (summary.unknownCreators[creator] ?? 0) + 1;
        progress?.(event.file);
        continue;
      }
      const at = event.at;
      if (speed !== undefined && at > previous) {
        await sleep((at - previous) / speed, undefined, signal === undefined ? {} : { signal }).catch(() => undefined);
        if (signal?.aborted) continue;
      }
      if (at > previous) previous = at;
      clock.set(at);
      bus.emit(event.event as EventName, event.data as never);
      // Each event's triggers and actions finish before the next one is emitted.
      await kernel.idle();
      summary.events += 1;
      perCreator[creator] = (perCreator[creator] ?? 0) + 1;
      summary.lastAt = at;
      progress?.(event.file);
    }
    batch = (await rest.next()).value ?? undefined;
  }
}

/**
 * Lines after each file's header line, counted on the bytes (no parsing): a
 * fast first pass that gives a progress display its total. Blank lines are
 * counted too, so the count is an upper bound.
 */
async function countEventLines(paths: readonly string[]): Promise<number> {
  let total = 0;
  for (const path of paths) {
    let lines = 0;
    let last = 0x0a;
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
      for (let i = chunk.indexOf(0x0a); i !== -1; i = chunk.indexOf(0x0a, i + 1)) lines += 1;
      if (chunk.length > 0) last = chunk[chunk.length - 1]!;
    }
    if (last !== 0x0a) lines += 1; // an unterminated last line
    total += Math.max(0, lines - 1);
  }
  return total;
}

function count(kernel: Kernel, summary: ReplaySummary): void {
  kernel.bus.on('trigger.fired', () => void (summary.triggersFired += 1));
  kernel.bus.on('action.dispatched', (e) => {
    if (e.dryRun) summary.actions.dryRun += 1;
    else summary.actions.executed += 1;
  });
  kernel.bus.on('action.failed', () => void (summary.actions.failed += 1));
}
