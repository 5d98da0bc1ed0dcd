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

const selector = (description: string) => Type.Optional(Type.String({ minLength: 1, maxLength: 500, description }));
const SelectorsSchema = Type.Object(
  {
    chatList: selector('The list new messages are appended to (observed with a MutationObserver).'),
    messageRow: selector('One message row inside the list.'),
    username: selector("Inside a row: the author's name."),
    messageText: selector('Inside a row: the message text.'),
    badge: selector('Inside a row: badge images (their `alt` or `title` names the badge).'),
    rantPrice: selector('Inside a rant row: the paid amount, e.g. `$2`.'),
    chatInput: selector('The text box replies are typed into.'),
    sendButton: selector('The button that sends what was typed.'),
  },
  {
    additionalProperties: false,
    default: {},
    description: "CSS selectors of Rumble's live chat page, each overriding its default, so a page redesign is a config change.",
  },
);

/** Plugin-wide settings (`plugins.rumble.config`). */
export const configSchema = Type.Object(
  {
    apiOrigin: Type.String({
      minLength: 1,
      default: 'https://rumble.com',
      description:
        "Replaces the scheme, host and port of every creator's keyed URL (path and key kept): a local fake in tests and the demo, or a forwarding proxy. The keyed URLs themselves must stay https://rumble.com/...",
    }),
    pollIntervalSec: Type.Number({
      minimum: 0.05,
      maximum: 300,
      default: 5,
      description: "Seconds between polls of one creator's Live Stream API (a creator may override it); under 2 s only makes sense against a local fake.",
    }),
    requestsPerMinute: Type.Integer({
      minimum: 1,
      maximum: 6000,
      default: 30,
      description: 'The request budget per creator, declared to the rate-limit governor as `rumble:api:<creator>`.',
    }),
    backoff: Type.Object(
      {
        initialMs: Type.Integer({ minimum: 100, maximum: 600_000, default: 2000, description: 'First delay after a failed poll, in milliseconds (doubling after that).' }),
        maxMs: Type.Integer({ minimum: 100, maximum: 3_600_000, default: 120_000, description: 'Longest delay between polls after failures, in milliseconds.' }),
        jitter: Type.Number({ minimum: 0, maximum: 1, default: 0.3, description: 'Fraction of each delay taken off at random (0..1).' }),
      },
      {
        additionalProperties: false,
        default: {},
        description: "Jittered exponential backoff after 429, 5xx or bad bodies; a 429's Retry-After wins when longer.",
      },
    ),
    seenWindow: Type.Integer({
      minimum: 100,
      maximum: 100_000,
      default: 5000,
      description: 'Derived message ids remembered per creator (persisted), so overlapping polls and restarts never repeat a message.',
    }),
    embedUrl: Type.Optional(
      Type.String({
        minLength: 1,
        description: 'Where the public embed metadata (HLS renditions of a live stream) is read, for clips. Absent: `<apiOrigin>/embedJS/u3/`.',
      }),
    ),
    browser: Type.Object(
      {
        chromiumPath: Type.Optional(
          Type.String({ minLength: 1, description: 'The Chromium binary. Absent: /usr/bin/chromium, then chromium-browser or google-chrome on PATH.' }),
        ),
        headless: Type.Boolean({ default: true, description: 'Run Chromium without a window; false to log in by hand once.' }),
        sendsPerMinute: Type.Integer({ minimum: 1, maximum: 60, default: 10, description: 'Replies typed into the chat box per creator per minute.' }),
        selectors: SelectorsSchema,
        pageTimeoutMs: Type.Integer({
          minimum: 1000,
          maximum: 300_000,
          default: 30_000,
          description: "Milliseconds to wait for the chat page's elements before SS_ERR_RUMBLE_SELECTOR_MISSING.",
        }),
      },
      { additionalProperties: false, default: {}, description: 'Browser mode (opt-in per creator): reading and sending through the live chat page in Chromium.' },
    ),
  },
  { additionalProperties: false, description: 'Plugin-wide Rumble settings: the Live Stream API polling, its backoff, and browser mode.' },
);

/** Per creator (`creators.<id>.config.rumble`). */
export const creatorConfigSchema = Type.Object(
  {
    apiUrl: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 2000,
        description:
          'The keyed Live Stream API URL (`https://rumble.com/-livestream-api/get-data?key=...`); required unless `mode` is `browser`. A secret: put it in through `${env:...}`; it is never logged, exported or put in an error.',
      }),
    ),
    mode: Type.Union([Type.Literal('api'), Type.Literal('browser'), Type.Literal('both')], {
      default: 'api',
      description: 'How chat is read: `api` (the keyed API only), `browser` (the live chat page only) or `both` (deduplicated).',
    }),
    pollIntervalSec: Type.Optional(
      Type.Number({ minimum: 0.05, maximum: 300, description: "Seconds between polls for this creator. Absent: the plugin's `pollIntervalSec`." }),
    ),
    botUsername: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 100,
        description:
          'The account browser mode sends as: its own lines coming back are dropped only from this author. Absent: from any author, once per line sent, within 5 minutes.',
      }),
    ),
    channel: Type.Optional(
      Type.String({ minLength: 1, maxLength: 200, description: "The channel name events carry. Absent: the API's username or channel name, else the creator id." }),
    ),
    notices: Type.Object(
      {
        followers: Type.Boolean({ default: true, description: 'Emit `chat.notice` for new followers.' }),
        subscribers: Type.Boolean({ default: true, description: 'Emit `chat.notice` for new subscribers and gifted subs.' }),
      },
      { additionalProperties: false, default: {}, description: 'Which `chat.notice` kinds to emit.' },
    ),
    browser: Type.Optional(
      Type.Object(
        {
          chatUrl: Type.String({
            minLength: 1,
            maxLength: 2000,
            description: "The live chat page, e.g. `https://rumble.com/chat/popup/<stream id>` or the stream's page.",
          }),
          profileDir: Type.Optional(
            Type.String({
              minLength: 1,
              description: 'Persistent Chromium profile (log in once, by hand, with `headless: false`). Absent: `<dataDir>/rumble/profiles/<creator>`.',
            }),
          ),
          send: Type.Boolean({ default: true, description: 'Send `chat.reply` by typing into the chat box.' }),
        },
        { additionalProperties: false, description: 'Browser mode settings, for `mode` `browser` or `both`.' },
      ),
    ),
  },
  { additionalProperties: false, description: "One creator's Rumble Live Stream API URL and how chat is read." },
);

export type RumbleConfig = Static<typeof configSchema>;
export type RumbleCreatorConfig = Static<typeof creatorConfigSchema>;
