import { readFileSync } from 'node:fs';
import type { StateStore } from '@streamsuites/kernel';
import { parseCommandArgs } from '../args.js';
import { SS_ERR_CLI_USAGE } from '../errors.js';
import { authManifestFile, loadAuthApi, runAuthCommand } from './auth-store.js';
import type { CliIO } from '../io.js';

export const authXHelp = `Usage: streamsuites auth x [--manifest <file>] [--client-id <id>] [--port <n>] [--account <name>]

Authorizes an X (Twitter) account for @streamsuites/plugin-x with OAuth 2.0
(authorization code with PKCE) through a local redirect: listens on
http://127.0.0.1:<port>/callback, prints the URL to open; sign in as the
account and click "Authorize app"; X sends the browser back to this
machine, and the tokens are stored in the state store of the manifest's
dataDir (namespace "x.accounts", key: the lowercased X username, or
--account), the refresh token ENCRYPTED (AES-256-GCM) with the key in
STREAMSUITES_SECRET_KEY. Only the username and the granted scopes are
printed, never a token.

Before: in the X developer portal, the app's "User authentication
settings" need OAuth 2.0 on, app permissions "Read and write", type
"Native App" (public client) or "Web App" (confidential: set
X_CLIENT_SECRET), and the Callback URI http://127.0.0.1:<port>/callback.

The manifest must keep state in a persistent store (e.g.
@streamsuites/store-sqlite): the in-memory default would lose the tokens.

Options:
  --manifest <file>        the manifest (default: streamsuites.json)
  --client-id <id>         the app's OAuth 2.0 client id (default: env X_CLIENT_ID,
                           else the manifest's plugins.x.config.clientId)
  --port <n>               port of the local redirect listener (default 8723)
  --account <name>         store under this key instead of the username
  --api-url <url>          X API origin (default: plugins.x.config.apiUrl, else https://api.x.com)
  --authorize-url <url>    X's authorize page (default: plugins.x.config.authorizeUrl,
                           else https://x.com/i/oauth2/authorize)
  --timeout <seconds>      give up waiting for the redirect (default 300)
  -h, --help               show this help

Environment: STREAMSUITES_SECRET_KEY (required: 32 bytes, base64 or hex),
X_CLIENT_ID, X_CLIENT_SECRET (confidential clients only).

Exit status: 0 authorized and stored, 1 failed (declined, timed out, X
error, bad key), 2 usage error.
`;

type Json = Record<string, any>;

/** What this command uses from @streamsuites/plugin-x, imported when it runs (the CLI works without the plugin installed). */
interface XAuthApi {
  parseSecretKey(raw: string | undefined): Buffer;
  authorizeWithLoopback(options: {
    apiUrl: string; authorizeUrl: string; clientId: string; clientSecret?: string | undefined; port: number; timeoutMs?: number;
    onAuthorizeUrl(url: string, redirectUri: string): void;
  }): Promise<{ accessToken: string; refreshToken: string | undefined; expiresIn: number; scopes: string[]; redirectUri: string }>;
  XApi: new (options: { apiUrl: string }) => { me(accessToken: string): Promise<{ status: number; body: { data?: { id: string; username: string } } | undefined }> };
  saveAccount(store: StateStore, key: Buffer, tokens: {
    account?: string; username: string; userId: string; clientId: string; scopes: string[]; accessToken: string; refreshToken: string; obtainedAt: number; expiresAt: number;
  }): Promise<string>;
  SS_ERR_X_OAUTH: new (problem: string) => Error;
}

const X_PACKAGE = '@streamsuites/plugin-x';

const loadXAuth = () => loadAuthApi<XAuthApi>('auth x', X_PACKAGE, (m) => typeof m.authorizeWithLoopback === 'function' && typeof m.saveAccount === 'function', 'OAuth authorization');

