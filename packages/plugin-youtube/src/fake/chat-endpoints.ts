/**
 * liveChatMessages list, streamList and insert: pages of a chat after a
 * token, the server-streamed variant, and replies posted by an account.
 */
import type { ServerResponse } from 'node:http';
import type { AccountState } from './auth.js';
import { authorDetailsOf } from './chat-items.js';
import { customError, googleError, googleJson, invalidValue, requiredParameter } from './errors.js';
import { BAD_STREAM_ELEMENT, malformedPage, NOT_JSON_PAGE } from './malformed.js';
import { type Exchange, sendError, sendHtml, sendOk, writeHead } from './reply.js';
import { liveChatSnippetOf, maxResultsOf, partsOf } from './request.js';
import { type ChatState, renderChatItem } from './state.js';
import type { FakeInsertedMessage, FakeMalformedBody, StartFakeYouTubeApiOptions } from './types.js';
import { decodePageToken } from './wire.js';
import type { FakeWorld } from './world.js';

const CHAT_PARTS = new Set(['id', 'snippet', 'authorDetails']);
const MAX_MESSAGE_LENGTH = 200;

interface OpenStream {
  res: ServerResponse;
  chat: ChatState;
  finish(): void;
  abort(): void;
}

export class LiveChatEndpoints {
  /** `pollingIntervalMillis` of list pages (`setPollingInterval`). */
  pollingInterval: number;
  readonly inserted: FakeInsertedMessage[] = [];
  readonly streams = new Set<OpenStream>();
  readonly #backlog: number;
  readonly #enforceInterval: boolean;
  readonly #pageTokenTtlMs: number | undefined;

  constructor(
    private readonly world: FakeWorld,
    options: StartFakeYouTubeApiOptions,
    private readonly now: () => number,
  ) {
    this.#backlog = options.backlogSize ?? 50;
    this.pollingInterval = options.pollingIntervalMs ?? 2000;
    this.#enforceInterval = options.enforcePollingInterval ?? false;
    this.#pageTokenTtlMs = options.pageTokenTtlMs;
  }

  closeStreams(o: { abort?: boolean } = {}): void {
    for (const s of [...this.streams]) (o.abort === true ? s.abort : s.finish)();
  }

