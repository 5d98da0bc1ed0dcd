/**
 * @streamsuites/plugin-clips — `!clip` to a cut, verified and published
 * clip: HLS ring-buffer capture, stream-copy cuts through ffmpeg, durable
 * SQLite jobs and destinations. (In progress: the building blocks are
 * exported; the plugin wiring lands next.)
 */
export type { ClipDestination, ClipFile, ClipState, CutMode, CutRequest, CutResult, Encoder, ProbeResult } from './types.js';
