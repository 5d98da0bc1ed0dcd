/**
 * @streamsuites/plugin-x/testing — a local X API v2 (OAuth 2.0 with PKCE,
 * POST /2/tweets, GET /2/users/me) for tests and the demo; never for production.
 */
export { startFakeXApi } from './fake/server.js';
export type { FakeXApi, FakeXRequest, FakeXScript, FakeXTweet, FakeXUser, StartFakeXApiOptions } from './fake/server.js';
