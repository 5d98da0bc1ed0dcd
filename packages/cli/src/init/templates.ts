/**
 * What `streamsuites init` can put in a manifest: the smallest config of each
 * official plugin that validates and, once its variables are filled in,
 * runs. Secrets (and the few per-person ids a manifest cannot guess) are
 * `${env:NAME}` references; `.env.example` lists each with where to get it.
 */

export type Json = Record<string, unknown>;

/** A variable a template references, documented in .env.example. */
export interface EnvVar {
  /** Where to get the value, one line. */
  about: string;
  /** A value the plugin's schema accepts, so `.env.example` copied as is validates; it never works for real. */
  example: string;
}

export interface PluginTemplate {
  id: string;
  package: string;
  kind: 'platform' | 'feature';
  /** One line for the question and the help. */
  about: string;
  /** Plugin-wide config (`plugins.<id>.config`); absent: none. */
  config?: () => Json;
  /** Per-creator config (`creators.<id>.config.<plugin>`); absent: none. */
  creatorConfig?: (creator: CreatorNames) => Json;
  /** Every variable the two above reference, by name. */
  env: (creators: readonly CreatorNames[]) => Record<string, EnvVar>;
  /** Commands to run once before the first start (authorizing accounts...). */
  setup?: string[];
  /** Sends chat replies (a `!hello` trigger then makes sense). */
  chat?: boolean;
}

/** A creator's id and the forms of it the templates use. */
export interface CreatorNames {
  id: string;
  /** For env names: `maya-2` → `MAYA_2`. */
  upper: string;
  /** For platform logins: `maya-2` → `maya_2`. */
  login: string;
}

export function creatorNames(id: string): CreatorNames {
  return { id, upper: id.toUpperCase().replace(/[^A-Z0-9]/g, '_'), login: id.replace(/-/g, '_') };
}

const perCreator = (creators: readonly CreatorNames[], name: (c: CreatorNames) => string, variable: (c: CreatorNames) => EnvVar) =>
  Object.fromEntries(creators.map((c) => [name(c), variable(c)]));

