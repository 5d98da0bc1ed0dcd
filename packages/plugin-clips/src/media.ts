/**
 * The media side of @streamsuites/plugin-clips: ffmpeg/ffprobe through a thin
 * typed `spawn` wrapper (fluent-ffmpeg is archived upstream), the per-creator
 * HLS ring-buffer capture, and the cut (stream copy or re-encode, verified
 * in-process by reading the mp4). For src/index.ts to re-export.
 */

// ffmpeg / ffprobe
export {
  SS_ERR_CLIPS_BUFFER_EMPTY,
  SS_ERR_CLIPS_CAPTURE_INVALID,
  SS_ERR_CLIPS_CUT_INVALID,
  SS_ERR_CLIPS_FFMPEG_FAILED,
  SS_ERR_CLIPS_FFMPEG_MISSING,
  SS_ERR_CLIPS_FFMPEG_TIMEOUT,
  SS_ERR_CLIPS_PLAYLIST_INVALID,
  SS_ERR_CLIPS_POSTER_FAILED,
  SS_ERR_CLIPS_VERIFY_FAILED,
  ffmpegInstallHint,
} from './ffmpeg/errors.js';
export { WINDOWS_DEFAULT_FFMPEG, WINDOWS_DEFAULT_FFPROBE, locateFfmpeg } from './ffmpeg/locate.js';
export type { FfmpegBinaries, FfmpegPathOptions, FfmpegPathSource, LocateEnvironment } from './ffmpeg/locate.js';
export { MediaProcess, describeExit, ffmpegVersion, runFfmpeg, runMedia, spawnMedia } from './ffmpeg/process.js';
export type { ExitInfo, RunFfmpegOptions, RunMediaOptions, RunResult, SpawnMediaOptions } from './ffmpeg/process.js';
export { fileUrl, mapProbe, probe, probeMedia } from './ffmpeg/probe.js';
export type { ProbeDetails, ProbeOptions } from './ffmpeg/probe.js';
export { REDACTED_MEDIA, describeArgs, redactMediaText } from './ffmpeg/redact.js';

// Capture: the HLS ring buffer
export { PLAYLIST_NAME, buildCaptureArgs, headerInputArgs, validateCaptureInput } from './capture/args.js';
export { liveCaptureInput, liveInputSecrets } from './capture/creator-capture.js';
export type { CaptureArgsOptions, CaptureCodecs, CaptureInput, EncodeSettings } from './capture/args.js';
export { continuousTail, parsePlaylist, playlistSeconds, readPlaylist } from './capture/playlist.js';
export type { Playlist, PlaylistSegment } from './capture/playlist.js';
export { CaptureSupervisor, captureBackoffPolicy, probeInputArgs } from './capture/supervisor.js';
export type { CaptureBackoff, CaptureStatus, CaptureStatusEvent, CaptureSupervisorOptions, CaptureWaitOptions } from './capture/supervisor.js';

// Cut: the Encoder
export { FfmpegEncoder, cutArgs } from './cut/encoder.js';
export type { FfmpegEncoderOptions, ReencodeSettings } from './cut/encoder.js';
export { planCut } from './cut/plan.js';
export type { CutPlan } from './cut/plan.js';
export { inspectMp4 } from './cut/mp4.js';
export type { Mp4Inspection, Mp4Track } from './cut/mp4.js';
export { POSTER_MAX_WIDTH, isJpeg, makePoster, posterArgs } from './cut/poster.js';
export type { PosterSettings } from './cut/poster.js';
