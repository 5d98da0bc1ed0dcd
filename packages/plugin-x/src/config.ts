import { Type, type Static } from '@streamsuites/kernel';

const Template = (description: string) => Type.String({ minLength: 1, maxLength: 2000, description });
const TEMPLATE = {
  live: 'The go-live post. Placeholders: `{creator}`, `{platform}`, `{title}`, `{category}`, `{channel}`, `{url}`.',
  ended: 'The stream-end post, with the go-live placeholders.',
  clip: "The clip post; `{url}` is the clip's public URL (a clip without an http(s) URL is not posted).",
};

/** Plugin-wide settings (`plugins.x.config`). */
export const configSchema = Type.Object(
  {
    apiUrl: Type.String({
      minLength: 1,
      default: 'https://api.x.com',
      description: 'The X API origin (`POST <apiUrl>/2/tweets`, `<apiUrl>/2/oauth2/token`). Change it only to point at a local fake (tests, the demo).',
    }),
    authorizeUrl: Type.String({
      minLength: 1,
      default: 'https://x.com/i/oauth2/authorize',
      description: 'Where a person authorizes the app; used by `streamsuites auth x`.',
    }),
    clientId: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description: "The app's OAuth 2.0 client id (X developer portal → Keys and tokens), for token refreshes. Absent: the one stored with the account.",
      }),
    ),
    clientSecret: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 500,
        description: 'Only for a confidential client ("Web App"): the client secret, through `${env:X_CLIENT_SECRET}`. A secret: never logged.',
      }),
    ),
    secretKey: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description: 'The key the stored tokens are encrypted with: 32 bytes, base64 or hex. A secret. Absent: the environment variable STREAMSUITES_SECRET_KEY.',
      }),
    ),
    maxAttempts: Type.Integer({
      minimum: 1,
      maximum: 50,
      default: 6,
      description: 'Attempts of one post job before it fails (on 5xx, network errors, a rate limit reset too far away).',
    }),
    backoff: Type.Object(
      {
        initialMs: Type.Integer({ minimum: 10, maximum: 600_000, default: 5000, description: 'Wait before the second attempt, in milliseconds.' }),
        maxMs: Type.Integer({ minimum: 10, maximum: 3_600_000, default: 300_000, description: 'Longest wait between attempts, in milliseconds.' }),
      },
      { additionalProperties: false, default: {}, description: 'Backoff between attempts of a post job (doubling).' },
    ),
    maxRateLimitWaitSec: Type.Integer({
      minimum: 0,
      maximum: 3600,
      default: 900,
      description:
        "Longest wait, in seconds, for a rate limit window to reset inside one attempt (X's windows are 15 min or 24 h); a longer one fails the attempt and the job retries later.",
    }),
    templates: Type.Object(
      {
        live: Template(TEMPLATE.live),
        ended: Template(TEMPLATE.ended),
        clip: Template(TEMPLATE.clip),
      },
      {
        additionalProperties: false,
        default: { live: '{creator} is live on {platform}: {title} {url}', ended: '{creator}\'s stream on {platform} has ended.', clip: 'New clip from {creator}: {title} {url}' },
        description: "The default texts, cut at 280 characters. A creator's `templates` and postingRules' `templates.x` / `template` win over them.",
      },
    ),
  },
  { additionalProperties: false, description: 'Plugin-wide X settings: the API, the app, token encryption, retries and the default texts.' },
);

/** Per creator (`creators.<id>.config.x`). */
export const creatorConfigSchema = Type.Object(
  {
    enabled: Type.Boolean({
      default: true,
      description: 'false: this creator posts nothing to X, whatever postingRules say (the plugin stays enabled for others).',
    }),
    account: Type.String({
      minLength: 1,
      maxLength: 100,
      description: 'The stored account to post as: the X username `streamsuites auth x` printed (its key in the state namespace `x.accounts`).',
    }),
    displayName: Type.Optional(
      Type.String({ minLength: 1, maxLength: 100, description: "The creator's name in posts (`{creator}`). Absent: the creator id." }),
    ),
    url: Type.Optional(
      Type.String({ minLength: 1, maxLength: 500, description: 'The link posted with a go-live or stream end (`{url}`), e.g. the channel page.' }),
    ),
    events: Type.Object(
      {
        'stream.online': Type.Boolean({ default: true, description: 'Post when the creator goes live (once per stream session).' }),
        'stream.offline': Type.Boolean({ default: false, description: 'Post when the stream ends.' }),
        'clip.published': Type.Boolean({ default: true, description: 'Post each published clip.' }),
      },
      {
        additionalProperties: false,
        default: {},
        description: 'Which events post when postingRules give no `to` for them (a `to` list wins).',
      },
    ),
    templates: Type.Object(
      {
        live: Type.Optional(Template(TEMPLATE.live)),
        ended: Type.Optional(Template(TEMPLATE.ended)),
        clip: Type.Optional(Template(TEMPLATE.clip)),
      },
      { additionalProperties: false, default: {}, description: "This creator's texts, over the plugin-wide ones (postingRules' templates win over both)." },
    ),
    replySettings: Type.Optional(
      Type.Union([Type.Literal('following'), Type.Literal('mentionedUsers'), Type.Literal('subscribers'), Type.Literal('verified')], {
        description: "Who may reply to the posts (X's `reply_settings`). Absent: everyone.",
      }),
    ),
  },
  { additionalProperties: false, description: "How one creator's go-lives, stream ends and clips are posted to X." },
);

export type XConfig = Static<typeof configSchema>;
export type XCreatorConfig = Static<typeof creatorConfigSchema>;