export const TEMPLATES: readonly PluginTemplate[] = [
  {
    id: 'twitch',
    package: '@streamsuites/plugin-twitch',
    kind: 'platform',
    about: 'Twitch chat (IRC/EventSub), replies, go-live',
    chat: true,
    // No token in the manifest: `streamsuites auth twitch` stores the bot's tokens (refreshed) in the state store.
    creatorConfig: (c) => ({ channel: c.login, botLogin: c.login }),
    env: () => ({}),
    setup: ['npx streamsuites auth twitch --client-id <your Twitch app client id>   # as the bot account (botLogin)'],
  },
  {
    id: 'youtube',
    package: '@streamsuites/plugin-youtube',
    kind: 'platform',
    about: 'YouTube live chat (Data API, quota-aware)',
    chat: true,
    creatorConfig: (c) => ({ channelId: `\${env:YOUTUBE_CHANNEL_ID_${c.upper}}`, apiKey: '${env:YOUTUBE_API_KEY}' }),
    env: (creators) => ({
      YOUTUBE_API_KEY: { about: 'Google Cloud console → APIs & Services → Credentials → API key (YouTube Data API v3 enabled)', example: 'your-youtube-api-key' },
      ...perCreator(creators, (c) => `YOUTUBE_CHANNEL_ID_${c.upper}`, (c) => ({
        about: `${c.id}'s channel id (UC…): YouTube Studio → Settings → Channel → Advanced settings (not a secret)`,
        example: 'UCxxxxxxxxxxxxxxxxxxxxxx',
      })),
    }),
  },
  {
    id: 'rumble',
    package: '@streamsuites/plugin-rumble',
    kind: 'platform',
    about: 'Rumble live chat (Live Stream API)',
    creatorConfig: (c) => ({ apiUrl: `\${env:RUMBLE_API_URL_${c.upper}}` }),
    env: (creators) =>
      perCreator(creators, (c) => `RUMBLE_API_URL_${c.upper}`, (c) => ({
        about: `${c.id}'s keyed Live Stream API URL: rumble.com → Account → Live Stream API (the key in it is a secret)`,
        example: 'https://rumble.com/-livestream-api/get-data?key=your-key',
      })),
  },
  {
    id: 'kick',
    package: '@streamsuites/plugin-kick',
    kind: 'platform',
    about: 'Kick chat and events (public API, webhooks)',
    chat: true,
    config: () => ({ clientId: '${env:KICK_CLIENT_ID}', clientSecret: '${env:KICK_CLIENT_SECRET}' }),
    creatorConfig: (c) => ({ channel: c.login, accessToken: `\${env:KICK_TOKEN_${c.upper}}`, refreshToken: `\${env:KICK_REFRESH_${c.upper}}` }),
    env: (creators) => ({
      KICK_CLIENT_ID: { about: 'kick.com → Settings → Developer → your app: Client ID', example: 'your-kick-client-id' },
      KICK_CLIENT_SECRET: { about: 'kick.com → Settings → Developer → your app: Client Secret', example: 'your-kick-client-secret' },
      ...perCreator(creators, (c) => `KICK_TOKEN_${c.upper}`, (c) => ({
        about: `${c.id}'s user access token (scope chat:write), from authorizing your Kick app (see the @streamsuites/plugin-kick README)`,
        example: 'your-kick-user-token',
      })),
      ...perCreator(creators, (c) => `KICK_REFRESH_${c.upper}`, (c) => ({ about: `the refresh token that came with KICK_TOKEN_${c.upper}`, example: 'your-kick-refresh-token' })),
    }),
  },
  {
    id: 'x',
    package: '@streamsuites/plugin-x',
    kind: 'platform',
    about: 'posts go-lives and clips to X',
    config: () => ({ clientId: '${env:X_CLIENT_ID}', secretKey: '${env:STREAMSUITES_SECRET_KEY}' }),
    creatorConfig: (c) => ({ account: c.login }),
    env: () => ({
      X_CLIENT_ID: { about: 'developer.x.com → your app → Keys and tokens → OAuth 2.0 Client ID', example: 'your-x-client-id' },
      STREAMSUITES_SECRET_KEY: { about: 'encrypts stored tokens; make one with `openssl rand -base64 32` and keep it (lose it: authorize again)', example: 'replace-with-openssl-rand-base64-32' },
    }),
    setup: ['npx streamsuites auth x   # signs in the X account that posts; put the name it prints in config.x.account'],
  },
  {
    id: 'discord',
    package: '@streamsuites/plugin-discord',
    kind: 'platform',
    about: 'Discord bot: announcements and slash commands',
    config: () => ({ token: '${env:DISCORD_BOT_TOKEN}', guilds: [{ id: '${env:DISCORD_GUILD_ID}' }] }),
    env: () => ({
      DISCORD_BOT_TOKEN: { about: 'discord.com/developers → your application → Bot → Reset Token', example: 'your-discord-bot-token-000000' },
      DISCORD_GUILD_ID: { about: 'the server the bot serves: Discord → Settings → Advanced → Developer Mode, then right-click the server → Copy Server ID (not a secret)', example: '123456789012345678' },
    }),
  },
  { id: 'clips', package: '@streamsuites/plugin-clips', kind: 'feature', about: 'clips of the live stream (!clip; needs ffmpeg and streamlink)', env: () => ({}) },
  { id: 'engagement', package: '@streamsuites/plugin-engagement', kind: 'feature', about: 'polls, tallies and scoreboards', env: () => ({}) },
  { id: 'exports', package: '@streamsuites/plugin-exports', kind: 'feature', about: 'JSON snapshots for the dashboard', env: () => ({}) },
  { id: 'chatlog', package: '@streamsuites/plugin-chatlog', kind: 'feature', about: 'JSONL chat logs per creator per day (for replay)', env: () => ({}) },
];

