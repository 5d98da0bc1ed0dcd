/** The capture supervisor's options, its status events, and its restart backoff. */
import type { BackoffPolicy } from '@streamsuites/kernel';
import type { FfmpegBinaries, FfmpegPathOptions } from '../ffmpeg/locate.js';
import type { CaptureCodecs, CaptureInput, EncodeSettings } from './args.js';

export type CaptureStatus = 'starting' | 'running' | 'restarting' | 'stopped';

export interface CaptureStatusEvent {
  creatorId: string;
  status: CaptureStatus;
  /** Epoch ms. */
  at: number;
  /** Failed runs since the last stable one (0 on the first start). */
  attempt: number;
  pid?: number;
  /** restarting / stopped: why (secret-free). */
  reason?: string;
  /** stopped by an error: its code (SS_ERR_CLIPS_FFMPEG_MISSING). */
  code?: string;
  /** restarting: the backoff before the next start. */
  delayMs?: number;
  /** starting: copy or encode. */
  codecs?: 'copy' | 'encode';
}

export interface CaptureBackoff {
  /** Default 500 ms. */
  initialMs?: number;
  /** Default 30 s. */
  maxMs?: number;
  /** Default 2. */
  factor?: number;
  /** Fraction of the delay taken off at random (0..1); default 0.2. */
  jitter?: number;
  /** A run up this long resets the backoff. Default 30 s. */
  resetAfterMs?: number;
}

export interface CaptureSupervisorOptions extends FfmpegPathOptions {
  creatorId: string;
  /** The buffer folder (created; removed by stop()). One per capture. */
  dir: string;
  /**
   * The stream: a fixed input, or a function called before every run (fresh
   * tokenized URLs); its signal aborts when the capture is stopped.
   */
  input: CaptureInput | ((signal: AbortSignal) => CaptureInput | Promise<CaptureInput>);
  /** Default `auto` (copy H.264/AAC url inputs, else encode). */
  codecs?: CaptureCodecs;
  encode?: EncodeSettings;
  /** The longest clip the buffer must serve; default 60 s. */
  maxClipSec?: number;
  /** Extra seconds kept beyond maxClipSec (latency offsets, the segment being written); default 15 s. */
  marginSec?: number;
  /** Seconds the ring holds; default and minimum maxClipSec + marginSec. */
  windowSec?: number;
  /** HLS segment length; default 1 s. */
  segmentSec?: number;
  backoff?: CaptureBackoff;
  /** No playlist this long after spawning → restart. Default 20 s. */
  startTimeoutMs?: number;
  /** Playlist unchanged this long → restart. Default max(10 s, 8 segments). */
  stallTimeoutMs?: number;
  /** Between `q` and SIGKILL on stop and restarts. Default 3 s. */
  stopGraceMs?: number;
  /** Give up (status stopped) after this many failed runs in a row. Default unlimited. */
  maxRestarts?: number;
  /** Resolved binaries (else from ffmpegPath/ffprobePath, see locateFfmpeg). */
  binaries?: FfmpegBinaries;
  onStatus?: (event: CaptureStatusEvent) => void;
  /** Extra masking for reasons (e.g. the kernel SecretRegistry's redactString). */
  redact?: (text: string) => string;
}

export interface CaptureWaitOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** The restart delays as a kernel backoff policy: defaults 500 ms, ×2, at most 30 s, up to 20 % taken off at random. */
export function captureBackoffPolicy(backoff: CaptureBackoff = {}): BackoffPolicy {
  return {
    initialMs: backoff.initialMs ?? 500,
    maxMs: backoff.maxMs ?? 30_000,
    factor: backoff.factor ?? 2,
    jitter: { below: Math.min(1, Math.max(0, backoff.jitter ?? 0.2)) },
  };
}
