import { defineError } from '@streamsuites/kernel';

/**
 * Coded errors of the media side of @streamsuites/plugin-clips (ffmpeg
 * discovery and runs, the capture ring buffer, cuts and their verification).
 * STYLE item 5: every code is listed in the package README "Errors" table.
 * Messages never carry secrets: input URLs are shown without their query
 * string or user info (see `redactMediaText`).
 */

/** The install hint for a missing ffmpeg/ffprobe on `platform` (`process.platform`). */
export function ffmpegInstallHint(platform: string): string {
  const config = 'or set "ffmpegPath" (and "ffprobePath") in the clips plugin config';
  switch (platform) {
    case 'win32':
      return `Install ffmpeg: "winget install Gyan.FFmpeg", or unzip a build from https://www.gyan.dev/ffmpeg/builds/ so that X:\\ffmpeg\\bin\\ffmpeg.exe exists (the default path), ${config}.`;
    case 'darwin':
      return `Install ffmpeg: "brew install ffmpeg" (Homebrew), ${config}.`;
    case 'linux':
      return `Install ffmpeg: "sudo apt-get install ffmpeg" (Debian/Ubuntu), "sudo dnf install ffmpeg" (Fedora, RPM Fusion) or "sudo pacman -S ffmpeg" (Arch), ${config}.`;
    default:
      return `Install ffmpeg (with ffprobe) from your system's package manager or https://ffmpeg.org/download.html, ${config}.`;
  }
}

export const SS_ERR_CLIPS_FFMPEG_MISSING = defineError(
  'SS_ERR_CLIPS_FFMPEG_MISSING',
  (binary: string, _platform: string) => `Cannot run ${binary}: not found or not executable`,
  (_binary: string, platform: string) => ffmpegInstallHint(platform),
);

export const SS_ERR_CLIPS_FFMPEG_FAILED = defineError(
  'SS_ERR_CLIPS_FFMPEG_FAILED',
  (what: string, detail: string) => `${what} failed: ${detail}`,
);

export const SS_ERR_CLIPS_FFMPEG_TIMEOUT = defineError(
  'SS_ERR_CLIPS_FFMPEG_TIMEOUT',
  (what: string, timeoutMs: number) => `${what} did not finish within ${timeoutMs} ms and was killed`,
  'A slow disk or an overloaded machine; raise the timeout or lower the clip length / concurrency.',
);

export const SS_ERR_CLIPS_CUT_INVALID = defineError(
  'SS_ERR_CLIPS_CUT_INVALID',
  (reason: string) => `Invalid clip request: ${reason}`,
);

export const SS_ERR_CLIPS_BUFFER_EMPTY = defineError(
  'SS_ERR_CLIPS_BUFFER_EMPTY',
  (playlist: string, reason: string) => `Nothing to cut from ${playlist}: ${reason}`,
  'Is the capture of this creator running (is the stream live)? A fresh capture needs a few seconds before the first clip.',
);

export const SS_ERR_CLIPS_PLAYLIST_INVALID = defineError(
  'SS_ERR_CLIPS_PLAYLIST_INVALID',
  (playlist: string, reason: string) => `Ring buffer playlist ${playlist} is not usable: ${reason}`,
  'Only playlists written by the clips capture (plain segment file names beside the playlist) are cut.',
);

export const SS_ERR_CLIPS_VERIFY_FAILED = defineError(
  'SS_ERR_CLIPS_VERIFY_FAILED',
  (output: string, problems: string) => `The cut clip ${output} failed verification: ${problems}`,
);

export const SS_ERR_CLIPS_POSTER_FAILED = defineError(
  'SS_ERR_CLIPS_POSTER_FAILED',
  (output: string, reason: string) => `The poster frame ${output} could not be made: ${reason}`,
  'A poster is optional: the clip stays ready without one.',
);

export const SS_ERR_CLIPS_CAPTURE_INVALID = defineError(
  'SS_ERR_CLIPS_CAPTURE_INVALID',
  (reason: string) => `Invalid capture options: ${reason}`,
);
