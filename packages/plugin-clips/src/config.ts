import { Type, type Static } from '@streamsuites/kernel';
import { destinationDefaultsSchema, destinationRuleSchema } from './destinations.js';

const CaptureInputSchema = Type.Union([
  Type.Object(
    {
      /** A stream URL ffmpeg can read (HLS, RTMP...); query strings are masked in logs. */
      url: Type.String({ minLength: 1 }),
      inputArgs: Type.Optional(Type.Array(Type.String(), { maxItems: 50 })),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      /** Any ffmpeg input arguments, e.g. `["-re", "-f", "lavfi", "-i", "testsrc2"]`. */
      args: Type.Array(Type.String(), { minItems: 2, maxItems: 50 }),
    },
    { additionalProperties: false },
  ),
]);

/** Plugin-wide settings (`plugins.clips.config`). */
export const configSchema = Type.Object(
  {
    /** ffmpeg / ffprobe binaries; default X:\ffmpeg\bin\ffmpeg.exe on Windows when present, else PATH. */
    ffmpegPath: Type.Optional(Type.String({ minLength: 1 })),
    ffprobePath: Type.Optional(Type.String({ minLength: 1 })),
    /** Encodes at once, and per creator; the same limits apply to uploads (each step is a job type). */
    concurrency: Type.Integer({ minimum: 1, maximum: 16, default: 2 }),
    perCreatorConcurrency: Type.Integer({ minimum: 1, maximum: 16, default: 1 }),
    /** The longest clip; the ring buffer keeps at least this much (plus a margin). */
    maxClipSec: Type.Integer({ minimum: 5, maximum: 600, default: 120 }),
    /** HLS segment length of the ring buffer. */
    segmentSec: Type.Number({ minimum: 0.5, maximum: 10, default: 1 }),
    /** Seconds to move a clip's end back per platform (chat lags the stream). */
    latencyOffsetSec: Type.Record(Type.String(), Type.Number({ minimum: 0, maximum: 60 }), { default: {} }),
    /** `copy` (stream copy, fast) or `reencode` (libx264 veryfast). */
    mode: Type.Union([Type.Literal('copy'), Type.Literal('reencode')], { default: 'copy' }),
    retention: Type.Object(
      {
        /** Local files of published clips older than this are deleted (rows kept, marked expired). 0 = keep. */
        maxAgeDays: Type.Number({ minimum: 0, default: 30 }),
        /** And the oldest beyond this many GB. 0 = no limit. */
        maxTotalGb: Type.Number({ minimum: 0, default: 20 }),
      },
      { additionalProperties: false, default: {} },
    ),
    destinations: Type.Optional(destinationDefaultsSchema),
  },
  { additionalProperties: false },
);

/** Per creator (`creators.<id>.config.clips`). */
export const creatorConfigSchema = Type.Object(
  {
    /**
     * What to capture while the creator is live. Without `input`, the stream
     * source a platform plugin provides (for `source`, or the first platform
     * to go live that has one) is resolved before every ffmpeg run; with
     * neither, `!clip` answers SS_ERR_CLIP_NOT_LIVE.
     */
    capture: Type.Optional(
      Type.Object(
        {
          /** A fixed input (a hand-made URL or ffmpeg args); it wins over stream sources. */
          input: Type.Optional(CaptureInputSchema),
          /**
           * The platform whose stream is captured (its plugin's stream source,
           * and its stream.online / stream.offline start and stop the capture).
           * Default: the first platform with a stream source to go live.
           */
          source: Type.Optional(Type.String({ minLength: 1, maxLength: 40, pattern: '^[a-z][a-z0-9_-]*$' })),
          /** Capture from the creator's start instead of waiting for stream.online (needs `input` or `source`). */
          always: Type.Boolean({ default: false }),
          codecs: Type.Union([Type.Literal('auto'), Type.Literal('copy'), Type.Literal('encode')], { default: 'auto' }),
        },
        { additionalProperties: false },
      ),
    ),
    /** Where this creator's clips are published (default: plugins.clips.config.destinations). */
    destination: Type.Optional(destinationRuleSchema),
    /** Reply in the chat the clip was asked in once it is published. */
    replyWhenPublished: Type.Boolean({ default: true }),
    /** `{url}`: the clip's public URL, or its id when the destination has none (a local folder without publicBaseUrl); also `{title}`, `{id}`. */
    replyText: Type.String({ minLength: 1, maxLength: 400, default: 'Clip ready: {url}' }),
  },
  { additionalProperties: false },
);

export type ClipsConfig = Static<typeof configSchema>;
export type ClipsCreatorConfig = Static<typeof creatorConfigSchema>;
