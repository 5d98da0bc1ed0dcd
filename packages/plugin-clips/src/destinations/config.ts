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
    initialMs: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 600_000, default: 500, description: 'Wait before the second attempt, in milliseconds.' }),
    ),
    maxMs: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 3_600_000,
        default: 10_000,
        description: "Longest wait between attempts, in milliseconds; it also caps a server's Retry-After.",
      }),
    ),
    factor: Type.Optional(
      Type.Number({ minimum: 1, maximum: 10, default: 2, description: 'Each further wait is this many times the one before, up to `maxMs`.' }),
    ),
  },
  { additionalProperties: false, description: 'Waits between attempts: `initialMs`, growing by `factor`, at most `maxMs`.' },
);
export type BackoffOptions = Static<typeof backoffSchema>;

// ── local ───────────────────────────────────────────────────────────────────

export const localDestinationOptionsSchema = Type.Object(
  {
    dir: Type.String({
      minLength: 1,
      description: "Folder the clips are copied into, created when missing; a relative path is resolved against the manifest's `dataDir`.",
    }),
    publicBaseUrl: Type.Optional(
      Type.String({
        pattern: '^https?://',
        description:
          "Where the folder is served (a CDN or a static web root): the clip's public URL is this base plus the file name, published in clips.json and the chat reply. Absent: the clip has no public URL (a file:// URL kept in the database only).",
      }),
    ),
    fileName: Type.Optional(
      Type.String({
        minLength: 1,
        default: '{clipId}.{ext}',
        description: 'File name inside `dir`, with the placeholders `{clipId}`, `{creatorId}` and `{ext}`; may contain "/" for sub-folders.',
      }),
    ),
  },
  { additionalProperties: false, description: 'Options of the `local` destination: copy each clip into a folder.' },
);
export type LocalDestinationOptions = Static<typeof localDestinationOptionsSchema>;
export const LOCAL_DEFAULTS = { fileName: '{clipId}.{ext}' } as const;

// ── http ────────────────────────────────────────────────────────────────────

