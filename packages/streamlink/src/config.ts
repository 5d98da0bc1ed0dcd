import { Type, type Static } from '@streamsuites/kernel';
import type { ResolveStreamUrlOptions } from './resolve.js';

/**
 * The `streamlink` block of a platform plugin's config
 * (`plugins.twitch.config.streamlink`, `plugins.youtube.config.streamlink`):
 * one schema, so every platform documents and validates it the same way.
 */
export const streamlinkConfigSchema = Type.Object(
  {
    /** The streamlink program; default `streamlink` on PATH. */
    path: Type.Optional(Type.String({ minLength: 1 })),
    /** The stream to pick: `best`, `720p60`, `audio_only`, or a fallback list `720p,480p,best`. */
    quality: Type.String({ minLength: 1, default: 'best' }),
    /** More streamlink options, put before `--stream-url` (e.g. `--twitch-disable-ads`); never logged. */
    extraArgs: Type.Optional(Type.Array(Type.String())),
    /** Give up (and kill streamlink) after this many seconds; default 30. */
    timeoutSec: Type.Optional(Type.Integer({ minimum: 1, maximum: 600 })),
  },
  { additionalProperties: false, default: {} },
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
