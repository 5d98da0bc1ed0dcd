import { type Clock, type EventBus, type Logger, type StreamStatus } from '@streamsuites/kernel';
import { SS_ERR_TWITCH_HELIX_FAILED } from './errors.js';
import type { AppTokenResponse, HelixStream, HelixStreamsResponse } from './helix.external.js';

export interface HelixClientOptions {
  helixUrl: string;
  oauthUrl: string;
  clientId: string;
  clientSecret: string;
  clock: Clock;
  fetch?: typeof fetch;
}

/**
 * The two Helix calls go-live needs: an app access token (client
 * credentials, cached until shortly before it expires) and Get Streams.
 * A 401 drops the token and retries once. Errors never contain the secret
 * or the token.
 */
export class HelixClient {
  readonly #options: HelixClientOptions;
  readonly #fetch: typeof fetch;
  #token: { value: string; expiresAt: number } | undefined;

  constructor(options: HelixClientOptions) {
    this.#options = options;
    this.#fetch = options.fetch ?? globalThis.fetch;
  }

  /** Live streams among `logins` (offline channels are simply absent). */
  async streams(logins: readonly string[]): Promise<HelixStream[]> {
    const query = logins.map((login) => `user_login=${encodeURIComponent(login)}`).join('&');
    const url = `${this.#options.helixUrl.replace(/\/$/, '')}/streams?${query}`;
    for (let attempt = 1; ; attempt++) {
      const token = await this.appToken();
      const response = await this.#request(url, { headers: { 'Client-Id': this.#options.clientId, Authorization: `Bearer ${token}` } });
      if (response.status === 401 && attempt === 1) {
        this.#token = undefined;
        continue;
      }
      if (!response.ok) throw helixError('GET /streams', response.status);
      const body = (await response.json()) as HelixStreamsResponse;
      if (!Array.isArray(body?.data)) throw new SS_ERR_TWITCH_HELIX_FAILED('GET /streams answered without a data array');
      return body.data;
    }
  }

  /** An app access token (client credentials), cached until a minute before it expires. */
  async appToken(): Promise<string> {
    const now = this.#options.clock.now();
    if (this.#token !== undefined && this.#token.expiresAt > now) return this.#token.value;
    const body = new URLSearchParams({
      client_id: this.#options.clientId,
      client_secret: this.#options.clientSecret,
      grant_type: 'client_credentials',
    });
    const response = await this.#request(`${this.#options.oauthUrl.replace(/\/$/, '')}/token`, { method: 'POST', body });
    if (!response.ok) throw helixError('POST /oauth2/token (client credentials)', response.status);
    const token = (await response.json()) as AppTokenResponse;
    if (typeof token?.access_token !== 'string' || typeof token.expires_in !== 'number') {
      throw new SS_ERR_TWITCH_HELIX_FAILED('the token endpoint answered without access_token/expires_in');
    }
    // Renew a minute early so a request never leaves with a token about to expire.
    this.#token = { value: token.access_token, expiresAt: now + Math.max(0, token.expires_in - 60) * 1000 };
    return token.access_token;
  }

  /** Forgets the cached app token (Twitch refused it): the next appToken() asks for a new one. */
  forgetAppToken(): void {
    this.#token = undefined;
  }

  async #request(url: string, init: RequestInit): Promise<Response> {
    try {
      return await this.#fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
    } catch (error) {
      throw new SS_ERR_TWITCH_HELIX_FAILED(`request failed: ${(error as Error).message}`, { cause: error });
    }
  }
}

function helixError(what: string, status: number): InstanceType<typeof SS_ERR_TWITCH_HELIX_FAILED> {
  const hint =
    status === 401 || status === 403
      ? 'Check the clientId and clientSecret of the Twitch app.'
      : status === 429
        ? 'Poll less often (goLivePollSec).'
        : 'Twitch may be having trouble; polling continues.';
  return new SS_ERR_TWITCH_HELIX_FAILED(`${what} answered ${status}`, { hint, details: { status } });
}

