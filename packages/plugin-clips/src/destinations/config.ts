import { Type, type Static } from '@streamsuites/kernel';

/**
 * Destination settings as typebox schemas (STYLE item 10); the option types
 * are derived from them. Every field with a `default` is optional, so a
 * destination can be built from a hand-written object too: the classes apply
 * the same defaults (the `*_DEFAULTS` constants below) themselves.
 */

/** The reference runtime's default (`clips.default_destination.channel_url`). */
export const DEFAULT_CHANNEL_URL = 'https://rumble.com/c/StreamSuites';
export const RUMBLE_UPLOAD_URL = 'https://rumble.com/upload.php';
export const DEFAULT_CHROMIUM_PATH = '/usr/bin/chromium';

export const backoffSchema = Type.Object(
  {
    /** Wait before the second attempt. */
    initialMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 600_000, default: 500 })),
    /** Upper bound of a wait (also caps a server's Retry-After). */
    maxMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 3_600_000, default: 10_000 })),
    factor: Type.Optional(Type.Number({ minimum: 1, maximum: 10, default: 2 })),
  },
  { additionalProperties: false },
);
export type BackoffOptions = Static<typeof backoffSchema>;

// ── local ───────────────────────────────────────────────────────────────────

export const localDestinationOptionsSchema = Type.Object(
  {
    /** Folder the clips are copied into (created when missing). */
    dir: Type.String({ minLength: 1 }),
    /**
     * When set, the returned URL is this base plus the file name (e.g. a CDN or a static web root), published in
     * clips.json and the chat reply; otherwise a file:// URL, kept in the database only (the clip is public by id alone).
     */
    publicBaseUrl: Type.Optional(Type.String({ pattern: '^https?://' })),
    /** File name inside `dir`; placeholders {clipId}, {creatorId}, {ext}. May contain "/" for sub-folders. */
    fileName: Type.Optional(Type.String({ minLength: 1, default: '{clipId}.{ext}' })),
  },
  { additionalProperties: false },
);
export type LocalDestinationOptions = Static<typeof localDestinationOptionsSchema>;
export const LOCAL_DEFAULTS = { fileName: '{clipId}.{ext}' } as const;

// ── http ────────────────────────────────────────────────────────────────────

export const httpDestinationOptionsSchema = Type.Object(
  {
    /** Upload endpoint. A key in its query string is treated as a secret (never in messages or logs). */
    url: Type.String({ pattern: '^https?://' }),
    method: Type.Optional(Type.Union([Type.Literal('POST'), Type.Literal('PUT')], { default: 'POST' })),
    /** Form field of the mp4. */
    fileField: Type.Optional(Type.String({ minLength: 1, default: 'file' })),
    /** Other form fields; placeholders {clipId}, {creatorId}, {title}, {durationSec}. */
    fields: Type.Optional(
      Type.Record(Type.String(), Type.String(), {
        default: { title: '{title}', clipId: '{clipId}', creatorId: '{creatorId}', durationSec: '{durationSec}' },
      }),
    ),
    /** Request headers, e.g. `{ "Authorization": "Bearer ${env:CLIPS_TOKEN}" }`. Every value is treated as a secret. */
    headers: Type.Optional(Type.Record(Type.String(), Type.String(), { default: {} })),
    /** Dot path of the public URL in the JSON response (`url`, `data.url`, `files.0.url`). */
    urlField: Type.Optional(Type.String({ minLength: 1, default: 'url' })),
    /** Tries per upload on a 5xx, 408, 429 or network failure (1 = no retry). */
    attempts: Type.Optional(Type.Integer({ minimum: 1, maximum: 10, default: 3 })),
    backoff: Type.Optional(backoffSchema),
    /** Deadline of one attempt, upload and response included. */
    timeoutMs: Type.Optional(Type.Integer({ minimum: 1, maximum: 3_600_000, default: 300_000 })),
  },
  { additionalProperties: false },
);
export type HttpDestinationOptions = Static<typeof httpDestinationOptionsSchema>;
export const HTTP_DEFAULTS = {
  method: 'POST',
  fileField: 'file',
  fields: { title: '{title}', clipId: '{clipId}', creatorId: '{creatorId}', durationSec: '{durationSec}' },
  urlField: 'url',
  attempts: 3,
  backoff: { initialMs: 500, maxMs: 10_000, factor: 2 },
  timeoutMs: 300_000,
} as const;

