import { SS_ERR_ABORTED, systemClock, type Clock } from '@streamsuites/kernel';
import { SS_ERR_TWITCH_HELIX_FAILED } from '../errors.js';
import { SS_ERR_TWITCH_DEVICE_AUTH } from './errors.js';

/**
 * Twitch's Device Code Grant Flow (RFC 8628): no redirect URI and no local
 * web server. The app asks `POST {oauthUrl}/device` for a code, the person
 * enters it at the verification URI, and the app polls
 * `POST {oauthUrl}/token` until Twitch hands out the tokens. Works with a
 * "Public" client (no client secret).
 */

export interface DeviceCode {
  /** Secret for polling: never print it. */
  deviceCode: string;
  /** What the person types at `verificationUri`. */
  userCode: string;
  verificationUri: string;
  /** Seconds the code stays valid. */
  expiresIn: number;
  /** Seconds between polls. */
  interval: number;
}

export interface DeviceTokens {
  accessToken: string;
  refreshToken: string;
  scopes: string[];
  /** Seconds the access token stays valid. */
  expiresIn: number;
}

export interface DeviceAuthOptions {
  /** e.g. `https://id.twitch.tv/oauth2`. */
  oauthUrl: string;
  clientId: string;
  scopes: readonly string[];
  fetch?: typeof fetch;
}

export interface PollDeviceOptions extends DeviceAuthOptions {
  code: DeviceCode;
  clock?: Clock;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  signal?: AbortSignal;
  /** Called after each poll that is still waiting for the person (`authorization_pending` / `slow_down`). */
  onPending?: (reason: 'authorization_pending' | 'slow_down', nextPollMs: number) => void;
}

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

export async function requestDeviceCode(options: DeviceAuthOptions): Promise<DeviceCode> {
  const form = new URLSearchParams({ client_id: options.clientId, scopes: options.scopes.join(' ') });
  const { status, body } = await post(options, '/device', form);
  if (status !== 200) {
    throw new SS_ERR_TWITCH_DEVICE_AUTH('device_request_failed', `POST /oauth2/device answered ${status} (${errorOf(body) ?? 'no message'})`, {
      details: { status },
    });
  }
  const b = body as Record<string, unknown>;
  if (typeof b.device_code !== 'string' || typeof b.user_code !== 'string' || typeof b.verification_uri !== 'string') {
    throw new SS_ERR_TWITCH_HELIX_FAILED('POST /oauth2/device answered without device_code, user_code and verification_uri');
  }
  return {
    deviceCode: b.device_code,
    userCode: b.user_code,
    verificationUri: b.verification_uri,
    expiresIn: typeof b.expires_in === 'number' ? b.expires_in : 1800,
    interval: typeof b.interval === 'number' && b.interval > 0 ? b.interval : 5,
  };
}

/**
 * Polls the token endpoint at the code's interval until the person
 * authorizes (the tokens), declines (SS_ERR_TWITCH_DEVICE_AUTH
 * `access_denied`) or the code expires (`expired_token`). `slow_down` adds
 * 5 s to the interval, as RFC 8628 says.
 */
export async function pollDeviceToken(options: PollDeviceOptions): Promise<DeviceTokens> {
  const clock = options.clock ?? systemClock;
  const wait = options.sleep ?? sleep;
  const deadline = clock.now() + options.code.expiresIn * 1000;
  let intervalMs = options.code.interval * 1000;
  const form = new URLSearchParams({
    client_id: options.clientId,
    scopes: options.scopes.join(' '),
    device_code: options.code.deviceCode,
    grant_type: DEVICE_GRANT,
  });
  for (;;) {
    if (options.signal?.aborted) throw new SS_ERR_ABORTED('the Twitch device authorization', { cause: options.signal.reason });
    if (clock.now() >= deadline) {
      throw new SS_ERR_TWITCH_DEVICE_AUTH('expired_token', `the code was not entered within ${options.code.expiresIn} s`);
    }
    await wait(intervalMs, options.signal);
    const { status, body } = await post(options, '/token', form, options.signal);
    if (status === 200) return tokensOf(body);
    const reason = (errorOf(body) ?? '').toLowerCase();
    if (reason === 'authorization_pending') {
      options.onPending?.('authorization_pending', intervalMs);
      continue;
    }
    if (reason === 'slow_down') {
      intervalMs += 5000;
      options.onPending?.('slow_down', intervalMs);
      continue;
    }
    // Twitch answers "invalid device code" once the code expired (RFC 8628 names it expired_token).
    if (reason === 'expired_token' || reason === 'invalid device code') {
      throw new SS_ERR_TWITCH_DEVICE_AUTH('expired_token', 'the code expired before it was entered', { details: { status } });
    }
    if (reason === 'access_denied' || reason === 'authorization_declined') {
      throw new SS_ERR_TWITCH_DEVICE_AUTH('access_denied', 'the account declined the authorization', { details: { status } });
    }
    throw new SS_ERR_TWITCH_DEVICE_AUTH('token_request_failed', `POST /oauth2/token answered ${status} (${reason || 'no message'})`, {
      details: { status },
    });
  }
}

function tokensOf(body: unknown): DeviceTokens {
  const b = (body ?? {}) as Record<string, unknown>;
  if (typeof b.access_token !== 'string' || b.access_token.length === 0 || typeof b.refresh_token !== 'string') {
    throw new SS_ERR_TWITCH_HELIX_FAILED('POST /oauth2/token answered without access_token and refresh_token');
  }
  const scope = b.scope;
  const scopes = Array.isArray(scope) ? scope.filter((s): s is string => typeof s === 'string') : typeof scope === 'string' ? scope.split(' ').filter(Boolean) : [];
  return { accessToken: b.access_token, refreshToken: b.refresh_token, scopes, expiresIn: typeof b.expires_in === 'number' ? b.expires_in : 0 };
}

/** Twitch answers `{ status, message }`; RFC 8628 servers `{ error }`. */
function errorOf(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const b = body as { error?: unknown; message?: unknown };
  if (typeof b.message === 'string' && b.message.length > 0) return b.message;
  return typeof b.error === 'string' ? b.error : undefined;
}

async function post(options: DeviceAuthOptions, path: string, form: URLSearchParams, signal?: AbortSignal): Promise<{ status: number; body: unknown }> {
  const timeout = AbortSignal.timeout(10_000);
  try {
    const response = await (options.fetch ?? globalThis.fetch)(`${options.oauthUrl.replace(/\/$/, '')}${path}`, {
      method: 'POST',
      body: form,
      signal: signal === undefined ? timeout : AbortSignal.any([signal, timeout]),
    });
    return { status: response.status, body: await response.json().catch(() => undefined) };
  } catch (error) {
    if (signal?.aborted) throw new SS_ERR_ABORTED('the Twitch device authorization', { cause: signal.reason });
    throw new SS_ERR_TWITCH_HELIX_FAILED(`POST /oauth2${path} failed: ${(error as Error).message}`, { cause: error, details: { retryable: true } });
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(new SS_ERR_ABORTED('the Twitch device authorization', { cause: signal.reason }));
    }, { once: true });
  });
}
