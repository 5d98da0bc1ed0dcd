/**
 * Watches one capture run's playlist: the first change means the run is up,
 * every change is passed on, and no playlist within the start timeout or no
 * change within the stall timeout ends the run. fs.watch is not reliable
 * everywhere (network shares), so a poll backs it up and runs the timeouts.
 */
import { watch, type FSWatcher } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';

export interface PlaylistWatchdogOptions {
  playlistPath: string;
  segmentSec: number;
  startTimeoutMs: number;
  stallTimeoutMs: number;
  /** True once the run's process exited: no more checks. */
  exited(): boolean;
  /** The first playlist of the run: true when the run counts as running from now (false while stopping or exited). */
  onFirstPlaylist(): boolean;
  /** The playlist changed. */
  onChange(): void;
  /** A timeout passed: the run must end, for `reason`. */
  onTimeout(reason: string): void;
}

export class PlaylistWatchdog {
  /** When the run's first playlist appeared (undefined until then). */
  runningAt: number | undefined;
  readonly #o: PlaylistWatchdogOptions;
  readonly #spawnedAt = Date.now();
  #lastChangeAt = this.#spawnedAt;
  #lastStamp = '';
  #checking = false;
  readonly #watcher: FSWatcher | undefined;
  readonly #poll: NodeJS.Timeout;

  constructor(options: PlaylistWatchdogOptions) {
    this.#o = options;
    const name = path.basename(options.playlistPath);
    let watcher: FSWatcher | undefined;
    try {
      watcher = watch(path.dirname(options.playlistPath), (_event, file) => {
        if (file === null || String(file) === name) void this.#check();
      });
      watcher.on('error', () => {});
    } catch {
      watcher = undefined; // the poll below still notices changes
    }
    this.#watcher = watcher;
    this.#poll = setInterval(() => void this.#check(), Math.min(500, Math.max(100, options.segmentSec * 250)));
  }

  close(): void {
    clearInterval(this.#poll);
    this.#watcher?.close();
  }

  async #check(): Promise<void> {
    const o = this.#o;
    if (this.#checking || o.exited()) return;
    this.#checking = true;
    try {
      const s = await stat(o.playlistPath).catch(() => undefined);
      const now = Date.now();
      if (s) {
        const stamp = `${s.mtimeMs}:${s.size}:${s.ino}`;
        if (stamp !== this.#lastStamp) {
          this.#lastStamp = stamp;
          this.#lastChangeAt = now;
          if (this.runningAt === undefined && o.onFirstPlaylist()) this.runningAt = now;
          o.onChange();
        }
      }
      if (this.runningAt === undefined && now - this.#spawnedAt > o.startTimeoutMs) o.onTimeout(`no playlist within ${o.startTimeoutMs} ms`);
      else if (this.runningAt !== undefined && now - this.#lastChangeAt > o.stallTimeoutMs) o.onTimeout(`playlist unchanged for ${o.stallTimeoutMs} ms (stalled input)`);
    } finally {
      this.#checking = false;
    }
  }
}
