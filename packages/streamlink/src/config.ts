import { Type, type Static } from '@streamsuites/kernel';
import type { ResolveStreamUrlOptions } from './resolve.js';

/**
 * The `streamlink` block of a platform plugin's config
 * (`plugins.twitch.config.streamlink`, `plugins.youtube.config.streamlink`):
 * one schema, so every platform documents and validates it the same way.
 */
export const streamlinkConfigSchema = Type.Object(
  {
    path: Type.Optional(Type.String({ minLength: 1, description: 'The streamlink program to run. Absent: `streamlink` on PATH.' })),
    quality: Type.String({
      minLength: 1,
      default: 'best',
      description: 'The stream to pick: `best`, `720p60`, `audio_only`, or a fallback list such as `720p,480p,best`.',
    }),
    extraArgs: Type.Optional(
      Type.Array(Type.String(), { description: 'More streamlink options, put before `--stream-url` (e.g. `--twitch-disable-ads`). Never logged.' }),
    ),
    timeoutSec: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 600, description: 'Give up (and kill streamlink) after this many seconds. Absent: 30.' }),
    ),
  },
  {
    additionalProperties: false,
    default: {},
    description: "How the clips plugin gets a creator's live stream when no capture URL is set: streamlink resolves the channel page to a stream URL.",
  },
);

export type StreamlinkConfig = Static<typeof streamlinkConfigSchema>;

/** `resolveStreamUrl` options from the config block (seconds become milliseconds). */
export function streamlinkOptions(config: Partial<StreamlinkConfig>): Omit<ResolveStreamUrlOptions, 'signal' | 'redact'> {
  return {
    ...(config.path === undefined ? {} : { path: config.path }),
    ...(config.quality === undefined ? {} : { quality: config.quality }),
    ...(config.extraArgs === undefined ? {} : { extraArgs: config.extraArgs }),
    ...(config.timeoutSec === undefined ? {} : { timeoutMs: config.timeoutSec * 1000 }),
  };
}
