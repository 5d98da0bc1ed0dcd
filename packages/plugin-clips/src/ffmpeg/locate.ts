import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * Where ffmpeg and ffprobe are. Order (the reference runtime's, plus ffprobe):
 * 1. the configured path (`ffmpegPath` / `ffprobePath`) — used as given, even
 *    when it does not exist, so a wrong path is reported instead of silently
 *    replaced by another ffmpeg;
 * 2. on Windows, the default install `X:\ffmpeg\bin\ffmpeg.exe` when it exists;
 * 3. `ffmpeg` / `ffprobe` on PATH.
 * ffprobe without its own path is looked for beside a configured ffmpeg first.
 * Nothing is run here; a binary that cannot be started is reported by the run
 * as SS_ERR_CLIPS_FFMPEG_MISSING with an install hint for the OS.
 */

export const WINDOWS_DEFAULT_FFMPEG = 'X:\\ffmpeg\\bin\\ffmpeg.exe';
export const WINDOWS_DEFAULT_FFPROBE = 'X:\\ffmpeg\\bin\\ffprobe.exe';

export interface FfmpegPathOptions {
  /** ffmpeg to run (absolute path, or a command name looked up on PATH). */
  ffmpegPath?: string | undefined;
  /** ffprobe to run; default: beside a configured ffmpeg, else as ffmpeg is found. */
  ffprobePath?: string | undefined;
}

export type FfmpegPathSource = 'config' | 'windows-default' | 'path';

export interface FfmpegBinaries {
  ffmpeg: string;
  ffprobe: string;
  /** How ffmpeg was found. */
  source: FfmpegPathSource;
}

export interface LocateEnvironment {
  platform?: NodeJS.Platform;
  exists?: (file: string) => boolean;
}

export function locateFfmpeg(options: FfmpegPathOptions = {}, env: LocateEnvironment = {}): FfmpegBinaries {
  const platform = env.platform ?? process.platform;
  const exists = env.exists ?? existsSync;
  const exe = platform === 'win32' ? '.exe' : '';
  const ffmpegPath = options.ffmpegPath?.trim() || undefined;
  const ffprobePath = options.ffprobePath?.trim() || undefined;

  if (ffmpegPath !== undefined) {
    return { ffmpeg: ffmpegPath, ffprobe: ffprobePath ?? siblingProbe(ffmpegPath, platform, exists, exe), source: 'config' };
  }
  if (platform === 'win32' && exists(WINDOWS_DEFAULT_FFMPEG)) {
    return { ffmpeg: WINDOWS_DEFAULT_FFMPEG, ffprobe: ffprobePath ?? WINDOWS_DEFAULT_FFPROBE, source: 'windows-default' };
  }
  return { ffmpeg: 'ffmpeg', ffprobe: ffprobePath ?? (platform === 'win32' && exists(WINDOWS_DEFAULT_FFPROBE) ? WINDOWS_DEFAULT_FFPROBE : 'ffprobe'), source: 'path' };
}

/** ffprobe beside a configured ffmpeg (`/opt/ff/ffmpeg` → `/opt/ff/ffprobe`); else `ffprobe` on PATH. */
function siblingProbe(ffmpegPath: string, platform: NodeJS.Platform, exists: (file: string) => boolean, exe: string): string {
  const p = platform === 'win32' ? path.win32 : path.posix;
  const dir = p.dirname(ffmpegPath);
  if (dir === '.' && !ffmpegPath.includes(p.sep) && !ffmpegPath.includes('/')) return 'ffprobe';
  const base = p.basename(ffmpegPath);
  const probeName = base.replace(/ffmpeg/i, 'ffprobe');
  const candidate = p.join(dir, probeName !== base ? probeName : `ffprobe${exe}`);
  // A configured ffmpeg that does not exist still gets its sibling: the run reports the missing ffmpeg first.
  return exists(candidate) || !exists(ffmpegPath) ? candidate : 'ffprobe';
}
