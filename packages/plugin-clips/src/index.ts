/**
 * @streamsuites/plugin-clips — `!clip` to a cut, verified and published
 * clip: HLS ring-buffer capture, stream-copy cuts through ffmpeg (a thin
 * typed spawn wrapper; fluent-ffmpeg is archived upstream), clip records in
 * SQLite with the encode and upload steps as jobs on the kernel's job
 * registry, and destinations (local folder, HTTP multipart, Rumble through
 * Chromium).
 */
import { clipsPlugin } from './plugin.js';

export default clipsPlugin;
export { clipsPlugin };
export { configSchema, creatorConfigSchema } from './config.js';
export type { ClipsConfig, ClipsCreatorConfig } from './config.js';
export type { ClipStateEvent } from './events.js';
export { clipSections } from './exports.js';
export type { ClipDestination, ClipFile, ClipState, CutMode, CutRequest, CutResult, CutSteps, Encoder, PosterRequest, PosterResult, ProbeResult } from './types.js';
export { SS_ERR_CLIP_NOT_LIVE } from './errors.js';
export * from './media.js';
export * from './jobs.js';
export * from './destinations.js';