export async function authXCommand(argv: string[], io: CliIO): Promise<number> {
  const args = parseCommandArgs(
    'auth x',
    argv,
    {
      manifest: { type: 'string' }, 'client-id': { type: 'string' }, port: { type: 'string' }, account: { type: 'string' },
      'api-url': { type: 'string' }, 'authorize-url': { type: 'string' }, timeout: { type: 'string' },
    },
    { min: 0, max: 0, names: '' },
  );
  if (args.help) {
    io.stdout(authXHelp);
    return 0;
  }
  const file = authManifestFile('auth x', io, args.values.manifest as string | undefined);
  const port = Number((args.values.port as string | undefined) ?? '8723');
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new SS_ERR_CLI_USAGE(`auth x: --port must be a port number, not "${String(args.values.port)}"`);
  const timeoutSec = Number((args.values.timeout as string | undefined) ?? '300');
  if (!(timeoutSec > 0)) throw new SS_ERR_CLI_USAGE('auth x: --timeout must be a positive number of seconds');

  return runAuthCommand(io, async (openStore) => {
    const raw = JSON.parse(readFileSync(file, 'utf8')) as Json;
    const xConfig = (raw.plugins?.x?.config ?? {}) as Json;
    const literal = (value: unknown) => (typeof value === 'string' && !value.includes('${') ? value : undefined); // ${env:...} is not resolved here
    const clientId = (args.values['client-id'] as string | undefined) ?? io.env.X_CLIENT_ID ?? literal(xConfig.clientId);
    if (clientId === undefined || clientId === '') throw new SS_ERR_CLI_USAGE('auth x: no client id (pass --client-id or set X_CLIENT_ID)');
    const apiUrl = (args.values['api-url'] as string | undefined) ?? literal(xConfig.apiUrl) ?? 'https://api.x.com';
    const authorizeUrl = (args.values['authorize-url'] as string | undefined) ?? literal(xConfig.authorizeUrl) ?? 'https://x.com/i/oauth2/authorize';
    for (const [flag, url] of [['--api-url', apiUrl], ['--authorize-url', authorizeUrl]] as const) {
      if (!/^https?:\/\//.test(url)) throw new SS_ERR_CLI_USAGE(`auth x: ${flag} must be an http(s) URL, not "${url}"`);
    }
    const x = await loadXAuth();
    // The key first: authorizing only to find the tokens cannot be stored would waste the person's time.
    const key = x.parseSecretKey(io.env.STREAMSUITES_SECRET_KEY);
    const store = await openStore('auth x', file, raw);
    const clientSecret = io.env.X_CLIENT_SECRET === '' ? undefined : io.env.X_CLIENT_SECRET;
    const tokens = await x.authorizeWithLoopback({
      apiUrl,
      authorizeUrl,
      clientId,
      clientSecret,
      port,
      timeoutMs: timeoutSec * 1000,
      onAuthorizeUrl: (url, redirectUri) =>
        io.stdout(
          `Listening for X's redirect on ${redirectUri}\n` +
            `(the app's Callback URI in the X developer portal must be exactly that)\n\n` +
            `To authorize, open this URL in a browser on this machine and sign in as the account to post as:\n${url}\n\n` +
            `Waiting for the authorization (${Math.round(timeoutSec)} s)...\n`,
        ),
    });
    if (tokens.refreshToken === undefined) throw new x.SS_ERR_X_OAUTH('X granted no refresh token (the offline.access scope was not granted)');
    const me = await new x.XApi({ apiUrl }).me(tokens.accessToken);
    if (me.status !== 200 || me.body?.data === undefined) throw new x.SS_ERR_X_OAUTH(`GET /2/users/me answered HTTP ${me.status}`);
    const now = Date.now();
    const account = await x.saveAccount(store, key, {
      ...(args.values.account === undefined ? {} : { account: String(args.values.account).toLowerCase() }),
      username: me.body.data.username,
      userId: me.body.data.id,
      clientId,
      scopes: tokens.scopes,
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken,
      obtainedAt: now,
      expiresAt: now + tokens.expiresIn * 1000,
    });
    io.stdout(`Authorized X account @${me.body.data.username} (user id ${me.body.data.id}).\n`);
    io.stdout(`Granted scopes: ${tokens.scopes.join(' ') || '(none)'}\n`);
    io.stdout(`Tokens stored encrypted in the state store (x.accounts / ${account}); set creators.<id>.config.x.account to "${account}".\n`);
  });
}

