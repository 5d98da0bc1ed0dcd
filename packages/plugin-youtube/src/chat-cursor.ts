/**
 * Where one creator's YouTube chat was read up to — the page token, the ids
 * already delivered and when it was saved — persisted in the state store, and
 * what a page read without a token holds (history, or messages to deliver).
 */
import type { Logger, StateStore } from '@streamsuites/kernel';
import type { LiveTarget } from './discovery.js';
import { parseRfc3339 } from './normalize/time.js';
import type { LiveChatPage } from './types.js';

/** Persisted per creator: where the chat was read up to, and the ids already delivered. */
export interface Cursor {
  liveChatId: string;
  pageToken?: string;
  seen: string[];
  /** Kernel clock time of the last saved page: a session that must start over without its token resumes from here. */
  savedAt?: number;
}

const NAMESPACE = 'youtube.chat';
/**
 * When a page token is rejected, items of the page read without it that are
 * not among the delivered ids are emitted if published at most this long
 * before the last saved page (YouTube's and this machine's clocks differ;
 * delivered ids are never emitted twice anyway), and skipped as history if older.
 */
const RESYNC_MARGIN_MS = 30_000;

export class CursorStore {
  constructor(
    private readonly store: StateStore,
    private readonly creatorId: string,
    private readonly logger: Logger,
  ) {}

  /** The saved position when it is `target`'s chat, else a fresh one (a new broadcast has its own tokens and ids). */
  async load(target: LiveTarget): Promise<Cursor> {
    const stored = await this.store.get<Cursor>(NAMESPACE, this.creatorId).catch(() => undefined);
    if (stored !== undefined && stored.liveChatId === target.liveChatId && Array.isArray(stored.seen)) {
      const cursor: Cursor = { ...stored, ...(typeof stored.pageToken === 'string' && stored.pageToken.length > 0 ? {} : { pageToken: undefined }) };
      if (cursor.pageToken === undefined) delete cursor.pageToken;
      return cursor;
    }
    if (stored !== undefined && stored.liveChatId !== target.liveChatId) {
      // A new broadcast: its chat has its own tokens and ids; the old position means nothing there.
      this.logger.info({ videoId: target.videoId }, 'the saved YouTube chat position is for another live chat (a new broadcast): not used; reading from the live position');
    }
    return { liveChatId: target.liveChatId, seen: [] };
  }

  async save(cursor: Cursor): Promise<void> {
    await this.store.set(NAMESPACE, this.creatorId, cursor).catch((error: unknown) => this.logger.warn({ err: error }, 'could not save the YouTube chat position'));
  }

  /** The API refused the saved token: dropped and saved without it, so the next request reads from the live position. */
  async dropToken(cursor: Cursor): Promise<void> {
    delete cursor.pageToken;
    this.logger.warn(
      { reason: 'invalidPageToken', status: 400, savedAt: cursor.savedAt === undefined ? undefined : new Date(cursor.savedAt).toISOString() },
      'YouTube rejected the saved chat position (invalidPageToken): dropped; reading from the live position without replaying delivered messages',
    );
    await this.save(cursor);
  }
}

/**
 * What of the next page is history. A page read without a token is the
 * chat's recent history: on a first start (nothing delivered yet) all of it
 * (`backlog`); after a dropped token (ids delivered before) what was
 * published before the last saved page, less a margin (`resyncFrom`).
 */
export interface HistoryCut {
  backlog: boolean;
  resyncFrom: number | undefined;
}

export function historyCut(cursor: Cursor, now: number): HistoryCut {
  const fromLive = cursor.pageToken === undefined;
  const backlog = fromLive && cursor.seen.length === 0;
  const resyncFrom = fromLive && !backlog ? (cursor.savedAt ?? now) - RESYNC_MARGIN_MS : undefined;
  return { backlog, resyncFrom };
}

export function isHistory(item: NonNullable<LiveChatPage['items']>[number], cut: HistoryCut): boolean {
  return cut.backlog || (cut.resyncFrom !== undefined && !((parseRfc3339(item.snippet?.publishedAt) ?? -Infinity) >= cut.resyncFrom));
}