// ── rumble ──────────────────────────────────────────────────────────────────

/**
 * CSS selectors of Rumble's pages. A selector list ("a, b") matches either;
 * the first match is used. The defaults follow Rumble's upload form as public
 * automation scripts describe it (`#Filedata`, `#title`, `#submitForm`, the
 * rights/terms boxes, `#submitForm2`, the `#view a` link); they can be
 * overridden here when Rumble changes its markup.
 */
export const rumbleSelectorsSchema = Type.Object(
  {
    username: Type.Optional(Type.String({ minLength: 1 })),
    password: Type.Optional(Type.String({ minLength: 1 })),
    loginSubmit: Type.Optional(Type.String({ minLength: 1 })),
    /** A message the login page shows when it rejects the credentials. */
    loginError: Type.Optional(Type.String({ minLength: 1 })),
    fileInput: Type.Optional(Type.String({ minLength: 1 })),
    title: Type.Optional(Type.String({ minLength: 1 })),
    description: Type.Optional(Type.String({ minLength: 1 })),
    /** A `<select>` of the channels the account can publish to; skipped when absent. */
    channel: Type.Optional(Type.String({ minLength: 1 })),
    submit: Type.Optional(Type.String({ minLength: 1 })),
    /** Check boxes ticked before each submit (when present): content rights, terms. */
    consents: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
    /** The second step's button (after the file is uploaded); "" when the site has one step. */
    finalSubmit: Type.Optional(Type.String()),
    /** The link to the published video. */
    published: Type.Optional(Type.String({ minLength: 1 })),
    /** An error message the site shows instead. */
    error: Type.Optional(Type.String({ minLength: 1 })),
  },
  { additionalProperties: false },
);
export type RumbleSelectors = Static<typeof rumbleSelectorsSchema>;
export const RUMBLE_SELECTORS = {
  username: '#login-username, input[name="username"]',
  password: '#login-password, input[name="password"]',
  loginSubmit: '#loginForm button[type="submit"], form button[type="submit"]',
  loginError: '.login-error, #login-error, .form-error',
  fileInput: '#Filedata, input[type="file"]',
  title: '#title',
  description: '#description',
  channel: 'select#channelId, select[name="channelId"]',
  submit: '#submitForm',
  consents: ['#crights', '#cterms'],
  finalSubmit: '#submitForm2',
  published: '#view a[href]',
  error: '.upload-error, #upload-error, .error-message, [role="alert"]',
} as const satisfies Required<RumbleSelectors>;

