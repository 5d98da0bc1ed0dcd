import { watch, type FSWatcher } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { formatIssue, isStreamSuitesError, type Kernel, type ManifestIssue } from '@streamsuites/kernel';
import type { CliIO } from '../io.js';

export interface WatchOptions {
  /** Quiet time after the last change before reloading: editors write a file in several steps (default 300 ms). */
  debounceMs?: number;
}

/**
 * `run --watch`: reloads the kernel when a file its configuration was read
 * from changes — the manifest, its includes, a configuration folder's files
 * (a file added to such a folder counts too). Folders are watched rather
 * than files, so editors that save by writing a new file and renaming it
 * over the old one are seen. Changes coming close together make one reload;
 * a change during a reload makes another after it. A rejected reload prints
 * every problem and the running configuration stays; a file caught
 * half-written is rejected, and the next write of it reloads again.
 * Returns a function that stops watching.
 */
export function watchAndReload(kernel: Kernel, io: CliIO, options: WatchOptions = {}): () => void {
  const debounceMs = options.debounceMs ?? 300;
  const watchers = new Map<string, FSWatcher>();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let closed = false;

  const watchedFiles = () => new Set(kernel.files.map((f) => resolve(f)));
  const folders = () => new Set([...watchedFiles()].map((f) => dirname(f)));

  const sync = () => {
    const wanted = folders();
    for (const [dir, watcher] of watchers) {
      if (wanted.has(dir)) continue;
      watcher.close();
      watchers.delete(dir);
    }
    for (const dir of wanted) {
      if (watchers.has(dir)) continue;
      try {
        const watcher = watch(dir, (_event, name) => {
          // A folder of a configuration (several files) reacts to any JSON file; a manifest's folder only to the files read.
          const file = name === null ? undefined : resolve(dir, name.toString());
          const files = watchedFiles();
          const isConfigFolder = [...files].filter((f) => dirname(f) === dir).length > 1;
          if (file !== undefined && !files.has(file) && !(isConfigFolder && file.endsWith('.json'))) return;
          schedule();
        });
        watcher.on('error', (error) => io.stderr(`watch: stopped watching ${dir}: ${error.message}\n`));
        watchers.set(dir, watcher);
      } catch (error) {
        io.stderr(`watch: cannot watch ${dir}: ${error instanceof Error ? error.message : String(error)}\n`);
      }
    }
  };

  const schedule = () => {
    if (closed) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (running !== undefined) {
        again = true;
        return;
      }
      running = reload().finally(() => {
        running = undefined;
        if (again) {
          again = false;
          schedule();
        }
      });
    }, debounceMs);
  };

  const reload = async () => {
    if (closed || kernel.state !== 'running') return;
    try {
      const summary = await kernel.reload();
      const parts = [
        summary.added.length > 0 ? `added ${summary.added.join(', ')}` : '',
        summary.removed.length > 0 ? `removed ${summary.removed.join(', ')}` : '',
        summary.updated.length > 0 ? `updated ${summary.updated.join(', ')}` : '',
        ...Object.entries(summary.restarted).map(([creator, plugins]) => `restarted ${plugins.join(', ')} for ${creator}`),
        summary.sections.length > 0 ? `changed ${summary.sections.join(', ')}` : '',
      ].filter((p) => p !== '');
      io.stderr(`reloaded ${summary.source}: ${parts.length === 0 ? 'no change' : parts.join('; ')}\n`);
    } catch (error) {
      if (!isStreamSuitesError(error)) throw error;
      const issues = (error.details as { issues?: ManifestIssue[] }).issues ?? [];
      io.stderr(`reload rejected (${error.code}): ${issues.length} problem(s); the running configuration stays\n`);
      for (const issue of issues) {
        io.stderr(`  ${formatIssue(issue)}\n`);
        if (issue.hint !== undefined) io.stderr(`      hint: ${issue.hint}\n`);
      }
    }
    sync();
  };

  sync();
  io.stderr(`watching ${kernel.files.length} file(s) for changes\n`);
  const unsubscribe = kernel.bus.on('kernel.stopping', () => stop());
  function stop() {
    closed = true;
    clearTimeout(timer);
    unsubscribe();
    for (const watcher of watchers.values()) watcher.close();
    watchers.clear();
  }
  return stop;
}
