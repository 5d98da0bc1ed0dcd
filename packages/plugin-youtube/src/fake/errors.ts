/**
 * Google error envelopes as the Data API sends them:
 * `{"error":{"code":403,"message":"...","errors":[{"message","domain","reason"}]}}`.
 * `quotaExceeded` is the captured body (the repository's fixtures/youtube/error.quotaExceeded.json);
 * the live chat ones follow the documentation's wording (see SOURCES.md).
 */
import type { FakeErrorReason } from './types.js';

export interface GoogleErrorItem {
  message: string;
  domain: string;
  reason: string;
  location?: string;
  locationType?: string;
}

export interface GoogleError {
  code: number;
  message: string;
  errors: GoogleErrorItem[];
  status?: string;
}

interface Spec {
  code: number;
  message: string;
  domain: string;
  status?: string;
  item?: Partial<GoogleErrorItem>;
}

const QUOTA_MESSAGE =
  'The request cannot be completed because you have exceeded your <a href="/youtube/v3/getting-started#quota">quota</a>.';

const SPECS: Record<FakeErrorReason, Spec> = {
  liveChatNotFound: {
    code: 404,
    message:
      'The live chat that you are trying to retrieve cannot be found. Check the value of the liveChatId parameter to ensure that it is correct.',
    domain: 'youtube.liveChat',
  },
  liveChatEnded: { code: 403, message: 'The specified live chat is no longer live.', domain: 'youtube.liveChat' },
  liveChatDisabled: { code: 403, message: 'Live chat is not enabled for the specified broadcast.', domain: 'youtube.liveChat' },
  forbidden: {
    code: 403,
    message: 'You do not have the permissions required to retrieve messages for the specified live chat.',
    domain: 'global',
  },
  rateLimitExceeded: {
    code: 403,
    message:
      "The request was sent too soon after the previous one. This error occurs when API requests to retrieve messages are being sent more frequently than YouTube's refresh rates, which unnecessarily wastes bandwidth.",
    domain: 'youtube.liveChat',
  },
  quotaExceeded: { code: 403, message: QUOTA_MESSAGE, domain: 'youtube.quota' },
  dailyLimitExceeded: {
    code: 403,
    message:
      'Daily Limit Exceeded. The quota will be reset at midnight Pacific Time (PT). You may monitor your quota usage and adjust limits in the API Console: https://console.developers.google.com/apis/api/youtube.googleapis.com/quotas?project=000000000000',
    domain: 'usageLimits',
  },
  backendError: { code: 503, message: 'Backend Error', domain: 'global' },
  keyInvalid: { code: 400, message: 'API key not valid. Please pass a valid API key.', domain: 'usageLimits', status: 'INVALID_ARGUMENT' },
  authError: {
    code: 401,
    message:
      'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
    domain: 'global',
    status: 'UNAUTHENTICATED',
    item: { message: 'Invalid Credentials', location: 'Authorization', locationType: 'header' },
  },
};

/** HTTP status of an injectable reason. */
export const statusOf = (reason: FakeErrorReason): number => SPECS[reason].code;

/** Reasons that are answered before the quota is charged (the request is not accounted). */
export const UNCHARGED: ReadonlySet<FakeErrorReason> = new Set(['quotaExceeded', 'dailyLimitExceeded', 'keyInvalid', 'authError']);

export function googleError(reason: FakeErrorReason): GoogleError {
  const s = SPECS[reason];
  const item: GoogleErrorItem = { message: s.message, domain: s.domain, reason, ...s.item };
  const error: GoogleError = { code: s.code, message: s.message, errors: [item] };
  if (s.status !== undefined) error.status = s.status;
  return error;
}

/** Any other error (parameter validation, login required...). */
export function customError(code: number, reason: string, message: string, extra: Partial<GoogleErrorItem> & { domain?: string; status?: string } = {}): GoogleError {
  const { status, domain, ...rest } = extra;
  const error: GoogleError = { code, message, errors: [{ message, domain: domain ?? 'global', reason, ...rest }] };
  if (status !== undefined) error.status = status;
  return error;
}

export const loginRequired = (): GoogleError =>
  customError(401, 'required', 'Login Required.', { location: 'Authorization', locationType: 'header', status: 'UNAUTHENTICATED' });

export const missingKey = (): GoogleError =>
  customError(403, 'forbidden', 'The request is missing a valid API key.', { status: 'PERMISSION_DENIED' });

export const requiredParameter = (name: string): GoogleError =>
  customError(400, 'required', `Required parameter: ${name}`, { location: name, locationType: 'parameter' });

export const unknownPart = (part: string): GoogleError =>
  customError(400, 'unknownPart', `'${part}'`, { domain: 'youtube.part', location: 'part', locationType: 'parameter' });

export const invalidValue = (name: string, message: string): GoogleError =>
  customError(400, 'invalidValue', message, { domain: 'youtube.parameter', location: name, locationType: 'parameter' });

/** Google's JSON escapes `<` and `>` as `\u003c` / `\u003e`; the captured quota body shows it. */
export function googleJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/[<>]/g, (c) => (c === '<' ? '\\u003c' : '\\u003e'));
}