  /**
   * What list and streamList share: parts, the chat, maxResults and the start
   * position (after the page token, or the recent backlog without one). An
   * ended chat answers liveChatEnded to a request without a token and to a
   * client that has seen everything (the chatEndedEvent included).
   */
  #chatRequest(ex: Exchange): { chat: ChatState; parts: Set<string>; max: number; from: number } | undefined {
    const sp = ex.url.searchParams;
    const liveChatId = sp.get('liveChatId');
    if (liveChatId === null || liveChatId.length === 0) {
      sendError(ex, requiredParameter('liveChatId'));
      return undefined;
    }
    const parts = partsOf(ex, CHAT_PARTS);
    if (parts === undefined) return undefined;
    // The docs say 200-2000; the fake allows smaller pages so paging can be tested.
    const max = maxResultsOf(ex, 500, 1, 2000);
    if (max === undefined) return undefined;
    const chat = this.world.chatById(liveChatId);
    if (chat === undefined) {
      sendError(ex, googleError('liveChatNotFound'));
      return undefined;
    }
    const token = sp.get('pageToken');
    let from: number;
    if (token === null || token.length === 0) {
      from = Math.max(0, chat.items.length - this.#backlog);
    } else {
      // Like the Data API: a malformed token, one of another chat, or one that
      // is no longer valid (expired, or from before the server's chat was
      // reset) is `400 invalidPageToken`; the client must start over without one.
      const t = decodePageToken(liveChatId, token);
      const stale = t !== undefined && (t.generation !== chat.tokenGeneration || (this.#pageTokenTtlMs !== undefined && this.now() - t.issuedAt > this.#pageTokenTtlMs));
      if (t === undefined || stale || t.position > chat.items.length) {
        sendError(ex, customError(400, 'invalidPageToken', 'The request specifies an invalid page token.', { domain: 'youtube.parameter', location: 'pageToken', locationType: 'parameter' }));
        return undefined;
      }
      from = t.position;
    }
    if (chat.ended && (token === null || token.length === 0 || from >= chat.items.length)) {
      sendError(ex, googleError('liveChatEnded'));
      return undefined;
    }
    return { chat, parts, max, from };
  }

  list(ex: Exchange): void {
    const r = this.#chatRequest(ex);
    if (r === undefined) return;
    const now = this.now();
    if (this.#enforceInterval && r.chat.lastListAt !== undefined && now - r.chat.lastListAt < this.pollingInterval) {
      return sendError(ex, googleError('rateLimitExceeded'));
    }
    r.chat.lastListAt = now;
    sendOk(ex, r.chat.page(r.from, r.max, r.parts, this.pollingInterval, now).body);
  }

  /**
   * Server streaming: `200`, then a JSON array written as chat arrives —
   * `[` and the first document at once (the backlog, possibly empty), one
   * more document per batch of new items, and `]` after the document with
   * the chatEndedEvent (or when the server closes the stream). `malformed`
   * breaks the answer (see FakeMalformedBody).
   */
  stream(ex: Exchange, malformed?: FakeMalformedBody): void {
    const r = this.#chatRequest(ex);
    if (r === undefined) return;
    const { res } = ex;
    if (malformed === 'not-json') return sendHtml(res, 200, NOT_JSON_PAGE);
    writeHead(res, 200, { 'content-type': 'application/json; charset=UTF-8', 'cache-control': 'no-cache, no-store, max-age=0, must-revalidate', server: 'ESF' });
    let pos = r.from;
    let done = false;
    let first = true;
    const write = (): void => {
      const { body, next } = r.chat.page(pos, r.max, r.parts, undefined, this.now());
      pos = next;
      const broken = first && (malformed === 'items-not-array' || malformed === 'bad-item');
      const text = googleJson(broken ? malformedPage(malformed, body as { items?: unknown[] }) : body);
      res.write(`${first ? '[' : '\n,'}${first && malformed === 'truncated' ? text.slice(0, Math.floor(text.length / 2)) : text}`);
      first = false;
    };
    const cleanup = (): void => {
      done = true;
      unsubscribe();
      this.streams.delete(stream);
    };
    const stream: OpenStream = {
      res,
      chat: r.chat,
      finish: () => {
        if (done) return;
        cleanup();
        res.end('\n]');
      },
      abort: () => {
        if (done) return;
        cleanup();
        res.destroy();
      },
    };
    const flush = (): void => {
      if (done) return;
      while (pos < r.chat.items.length) write();
      if (r.chat.ended) stream.finish();
    };
    const unsubscribe = r.chat.subscribe(flush);
    this.streams.add(stream);
    // The response's close covers a client that goes away (the request's own close only means its body was read).
    res.on('close', () => {
      if (!done) cleanup();
    });
    write();
    if (malformed === 'truncated') {
      cleanup();
      res.end(); // no `]`: the body ends inside the first page
      return;
    }
    if (malformed === 'items-not-array') return stream.finish();
    if (malformed === 'bad-element') res.write(`\n,${BAD_STREAM_ELEMENT}`);
    flush();
  }

  async insert(ex: Exchange, account: AccountState): Promise<void> {
    const parts = partsOf(ex, CHAT_PARTS);
    if (parts === undefined) return;
    const read = await liveChatSnippetOf(ex);
    if (read === undefined) return;
    const { snippet, liveChatId } = read;
    if (snippet.type !== 'textMessageEvent') {
      return sendError(ex, invalidValue('snippet.type', `Invalid value '${String(snippet.type)}'. Only textMessageEvent can be inserted.`));
    }
    const text = (snippet.textMessageDetails as { messageText?: unknown } | undefined)?.messageText;
    if (typeof text !== 'string' || text.trim().length === 0 || [...text].length > MAX_MESSAGE_LENGTH) {
      return sendError(ex, customError(400, 'invalidMessageText', `The message text must be 1 to ${MAX_MESSAGE_LENGTH} characters.`, { domain: 'youtube.liveChat' }));
    }
    const chat = this.world.chatById(liveChatId);
    if (chat === undefined) return sendError(ex, googleError('liveChatNotFound'));
    if (chat.ended) return sendError(ex, googleError('liveChatEnded'));
    const at = this.now();
    const author = authorDetailsOf({ channelId: account.channelId, displayName: account.displayName }, chat);
    const id = this.world.append(chat, 'textMessageEvent', author, { textMessageDetails: { messageText: text } }, text, at);
    this.inserted.push({ id, liveChatId, text, channelId: account.channelId, at });
    sendOk(ex, renderChatItem(chat.items.at(-1)!, parts));
  }
}
