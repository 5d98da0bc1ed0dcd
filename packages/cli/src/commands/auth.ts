import { SS_ERR_CLI_USAGE } from '../errors.js';
import type { CliIO } from '../io.js';
import { authTwitchCommand, authTwitchHelp } from './auth-twitch.js';
import { authXCommand, authXHelp } from './auth-x.js';

export const authHelp = `Usage: streamsuites auth <platform> [options]

Authorizes an account for a platform and stores its tokens in the runtime's
state store (the manifest's dataDir), so no token has to be copied by hand.

Platforms:
  twitch    Twitch's Device Code Grant Flow (see: streamsuites auth twitch --help)
  x         X (Twitter) OAuth 2.0 with PKCE via a 127.0.0.1 redirect (see: streamsuites auth x --help)

Exit status: 0 authorized, 1 failed, 2 usage error.
`;

const platforms: Record<string, { run: (argv: string[], io: CliIO) => Promise<number>; help: string }> = {
  twitch: { run: authTwitchCommand, help: authTwitchHelp },
  x: { run: authXCommand, help: authXHelp },
};

export async function authCommand(argv: string[], io: CliIO): Promise<number> {
  const [platform, ...rest] = argv;
  if (platform === '-h' || platform === '--help') {
    io.stdout(authHelp);
    return 0;
  }
  if (platform === undefined) throw new SS_ERR_CLI_USAGE('auth: missing <platform> (twitch)');
  const command = platforms[platform];
  if (command === undefined) throw new SS_ERR_CLI_USAGE(`auth: unknown platform "${platform}" (known: ${Object.keys(platforms).join(', ')})`);
  return command.run(rest, io);
}
