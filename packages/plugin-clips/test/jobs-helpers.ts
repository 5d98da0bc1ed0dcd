import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { JobQueue, MemoryJobRegistry, MemoryJobStorage } from '@streamsuites/defaults';
import { systemClock, type JobRegistry } from '@streamsuites/kernel';
import { createTempDirs } from '@streamsuites/testing';
import { afterEach } from 'vitest';
import { ClipJobs, ClipsDatabase, type ClipJobsOptions, type ClipRecord, type ClipRecoveryReport } from '../src/jobs.js';
import type { ClipState } from '../src/types.js';
import { folderDestination } from './fixtures/jobs-media.js';

const temp = createTempDirs('ss-clips-jobs-');
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  temp.removeAll();
});

/** A temporary folder, removed after the test. */
export const tempDir = (): string => temp.make();

/** Runs after the test (before its folders are removed), in reverse order. */
export const onCleanup = (fn: () => unknown): void => void cleanups.push(fn);

export const fixture = (name: string): string => new URL(`./fixtures/${name}`, import.meta.url).pathname;

/** A real 1 s mp4 (ffmpeg testsrc2), made once per folder. */
export function sampleMp4(dir = tempDir()): string {
  const file = join(dir, 'sample.mp4');
  if (!existsSync(file)) {
    execFileSync('ffmpeg', ['-nostdin', '-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=160x120:rate=10', '-t', '1',
      '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', file]);
  }
  return file;
}

export interface StateEvent {
  id: string;
  from: ClipState | null;
  to: ClipState;
  reason: string;
}

export interface TestEngine {
  engine: ClipJobs;
  db: ClipsDatabase;
  /** The job registry the steps run on (a MemoryJobRegistry unless one was given). */
  registry: JobRegistry;
  /** start()'s report (when started by openEngine). */
  ready: Promise<ClipRecoveryReport> | undefined;
  dataDir: string;
  /** Where the default folder destination copies clips. */
  published: string;
  /** Every onState call, in order. */
  events: StateEvent[];
  /** Resolves once an onState call matches. */
  waitFor(match: (e: StateEvent) => boolean): Promise<StateEvent>;
}

/** A MemoryJobRegistry on `clock`, closed after the test. */
export function memoryRegistry(clock: ClipJobsOptions['clock'] = systemClock): MemoryJobRegistry {
  const registry = new MemoryJobRegistry({ clock: clock ?? systemClock });
  onCleanup(() => registry.close());
  return registry;
}

/** A job registry that can tell when its scheduler has had its chance to claim. */
export interface ObservedRegistry extends JobQueue {
  /**
   * Makes the registry run a claim pass now (by enqueueing a job of a type no
   * handler takes) and resolves once a pass that began after this call has
   * claimed every due job its handlers' limits allow. Assert "still queued"
   * after it instead of after a sleep.
   */
  claimPass(): Promise<void>;
}

/**
 * The in-memory JobQueue (as MemoryJobRegistry), its claim passes observed
 * through the storage: a pass (JobQueue's pump) fills every handler, then
 * asks `nextRunAt` for its wake timer, once per pass and only there. If the
 * queue ever gets an idle/claimed hook of its own, use that instead.
 * Closed after the test.
 */
export function observedRegistry(): ObservedRegistry {
  let passes = 0;
  const waiters: { after: number; resolve: () => void }[] = [];
  class PassCountingStorage extends MemoryJobStorage {
    override nextRunAt(types: readonly string[], now: number): number | undefined {
      passes++;
      for (const w of waiters.filter((w) => passes > w.after)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(); // its continuation runs after this (synchronous) pass has finished
      }
      return super.nextRunAt(types, now);
    }
  }
  const registry = new JobQueue({ name: 'The observed job registry', clock: systemClock, storage: new PassCountingStorage() }) as ObservedRegistry;
  registry.claimPass = async () => {
    const passed = new Promise<void>((resolve) => waiters.push({ after: passes, resolve }));
    await registry.enqueue('test.claim-pass', {});
    await passed;
  };
  onCleanup(() => registry.close());
  return registry;
}

/** Clip ids of the jobs of a step type the registry is running now, sorted. */
export async function runningJobs(registry: JobRegistry, type: 'clips.encode' | 'clips.upload'): Promise<string[]> {
  const jobs = await registry.list({ type, state: 'running' });
  return jobs.map((job) => (job.payload as { clipId: string }).clipId).sort();
}

/**
 * Opens `<dataDir>/streamsuites.db` and an engine with a folder destination
 * named `local` on a fresh MemoryJobRegistry (unless `registry` is given),
 * recording onState; started unless `start: false`. Stopped and closed after
 * the test.
 */
export function openEngine(
  options: Partial<ClipJobsOptions> & Pick<ClipJobsOptions, 'encoder'> & { dataDir?: string; start?: boolean },
): TestEngine {
  const dataDir = options.dataDir ?? tempDir();
  const published = join(dataDir, 'published');
  const db = ClipsDatabase.open({ dataDir });
  const events: StateEvent[] = [];
  const waiters: { match: (e: StateEvent) => boolean; resolve: (e: StateEvent) => void }[] = [];
  const { start, dataDir: _, ...rest } = options;
  const registry = options.registry ?? memoryRegistry(options.clock);
  const engine = new ClipJobs({
    db,
    registry,
    source: (clip) => ({ playlist: clip.creatorId }),
    destinations: { local: folderDestination(published) },
    backoff: { baseMs: 5, maxMs: 50 },
    ...rest,
    onState(clip, from, to, reason) {
      const event = { id: clip.id, from, to, reason };
      events.push(event);
      for (const w of waiters.filter((w) => w.match(event))) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(event);
      }
      options.onState?.(clip, from, to, reason);
    },
  });
  onCleanup(async () => {
    await engine.stop();
    db.close();
  });
  const ready = start === false ? undefined : engine.start();
  ready?.catch(() => {}); // a test that cares awaits it
  return {
    engine,
    db,
    registry,
    ready,
    dataDir,
    published,
    events,
    waitFor: (match) => {
      const seen = events.find(match);
      return seen ? Promise.resolve(seen) : new Promise((resolve) => waiters.push({ match, resolve }));
    },
  };
}

/** The transitions of a clip as `from->to` strings. */
/** A clip's states when its first upload attempt was interrupted and the second published it. */
export const UPLOAD_RETRIED_ONCE: readonly string[] = [
  'new->queued',
  'queued->encoding',
  'encoding->encoded',
  'encoded->uploading',
  'uploading->encoded',
  'encoded->uploading',
  'uploading->published',
];

export const path = (history: readonly { from: ClipState | null; to: ClipState }[]): string[] => history.map((h) => `${h.from ?? 'new'}->${h.to}`);

/** The clip rows of a database, read through a separate read-only connection (as another process would). */
export function readClips(file: string): Pick<ClipRecord, 'id' | 'state' | 'error' | 'errorCode'>[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare('SELECT id, state, error, error_code AS errorCode FROM clips ORDER BY rowid').all() as Pick<ClipRecord, 'id' | 'state' | 'error' | 'errorCode'>[];
  } finally {
    db.close();
  }
}

export const listDir = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir).sort() : []);
