import { isAbsolute, join, normalize, sep } from 'node:path';
import {
  schemaProblems,
  serializeError,
  type Clock,
  type EventBus,
  type Kernel,
  type Logger,
  type SecretRegistry,
} from '@streamsuites/kernel';
import { nodeFs, writeFileAtomic, type ExportFs } from './atomic.js';
import type { ExportSection } from './contract.js';
import {
  SS_ERR_EXPORTS_BAD_PATH,
  SS_ERR_EXPORTS_SECTION_INVALID,
  SS_ERR_EXPORTS_SNAPSHOT_FAILED,
  SS_ERR_EXPORTS_WRITE_FAILED,
} from './errors.js';
import { stableStringify } from './json.js';
import { mediaHookOf } from './media.js';

export interface ExporterOptions {
  sections: readonly ExportSection<any>[];
  /** Absolute exports root. */
  root: string;
  /** Absolute mirror root, if mirroring. */
  mirrorRoot?: string | undefined;
  source: string;
  debounceMs: number;
  cadenceMs: number;
  kernel: Kernel;
  bus: EventBus;
  clock: Clock;
  logger: Logger;
  secrets: SecretRegistry;
  fs?: ExportFs;
}

/**
 * Writes every section to its file: on start, after the events a section
 * watches (debounced), on a cadence, and once more on stop. One flush at a
 * time; a section that fails (snapshot throws, schema mismatch, disk full)
 * keeps its previous file and is reported as `exports.failed` — the other
 * files are still written.
 */
export class Exporter {
  readonly #options: ExporterOptions;
  readonly #fs: ExportFs;
  readonly #byFile = new Map<string, ExportSection<any>>();
  readonly #dirty = new Set<string>();
  readonly #unsubscribe: (() => void)[] = [];
  #debounce: NodeJS.Timeout | undefined;
  /** Wall time of the latest watched event (the debounce waits for `debounceMs` of quiet after it). */
  #lastChange = 0;
  #cadence: NodeJS.Timeout | undefined;
  #flushing: Promise<void> = Promise.resolve();
  #stopped = false;
  /** Per keyed section: the keys written last, so the file of a key that went away is removed. */
  readonly #keysWritten = new Map<string, Set<string>>();

  constructor(options: ExporterOptions) {
    this.#options = options;
    this.#fs = options.fs ?? nodeFs;
    for (const section of options.sections) {
      assertSafePath(section.file, section.keys !== undefined);
      this.#byFile.set(section.file, section);
    }
  }

