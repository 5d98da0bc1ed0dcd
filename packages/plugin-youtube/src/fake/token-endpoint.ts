/** Google's OAuth token endpoint (`POST /token`), for `grant_type=refresh_token`. No key, no quota. */
import type { FakeAuth } from './auth.js';
import { googleError } from './errors.js';
import type { FailureQueue } from './failures.js';
import { type Exchange, sendJson } from './reply.js';
import { readBody } from './request.js';

/**
 * Client id and secret in the form (or HTTP Basic). Unknown client or wrong
 * secret → 401 invalid_client; unknown or revoked refresh token → 400 invalid_grant.
 */
export async function serveToken(ex: Exchange, auth: FakeAuth, failures: FailureQueue): Promise<void> {
  const failure = failures.find('oauth.token');
  const oauthError = (status: number, error: string, description: string): void => {
    ex.rec.reason = error;
    sendJson(ex.res, status, { error, error_description: description });
  };
  if (failure !== undefined) {
    failures.use(failure);
    const status = googleError(failure.reason).code;
    return oauthError(status, status >= 500 ? 'internal_failure' : failure.reason, googleError(failure.reason).message);
  }
  let form: URLSearchParams;
  try {
    const raw = (await readBody(ex.req)).toString('utf8');
    form = (ex.req.headers['content-type'] ?? '').includes('application/json')
      ? new URLSearchParams(Object.entries(JSON.parse(raw) as Record<string, string>))
      : new URLSearchParams(raw);
  } catch {
    return oauthError(400, 'invalid_request', 'Could not parse the request body.');
  }
  let clientId = form.get('client_id');
  let clientSecret = form.get('client_secret');
  const basic = /^Basic\s+(\S+)$/i.exec(ex.req.headers.authorization ?? '');
  if (basic !== null) {
    const [id, secret] = Buffer.from(basic[1]!, 'base64').toString('utf8').split(':');
    clientId ??= decodeURIComponent(id ?? '');
    clientSecret ??= decodeURIComponent(secret ?? '');
  }
  const grant = form.get('grant_type');
  if (grant !== 'refresh_token') return oauthError(400, 'unsupported_grant_type', `Invalid grant_type: ${grant ?? ''}`);
  if (clientId !== auth.client.clientId) return oauthError(401, 'invalid_client', 'The OAuth client was not found.');
  if (clientSecret !== auth.client.clientSecret) return oauthError(401, 'invalid_client', 'Unauthorized');
  const refreshToken = form.get('refresh_token');
  if (refreshToken === null || refreshToken.length === 0) return oauthError(400, 'invalid_request', 'Missing required parameter: refresh_token');
  const account = auth.account(refreshToken);
  if (account === undefined) return oauthError(400, 'invalid_grant', 'Bad Request');
  if (account.revoked) return oauthError(400, 'invalid_grant', 'Token has been expired or revoked.');
  const accessToken = auth.issue(account);
  ex.res.setHeader('pragma', 'no-cache');
  sendJson(ex.res, 200, {
    access_token: accessToken,
    expires_in: auth.ttlSec,
    scope: 'https://www.googleapis.com/auth/youtube.force-ssl https://www.googleapis.com/auth/youtube',
    token_type: 'Bearer',
  });
}
