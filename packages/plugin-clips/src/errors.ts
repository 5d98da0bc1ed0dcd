import { defineError } from '@streamsuites/kernel';

/** Plugin-level coded errors of @streamsuites/plugin-clips; every code is in the README "Errors" table. */

export const SS_ERR_CLIP_NOT_LIVE = defineError(
  'SS_ERR_CLIP_NOT_LIVE',
  // reason: why the capture is not running (secret-free), e.g. "the twitch stream could not be resolved: ...".
  (creatorId: string, reason?: string) =>
    reason === undefined ? `creator "${creatorId}" is not live: there is no stream to clip` : `creator "${creatorId}" has no stream to clip: ${reason}`,
  'Clips are cut from the capture that runs while the creator is live (stream.online): from a platform plugin\'s stream source, or from creators.<id>.config.clips.capture.input.',
);

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
} from './ffmpeg/errors.js';
export * from './jobs/errors.js';
export { SS_ERR_CLIPS_CHROMIUM_MISSING, SS_ERR_CLIPS_DESTINATION_INVALID, SS_ERR_CLIPS_UPLOAD_FAILED } from './destinations/errors.js';
