import { readFileSync } from 'node:fs';
import type { StateStore } from '@streamsuites/kernel';
import { parseCommandArgs } from '../args.js';
import { SS_ERR_CLI_USAGE } from '../errors.js';
import { authManifestFile, loadAuthApi, runAuthCommand } from './auth-store.js';
import type { CliIO } from '../io.js';

export const authTwitchHelp = `Usage: streamsuites auth twitch [--manifest <file>] [--client-id <id>] [--scopes <list>] [--oauth-url <url>]

Authorizes a Twitch account (usually the bot's) with Twitch's Device Code
Grant Flow: no redirect URL and no local web server. Prints a URL and a
code; open the URL on any device, sign in as the account, enter the code.
The access and refresh tokens are then stored in the state store of the
manifest's dataDir (namespace "twitch.accounts", key: the account's login);
only the login and the granted scopes are printed, never a token. Finally
it lists which Twitch features the granted scopes enable and which scopes
each missing feature needs.

The manifest must keep state in a persistent store (e.g.
@streamsuites/store-sqlite): the in-memory default would lose the tokens.
The Twitch app must be of client type "Public" for the device flow.

Options:
  --manifest <file>   the manifest (default: streamsuites.json)
  --client-id <id>    the Twitch app's client id (default: env TWITCH_CLIENT_ID)
  --scopes <list>     scopes to request, separated by spaces or commas
                      (default: what the manifest's Twitch features need:
                      chat read and send, plus the scopes of every
                      creator's config.twitch.events)
  --oauth-url <url>   Twitch's OAuth base (default: the manifest's
                      plugins.twitch.config.oauthUrl, else https://id.twitch.tv/oauth2)
  -h, --help          show this help

Exit status: 0 authorized and stored, 1 failed (declined, expired, Twitch
error), 2 usage error.
`;

type Json = Record<string, any>;

/**
 * What this command uses from @streamsuites/plugin-twitch (its Helix
 * module). Imported when the command runs: the CLI works without the
 * Twitch plugin installed, this command then says to install it.
 */
interface TwitchAuthApi {
  requestDeviceCode(options: { oauthUrl: string; clientId: string; scopes: readonly string[] }): Promise<{
    deviceCode: string; userCode: string; verificationUri: string; expiresIn: number; interval: number;
  }>;
  pollDeviceToken(options: {
    oauthUrl: string; clientId: string; scopes: readonly string[];
    code: { deviceCode: string; userCode: string; verificationUri: string; expiresIn: number; interval: number };
    onPending?: (reason: 'authorization_pending' | 'slow_down', nextPollMs: number) => void;
  }): Promise<{ accessToken: string; refreshToken: string; scopes: string[]; expiresIn: number }>;
  validateToken(oauthUrl: string, token: string): Promise<{ login?: string; userId?: string; clientId: string; scopes: string[]; expiresIn: number }>;
  missingScopes(granted: Iterable<string>, features: readonly string[]): { feature: string; scope: string; anyOf?: string[] }[];
  scopesFor(features: readonly string[]): string[];
  featuresFor(eventTypes: Iterable<string>): { features: string[]; unknown: string[] };
  saveUserTokens(store: StateStore, record: {
    kind: 'device'; login: string; userId: string; clientId: string; accessToken: string; refreshToken: string;
    scopes: string[]; obtainedAt: number; expiresAt: number;
  }): Promise<void>;
  TWITCH_FEATURES: readonly string[];
  TWITCH_FEATURE_SCOPES: Readonly<Record<string, { description: string }>>;
}

const TWITCH_PACKAGE = '@streamsuites/plugin-twitch';

const loadTwitchAuth = () =>
  loadAuthApi<TwitchAuthApi>('auth twitch', TWITCH_PACKAGE, (m) => typeof m.requestDeviceCode === 'function' && typeof m.saveUserTokens === 'function', 'device authorization');

