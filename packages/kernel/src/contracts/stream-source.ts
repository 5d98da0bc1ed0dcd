import { createExtensionPoint } from '../extension-point.js';
import type { Platform } from './chat.js';

/**
 * A creator's live stream as an input ffmpeg can read. The URL usually
 * carries a short-lived token: whoever receives it treats it as a secret
 * (registered with the SecretRegistry, never logged or exported).
 */
export interface LiveStreamInput {
  /** An HLS playlist (or any URL ffmpeg reads) of the stream as it is now. */
  url: string;
  /** HTTP headers ffmpeg must send with every request (User-Agent, Referer, Cookie...). */
  headers?: Readonly<Record<string, string>>;
  /** How it was found, for logs and errors (`rumble embed`, `streamlink`); never secret. */
  via: string;
}

/**
 * Resolves a creator's current live stream on one platform, so that clips
 * can be cut without a hand-made capture URL: platform plugins contribute
 * one (`reg.extend(streamSourcesExtensionPoint, source)`); the clipping
 * plugin calls `resolve` when the creator goes live on that platform
 * (`stream.online`) and before every capture restart, so a tokenized URL is
 * always fresh. The kernel only carries the contract.
 */
export interface StreamSource {
  /** The platform whose streams this resolves: matched against `stream.online`'s `platform`. */
  platform: Platform;
  /**
   * The creator's stream now. Rejects with a coded error saying why when it
   * cannot (the creator is not live there, does not enable the plugin, the
   * resolver program is missing or failed); callers report the reason and
   * retry with backoff. Must honour `signal` (the capture was stopped).
   */
  resolve(creatorId: string, options: { signal: AbortSignal }): Promise<LiveStreamInput>;
}

/** Where platform plugins contribute their stream resolvers. */
export const streamSourcesExtensionPoint = createExtensionPoint<StreamSource>({ id: 'kernel.streamSources' });
