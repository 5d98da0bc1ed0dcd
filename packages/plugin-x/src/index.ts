/**
 * @streamsuites/plugin-x — go-live and clip posts to X (Twitter) through the
 * X API v2, as durable jobs; OAuth 2.0 user context with PKCE; refresh
 * tokens rotated and stored encrypted (AES-256-GCM).
 */
import { xPlugin } from './plugin.js';

export default xPlugin;
export { createXPlugin, xPlugin } from './plugin.js';
export type { XPluginOptions } from './plugin.js';
export { configSchema, creatorConfigSchema } from './config.js';
export type { XConfig, XCreatorConfig } from './config.js';
export { XApi, DUPLICATE_CONTENT_DETAIL, isDuplicateContent } from './api/client.js';
export type { CreateTweetBody, XApiOptions, XProblem, XResponse } from './api/client.js';
export { readRateLimit, waitMsFor } from './api/rate-limit.js';
export type { RateLimitInfo } from './api/rate-limit.js';
export { authorizeUrl, exchangeCode, refreshTokens, X_SCOPES, XTokenError } from './auth/oauth.js';
export type { TokenClient, XTokenResponse } from './auth/oauth.js';
export { authorizeWithLoopback, CALLBACK_PATH } from './auth/loopback.js';
export type { LoopbackAuthorizationOptions } from './auth/loopback.js';
export { codeChallengeS256, createCodeVerifier, createState } from './auth/pkce.js';
export { parseSecretKey, SECRET_KEY_ENV, seal, open } from './auth/secret-box.js';
export type { Sealed } from './auth/secret-box.js';
export { accountKey, listAccounts, loadAccount, saveAccount, X_ACCOUNTS_NAMESPACE } from './auth/token-store.js';
export type { XAccountTokens } from './auth/token-store.js';
export { AccountSession } from './auth/session.js';
export { fillTemplate, X_LIVE_NAMESPACE, X_LIVE_STALE_MS, X_POST_JOB, X_POSTED_AT_NAMESPACE, X_POSTS_NAMESPACE, X_POSTS_RETENTION_MS, XPoster } from './poster.js';
export type { XPostJobPayload, XPostRecord, XPostState } from './poster.js';
export * from './errors.js';
