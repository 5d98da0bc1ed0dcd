import { copyFile, link, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Logger } from '@streamsuites/kernel';
import { syncFile } from './destinations/shared.js';
import { maskLocalPaths } from './jobs/views.js';

/**
 * The clips' media under the exports root, for the dashboard's gallery:
 * `runtime/media/clips/<id>.mp4` and `<id>.jpg` (the poster), for every clip
 * that has its local files. Dashboard-only: the dashboard server serves
 * `runtime/media/` to this machine or with its bearer token (never mirrored
 * to the dashboard publish root, never a public file).
 *
 * A file is a hard link to the clip's own file when both are on one
 * filesystem (no copy, no extra space), else a copy written to a temp name
 * in the same folder (`.<name>.<pid>.<n>.tmp`, the exports' temp pattern,
 * which plugin-exports sweeps at start after a crash), fsynced and renamed:
 * a reader never sees half a file. Files of clips that no longer have local
 * files (failed, expired by retention, gone from the list) are removed.
 */

/** Where the clips' media go, relative to the exports root. */
export const CLIP_MEDIA_DIR = 'runtime/media/clips';

/** A clip's media paths relative to the exports root (as clips.json lists them). */
export function clipMediaPaths(id: string): { video: string; poster: string } {
  return { video: `${CLIP_MEDIA_DIR}/${id}.mp4`, poster: `${CLIP_MEDIA_DIR}/${id}.jpg` };
}

/** A clip's local files, to be placed under the root. */
export interface ClipMediaSource {
  id: string;
  /** The clip's mp4 (absolute), or null. */
  video: string | null;
  /** Its poster (absolute), or null. */
  poster: string | null;
}

/** What is under the root after a sync, by clip id: the root-relative paths that exist. */
export type ClipMediaPresent = Map<string, { video?: string; poster?: string }>;

/** Names this module owns in the media folder: a clip id and one of the two extensions. */
const OWNED = /^([a-z0-9]{6})\.(mp4|jpg)$/;
/** Errors of link() that mean "not here": another filesystem, or one without hard links. */
const NO_LINK = new Set(['EXDEV', 'EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EMLINK', 'ENOSYS']);

let counter = 0;

/**
 * Makes `<root>/runtime/media/clips/` hold exactly the media of `clips` (see
 * above) and resolves with what is there. A file that cannot be placed is
 * logged (warn, paths masked) and left out; it is tried again at the next sync.
 */
export async function syncClipMedia(root: string, clips: readonly ClipMediaSource[], logger?: Logger): Promise<ClipMediaPresent> {
  const dir = join(root, ...CLIP_MEDIA_DIR.split('/'));
  const present: ClipMediaPresent = new Map();
  const wanted = new Set<string>();
  let made = false;
  for (const clip of clips) {
    const paths = clipMediaPaths(clip.id);
    for (const kind of ['video', 'poster'] as const) {
      const source = clip[kind];
      if (source === null || !(await isFile(source))) continue;
      const name = paths[kind].slice(CLIP_MEDIA_DIR.length + 1);
      wanted.add(name);
      try {
        if (!made) await mkdir(dir, { recursive: true });
        made = true;
        await place(source, join(dir, name));
        present.set(clip.id, { ...present.get(clip.id), [kind]: paths[kind] });
      } catch (error) {
        logger?.warn({ clipId: clip.id, file: paths[kind], reason: maskLocalPaths(describe(error)) }, 'clips: could not place a clip file under the exports root');
      }
    }
  }
  for (const name of await names(dir)) {
    if (!OWNED.test(name) || wanted.has(name)) continue;
    await rm(join(dir, name), { force: true }).catch((error: unknown) =>
      logger?.warn({ file: `${CLIP_MEDIA_DIR}/${name}`, reason: maskLocalPaths(describe(error)) }, 'clips: could not remove a clip file from the exports root'),
    );
  }
  return present;
}

/** Puts `source` at `target` (a hard link, else a copy) unless the same file is already there. */
async function place(source: string, target: string): Promise<void> {
  const [from, to] = await Promise.all([stat(source), stat(target).catch(() => undefined)]);
  if (to !== undefined && to.isFile()) {
    if (to.ino === from.ino && to.dev === from.dev) return; // the link
    if (to.size === from.size && to.mtimeMs >= from.mtimeMs) return; // the copy (clip files never change once made)
  }
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}.${++counter}.tmp`);
  try {
    try {
      await link(source, temp);
    } catch (error) {
      if (!NO_LINK.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
      await copyFile(source, temp);
      await syncFile(temp);
    }
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => {});
    throw error;
  }
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

async function names(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch {
    return [];
  }
}

function describe(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  return typeof code === 'string' && !message.includes(code) ? `${code}: ${message}` : message;
}
