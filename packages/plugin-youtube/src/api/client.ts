import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { auth, youtube, type youtube_v3 } from '@googleapis/youtube';
import type { QuotaTracker } from '@streamsuites/kernel';
import { COSTS, type ApiCall } from '../config.js';
import type { LiveChatPage } from '../types.js';
import { apiError, classify } from './errors.js';
import { JsonArrayStream, MalformedJsonArray } from './json-array-stream.js';
import { badResponse, objectItems, responseOf } from './response.js';

export interface YouTubeApiOptions {
  /** `rootUrl` of the Data API. */
  apiUrl: string;
  apiKey?: string;
  oauth?: { clientId: string; clientSecret: string; refreshToken: string; tokenUrl: string };
  /** Charged with each call's real cost before the call is made. */
  tracker: QuotaTracker;
  /** Per-request timeout (not for streams). */
  timeoutMs?: number;
}

const CHAT_PARTS = ['id', 'snippet', 'authorDetails'];

/**
 * The Data API calls the plugin makes, through @googleapis/youtube. Every
 * call charges the quota tracker with its real cost first (a call refused by
 * the tracker is never made), retries nothing itself (the caller owns the
 * backoff policy), and fails with SS_ERR_YOUTUBE_API carrying the status,
 * the Google `reason` and a classification — never the request URL, which
 * may hold the API key.
 */
export class YouTubeApi {
  readonly #client: youtube_v3.Youtube;
  readonly #options: YouTubeApiOptions;
  readonly hasOAuth: boolean;

  constructor(options: YouTubeApiOptions) {
    this.#options = options;
    this.hasOAuth = options.oauth !== undefined;
    let credentials: string | InstanceType<typeof auth.OAuth2> | undefined = options.apiKey;
    if (options.oauth !== undefined) {
      const client = new auth.OAuth2({
        clientId: options.oauth.clientId,
        clientSecret: options.oauth.clientSecret,
        endpoints: { oauth2TokenUrl: options.oauth.tokenUrl },
      });
      client.setCredentials({ refresh_token: options.oauth.refreshToken });
      credentials = client;
    }
    this.#client = youtube({ version: 'v3', rootUrl: options.apiUrl, ...(credentials === undefined ? {} : { auth: credentials }), retry: false, timeout: options.timeoutMs ?? 15_000 });
  }