export async function authTwitchCommand(argv: string[], io: CliIO): Promise<number> {
  const args = parseCommandArgs(
    'auth twitch',
    argv,
    { manifest: { type: 'string' }, 'client-id': { type: 'string' }, scopes: { type: 'string' }, 'oauth-url': { type: 'string' } },
    { min: 0, max: 0, names: '' },
  );
  if (args.help) {
    io.stdout(authTwitchHelp);
    return 0;
  }
  const clientId = (args.values['client-id'] as string | undefined) ?? io.env.TWITCH_CLIENT_ID;
  if (clientId === undefined || clientId === '') throw new SS_ERR_CLI_USAGE('auth twitch: no client id (pass --client-id or set TWITCH_CLIENT_ID)');
  const file = authManifestFile('auth twitch', io, args.values.manifest as string | undefined);
  const scopesFlag = args.values.scopes as string | undefined;
  const requested = scopesFlag === undefined ? undefined : scopesFlag.split(/[\s,]+/).filter(Boolean);
  if (requested !== undefined && requested.length === 0) throw new SS_ERR_CLI_USAGE('auth twitch: --scopes is empty');

  return runAuthCommand(io, async (openStore) => {
    const twitch = await loadTwitchAuth();
    const raw = JSON.parse(readFileSync(file, 'utf8')) as Json;
    const oauthUrl = (args.values['oauth-url'] as string | undefined) ?? (raw.plugins?.twitch?.config?.oauthUrl as string | undefined) ?? 'https://id.twitch.tv/oauth2';
    if (!/^https?:\/\//.test(oauthUrl)) throw new SS_ERR_CLI_USAGE(`auth twitch: --oauth-url must be an http(s) URL, not "${oauthUrl}"`);
    // Open the store first: authorizing only to find nowhere to keep the tokens would waste the person's time.
    const store = await openStore('auth twitch', file, raw);
    const features = [...twitch.featuresFor(manifestEventTypes(raw)).features, ...manifestModerationFeatures(raw)];
    const scopes = requested ?? twitch.scopesFor(features);

    const code = await twitch.requestDeviceCode({ oauthUrl, clientId, scopes });
    io.stdout(
      `To authorize, open ${code.verificationUri}\n` +
        `and enter the code: ${code.userCode}\n` +
        `Requested scopes: ${scopes.join(' ') || '(none)'}${requested === undefined ? ` (for ${features.join(', ')})` : ''}\n` +
        `Waiting for the authorization (the code expires in ${Math.round(code.expiresIn / 60)} min)...\n`,
    );
    const tokens = await twitch.pollDeviceToken({
      oauthUrl,
      clientId,
      scopes,
      code,
      onPending: (reason, nextPollMs) => {
        if (reason === 'slow_down') io.stdout(`Twitch asked to poll less often: every ${Math.round(nextPollMs / 1000)} s\n`);
      },
    });
    const info = await twitch.validateToken(oauthUrl, tokens.accessToken);
    if (info.login === undefined || info.userId === undefined) {
      throw new SS_ERR_CLI_USAGE('auth twitch: Twitch answered with a token that belongs to no user');
    }
    const now = Date.now();
    const granted = info.scopes.length > 0 ? info.scopes : tokens.scopes;
    await twitch.saveUserTokens(store, {
      kind: 'device',
      login: info.login,
      userId: info.userId,
      clientId: info.clientId,
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken,
      scopes: granted,
      obtainedAt: now,
      expiresAt: now + (info.expiresIn || tokens.expiresIn) * 1000,
    });
    io.stdout(`Authorized Twitch account "${info.login}" (user id ${info.userId}).\n`);
    io.stdout(`Granted scopes: ${granted.join(' ') || '(none)'}\n`);
    io.stdout(`Tokens stored in the state store (twitch.accounts / ${info.login.toLowerCase()}).\n`);
    const notGranted = scopes.filter((scope) => !granted.includes(scope));
    if (notGranted.length > 0) io.stdout(`Not granted: ${notGranted.join(' ')}\n`);
    io.stdout(featureReport(twitch, granted));
  });
}

/** The EventSub types the manifest's creators subscribe to (`creators.<id>.config.twitch.events`), deduplicated. */
export function manifestEventTypes(raw: Json): string[] {
  const types = new Set<string>();
  for (const creator of Object.values((raw.creators ?? {}) as Record<string, Json>)) {
    const events = creator?.config?.twitch?.events;
    if (Array.isArray(events)) for (const type of events) if (typeof type === 'string') types.add(type);
  }
  return [...types];
}

/**
 * The moderation features the manifest's chat rules use on Twitch: a creator
 * enabling twitch whose `chatBehaviour` deletes or times out (banned phrases,
 * the per-person rate limit) needs the bot to hold those scopes.
 */
export function manifestModerationFeatures(raw: Json): string[] {
  const actions = new Set<string>();
  for (const creator of Object.values((raw.creators ?? {}) as Record<string, Json>)) {
    if (!Array.isArray(creator?.enable) || !creator.enable.includes('twitch')) continue;
    const behaviour = creator.chatBehaviour as Json | undefined;
    const rules = [...(Array.isArray(behaviour?.bannedPhrases) ? behaviour.bannedPhrases : []), behaviour?.userRateLimit];
    for (const rule of rules) if (typeof rule?.action === 'string') actions.add(rule.action);
  }
  return [...(actions.has('delete') ? ['moderation.delete'] : []), ...(actions.has('timeout') ? ['moderation.timeout'] : [])];
}

/** Every feature of the scope table: enabled, or the scopes it still needs. */
function featureReport(twitch: TwitchAuthApi, granted: readonly string[]): string {
  const missing = twitch.missingScopes(granted, twitch.TWITCH_FEATURES);
  const width = Math.max(...twitch.TWITCH_FEATURES.map((f) => f.length));
  const lines = twitch.TWITCH_FEATURES.map((feature) => {
    const needs = missing.filter((m) => m.feature === feature).map((m) => m.anyOf?.join(' or ') ?? m.scope);
    return needs.length === 0
      ? `  enabled  ${feature.padEnd(width)}  ${twitch.TWITCH_FEATURE_SCOPES[feature]!.description}\n`
      : `  missing  ${feature.padEnd(width)}  needs ${needs.join(', ')}\n`;
  });
  return `Features:\n${lines.join('')}`;
}

