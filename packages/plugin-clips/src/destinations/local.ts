import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readdir, rename, unlink } from 'node:fs/promises';
import { basename, dirname, extname, isAbsolute, join, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import type { ClipDestination, ClipFile } from '../types.js';
import { LOCAL_DEFAULTS, type LocalDestinationOptions } from './config.js';
import { SS_ERR_CLIPS_DESTINATION_INVALID, SS_ERR_CLIPS_UPLOAD_FAILED } from './errors.js';
import { aborted, assertReadableFile, errorCode, silentLogger, syncDir, syncFile, type DestinationLogger } from './shared.js';

export interface LocalDestinationDeps {
  log?: DestinationLogger;
  /** A relative `dir` is resolved against this folder (the plugin passes the manifest's dataDir); default: the working directory. */
  baseDir?: string;
}

/**
 * Copies the clip into a folder. The copy is atomic: a temp file next to the
 * target (`<name>.<pid>-<random>.tmp`), fsync, rename (a reader never sees
 * half a clip, and a retry simply replaces the file). A copy cut short by a
 * crash (kill -9, power loss) leaves its temp file behind: the next copy of
 * the same clip removes the temp files of that name whose writing process is
 * no longer running. Resolves with `publicBaseUrl` + the file name when a
 * base is configured, else the file:// URL of the copy (which the plugin
 * keeps in its database and never publishes: see `publicClipUrl`).
 */
export class LocalDestination implements ClipDestination {
  readonly kind = 'local';
  readonly #dir: string;
  readonly #publicBaseUrl: string | undefined;
  readonly #fileName: string;
  readonly #log: DestinationLogger;

  constructor(options: LocalDestinationOptions, deps: LocalDestinationDeps = {}) {
    if (typeof options?.dir !== 'string' || options.dir === '') {
      throw new SS_ERR_CLIPS_DESTINATION_INVALID('local', 'options.dir (the target folder) is required');
    }
    if (options.publicBaseUrl !== undefined && !/^https?:\/\//.test(options.publicBaseUrl)) {
      throw new SS_ERR_CLIPS_DESTINATION_INVALID('local', 'options.publicBaseUrl must be an http(s) URL');
    }
    this.#dir = resolve(deps.baseDir ?? process.cwd(), options.dir);
    this.#publicBaseUrl = options.publicBaseUrl;
    this.#fileName = options.fileName ?? LOCAL_DEFAULTS.fileName;
    this.#log = deps.log ?? silentLogger;
  }

  /** The settings in effect (for logs and status pages). */
  describe(): Record<string, unknown> {
    return { kind: this.kind, dir: this.#dir, fileName: this.#fileName, ...(this.#publicBaseUrl === undefined ? {} : { publicBaseUrl: this.#publicBaseUrl }) };
  }

  /** The path (relative to the folder, "/"-separated) a clip is written to. */
  relativePath(file: ClipFile): string {
    const ext = extname(file.path).slice(1) || 'mp4';
    const values: Record<string, string> = { clipId: file.clipId, creatorId: file.creatorId, ext };
    const rendered = this.#fileName.replace(/\{([A-Za-z]+)\}/g, (match, key: string) => {
      const value = values[key];
      return value === undefined ? match : safeSegment(value);
    });
    const parts = rendered.split(/[\\/]+/).filter((part) => part !== '' && part !== '.');
    if (parts.length === 0 || parts.includes('..') || isAbsolute(rendered)) {
      throw new SS_ERR_CLIPS_DESTINATION_INVALID('local', `fileName "${this.#fileName}" gives "${rendered}", which is not a file inside the folder`);
    }
    return parts.join('/');
  }

  async upload(file: ClipFile, signal: AbortSignal): Promise<{ url: string }> {
    const what = `Local copy of clip ${file.clipId}`;
    if (signal.aborted) throw aborted(what, signal);
    const relative = this.relativePath(file);
    const target = join(this.#dir, ...relative.split('/'));
    if (!target.startsWith(this.#dir + sep)) {
      throw new SS_ERR_CLIPS_DESTINATION_INVALID('local', `"${relative}" leaves the folder ${this.#dir}`);
    }
    const started = Date.now();
    await assertReadableFile('local', file);
    let temp: string | undefined;
    try {
      await mkdir(dirname(target), { recursive: true });
      await removeDeadTemps(target);
      temp = `${target}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`;
      await pipeline(createReadStream(file.path), createWriteStream(temp, { flags: 'wx' }), { signal });
      await syncFile(temp);
      await rename(temp, target);
      temp = undefined;
      await syncDir(dirname(target));
    } catch (error) {
      if (temp !== undefined) await unlink(temp).catch(() => {});
      if (signal.aborted) throw aborted(what, signal);
      const code = errorCode(error);
      // A full disk or a permission problem may be fixed by the time the job retries.
      throw new SS_ERR_CLIPS_UPLOAD_FAILED('local', `cannot copy the clip to ${target}: ${error instanceof Error ? error.message : String(error)}`, {
        cause: error,
        details: { destination: 'local', clipId: file.clipId, target, retryable: true, ...(code === undefined ? {} : { errno: code }) },
      });
    }
    const url = this.#publicBaseUrl === undefined ? pathToFileURL(target).href : joinUrl(this.#publicBaseUrl, relative);
    this.#log.info({ destination: 'local', clipId: file.clipId, target, ms: Date.now() - started }, 'clip copied');
    return { url };
  }
}

/** The temp file names of copies to `target`, with the pid of their writer. */
const TEMP_NAME = /^(.+)\.(\d+)-[0-9a-f]{12}\.tmp$/;

/**
 * Removes the temp files of copies to `target` left by processes that are no
 * longer running (a crash mid-copy). A live writer's temp file (this process
 * or another) is left alone. Best effort: a failure here never fails the copy.
 */
async function removeDeadTemps(target: string): Promise<void> {
  const name = basename(target);
  const names = await readdir(dirname(target)).catch(() => [] as string[]);
  for (const entry of names) {
    const match = TEMP_NAME.exec(entry);
    if (match === null || match[1] !== name || isRunning(Number(match[2]))) continue;
    await unlink(join(dirname(target), entry)).catch(() => {});
  }
}

function isRunning(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errorCode(error) === 'EPERM'; // running, owned by another user
  }
}

/** A file-name-safe rendering of an id (ids are normally [A-Za-z0-9_-] already). */
function safeSegment(value: string): string {
  const cleaned = value.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^\.+/, '_');
  return cleaned === '' ? '_' : cleaned;
}

function joinUrl(base: string, relative: string): string {
  const prefix = base.endsWith('/') ? base : `${base}/`;
  return prefix + relative.split('/').map(encodeURIComponent).join('/');
}
