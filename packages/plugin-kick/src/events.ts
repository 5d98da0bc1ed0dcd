/** Events of @streamsuites/plugin-kick, added to the kernel's typed event map. */

/** The webhook endpoint's state: where it listens (what the reverse proxy forwards to). */
export interface KickWebhookEvent {
  state: 'listening' | 'stopped';
  /** The local URL, e.g. `http://127.0.0.1:8788/kick/webhook`. */
  url: string;
  at: number;
}

declare module '@streamsuites/kernel' {
  interface StreamSuitesEvents {
    'kick.webhook': KickWebhookEvent;
  }
}