export const PLATFORM_IDS = TEMPLATES.filter((t) => t.kind === 'platform').map((t) => t.id);
export const FEATURE_IDS = TEMPLATES.filter((t) => t.kind === 'feature').map((t) => t.id);

export const DEFAULT_PLATFORMS: readonly string[] = ['twitch'];
export const DEFAULT_FEATURES: readonly string[] = ['exports', 'chatlog'];
export const DEFAULT_CREATORS: readonly string[] = ['mychannel'];

/** The state store every generated manifest uses: auth tokens, jobs and counters must survive a restart. */
const STORE = { id: 'store-sqlite', package: '@streamsuites/store-sqlite' };

export interface InitChoices {
  platforms: readonly string[];
  features: readonly string[];
  creators: readonly string[];
  /** `$schema` as written (relative to the manifest). */
  schema: string;
}

export interface Scaffold {
  manifest: Json;
  /** Every `${env:NAME}` the manifest references, in first-use order, documented. */
  env: [name: string, variable: EnvVar][];
  /** The packages to install. */
  packages: string[];
  setup: string[];
}

/** Builds the manifest and what goes with it from the choices (already checked). */
export function scaffold(choices: InitChoices): Scaffold {
  const chosen = TEMPLATES.filter((t) => choices.platforms.includes(t.id) || choices.features.includes(t.id));
  const creators = choices.creators.map(creatorNames);
  const plugins: Json = { [STORE.id]: { package: STORE.package } };
  const documented: Record<string, EnvVar> = {};
  for (const t of chosen) {
    plugins[t.id] = { package: t.package, ...(t.config === undefined ? {} : { config: t.config() }) };
    Object.assign(documented, t.env(creators));
  }
  const chat = chosen.some((t) => t.chat === true);
  const manifestCreators: Json = {};
  for (const c of creators) {
    const config: Json = {};
    for (const t of chosen) if (t.creatorConfig !== undefined) config[t.id] = t.creatorConfig(c);
    const triggers: Json[] = [];
    if (chat) triggers.push({ type: 'command', params: { command: '!hello' }, actions: [{ type: 'chat.reply', params: { text: 'hi {user}!' } }] });
    if (chat && choices.features.includes('clips')) {
      triggers.push({ type: 'command', params: { command: '!clip' }, cooldown: { user: '30s', global: '10s' }, actions: [{ type: 'clip.create', params: { seconds: 30 } }] });
    }
    manifestCreators[c.id] = {
      enable: chosen.map((t) => t.id),
      ...(Object.keys(config).length === 0 ? {} : { config }),
      ...(choices.platforms.includes('youtube') ? { quotas: { youtube: { daily: 10000, buffer: 500 } } } : {}),
      ...(triggers.length === 0 ? {} : { triggers }),
    };
  }
  const manifest: Json = { $schema: choices.schema, kernel: '^0.2.0', dataDir: './data', plugins, creators: manifestCreators };
  // The manifest is the truth: list what it references, documented where a template says how.
  const env = envReferences(manifest).map((name): [string, EnvVar] => [name, documented[name] ?? { about: 'referenced by streamsuites.json', example: '' }]);
  return {
    manifest,
    env,
    packages: ['@streamsuites/cli', STORE.package, ...chosen.map((t) => t.package)],
    setup: chosen.flatMap((t) => t.setup ?? []),
  };
}

/** Every `${env:NAME}` in a JSON value, in first-use order (`$${env:…}` is a literal, not a reference). */
export function envReferences(value: unknown, found: string[] = []): string[] {
  if (typeof value === 'string') {
    for (const match of value.matchAll(/\$?\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g)) {
      if (!match[0].startsWith('$$') && !found.includes(match[1]!)) found.push(match[1]!);
    }
  } else if (Array.isArray(value)) {
    for (const item of value) envReferences(item, found);
  } else if (typeof value === 'object' && value !== null) {
    for (const item of Object.values(value)) envReferences(item, found);
  }
  return found;
}
