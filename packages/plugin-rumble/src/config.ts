import { Type, type Static } from '@streamsuites/kernel';

/**
 * Where each part of Rumble's live chat page is found. One table, so a page
 * redesign is a config change (`plugins.rumble.config.browser.selectors`),
 * not a release. Defaults follow the live page as of 2025 (`#chat-history-list`
 * of `li.chat-history--row`, rants as `.chat-history--rant`).
 */
export const DEFAULT_SELECTORS = Object.freeze({
  /** The list new messages are appended to (observed with a MutationObserver). */
  chatList: '#chat-history-list',
  /** One message row inside the list. */
  messageRow: 'li.chat-history--row',
  /** Inside a row: the author's name. */
  username: '.chat-history--username, .chat-history--rant-username',
  /** Inside a row: the message text. */
  messageText: '.chat-history--message, .chat-history--rant-text',
  /** Inside a row: badge images (their `alt`/`title` name the badge). */
  badge: '.chat-history--user-badge',
  /** Inside a rant row: the paid amount, e.g. `$2`. */
  rantPrice: '.chat-history--rant-price',
  /** The text box replies are typed into. */
  chatInput: '#chat-message-text-input',
  /** The button that sends what was typed. */
  sendButton: 'button.chat--send',
});
export type RumbleSelectors = { -readonly [K in keyof typeof DEFAULT_SELECTORS]: string };

const selector = () => Type.Optional(Type.String({ minLength: 1, maxLength: 500 }));
const SelectorsSchema = Type.Object(
  {
    chatList: selector(),
    messageRow: selector(),
    username: selector(),
    messageText: selector(),
    badge: selector(),
    rantPrice: selector(),
    chatInput: selector(),
    sendButton: selector(),
  },
  { additionalProperties: false, default: {} },
);

/** Plugin-wide settings (`plugins.rumble.config`). */
export const configSchema = Type.Object(
  {
    /**
     * Replaces the scheme, host and port of every creator's keyed URL (path
     * and key kept): a local fake in tests and the demo, or a forwarding
     * proxy. The keyed URLs themselves must stay https://rumble.com/...
     */
    apiOrigin: Type.String({ minLength: 1, default: 'https://rumble.com' }),
    /** Seconds between polls of one creator's Live Stream API (per-creator override: pollIntervalSec); under 2 s only makes sense against a local fake. */
    pollIntervalSec: Type.Number({ minimum: 0.05, maximum: 300, default: 5 }),
    /** The request budget per keyed URL, declared to the rate-limit governor (`rumble:api:<creator>`). */
    requestsPerMinute: Type.Integer({ minimum: 1, maximum: 6000, default: 30 }),
    /** Jittered exponential backoff after 429 / 5xx / bad bodies. */
    backoff: Type.Object(
      {
        initialMs: Type.Integer({ minimum: 100, maximum: 600_000, default: 2000 }),
        maxMs: Type.Integer({ minimum: 100, maximum: 3_600_000, default: 120_000 }),
        /** Fraction of each delay taken off at random (0..1). */
        jitter: Type.Number({ minimum: 0, maximum: 1, default: 0.3 }),
      },
      { additionalProperties: false, default: {} },
    ),
    /** Derived message ids remembered per creator (persisted), so overlapping polls and restarts never repeat a message. */
    seenWindow: Type.Integer({ minimum: 100, maximum: 100_000, default: 5000 }),
    /** Where the public embed metadata (HLS renditions of a live stream) is read, for clips; default `<apiOrigin>/embedJS/u3/`. */
    embedUrl: Type.Optional(Type.String({ minLength: 1 })),
    browser: Type.Object(
      {
        /** Chromium binary; default /usr/bin/chromium, then chromium-browser / google-chrome on PATH. */
        chromiumPath: Type.Optional(Type.String({ minLength: 1 })),
        headless: Type.Boolean({ default: true }),
        /** Replies typed into the chat box per creator per minute. */
        sendsPerMinute: Type.Integer({ minimum: 1, maximum: 60, default: 10 }),
        selectors: SelectorsSchema,
        /** How long to wait for the chat page's elements before SS_ERR_RUMBLE_SELECTOR_MISSING. */
        pageTimeoutMs: Type.Integer({ minimum: 1000, maximum: 300_000, default: 30_000 }),
      },
      { additionalProperties: false, default: {} },
    ),
  },
  { additionalProperties: false },
);

/** Per creator (`creators.<id>.config.rumble`). */
export const creatorConfigSchema = Type.Object(
  {
    /**
     * The keyed Live Stream API URL (`https://rumble.com/-livestream-api/get-data?key=...`).
     * A secret: put it in through `${env:...}`; it is never logged, exported or put in an error.
     */
    apiUrl: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
    /** `api` (default): the keyed API only; `browser`: the live chat page only; `both`: both, deduplicated. */
    mode: Type.Union([Type.Literal('api'), Type.Literal('browser'), Type.Literal('both')], { default: 'api' }),
    /** Seconds between polls (default: the plugin-wide pollIntervalSec). */
    pollIntervalSec: Type.Optional(Type.Number({ minimum: 0.05, maximum: 300 })),
    /** The account browser mode sends as: its own lines coming back are dropped only from this author (default: from any author, once per line sent). */
    botUsername: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    /** The channel name events carry (default: the API's username / channel name, else the creator id). */
    channel: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    /** Emit `chat.notice` for new followers / subscribers / gifted subs. */
    notices: Type.Object(
      {
        followers: Type.Boolean({ default: true }),
        subscribers: Type.Boolean({ default: true }),
      },
      { additionalProperties: false, default: {} },
    ),
    browser: Type.Optional(
      Type.Object(
        {
          /** The live chat page, e.g. `https://rumble.com/chat/popup/<stream id>` or the stream's page. */
          chatUrl: Type.String({ minLength: 1, maxLength: 2000 }),
          /** Persistent Chromium profile (log in once, by hand, with headless: false); default <dataDir>/rumble/profiles/<creator>. */
          profileDir: Type.Optional(Type.String({ minLength: 1 })),
          /** Send `chat.reply` by typing into the chat box. */
          send: Type.Boolean({ default: true }),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export type RumbleConfig = Static<typeof configSchema>;
export type RumbleCreatorConfig = Static<typeof creatorConfigSchema>;
