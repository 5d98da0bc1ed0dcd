/**
 * The media side of @streamsuites/plugin-clips: ffmpeg/ffprobe through a thin
 * typed `spawn` wrapper (fluent-ffmpeg is archived upstream), the per-creator
 * HLS ring-buffer capture, and the cut (stream copy or re-encode, verified).
 * Re-exported by src/index.ts as the package's media API.
 */
export * from './ffmpeg/index.js';
export * from './capture/index.js';
export * from './cut/index.js';
