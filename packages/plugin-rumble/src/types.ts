/**
 * Shapes shared by the API poller and browser mode. Wire types of the Live
 * Stream API are in api/types.ts.
 */

/** A chat line as either source saw it, before normalization. */
export interface RumbleChatEntry {
  /** Where it was read. */
  source: 'api' | 'browser';
  username: string;
  text: string;
  /** Badge names (`admin`, `premium`, `whale-blue`, `moderator`...), lowercase. */
  badges: string[];
  /** The platform's time of the message (ms), when the source has one (the API's `created_on`). */
  createdAt?: number;
  /** A rant (paid message): its amount in cents (USD). */
  rant?: { amountCents: number };
  /** Rumble's own message id, where the source shows it (the page's `data-message-id`). */
  platformId?: string;
}