export const httpDestinationOptionsSchema = Type.Object(
  {
    url: Type.String({
      pattern: '^https?://',
      description: 'The upload endpoint. A key in its query string is treated as a secret (never in messages or logs).',
    }),
    method: Type.Optional(
      Type.Union([Type.Literal('POST'), Type.Literal('PUT')], { default: 'POST', description: 'HTTP method of the multipart upload.' }),
    ),
    fileField: Type.Optional(Type.String({ minLength: 1, default: 'file', description: 'Form field that carries the mp4 file.' })),
    fields: Type.Optional(
      Type.Record(Type.String(), Type.String({ description: 'The field value; placeholders are filled in.' }), {
        default: { title: '{title}', clipId: '{clipId}', creatorId: '{creatorId}', durationSec: '{durationSec}' },
        description: 'Other form fields sent with the file, with the placeholders `{clipId}`, `{creatorId}`, `{title}` and `{durationSec}`.',
      }),
    ),
    headers: Type.Optional(
      Type.Record(Type.String(), Type.String({ description: 'The header value, treated as a secret.' }), {
        default: {},
        description: 'Request headers, e.g. `{ "Authorization": "Bearer ${env:CLIPS_TOKEN}" }`. Every value is treated as a secret.',
      }),
    ),
    urlField: Type.Optional(
      Type.String({
        minLength: 1,
        default: 'url',
        description: "Dot path of the clip's public URL in the JSON response, e.g. `url`, `data.url` or `files.0.url`.",
      }),
    ),
    attempts: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 10, default: 3, description: 'Tries per upload on a 5xx, 408, 429 or network failure; 1 means no retry.' }),
    ),
    backoff: Type.Optional(backoffSchema),
    timeoutMs: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 3_600_000,
        default: 300_000,
        description: 'Deadline of one attempt in milliseconds, upload and response included.',
      }),
    ),
  },
  { additionalProperties: false, description: 'Options of the `http` destination: a multipart upload of the mp4, streamed from disk.' },
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
    username: Type.Optional(Type.String({ minLength: 1, description: "The login page's username field." })),
    password: Type.Optional(Type.String({ minLength: 1, description: "The login page's password field." })),
    loginSubmit: Type.Optional(Type.String({ minLength: 1, description: "The login form's submit button." })),
    loginError: Type.Optional(Type.String({ minLength: 1, description: 'A message the login page shows when it rejects the credentials.' })),
    fileInput: Type.Optional(Type.String({ minLength: 1, description: "The upload form's file input." })),
    title: Type.Optional(Type.String({ minLength: 1, description: "The upload form's title field." })),
    description: Type.Optional(Type.String({ minLength: 1, description: "The upload form's description field." })),
    channel: Type.Optional(
      Type.String({ minLength: 1, description: 'A `<select>` of the channels the account can publish to; skipped when the page has none.' }),
    ),
    submit: Type.Optional(Type.String({ minLength: 1, description: "The upload form's first submit button." })),
    consents: Type.Optional(
      Type.Array(Type.String({ minLength: 1 }), { description: 'Check boxes ticked before each submit when present (content rights, terms).' }),
    ),
    finalSubmit: Type.Optional(
      Type.String({ description: 'The second step\'s button, after the file is uploaded; "" when the site has one step.' }),
    ),
    published: Type.Optional(Type.String({ minLength: 1, description: 'The link to the published video.' })),
    error: Type.Optional(Type.String({ minLength: 1, description: 'An error message the site shows instead of the published link.' })),
  },
  {
    additionalProperties: false,
    description:
      "CSS selectors of Rumble's login and upload pages, to override the defaults when Rumble changes its markup. A list (\"a, b\") matches either; the first match is used.",
  },
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
    channelUrl: Type.Optional(
      Type.String({
        pattern: '^https?://',
        default: DEFAULT_CHANNEL_URL,
        description: 'The Rumble channel clips are published to. Absent: `destinations.default_destination.channel_url`.',
      }),
    ),
    uploadUrl: Type.Optional(
      Type.String({ pattern: '^https?://', default: RUMBLE_UPLOAD_URL, description: "Rumble's upload page. Change it only to point at a local page in tests." }),
    ),
    username: Type.Optional(
      Type.String({ minLength: 1, description: 'Rumble login, used only when the upload page asks for it; usually `${env:RUMBLE_USERNAME}`.' }),
    ),
    password: Type.Optional(
      Type.String({ minLength: 1, description: 'Rumble password, usually `${env:RUMBLE_PASSWORD}`. A secret: never logged, never in an error.' }),
    ),
    chromiumPath: Type.Optional(
      Type.String({ minLength: 1, default: DEFAULT_CHROMIUM_PATH, description: 'The Chromium or Chrome binary that drives the upload; browsers are never downloaded.' }),
    ),
    headless: Type.Optional(Type.Boolean({ default: true, description: 'Run the browser without a window; false shows it, for debugging.' })),
    sessionFile: Type.Optional(
      Type.String({
        minLength: 1,
        description:
          'File where cookies are kept between uploads (Playwright storage state, written 0600), so a login is not needed every time. It holds a session: keep it private.',
      }),
    ),
    screenshotDir: Type.Optional(
      Type.String({ minLength: 1, description: 'Folder where a full-page PNG of the browser is written when an upload fails.' }),
    ),
    description: Type.Optional(
      Type.String({ description: 'The video description, with the placeholders `{clipId}`, `{creatorId}`, `{title}` and `{durationSec}`.' }),
    ),
    timeouts: Type.Optional(
      Type.Object(
        {
          navigationMs: Type.Optional(
            Type.Integer({ minimum: 1, maximum: 600_000, default: 30_000, description: 'Deadline of one page load (upload page, login), in milliseconds.' }),
          ),
          actionMs: Type.Optional(
            Type.Integer({ minimum: 1, maximum: 600_000, default: 15_000, description: 'Deadline of one click or fill, in milliseconds.' }),
          ),
          publishMs: Type.Optional(
            Type.Integer({
              minimum: 1,
              maximum: 7_200_000,
              default: 600_000,
              description: 'Deadline from submit to the published link, in milliseconds; the upload itself happens here.',
            }),
          ),
        },
        { additionalProperties: false, description: 'Deadlines of the browser steps.' },
      ),
    ),
    navigationAttempts: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 10,
        default: 3,
        description: 'Loads of the upload page tried on a network error or 5xx before giving up (transient navigation failures only).',
      }),
    ),
    navigationBackoff: Type.Optional(backoffSchema),
    selectors: Type.Optional(rumbleSelectorsSchema),
  },
  { additionalProperties: false, description: 'Options of the `rumble` destination: upload through Rumble\'s web form in a headless Chromium.' },
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
  { kind: Type.Literal('local', { description: 'Copy clips into a local folder.' }), options: localDestinationOptionsSchema },
  { additionalProperties: false, description: 'Publish to a local folder.' },
);
export const httpRuleSchema = Type.Object(
  { kind: Type.Literal('http', { description: 'Upload clips to an HTTP endpoint.' }), options: httpDestinationOptionsSchema },
  { additionalProperties: false, description: 'Publish by HTTP upload.' },
);
export const rumbleRuleSchema = Type.Object(
  { kind: Type.Literal('rumble', { description: 'Upload clips to a Rumble channel.' }), options: Type.Optional(rumbleDestinationOptionsSchema) },
  { additionalProperties: false, description: 'Publish to Rumble.' },
);

/**
 * A creator's destination (`creators.<id>.config.clips.destination`): a kind
 * and its options. A plugin adding its own kind extends this union with its
 * rule schema.
 */
export const destinationRuleSchema = Type.Union([localRuleSchema, httpRuleSchema, rumbleRuleSchema], {
  description: 'Where clips are published: a `kind` (`local`, `http` or `rumble`) and its `options`.',
});
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
        {
          channel_url: Type.Optional(
            Type.String({ pattern: '^https?://', default: DEFAULT_CHANNEL_URL, description: 'The Rumble channel clips go to when no rule names one.' }),
          ),
        },
        { additionalProperties: false, description: "The reference runtime's default destination." },
      ),
    ),
    destination: Type.Optional(
      Type.Union(destinationRuleSchema.anyOf, {
        description: 'The destination of creators without their own rule. Absent: Rumble, to `default_destination.channel_url`.',
      }),
    ),
    rumble: Type.Optional(
      Type.Object(rumbleDestinationOptionsSchema.properties, {
        additionalProperties: false,
        description: "Rumble settings shared by every creator (browser, credentials, screenshots); a creator's own rumble options override them field by field.",
      }),
    ),
  },
  {
    additionalProperties: false,
    description: 'Where clips are published: the default Rumble channel, the default destination rule, and shared Rumble settings.',
  },
);
export type DestinationDefaultsConfig = Static<typeof destinationDefaultsSchema>;
