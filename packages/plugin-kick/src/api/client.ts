import { SS_ERR_KICK_API, SS_ERR_KICK_AUTH, SS_ERR_KICK_PUBLIC_KEY } from '../errors.js';
import type { TokenSource } from './tokens.js';
import type { KickChannel } from './types.js';

export interface KickApiOptions {
  apiOrigin: string;
  userAgent: string;
  /** Masks secrets in what Kick answered before it goes into an error. */
  redact: (text: string) => string;
}

type Json = Record<string, unknown>;

/**
 * Kick's public API (api.kick.com/public/v1). Every call takes the token it
 * needs; a 401 makes the token source fetch a new token and the call is made
 * once more; a second 401 is SS_ERR_KICK_AUTH.
 */
export class KickApi {
  constructor(private readonly options: KickApiOptions) {}

  async call(tokens: TokenSource, what: string, method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<Json> {
    const send = async (token: string) =>
      fetch(new URL(path, this.options.apiOrigin), {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          'user-agent': this.options.userAgent,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        ...(signal === undefined ? {} : { signal }),
      });
    let response = await send(await tokens.current());
    if (response.status === 401) {
      await response.body?.cancel();
      response = await send(await tokens.refresh());
      if (response.status === 401) {
        await response.body?.cancel();
        throw new SS_ERR_KICK_AUTH(`${tokens.what} (${what})`, 401);
      }
    }
    const text = await response.text();
    if (!response.ok) throw new SS_ERR_KICK_API(what, response.status, this.options.redact(text.slice(0, 200)));
    if (text.trim() === '') return {};
    try {
      return JSON.parse(text) as Json;
    } catch {
      throw new SS_ERR_KICK_API(what, response.status, 'the answer is not JSON');
    }
  }

  /** GET /public/v1/channels?slug= (app token). */
  async channel(tokens: TokenSource, slug: string, signal?: AbortSignal): Promise<KickChannel | undefined> {
    const answer = await this.call(tokens, 'get channel', 'GET', `/public/v1/channels?slug=${encodeURIComponent(slug)}`, undefined, signal);
    const data = Array.isArray(answer.data) ? (answer.data as KickChannel[]) : [];
    return data.find((c) => typeof c.broadcaster_user_id === 'number');
  }

  /** GET /public/v1/events/subscriptions: the event names already subscribed for a broadcaster. */
  async subscribedEvents(tokens: TokenSource, broadcasterUserId: number, signal?: AbortSignal): Promise<Set<string>> {
    const answer = await this.call(tokens, 'list event subscriptions', 'GET', `/public/v1/events/subscriptions?broadcaster_user_id=${broadcasterUserId}`, undefined, signal);
    const data = Array.isArray(answer.data) ? (answer.data as { event?: string; broadcaster_user_id?: number; method?: string }[]) : [];
    return new Set(data.filter((s) => s.broadcaster_user_id === broadcasterUserId && (s.method ?? 'webhook') === 'webhook').map((s) => String(s.event)));
  }

  /** POST /public/v1/events/subscriptions (method webhook); returns Kick's per-event errors. */
  async subscribe(tokens: TokenSource, broadcasterUserId: number, events: readonly string[], signal?: AbortSignal): Promise<{ name: string; error?: string }[]> {
    const answer = await this.call(
      tokens,
      'subscribe to events',
      'POST',
      '/public/v1/events/subscriptions',
      { broadcaster_user_id: broadcasterUserId, events: events.map((name) => ({ name, version: 1 })), method: 'webhook' },
      signal,
    );
    const data = Array.isArray(answer.data) ? (answer.data as { name: string; error?: string }[]) : [];
    return data.map((d) => ({ name: String(d.name), ...(typeof d.error === 'string' && d.error !== '' ? { error: d.error } : {}) }));
  }

  /** POST /public/v1/chat (user token with chat:write). */
  async sendChat(
    tokens: TokenSource,
    message: { type: 'bot' | 'user'; content: string; broadcasterUserId?: number; replyTo?: string },
    signal?: AbortSignal,
  ): Promise<{ messageId?: string; isSent: boolean }> {
    const body: Json = { type: message.type, content: message.content };
    if (message.type === 'user' && message.broadcasterUserId !== undefined) body.broadcaster_user_id = message.broadcasterUserId;
    if (message.replyTo !== undefined) body.reply_to_message_id = message.replyTo;
    const answer = await this.call(tokens, 'send chat message', 'POST', '/public/v1/chat', body, signal);
    const data = (answer.data ?? {}) as { is_sent?: boolean; message_id?: string };
    return { isSent: data.is_sent !== false, ...(typeof data.message_id === 'string' ? { messageId: data.message_id } : {}) };
  }

  /** DELETE /public/v1/chat/{message_id} (user token with moderation:chat_message:manage). */
  async deleteChat(tokens: TokenSource, messageId: string, signal?: AbortSignal): Promise<void> {
    await this.call(tokens, 'delete chat message', 'DELETE', `/public/v1/chat/${encodeURIComponent(messageId)}`, undefined, signal);
  }

  /** GET /public/v1/public-key → `{ data: { public_key } }` (no token needed). */
  async publicKey(signal?: AbortSignal): Promise<string> {
    let answer: Json;
    try {
      const response = await fetch(new URL('/public/v1/public-key', this.options.apiOrigin), {
        headers: { accept: 'application/json', 'user-agent': this.options.userAgent },
        signal: signal ?? AbortSignal.timeout(15_000),
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      answer = JSON.parse(await response.text()) as Json;
    } catch (error) {
      throw new SS_ERR_KICK_PUBLIC_KEY(`GET /public/v1/public-key failed (${(error as Error).message.slice(0, 200)})`);
    }
    const key = (answer.data as { public_key?: unknown } | undefined)?.public_key;
    if (typeof key !== 'string' || !key.includes('PUBLIC KEY')) throw new SS_ERR_KICK_PUBLIC_KEY('the answer has no data.public_key PEM');
    return key;
  }
}
