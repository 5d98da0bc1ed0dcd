/**
 * A local Rumble Live Stream API on 127.0.0.1 for tests and the demo
 * (node:http only). It answers `GET /-livestream-api/get-data?key=KEY` with
 * bodies shaped like fixtures/ (field set and order of the constructed
 * inventory), and `GET /embedJS/u3/?request=video&ver=2&v=<embedId>` with
 * embed metadata. It models Rumble, not the plugin: bodies repeat what the
 * previous poll already showed, carry no ids, and collide when the same user
 * says the same text twice in one second.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { clearTimeout, setTimeout } from 'node:timers';
import { FakeChannel, type KnownLivestream } from './api-channel.js';
import type {
  FakeRumbleApi,
  FakeRumbleChannel,
  FakeRumbleChannelOptions,
  FakeRumbleFailStatus,
  FakeRumbleMalformKind,
  FakeRumbleRequest,
  StartFakeRumbleApiOptions,
} from './api-types.js';
import { EMBED_PATH, embedBody, type EmbedStream, resolveEmbedId } from './embed.js';
import { listenLocal } from '@streamsuites/kernel/testing';

/** The path of the keyed Live Stream API. */
export const GET_DATA_PATH = '/-livestream-api/get-data';

const FAIL_STATUSES: ReadonlySet<number> = new Set([401, 403, 404, 429, 500, 502, 503]);
const MALFORM_KINDS: ReadonlySet<string> = new Set(['truncated', 'not-json', 'html', 'wrong-shape', 'empty']);
const REASONS: Record<number, string> = {
  401: 'Invalid key',
  403: 'Forbidden',
  404: 'Not Found',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

/** An HTML page with status 200, as a challenge page or captive portal serves. */
const HTML_PAGE = '<!DOCTYPE html>\n<html><head><title>Just a moment...</title></head><body><p>Checking your browser before accessing rumble.com.</p></body></html>\n';

interface Fault<T> {
  key: string | undefined;
  remaining: number;
  what: T;
}

interface Waiter {
  count: number;
  key: string | undefined;
  resolve: () => void;
  reject: (err: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Starts the fake on 127.0.0.1 (a free port unless `port` is given). */
export async function startFakeRumbleApi(options: StartFakeRumbleApiOptions = {}): Promise<FakeRumbleApi> {
  const maxResults = options.maxResults ?? 50;
  if (!Number.isInteger(maxResults) || maxResults < 1) throw new RangeError(`fake Rumble API: maxResults must be a positive integer, got ${maxResults}`);
  const server = createServer();
  await listenLocal(server, { port: options.port ?? 0 });
  return new FakeRumble(server, options.now ?? Date.now, maxResults);
}

class FakeRumble implements FakeRumbleApi {
  readonly origin: string;
  readonly #server: Server;
  readonly #now: () => number;
  readonly #maxResults: number;
  readonly #channels = new Map<string, FakeChannel>();
  readonly #livestreams = new Map<string, KnownLivestream>();
  readonly #embeds = new Map<string, EmbedStream>();
  readonly #failures: Fault<{ status: FakeRumbleFailStatus; retryAfterSec: number | undefined; body: string | undefined }>[] = [];
  readonly #malforms: Fault<FakeRumbleMalformKind>[] = [];
  readonly #log: FakeRumbleRequest[] = [];
  #waiters: Waiter[] = [];
  #closing: Promise<void> | undefined;

  constructor(server: Server, now: () => number, maxResults: number) {
    this.#server = server;
    this.#now = now;
    this.#maxResults = maxResults;
    this.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    server.on('request', (req: IncomingMessage, res: ServerResponse) => this.#handle(req, res));
  }

  keyedUrl(key: string): string {
    return `https://rumble.com${GET_DATA_PATH}?key=${encodeURIComponent(key)}`;
  }

  addChannel(key: string, options: FakeRumbleChannelOptions = {}): FakeRumbleChannel {
    if (key === '') throw new Error('fake Rumble API: a key must not be empty');
    if (this.#channels.has(key)) throw new Error(`fake Rumble API: key "${key}" is already registered`);
    const channel = new FakeChannel(key, this.#channels.size + 1, options, {
      now: this.#now,
      maxResults: this.#maxResults,
      onLivestream: (stream) => this.#livestreams.set(stream.id, stream),
    });
    this.#channels.set(key, channel);
    return channel;
  }

  channel(key: string): FakeRumbleChannel {
    const channel = this.#channels.get(key);
    if (!channel) throw new Error(`fake Rumble API: unknown key "${key}"; call addChannel() first`);
    return channel;
  }

  failNext(options: { key?: string; status: FakeRumbleFailStatus; times?: number; retryAfterSec?: number; body?: string }): void {
    if (!FAIL_STATUSES.has(options.status)) throw new RangeError(`fake Rumble API: failNext status must be one of ${[...FAIL_STATUSES].join(', ')}, got ${options.status}`);
    this.#failures.push({
      key: options.key,
      remaining: positiveTimes(options.times),
      what: { status: options.status, retryAfterSec: options.retryAfterSec, body: options.body },
    });
  }

  malformNext(options: { key?: string; kind: FakeRumbleMalformKind; times?: number }): void {
    if (!MALFORM_KINDS.has(options.kind)) throw new RangeError(`fake Rumble API: unknown malform kind "${options.kind}"`);
    this.#malforms.push({ key: options.key, remaining: positiveTimes(options.times), what: options.kind });
  }

  requests(): FakeRumbleRequest[] {
    return this.#log.map((r) => ({ ...r }));
  }

  requestCount(key?: string): number {
    return key === undefined ? this.#log.length : this.#log.filter((r) => r.key === key).length;
  }

  waitForRequests(count: number, options: { key?: string; timeoutMs?: number } = {}): Promise<void> {
    if (this.requestCount(options.key) >= count) return Promise.resolve();
    if (this.#closing) return Promise.reject(new Error('fake Rumble API: closed'));
    const timeoutMs = options.timeoutMs ?? 5000;
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        count,
        key: options.key,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.#waiters = this.#waiters.filter((w) => w !== waiter);
          const seen = this.requestCount(options.key);
          const which = options.key === undefined ? 'requests' : `requests for key "${options.key}"`;
          reject(new Error(`fake Rumble API: waited ${timeoutMs} ms for ${count} ${which}, ${seen} answered`));
        }, timeoutMs),
      };
      this.#waiters.push(waiter);
    });
  }

  setStreamUrl(livestreamId: string, hlsUrl: string | undefined, options: { live?: 0 | 1 | 2 } = {}): void {
    this.#embeds.set(livestreamId, { hlsUrl, live: options.live ?? 2 });
  }

  close(): Promise<void> {
    return (this.#closing ??= this.#doClose());
  }

  async #doClose(): Promise<void> {
    for (const w of this.#waiters) {
      clearTimeout(w.timer);
      w.reject(new Error('fake Rumble API: closed'));
    }
    this.#waiters = [];
    await new Promise<void>((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
  }

  // ============================================================== requests

  #handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', this.origin);
    let key: string | undefined;
    let answer: Answer;
    try {
      if (url.pathname === GET_DATA_PATH && req.method === 'GET') {
        key = url.searchParams.get('key') ?? undefined;
        answer = this.#getData(key);
      } else if (url.pathname === EMBED_PATH && req.method === 'GET') {
        answer = this.#embed(url.searchParams);
      } else {
        key = url.pathname === GET_DATA_PATH ? (url.searchParams.get('key') ?? undefined) : undefined;
        answer = json(404, { error: 'Not Found' });
      }
    } catch (err) {
      answer = json(500, { error: String(err) });
    }
    res.writeHead(answer.status, { ...answer.headers, 'content-length': String(Buffer.byteLength(answer.body)) });
    res.end(answer.body);
    this.#record({ at: this.#now(), key, path: url.pathname, status: answer.status });
  }

  #getData(key: string | undefined): Answer {
    const failure = take(this.#failures, key);
    if (failure) return failureAnswer(failure.status, failure.retryAfterSec, failure.body);
    const channel = key === undefined ? undefined : this.#channels.get(key);
    // Rumble's answer to a bad key is not documented; this body is a guess.
    if (!channel) return json(401, { error: 'Invalid key' });
    const body = channel.body();
    const kind = take(this.#malforms, key);
    return kind ? malformed(kind, body) : json(200, body);
  }

  #embed(query: URLSearchParams): Answer {
    const id = query.get('request') === 'video' ? resolveEmbedId(query.get('v'), this.#embeds) : undefined;
    const stream = id === undefined ? undefined : this.#embeds.get(id);
    if (id === undefined || !stream) return json(200, false);
    return json(200, embedBody(id, stream, this.#livestreams.get(id), this.#now()));
  }

  #record(rec: FakeRumbleRequest): void {
    this.#log.push(rec);
    if (this.#waiters.length === 0) return;
    this.#waiters = this.#waiters.filter((w) => {
      if (this.requestCount(w.key) < w.count) return true;
      clearTimeout(w.timer);
      w.resolve();
      return false;
    });
  }
}

function positiveTimes(times: number | undefined): number {
  const n = times ?? 1;
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`fake Rumble API: times must be a positive integer, got ${n}`);
  return n;
}

