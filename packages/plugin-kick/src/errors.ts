import { defineError } from '@streamsuites/kernel';

/**
 * Coded errors of @streamsuites/plugin-kick; every code is in the README
 * "Errors" table. None carries a token, a client secret or a webhook body.
 */

export const SS_ERR_KICK_CONFIG = defineError(
  'SS_ERR_KICK_CONFIG',
  (where: string, problem: string) => `Kick config of ${where}: ${problem}`,
  'See the configuration reference in the @streamsuites/plugin-kick README: plugins.kick.config needs clientId and clientSecret, creators.<id>.config.kick needs channel (the channel slug).',
);
export const SS_ERR_KICK_AUTH = defineError(
  'SS_ERR_KICK_AUTH',
  (what: string, status: number) => `Kick refused the ${what} (HTTP ${status}) even after one refresh`,
  'App token: check plugins.kick.config.clientId / clientSecret in your Kick developer settings. User token (chat): authorize the app again with the chat:write scope (and moderation:chat_message:manage for chat.delete) and put the new refresh token in creators.<id>.config.kick.refreshToken.',
);
export const SS_ERR_KICK_API = defineError(
  'SS_ERR_KICK_API',
  (what: string, status: number, reason: string) => `Kick API request "${what}" failed: HTTP ${status} ${reason}`,
  'Server errors and 429s are passing: the action or lookup is retried when next needed. A 4xx other than 401/429 means the request is wrong for Kick (check channel slug and scopes).',
);
export const SS_ERR_KICK_WEBHOOK_LISTEN = defineError(
  'SS_ERR_KICK_WEBHOOK_LISTEN',
  (address: string, reason: string) => `the Kick webhook endpoint could not listen on ${address}: ${reason}`,
  'Pick a free port in plugins.kick.config.webhook.port (or stop what uses it); the reverse proxy in front forwards to this host/port.',
);
export const SS_ERR_KICK_PUBLIC_KEY = defineError(
  'SS_ERR_KICK_PUBLIC_KEY',
  (reason: string) => `Kick's webhook public key is not usable: ${reason}`,
  'Set plugins.kick.config.webhook.publicKey to the PEM from https://docs.kick.com/events/webhook-security, or let the plugin fetch it from GET /public/v1/public-key (needs network access to api.kick.com).',
);
export const SS_ERR_KICK_NORMALIZE_FAILED = defineError(
  'SS_ERR_KICK_NORMALIZE_FAILED',
  (eventType: string, reason: string) => `A Kick ${eventType} webhook could not be normalized and was skipped: ${reason}`,
  'A new payload shape from Kick or a bug in the normalizer: report it with the redacted sample from the platform.normalize-failed event.',
);
