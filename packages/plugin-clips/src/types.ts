/**
 * Shared contracts of @streamsuites/plugin-clips. The media side (capture,
 * cut, probe), the durable jobs and the destinations are built against
 * these, so each can be tested alone and replaced.
 */

/** A clip's life, persisted and exported (the reference runtime's states). */
export type ClipState = 'queued' | 'encoding' | 'encoded' | 'uploading' | 'published' | 'failed';

/** How a clip is cut: stream copy from the ring buffer (fast), or a libx264 re-encode. */
export type CutMode = 'copy' | 'reencode';

export interface ProbeResult {
  durationSec: number;
  hasVideo: boolean;
  hasAudio: boolean;
  videoCodec?: string;
  audioCodec?: string;
  width?: number;
  height?: number;
}

export interface CutRequest {
  /** The capture's HLS playlist (`.m3u8`) of the live ring buffer. */
  playlist: string;
  /** The last `seconds` before `endAt` (or before the newest segment's end). */
  seconds: number;
  /** Seconds to move the end back, for the platform's latency (default 0). */
  offsetSec?: number;
  /**
   * When the clip was asked for (epoch ms): a cut made later (the job waited
   * in the queue or was retried) still ends there, using the playlist's
   * EXT-X-PROGRAM-DATE-TIME; without it the clip ends at the live edge.
   */
  endAt?: number;
  mode: CutMode;
  /** The .mp4 to write (written to a temp name first, renamed when verified). */
  output: string;
}

export interface CutResult {
  output: string;
  /** The written file as verified (ffprobe's names and numbers: format duration, `h264`, `aac`, ...). */
  probe: ProbeResult;
  /** Seconds actually cut (after clamping to what the buffer holds). */
  seconds: number;
  /** True when the request was longer than the buffer and was shortened. */
  clamped: boolean;
  elapsedMs: number;
  /** Where the time went, when the encoder measures it (FfmpegEncoder does). */
  steps?: CutSteps;
}

/** The steps of one cut, in milliseconds. */
export interface CutSteps {
  /** Reading the playlist and planning the cut (and, for a pre-started ffmpeg, reading the first segment's start time). */
  planMs: number;
  /** ffmpeg, from handing it the cut to its exit. */
  ffmpegMs: number;
  /** Checking the written mp4 and renaming it into place. */
  verifyMs: number;
  /** The cut ran on an ffmpeg started ahead (FfmpegEncoder `prestart`). */
  prestarted: boolean;
}

/** A poster frame to make from a cut clip. */
export interface PosterRequest {
  /** The clip's mp4. */
  input: string;
  /** The JPEG to write (written to `<output>.part` first, renamed when checked). */
  output: string;
  /** Where the frame is taken, seconds from the clip's start (default: the encoder's, 1 s). */
  atSec?: number;
}

export interface PosterResult {
  output: string;
  /** Size of the JPEG. */
  bytes: number;
  elapsedMs: number;
}

/** The media tool behind the jobs: ffmpeg/ffprobe through a typed spawn wrapper. */
export interface Encoder {
  /** ffmpeg's version line; rejects with SS_ERR_CLIPS_FFMPEG_MISSING (with an install hint) when ffmpeg cannot run. */
  version(): Promise<string>;
  probe(file: string, signal?: AbortSignal): Promise<ProbeResult>;
  cut(request: CutRequest, signal?: AbortSignal): Promise<CutResult>;
  /**
   * Optional: a JPEG poster frame of a cut clip. The jobs call it after the
   * cut; a rejection is logged and counted, and the clip goes on without a
   * poster. Encoders without it make clips without posters.
   */
  poster?(request: PosterRequest, signal?: AbortSignal): Promise<PosterResult>;
}

/** A finished clip handed to a destination. */
export interface ClipFile {
  clipId: string;
  creatorId: string;
  path: string;
  title: string;
  durationSec: number;
}

/** Where a clip is published. */
export interface ClipDestination {
  /** `local`, `http`, `rumble`, or a plugin's own. */
  readonly kind: string;
  /** Uploads; resolves with the public URL. Throws a coded error; the job decides whether to retry. */
  upload(file: ClipFile, signal: AbortSignal): Promise<{ url: string }>;
}
