import { Type, type Static } from '@streamsuites/kernel';

const Template = () => Type.String({ minLength: 1, maxLength: 2000 });

/** Plugin-wide settings (`plugins.x.config`). */
export const configSchema = Type.Object(
  {
    /** The X API origin (`POST <apiUrl>/2/tweets`, `<apiUrl>/2/oauth2/token`); a local fake in tests and the demo. */
    apiUrl: Type.String({ minLength: 1, default: 'https://api.x.com' }),
    /** Where a person authorizes the app (used by `streamsuites auth x`). */
    authorizeUrl: Type.String({ minLength: 1, default: 'https://x.com/i/oauth2/authorize' }),
    /** The app's OAuth 2.0 client id (X developer portal → Keys and tokens); tokens are refreshed with it. */
    clientId: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    /** Only for a confidential client ("Web App"): the client secret, through `${env:X_CLIENT_SECRET}`. A secret: never logged. */
    clientSecret: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
    /**
     * The key the stored tokens are encrypted with: 32 bytes, base64 or hex.
     * Absent: the environment variable STREAMSUITES_SECRET_KEY. A secret.
     */
    secretKey: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    /** Attempts of one post job before it fails (5xx, network errors, a rate limit reset too far away). */
    maxAttempts: Type.Integer({ minimum: 1, maximum: 50, default: 6 }),
    /** Backoff between attempts of a post job. */
    backoff: Type.Object(
      {
        initialMs: Type.Integer({ minimum: 10, maximum: 600_000, default: 5000 }),
        maxMs: Type.Integer({ minimum: 10, maximum: 3_600_000, default: 300_000 }),
      },
      { additionalProperties: false, default: {} },
    ),
    /** Longest wait for a rate limit window to reset inside one attempt (X's windows are 15 min or 24 h); longer: the job retries later. */
    maxRateLimitWaitSec: Type.Integer({ minimum: 0, maximum: 3600, default: 900 }),
    /** Default texts; placeholders in the README. postingRules' templates.x and the creator's templates win. */
    templates: Type.Object(
      {
        live: Template(),
        ended: Template(),
        clip: Template(),
      },
      { additionalProperties: false, default: { live: '{creator} is live on {platform}: {title} {url}', ended: '{creator}\'s stream on {platform} has ended.', clip: 'New clip from {creator}: {title} {url}' } },
    ),
  },
  { additionalProperties: false },
);

/** Per creator (`creators.<id>.config.x`). */
export const creatorConfigSchema = Type.Object(
  {
    /** Off: this creator posts nothing to X (the plugin stays enabled for others). */
    enabled: Type.Boolean({ default: true }),
    /** The stored account to post as: the X username `streamsuites auth x` printed (the key in state namespace x.accounts). */
    account: Type.String({ minLength: 1, maxLength: 100 }),
    /** The creator's name in posts (`{creator}`); default the creator id. */
    displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    /** The link posted with a go-live (`{url}`), e.g. the channel page. */
    url: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
    /** Which events post when postingRules do not say (their `to` list wins). */
    events: Type.Object(
      {
        'stream.online': Type.Boolean({ default: true }),
        'stream.offline': Type.Boolean({ default: false }),
        'clip.published': Type.Boolean({ default: true }),
      },
      { additionalProperties: false, default: {} },
    ),
    /** This creator's texts, over the plugin-wide ones (postingRules' templates win over both). */
    templates: Type.Object(
      {
        live: Type.Optional(Template()),
        ended: Type.Optional(Template()),
        clip: Type.Optional(Template()),
      },
      { additionalProperties: false, default: {} },
    ),
    /** Who may reply to the posts (X's `reply_settings`); absent: everyone. */
    replySettings: Type.Optional(Type.Union([Type.Literal('following'), Type.Literal('mentionedUsers'), Type.Literal('subscribers'), Type.Literal('verified')])),
  },
  { additionalProperties: false },
);

export type XConfig = Static<typeof configSchema>;
export type XCreatorConfig = Static<typeof creatorConfigSchema>;
