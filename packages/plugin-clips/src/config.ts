import { Type, type Static } from '@streamsuites/kernel';
import { destinationDefaultsSchema, destinationRuleSchema } from './destinations.js';

const CaptureInputSchema = Type.Union(
  [
    Type.Object(
      {
        url: Type.String({ minLength: 1, description: 'A stream URL ffmpeg can read (HLS, RTMP...); its query string is masked in logs.' }),
        inputArgs: Type.Optional(
          Type.Array(Type.String(), { maxItems: 50, description: 'ffmpeg input options, put before `-i <url>` (e.g. `-headers`).' }),
        ),
      },
      { additionalProperties: false, description: 'A stream URL, with optional ffmpeg input options.' },
    ),
    Type.Object(
      {
        args: Type.Array(Type.String(), {
          minItems: 2,
          maxItems: 50,
          description: 'Any ffmpeg input arguments, e.g. `["-re", "-f", "lavfi", "-i", "testsrc2"]`.',
        }),
      },
      { additionalProperties: false, description: 'Any ffmpeg input, as its arguments.' },
    ),
  ],
  { description: 'A fixed input: a URL (`{ url, inputArgs? }`) or any ffmpeg input (`{ args }`). It wins over stream sources.' },
);

/** Plugin-wide settings (`plugins.clips.config`). */
export const configSchema = Type.Object(
  {
    ffmpegPath: Type.Optional(
      Type.String({
        minLength: 1,
        description: 'The ffmpeg binary. Absent: `X:\\ffmpeg\\bin\\ffmpeg.exe` on Windows when present, else `ffmpeg` on PATH; a configured path that does not exist is reported, never replaced.',
      }),
    ),
    ffprobePath: Type.Optional(
      Type.String({
        minLength: 1,
        description: 'The ffprobe binary. Absent: `X:\\ffmpeg\\bin\\ffprobe.exe` on Windows when present, else `ffprobe` on PATH.',
      }),
    ),
    concurrency: Type.Integer({
      minimum: 1,
      maximum: 16,
      default: 2,
      description: 'Clips encoded at once, across all creators; the same limit applies to uploads (each step is a job type of its own).',
    }),
    perCreatorConcurrency: Type.Integer({
      minimum: 1,
      maximum: 16,
      default: 1,
      description: 'Clips encoded at once for one creator; the same limit applies to uploads.',
    }),
    maxClipSec: Type.Integer({
      minimum: 5,
      maximum: 600,
      default: 120,
      description: 'The longest clip, in seconds; the ring buffer keeps this plus a margin, and longer requests are shortened with a warning.',
    }),
    segmentSec: Type.Number({
      minimum: 0.5,
      maximum: 10,
      default: 1,
      description: 'HLS segment length of the ring buffer, in seconds; copy-mode cuts start on a segment boundary.',
    }),
    latencyOffsetSec: Type.Record(Type.String(), Type.Number({ minimum: 0, maximum: 60, description: 'Seconds to move the clip end back for this platform.' }), {
      default: {},
      description: "Per platform id, seconds to move a clip's end back, because chat lags the stream.",
    }),
    mode: Type.Union([Type.Literal('copy'), Type.Literal('reencode')], {
      default: 'copy',
      description: 'How clips are cut: `copy` (stream copy, fast, starts on a segment boundary) or `reencode` (libx264 veryfast, exact start).',
    }),
    retention: Type.Object(
      {
        maxAgeDays: Type.Number({
          minimum: 0,
          default: 30,
          description: 'Local files of published clips older than this many days are deleted (their rows are kept, marked expired). 0 keeps them.',
        }),
        maxTotalGb: Type.Number({
          minimum: 0,
          default: 20,
          description: "Beyond this many GB of published clips' local files, the oldest are deleted. 0 means no limit.",
        }),
      },
      { additionalProperties: false, default: {}, description: 'When local files of published clips are deleted.' },
    ),
    destinations: Type.Optional(destinationDefaultsSchema),
  },
  { additionalProperties: false, description: 'Plugin-wide clip settings: ffmpeg, concurrency, the ring buffer, cutting, retention and destinations.' },
);

/** Per creator (`creators.<id>.config.clips`). */
export const creatorConfigSchema = Type.Object(
  {
    capture: Type.Optional(
      Type.Object(
        {
          input: Type.Optional(CaptureInputSchema),
          source: Type.Optional(
            Type.String({
              minLength: 1,
              maxLength: 40,
              pattern: '^[a-z][a-z0-9_-]*$',
              description:
                "The platform whose stream is captured, through its plugin's stream source; its stream.online and stream.offline start and stop the capture. Absent: the first platform with a stream source to go live.",
            }),
          ),
          always: Type.Boolean({
            default: false,
            description: "Capture from the creator's start instead of waiting for stream.online, for platforms that never say they are live. Needs `input` or `source`.",
          }),
          codecs: Type.Union([Type.Literal('auto'), Type.Literal('copy'), Type.Literal('encode')], {
            default: 'auto',
            description: 'How the capture writes the buffer: `copy` the input stream, `encode` it, or `auto`: copy H.264/AAC inputs, else encode.',
          }),
        },
        {
          additionalProperties: false,
          description:
            'What to capture while the creator is live. Without `input`, a platform\'s stream source is resolved before every ffmpeg run; with neither, `!clip` answers SS_ERR_CLIP_NOT_LIVE.',
        },
      ),
    ),
    destination: Type.Optional(
      Type.Union(destinationRuleSchema.anyOf, { description: "Where this creator's clips are published. Absent: `plugins.clips.config.destinations`." }),
    ),
    replyWhenPublished: Type.Boolean({ default: true, description: 'Reply in the chat the clip was asked in once it is published.' }),
    replyText: Type.String({
      minLength: 1,
      maxLength: 400,
      default: 'Clip ready: {url}',
      description:
        "The reply once a clip is published. `{url}` is the clip's public URL, or its id when the destination has none (a local folder without `publicBaseUrl`); also `{title}` and `{id}`.",
    }),
  },
  { additionalProperties: false, description: "How one creator's clips are captured, published and announced in chat." },
);

export type ClipsConfig = Static<typeof configSchema>;
export type ClipsCreatorConfig = Static<typeof creatorConfigSchema>;