/**
 * Polls Get Streams for one channel and turns changes into `stream.online`
 * (with title, category and start time) and `stream.offline`. The first poll
 * only emits `stream.online` when the channel is live: a runtime starting
 * during a stream must learn it, one starting offline has nothing to say.
 */
export interface GoLivePollerDeps {
  client: HelixClient;
  bus: EventBus;
  clock: Clock;
  logger: Logger;
  creatorId: string;
  channel: string;
}

export class GoLivePoller {
  readonly #deps: GoLivePollerDeps;
  #live: HelixStream | undefined;
  #polled = false;
  #timer: NodeJS.Timeout | undefined;

  constructor(deps: GoLivePollerDeps) {
    this.#deps = deps;
  }

  start(intervalMs: number): void {
    void this.poll();
    this.#timer = setInterval(() => void this.poll(), intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  /** One poll; failures are logged and polling goes on. */
  async poll(): Promise<void> {
    let stream: HelixStream | undefined;
    try {
      [stream] = (await this.#deps.client.streams([this.#deps.channel])).filter((s) => s.type === 'live');
    } catch (error) {
      this.#deps.logger.warn({ err: error, channel: this.#deps.channel }, 'go-live poll failed');
      return;
    }
    const wasLive = this.#live !== undefined;
    const first = !this.#polled;
    this.#polled = true;
    if (stream !== undefined && (!wasLive || stream.id !== this.#live!.id)) {
      this.#live = stream;
      this.#deps.bus.emit('stream.online', this.#status(stream));
    } else if (stream === undefined && wasLive && !first) {
      const ended = this.#live!;
      this.#live = undefined;
      this.#deps.bus.emit('stream.offline', this.#status(ended));
    }
  }

  #status(stream: HelixStream): StreamStatus {
    const startedAt = Date.parse(stream.started_at);
    return {
      creatorId: this.#deps.creatorId,
      platform: 'twitch',
      channel: this.#deps.channel,
      at: this.#deps.clock.now(),
      title: stream.title,
      category: stream.game_name,
      ...(Number.isFinite(startedAt) ? { startedAt } : {}),
      streamId: stream.id,
    };
  }
}

/** What the token endpoint gives back for a refresh. */
export interface RefreshedToken {
  accessToken: string;
  /** Twitch may rotate the refresh token; the new one replaces the old. */
  refreshToken: string;
}

/**
 * Exchanges a refresh token for a new user access token
 * (`POST /oauth2/token`, grant_type=refresh_token). Used once when Twitch
 * rejects the bot's login.
 */
export async function refreshUserToken(options: {
  oauthUrl: string;
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  fetch?: typeof fetch;
}): Promise<RefreshedToken> {
  const body = new URLSearchParams({
    client_id: options.clientId,
    client_secret: options.clientSecret,
    grant_type: 'refresh_token',
    refresh_token: options.refreshToken,
  });
  const response = await (options.fetch ?? globalThis.fetch)(`${options.oauthUrl.replace(/\/$/, '')}/token`, {
    method: 'POST',
    body,
    signal: AbortSignal.timeout(10_000),
  }).catch((error: unknown) => {
    throw new SS_ERR_TWITCH_HELIX_FAILED(`refreshing the token failed: ${(error as Error).message}`, { cause: error });
  });
  if (!response.ok) throw helixError('POST /oauth2/token (refresh)', response.status);
  const token = (await response.json().catch(() => ({}))) as { access_token?: unknown; refresh_token?: unknown };
  if (typeof token.access_token !== 'string' || token.access_token.length === 0) {
    throw new SS_ERR_TWITCH_HELIX_FAILED('the token endpoint answered without access_token');
  }
  const rotated = typeof token.refresh_token === 'string' && token.refresh_token.length > 0 ? token.refresh_token : options.refreshToken;
  return { accessToken: token.access_token, refreshToken: rotated };
}