  /** videos.list (1 unit): snippet + liveStreamingDetails of up to 50 videos. */
  async videos(ids: readonly string[]): Promise<youtube_v3.Schema$Video[]> {
    if (ids.length === 0) return [];
    const res = await this.#call('videos.list', { essential: true }, () =>
      this.#client.videos.list({ part: ['snippet', 'liveStreamingDetails'], id: ids.slice(0, 50), maxResults: 50 }),
    );
    return objectItems(responseOf<youtube_v3.Schema$VideoListResponse>('videos.list', res.data).items);
  }

  /** liveBroadcasts.list mine + active (1 unit, OAuth). */
  async activeBroadcasts(): Promise<youtube_v3.Schema$LiveBroadcast[]> {
    const res = await this.#call('liveBroadcasts.list', { essential: true }, () =>
      this.#client.liveBroadcasts.list({ part: ['id', 'snippet'], broadcastStatus: 'active', broadcastType: 'all', maxResults: 5 }),
    );
    return objectItems(responseOf<youtube_v3.Schema$LiveBroadcastListResponse>('liveBroadcasts.list', res.data).items);
  }

  /** search.list (100 units): a channel's live videos. */
  async searchLive(channelId: string): Promise<string[]> {
    const res = await this.#call('search.list', { essential: true }, () =>
      this.#client.search.list({ part: ['snippet'], channelId, eventType: 'live', type: ['video'], maxResults: 5 }),
    );
    const items = objectItems<youtube_v3.Schema$SearchResult>(responseOf<youtube_v3.Schema$SearchListResponse>('search.list', res.data).items);
    return items.flatMap((item) => (typeof item.id?.videoId === 'string' ? [item.id.videoId] : []));
  }

  /** liveChatMessages.list (5 units). */
  async chatPage(liveChatId: string, pageToken?: string): Promise<LiveChatPage> {
    const res = await this.#call('liveChatMessages.list', {}, () =>
      this.#client.liveChatMessages.list({ liveChatId, part: CHAT_PARTS, maxResults: 2000, ...(pageToken === undefined ? {} : { pageToken }) }),
    );
    return responseOf<LiveChatPage>('liveChatMessages.list', res.data);
  }

  /**
   * liveChatMessages.streamList (5 units per stream): pages as the server
   * pushes them, until it closes the stream or `signal` aborts.
   */
  async *chatStream(liveChatId: string, pageToken: string | undefined, signal: AbortSignal): AsyncGenerator<LiveChatPage> {
    const res = await this.#call('liveChatMessages.streamList', {}, () =>
      this.#client.youtube.v3.liveChat.messages.stream(
        { liveChatId, part: CHAT_PARTS, ...(pageToken === undefined ? {} : { pageToken }) },
        { responseType: 'stream', signal, timeout: 0 },
      ),
    );
    const body = res.data as unknown as Readable;
    const parser = new JsonArrayStream();
    const decoder = new StringDecoder('utf8');
    try {
      for await (const chunk of body) {
        for (const document of documents(parser, decoder.write(chunk as Buffer))) {
          const error = (document as { error?: unknown }).error;
          if (error !== undefined) {
            const status = Number((error as { code?: unknown }).code) || 500;
            throw apiError('liveChatMessages.streamList', classify({ response: { status, data: document } }));
          }
          yield responseOf<LiveChatPage>('liveChatMessages.streamList', document);
        }
      }
      documents(parser, decoder.end(), true);
    } finally {
      body.destroy();
    }
  }

  /** liveChatMessages.insert (50 units, OAuth). */
  async insert(liveChatId: string, text: string): Promise<string | undefined> {
    const res = await this.#call('liveChatMessages.insert', { essential: true }, () =>
      this.#client.liveChatMessages.insert({
        part: ['snippet'],
        requestBody: { snippet: { liveChatId, type: 'textMessageEvent', textMessageDetails: { messageText: text } } },
      }),
    );
    return res.data.id ?? undefined;
  }

  /** liveChatMessages.delete (50 units, OAuth; the account must own or moderate the chat). */
  async deleteMessage(messageId: string): Promise<void> {
    await this.#call('liveChatMessages.delete', { essential: true }, () => this.#client.liveChatMessages.delete({ id: messageId }));
  }

  /** liveChatBans.insert type temporary (50 units, OAuth): a timeout of `seconds` for the author's channel. */
  async banTemporarily(liveChatId: string, channelId: string, seconds: number): Promise<string | undefined> {
    const res = await this.#call('liveChatBans.insert', { essential: true }, () =>
      this.#client.liveChatBans.insert({
        part: ['snippet'],
        requestBody: { snippet: { liveChatId, type: 'temporary', banDurationSeconds: String(seconds), bannedUserDetails: { channelId } } },
      }),
    );
    return res.data.id ?? undefined;
  }

  async #call<T>(call: ApiCall, charge: { essential?: boolean }, run: () => Promise<T>): Promise<T> {
    await this.#options.tracker.charge(COSTS[call], { reason: call, ...charge });
    try {
      return await run();
    } catch (error) {
      throw apiError(call, classify(await readStreamBody(error)), error);
    }
  }
}

/** The stream's elements completed by `text` (and at the end, the check that the array was closed), or SS_ERR_YOUTUBE_BAD_RESPONSE. */
function documents(parser: JsonArrayStream, text: string, end = false): unknown[] {
  try {
    const out = parser.push(text);
    if (end) parser.end();
    return out;
  } catch (error) {
    if (error instanceof MalformedJsonArray) throw badResponse('liveChatMessages.streamList', error.message);
    throw error;
  }
}

/** A failed stream request carries its error body as a stream; read it so the reason can be classified. */
async function readStreamBody(error: unknown): Promise<unknown> {
  const response = (error as { response?: { status?: number; data?: unknown } }).response;
  const data = response?.data as { on?: unknown; [Symbol.asyncIterator]?: unknown } | undefined;
  if (response === undefined || data === undefined || typeof data !== 'object' || data === null || typeof data[Symbol.asyncIterator] !== 'function') return error;
  let text = '';
  try {
    for await (const chunk of data as AsyncIterable<Buffer | string>) {
      text += chunk.toString();
      if (text.length > 65_536) break;
    }
  } catch {
    // unreadable: classify by status only
  }
  return { response: { status: response.status, data: text } };
}
