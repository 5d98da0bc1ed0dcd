/**
 * Public types of the fake Rumble Live Stream API (`startFakeRumbleApi`).
 * Times given to the fake are epoch milliseconds; the bodies it serves carry
 * Rumble's own formats (second precision, per-section offsets).
 */

/** Options of `startFakeRumbleApi`. */
export interface StartFakeRumbleApiOptions {
  /** Port on 127.0.0.1; default 0 (a free one). */
  port?: number;
  /** The fake's clock in ms (default `Date.now`): body `now`, default `at` of events, `requests()[].at`. */
  now?: () => number;
  /** How many entries each `recent_*` list holds (Rumble's `max_num_results`); default 50. */
  maxResults?: number;
}

/** HTTP statuses `failNext` can answer with. */
export type FakeRumbleFailStatus = 401 | 403 | 404 | 429 | 500 | 502 | 503;

/** How `malformNext` breaks a `200` answer. */
export type FakeRumbleMalformKind =
  /** The good body cut in half. */
  | 'truncated'
  /** `application/json` whose body is plain text. */
  | 'not-json'
  /** A `text/html` page with status 200 (what a captive portal or a challenge page answers). */
  | 'html'
  /** Valid JSON of the wrong shape: the good body wrapped in `{"data": ...}`. */
  | 'wrong-shape'
  /** Status 200 with an empty body. */
  | 'empty';

/** One request the fake answered. */
export interface FakeRumbleRequest {
  /** The fake's clock (ms) when the answer was sent. */
  at: number;
  /** The `key` query parameter; `undefined` when absent (and for embed requests). */
  key: string | undefined;
  /** The path without the query. */
  path: string;
  status: number;
}

/** Options of `FakeRumbleApi.addChannel`. */
export interface FakeRumbleChannelOptions {
  /** Body `username`; default `FakeStreamer<n>`. */
  username?: string;
  /** Body `user_id`; default generated. */
  userId?: string;
  /** Body `channel_name`; default null (a user key). */
  channelName?: string | null;
  /** Body `channel_id`; default null. */
  channelId?: string | null;
  /** `livestreams[].stream_key`; default a random 40-character secret. */
  streamKey?: string;
}

/** A livestream category (`categories.primary` / `.secondary`). */
export interface FakeRumbleCategory {
  slug: string;
  title: string;
}

/** Options of `FakeRumbleChannel.goLive`. */
export interface FakeRumbleGoLiveOptions {
  /**
   * The livestream id (base 36, like `6a1b2c`); default generated. The id of
   * the listed livestream resumes it with its chat; another id starts a new
   * livestream with an empty chat.
   */
  id?: string;
  /** Default `Live stream <id>`. */
  title?: string;
  /** `created_on` and `scheduled_on` (ms); default now. */
  createdOn?: number;
  /** Default `{ primary: gaming, secondary: simulators }`, as in Rumble's FAQ example. */
  categories?: { primary?: FakeRumbleCategory; secondary?: FakeRumbleCategory };
}

/** One creator's keyed Live Stream API, driven by a test. */
export interface FakeRumbleChannel {
  readonly key: string;
  /** The listed livestream's id (live, or kept listed after `goOffline({ keepListed: true })`). */
  readonly liveId: string | undefined;
  /** Lists a livestream with `is_live: true`. */
  goLive(options?: FakeRumbleGoLiveOptions): { id: string };
  /** `keepListed`: the livestream stays in `livestreams` with `is_live: false` (and its chat); otherwise `livestreams: []`. */
  goOffline(options?: { keepListed?: boolean }): void;
  /** A chat message in the listed livestream (throws when none is listed). `at` in ms, default now. */
  say(options: { username: string; text: string; badges?: string[]; at?: number }): void;
  /** A rant (paid message) in the listed livestream; it expires `expiresAfterSec` (default 120) after `at` but stays in `recent_rants`. */
  rant(options: { username: string; text: string; amountCents: number; badges?: string[]; at?: number; expiresAfterSec?: number }): void;
  /** A new follower (`followed_on` is served with a `-04:00` offset). */
  follow(username: string, at?: number): void;
  /** A new subscriber; `amountCents` default 500. */
  subscribe(username: string, amountCents?: number, at?: number): void;
  /** A gift of `count` subscriptions (the `gifted_subs` block). */
  giftSubs(username: string, count: number, at?: number): void;
}

/** The fake server and its controls. */
export interface FakeRumbleApi {
  /** `http://127.0.0.1:PORT`: what `plugins.rumble.config.apiOrigin` is set to. */
  readonly origin: string;
  /** `https://rumble.com/-livestream-api/get-data?key=KEY`: what a creator config holds (the plugin swaps the origin). */
  keyedUrl(key: string): string;
  /** Registers a key (throws when it already is). */
  addChannel(key: string, options?: FakeRumbleChannelOptions): FakeRumbleChannel;
  /** The channel of `key` (throws for an unknown key). */
  channel(key: string): FakeRumbleChannel;
  /**
   * The next `times` (default 1) get-data requests (for `key`, or any key)
   * are answered with `status`, before the key is even checked. A 429 sends
   * `Retry-After: retryAfterSec` when given. Default bodies: `{"error": ...}`
   * JSON for 4xx, an HTML error page for 5xx.
   */
  failNext(options: { key?: string; status: FakeRumbleFailStatus; times?: number; retryAfterSec?: number; body?: string }): void;
  /**
   * The next `times` (default 1) get-data answers (for `key`, or any key)
   * that would be a good `200` are broken as `kind` says (an error answer,
   * such as 401 for an unknown key, is sent as it is and spends nothing).
   */
  malformNext(options: { key?: string; kind: FakeRumbleMalformKind; times?: number }): void;
  /** Every request answered, oldest first (copies). */
  requests(): FakeRumbleRequest[];
  /** Requests answered for `key` (any request, embed ones included, when `key` is undefined). */
  requestCount(key?: string): number;
  /**
   * Resolves once at least `count` requests for `key` (any request when
   * undefined) have been answered; rejects after `timeoutMs` (default 5000,
   * real time: node:timers, so fake timers on the global do not stop it) or
   * when the fake closes.
   */
  waitForRequests(count: number, options?: { key?: string; timeoutMs?: number }): Promise<void>;
  /**
   * What the embed endpoint answers for a livestream id: its HLS URL
   * (`undefined`: `ua: {}`) and `live` (default 2, live now). Ids never set
   * are answered with `false`, as Rumble does for unknown ids.
   */
  setStreamUrl(livestreamId: string, hlsUrl: string | undefined, options?: { live?: 0 | 1 | 2 }): void;
  /** Stops listening and drops open connections; idempotent. */
  close(): Promise<void>;
}
