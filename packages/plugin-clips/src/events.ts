import type { ClipState } from './types.js';

/** A clip changed state (one event per committed transition). */
export interface ClipStateEvent {
  clipId: string;
  creatorId: string;
  platform: string;
  state: ClipState;
  /** null when the clip was just created. */
  previous: ClipState | null;
  /** Why (secret-free): `created`, the error of a failed attempt, `published to rumble` ... */
  reason: string;
  /**
   * Once published: the destination's URL, which for a local folder without
   * `publicBaseUrl` is the file:// URL of the copy. This event stays in the
   * process; pass the URL through `publicClipUrl` before publishing it.
   */
  url?: string;
  at: number;
}

declare module '@streamsuites/kernel' {
  interface StreamSuitesEvents {
    'clip.state': ClipStateEvent;
  }
}
