/** Events of @streamsuites/plugin-rumble, added to the kernel's typed event map. */

/** Where a creator's browser mode (the live chat page in Chromium) stands. */
export interface RumbleBrowserEvent {
  creatorId: string;
  state: 'starting' | 'running' | 'failed' | 'stopped';
  /** failed: the coded error (e.g. SS_ERR_RUMBLE_SELECTOR_MISSING naming the selector); never a secret. */
  error?: { code: string; message: string };
  at: number;
}

declare module '@streamsuites/kernel' {
  interface StreamSuitesEvents {
    'rumble.browser': RumbleBrowserEvent;
  }
}