  /** Files in path order. */
  get sections(): ExportSection<any>[] {
    return [...this.#byFile.values()].sort((a, b) => compare(a.file, b.file));
  }

  /** Starts (or, after pause(), restarts) watching and writing, and writes everything once. */
  async start(): Promise<void> {
    this.#stopped = false;
    const events = new Map<string, string[]>();
    for (const section of this.#byFile.values()) {
      for (const event of section.watch ?? []) events.set(event, [...(events.get(event) ?? []), section.file]);
    }
    for (const [event, files] of events) {
      this.#unsubscribe.push(this.#options.bus.on(event as 'kernel.started', () => this.#markDirty(files)));
    }
    this.#cadence = setInterval(() => void this.flush(), this.#options.cadenceMs);
    this.#cadence.unref();
    await this.flush();
  }

  /** Stops the timers and writes everything one last time. */
  async stop(): Promise<void> {
    if (this.#stopped) return this.#flushing;
    this.#stopped = true;
    for (const off of this.#unsubscribe.splice(0)) off();
    clearTimeout(this.#debounce);
    this.#debounce = undefined;
    clearInterval(this.#cadence);
    await this.#enqueue(this.sections.map((s) => s.file));
  }

  /**
   * Stops the timers without writing again (the duty moved to another
   * process, which writes from now on); resolves once a write under way
   * finished. start() resumes.
   */
  async pause(): Promise<void> {
    this.#stopped = true;
    for (const off of this.#unsubscribe.splice(0)) off();
    clearTimeout(this.#debounce);
    this.#debounce = undefined;
    clearInterval(this.#cadence);
    await this.#flushing;
  }

  /** Writes the given files (default: all) after any flush in progress. */
  flush(files?: readonly string[]): Promise<void> {
    return this.#enqueue(files ?? this.sections.map((s) => s.file));
  }

  /**
   * A watched event: its files are written once `debounceMs` passed without
   * another one. Called for every chat message, so it only notes the time:
   * one timer runs, and when it fires early (events kept coming) it waits
   * out the rest of the quiet time instead of being reset per event.
   */
  #markDirty(files: readonly string[]): void {
    if (this.#stopped) return;
    for (const file of files) this.#dirty.add(file);
    this.#lastChange = Date.now();
    if (this.#debounce === undefined) this.#armDebounce(this.#options.debounceMs);
  }

  #armDebounce(ms: number): void {
    this.#debounce = setTimeout(() => {
      const quiet = Date.now() - this.#lastChange;
      if (quiet < this.#options.debounceMs) {
        this.#armDebounce(this.#options.debounceMs - quiet);
        return;
      }
      this.#debounce = undefined;
      const pending = [...this.#dirty];
      this.#dirty.clear();
      void this.#enqueue(pending);
    }, ms);
    this.#debounce.unref();
  }

  #enqueue(files: readonly string[]): Promise<void> {
    this.#flushing = this.#flushing.then(() => this.#write(files));
    return this.#flushing;
  }

  async #write(files: readonly string[]): Promise<void> {
    const now = this.#options.clock.now();
    const written: string[] = [];
    let mirrored = 0;
    for (const pattern of [...new Set(files)].sort(compare)) {
      const section = this.#byFile.get(pattern);
      if (section === undefined) continue;
      await this.#media(section, now);
      const keys = section.keys === undefined ? [undefined] : await this.#keysOf(section, now);
      if (keys === undefined) continue;
      for (const key of keys) {
        const file = key === undefined ? pattern : pattern.replace(KEY, key);
        const bytes = await this.#render(section, now, file, key);
        if (bytes === undefined) continue;
        const put = await this.#put(file, bytes, section, now);
        if (!put.written) continue;
        written.push(file);
        if (put.mirrored) mirrored += 1;
      }
      if (section.keys !== undefined) await this.#forgetGone(section, new Set(keys as string[]), now);
    }
    if (written.length > 0) this.#options.bus.emit('exports.written', { files: written, mirrored, at: now });
  }

  /** Writes one file, then its mirror; each failure reported (a failed main write skips the mirror). */
  async #put(file: string, bytes: string, section: ExportSection<any>, now: number): Promise<{ written: boolean; mirrored: boolean }> {
    try {
      await writeFileAtomic(join(this.#options.root, file), bytes, this.#fs);
    } catch (error) {
      this.#fail(file, new SS_ERR_EXPORTS_WRITE_FAILED(file, describe(error), { cause: error }), now);
      return { written: false, mirrored: false };
    }
    if (this.#options.mirrorRoot === undefined || section.visibility === 'internal-only') return { written: true, mirrored: false };
    try {
      await writeFileAtomic(join(this.#options.mirrorRoot, file), bytes, this.#fs);
      return { written: true, mirrored: true };
    } catch (error) {
      this.#fail(`mirror:${file}`, new SS_ERR_EXPORTS_WRITE_FAILED(join(this.#options.mirrorRoot, file), describe(error), { cause: error }), now);
      return { written: true, mirrored: false };
    }
  }

  /** A keyed section's keys, checked; undefined (reported) when they cannot be had. */
  async #keysOf(section: ExportSection<any>, now: number): Promise<string[] | undefined> {
    try {
      const keys = [...new Set(await section.keys!({ kernel: this.#options.kernel, now }))].sort(compare);
      const bad = keys.find((key) => typeof key !== 'string' || !KEY_FORMAT.test(key));
      if (bad !== undefined) throw new Error(`key ${JSON.stringify(bad)} is not a file-name word (${KEY_FORMAT})`);
      return keys;
    } catch (error) {
      this.#fail(section.file, new SS_ERR_EXPORTS_SNAPSHOT_FAILED(section.file, { cause: error }), now);
      return undefined;
    }
  }

  /** Removes the files of keys a keyed section no longer lists (they would show a state that is gone). */
  async #forgetGone(section: ExportSection<any>, keys: Set<string>, now: number): Promise<void> {
    const before = this.#keysWritten.get(section.file) ?? new Set<string>();
    this.#keysWritten.set(section.file, keys);
    for (const key of before) {
      if (keys.has(key)) continue;
      const file = section.file.replace(KEY, key);
      for (const root of [this.#options.root, ...(this.#options.mirrorRoot === undefined || section.visibility === 'internal-only' ? [] : [this.#options.mirrorRoot])]) {
        await this.#fs.rm(join(root, file), { force: true }).catch((error: unknown) => this.#fail(file, new SS_ERR_EXPORTS_WRITE_FAILED(file, describe(error), { cause: error }), now));
      }
    }
  }

  /** The section's `media` hook (media.ts), before its snapshot; a throw is logged, the file is still written. */
  async #media(section: ExportSection<any>, now: number): Promise<void> {
    const hook = mediaHookOf(section);
    if (hook === undefined) return;
    try {
      await hook({ kernel: this.#options.kernel, now, root: this.#options.root });
    } catch (error) {
      this.#options.logger.warn({ file: section.file }, this.#options.secrets.redactString(`the media of ${section.file} could not be placed: ${describe(error)}`));
    }
  }

  /** The file's bytes, or undefined (reported) when the section cannot be built. */
  async #render(section: ExportSection<any>, now: number, file: string, key: string | undefined): Promise<string | undefined> {
    let body: unknown;
    try {
      body = await section.snapshot({ kernel: this.#options.kernel, now, ...(key === undefined ? {} : { key }) });
    } catch (error) {
      this.#fail(file, new SS_ERR_EXPORTS_SNAPSHOT_FAILED(file, { cause: error }), now);
      return undefined;
    }
    const [problem] = schemaProblems(section.bodySchema, body);
    if (problem !== undefined) {
      this.#fail(file, new SS_ERR_EXPORTS_SECTION_INVALID(file, `${problem.path}: ${problem.message}`), now);
      return undefined;
    }
    const meta = {
      schema: section.schema,
      version: section.version,
      generatedAt: new Date(now).toISOString(),
      source: this.#options.source,
      visibility: section.visibility,
    };
    try {
      // Secrets never reach a file, whatever a section put in its body: known secret
      // values, keyed URLs and tokens are masked in every string and key before it is
      // JSON-escaped (the final text would hide a secret with a `"` or `\` in it), during
      // the walk stableStringify makes anyway, so no extra copy of a 10,000-clip body.
      const secrets = this.#options.secrets;
      return stableStringify({ ...(body as object), meta }, (text) => secrets.redactString(text));
    } catch (error) {
      this.#fail(file, new SS_ERR_EXPORTS_SECTION_INVALID(file, describe(error)), now);
      return undefined;
    }
  }

  #fail(file: string, error: Error & { code?: string }, at: number): void {
    const serialized = serializeError(error);
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    const message = this.#options.secrets.redactString(`${serialized.message}${cause}`);
    this.#options.logger.warn({ file, code: serialized.code }, message);
    this.#options.bus.emit('exports.failed', { file, error: { ...(serialized.code === undefined ? {} : { code: serialized.code }), message }, at });
  }
}

/** `{key}` in a keyed section's path. */
const KEY = '{key}';
/** A key is one file-name word: no separators, no dots first (so never `..`). */
const KEY_FORMAT = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;

function assertSafePath(file: string, keyed: boolean): void {
  const normalized = normalize(file);
  const keyCount = file.split(KEY).length - 1;
  if (isAbsolute(file) || !file.endsWith('.json') || normalized.startsWith('..') || normalized.split(sep).includes('..') || keyCount !== (keyed ? 1 : 0)) {
    throw new SS_ERR_EXPORTS_BAD_PATH(file);
  }
}

function describe(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  return typeof code === 'string' && !message.includes(code) ? `${code}: ${message}` : message;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