/** Spends one use of the first fault that applies to `key` (one for any key, or for this one). */
function take<T>(faults: Fault<T>[], key: string | undefined): T | undefined {
  const i = faults.findIndex((f) => f.key === undefined || f.key === key);
  if (i < 0) return undefined;
  const fault = faults[i]!;
  if (--fault.remaining === 0) faults.splice(i, 1);
  return fault.what;
}

function json(status: number, value: unknown): Answer {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) };
}

function failureAnswer(status: number, retryAfterSec: number | undefined, body: string | undefined): Answer {
  const reason = REASONS[status] ?? 'Error';
  const headers: Record<string, string> = {};
  if (status === 429 && retryAfterSec !== undefined) headers['retry-after'] = String(retryAfterSec);
  if (body !== undefined) return { status, headers: { ...headers, 'content-type': 'application/json' }, body };
  if (status >= 500) {
    const page = `<!DOCTYPE html>\n<html><head><title>${status} ${reason}</title></head><body><h1>${status} ${reason}</h1></body></html>\n`;
    return { status, headers: { ...headers, 'content-type': 'text/html; charset=utf-8' }, body: page };
  }
  return { status, headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ error: reason }) };
}

function malformed(kind: FakeRumbleMalformKind, body: unknown): Answer {
  switch (kind) {
    case 'truncated': {
      const text = JSON.stringify(body);
      return { status: 200, headers: { 'content-type': 'application/json' }, body: text.slice(0, Math.floor(text.length / 2)) };
    }
    case 'not-json':
      return { status: 200, headers: { 'content-type': 'application/json' }, body: 'Service temporarily unavailable, please try again later.' };
    case 'html':
      return { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: HTML_PAGE };
    case 'wrong-shape':
      return json(200, { data: body });
    case 'empty':
      return { status: 200, headers: { 'content-type': 'application/json' }, body: '' };
  }
}