export const rumbleDestinationOptionsSchema = Type.Object(
  {
    /** The channel to publish to (`clips.default_destination.channel_url` when the rule does not say). */
    channelUrl: Type.Optional(Type.String({ pattern: '^https?://', default: DEFAULT_CHANNEL_URL })),
    /** The upload page (tests point it at a local page). */
    uploadUrl: Type.Optional(Type.String({ pattern: '^https?://', default: RUMBLE_UPLOAD_URL })),
    /** Login, used only when the upload page asks for it. Usually `${env:RUMBLE_USERNAME}`. */
    username: Type.Optional(Type.String({ minLength: 1 })),
    /** A secret: never logged, never in an error. Usually `${env:RUMBLE_PASSWORD}`. */
    password: Type.Optional(Type.String({ minLength: 1 })),
    chromiumPath: Type.Optional(Type.String({ minLength: 1, default: DEFAULT_CHROMIUM_PATH })),
    headless: Type.Optional(Type.Boolean({ default: true })),
    /** Cookies kept between uploads (Playwright storage state, written 0600), so a login is not needed every time. Holds a session: keep it private. */
    sessionFile: Type.Optional(Type.String({ minLength: 1 })),
    /** A full-page PNG of the browser is written here when an upload fails. */
    screenshotDir: Type.Optional(Type.String({ minLength: 1 })),
    /** Video description; placeholders {clipId}, {creatorId}, {title}, {durationSec}. */
    description: Type.Optional(Type.String()),
    timeouts: Type.Optional(
      Type.Object(
        {
          /** One page load (upload page, login). */
          navigationMs: Type.Optional(Type.Integer({ minimum: 1, maximum: 600_000, default: 30_000 })),
          /** One click or fill. */
          actionMs: Type.Optional(Type.Integer({ minimum: 1, maximum: 600_000, default: 15_000 })),
          /** From submit to the published link (the upload itself happens here). */
          publishMs: Type.Optional(Type.Integer({ minimum: 1, maximum: 7_200_000, default: 600_000 })),
        },
        { additionalProperties: false },
      ),
    ),
    /** Loads of the upload page tried on a network error or 5xx before giving up (transient navigation only). */
    navigationAttempts: Type.Optional(Type.Integer({ minimum: 1, maximum: 10, default: 3 })),
    navigationBackoff: Type.Optional(backoffSchema),
    selectors: Type.Optional(rumbleSelectorsSchema),
  },
  { additionalProperties: false },
);
export type RumbleDestinationOptions = Static<typeof rumbleDestinationOptionsSchema>;
export const RUMBLE_DEFAULTS = {
  channelUrl: DEFAULT_CHANNEL_URL,
  uploadUrl: RUMBLE_UPLOAD_URL,
  chromiumPath: DEFAULT_CHROMIUM_PATH,
  headless: true,
  timeouts: { navigationMs: 30_000, actionMs: 15_000, publishMs: 600_000 },
  navigationAttempts: 3,
  navigationBackoff: { initialMs: 1000, maxMs: 10_000, factor: 2 },
} as const;

// ── rules ───────────────────────────────────────────────────────────────────

export const localRuleSchema = Type.Object(
  { kind: Type.Literal('local'), options: localDestinationOptionsSchema },
  { additionalProperties: false },
);
export const httpRuleSchema = Type.Object(
  { kind: Type.Literal('http'), options: httpDestinationOptionsSchema },
  { additionalProperties: false },
);
export const rumbleRuleSchema = Type.Object(
  { kind: Type.Literal('rumble'), options: Type.Optional(rumbleDestinationOptionsSchema) },
  { additionalProperties: false },
);

/**
 * A creator's destination (`creators.<id>.config.clips.destination`): a kind
 * and its options. A plugin adding its own kind extends this union with its
 * rule schema.
 */
export const destinationRuleSchema = Type.Union([localRuleSchema, httpRuleSchema, rumbleRuleSchema]);
export type DestinationRule = Static<typeof destinationRuleSchema>;

/** A rule of a kind added by another plugin (see `DestinationDefaults.kinds`). */
export interface CustomDestinationRule {
  kind: string;
  options?: Record<string, unknown>;
}

/**
 * Plugin-wide destination settings (`plugins.clips.config`): the reference
 * runtime's `default_destination.channel_url`, an optional default rule for
 * creators without one, and Rumble browser settings shared by every creator
 * (a creator's own rumble options override them field by field).
 */
export const destinationDefaultsSchema = Type.Object(
  {
    default_destination: Type.Optional(
      Type.Object(
        { channel_url: Type.Optional(Type.String({ pattern: '^https?://', default: DEFAULT_CHANNEL_URL })) },
        { additionalProperties: false },
      ),
    ),
    /** The destination of creators without their own rule (default: Rumble, to `default_destination.channel_url`). */
    destination: Type.Optional(destinationRuleSchema),
    rumble: Type.Optional(rumbleDestinationOptionsSchema),
  },
  { additionalProperties: false },
);
export type DestinationDefaultsConfig = Static<typeof destinationDefaultsSchema>;
