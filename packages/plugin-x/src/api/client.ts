import { readRateLimit, type RateLimitInfo } from './rate-limit.js';

/** `POST /2/tweets` body (the fields this plugin uses). */
export interface CreateTweetBody {
  text: string;
  reply_settings?: 'following' | 'mentionedUsers' | 'subscribers' | 'verified';
}

/** An X API v2 answer: status, the parsed JSON body and the rate limit headers. */
export interface XResponse<T = unknown> {
  status: number;
  body: T | undefined;
  rateLimit: RateLimitInfo;
}

/** X's problem body for errors (`{ title, detail, type, status }`), or the v1-style `{ errors: [...] }`. */
export interface XProblem {
  title?: string;
  detail?: string;
  type?: string;
  status?: number;
  errors?: { message?: string; code?: number }[];
}

/** The text X puts in the 403 for a post identical to a recent one. */
export const DUPLICATE_CONTENT_DETAIL = 'You are not allowed to create a Tweet with duplicate content.';

/** True for X's duplicate-content refusal. */
export function isDuplicateContent(response: XResponse): boolean {
  if (response.status !== 403) return false;
  const problem = response.body as XProblem | undefined;
  const texts = [problem?.detail, ...(problem?.errors ?? []).map((e) => e.message)];
  return texts.some((t) => typeof t === 'string' && /duplicate content/i.test(t));
}

/** A short, secret-free description of an error answer. */
export function problemText(response: XResponse): string {
  const problem = response.body as XProblem | undefined;
  return (problem?.detail ?? problem?.title ?? problem?.errors?.[0]?.message ?? '').slice(0, 300);
}

export interface XApiOptions {
  /** Origin of the API (`https://api.x.com`). */
  apiUrl: string;
  userAgent?: string;
  fetch?: typeof fetch;
}

/**
 * The slice of X API v2 this plugin needs, over fetch: typed bodies, the
 * status and the rate limit headers of every answer. It never throws on an
 * HTTP status (the caller decides: refresh, wait, retry, give up); network
 * errors reject as fetch's do.
 */
export class XApi {
  readonly #o: XApiOptions;

  constructor(options: XApiOptions) {
    this.#o = options;
  }

  /** `POST /2/tweets`: 201 `{ data: { id, text } }`. */
  createTweet(accessToken: string, body: CreateTweetBody, signal?: AbortSignal): Promise<XResponse<{ data: { id: string; text: string } }>> {
    return this.#request('POST', '/2/tweets', accessToken, body, signal);
  }

  /** `GET /2/users/me`: the authorizing user `{ data: { id, name, username } }`. */
  me(accessToken: string, signal?: AbortSignal): Promise<XResponse<{ data: { id: string; name: string; username: string } }>> {
    return this.#request('GET', '/2/users/me', accessToken, undefined, signal);
  }

  async #request<T>(method: string, path: string, accessToken: string, body: unknown, signal?: AbortSignal): Promise<XResponse<T>> {
    const headers: Record<string, string> = { authorization: `Bearer ${accessToken}`, accept: 'application/json' };
    if (this.#o.userAgent !== undefined) headers['user-agent'] = this.#o.userAgent;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await (this.#o.fetch ?? fetch)(new URL(path, this.#o.apiUrl), {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      ...(signal === undefined ? {} : { signal }),
    });
    const text = await response.text();
    let parsed: T | undefined;
    try {
      parsed = text === '' ? undefined : (JSON.parse(text) as T);
    } catch {
      parsed = undefined;
    }
    return { status: response.status, body: parsed, rateLimit: readRateLimit(response.headers) };
  }
}
