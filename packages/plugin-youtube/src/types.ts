import type {
  ChatDeletedEvent,
  ChatMessage,
  ChatNotice,
  ChatUserTimeoutEvent,
} from '@streamsuites/kernel';
import type { youtube_v3 } from '@googleapis/youtube';

/** One item of `liveChatMessages.list` / `streamList`, as the API sends it. */
export type LiveChatItem = youtube_v3.Schema$LiveChatMessage;
/** One page of `liveChatMessages.list` (or one document of `streamList`). */
export type LiveChatPage = youtube_v3.Schema$LiveChatMessageListResponse;

export interface NormalizeContext {
  creatorId: string;
  /** The channel the chat belongs to (the creator's YouTube channel id). */
  channel: string;
  /** Kernel clock time the page was received. */
  receivedAt: number;
}

/** What one chat item means on the bus. Normalization is total: it never throws. */
export type NormalizedItem =
  | { kind: 'message'; message: ChatMessage }
  | { kind: 'notice'; notice: ChatNotice }
  | { kind: 'deleted'; event: ChatDeletedEvent }
  | { kind: 'user-timeout'; event: ChatUserTimeoutEvent }
  /** `chatEndedEvent`: the chat is over (`stream.offline`). */
  | { kind: 'chat-ended'; at: number }
  | { kind: 'ignored'; reason: string; type?: string }
  /**
   * The normalizer threw on this item (a bug or a hostile object, never
   * expected): skipped, counted by the session and reported as
   * `platform.normalize-failed`.
   */
  | { kind: 'failed'; reason: string };

/** What the budget governor needs to know at each poll. */
export interface BudgetState {
  /** Kernel clock now (ms). */
  now: number;
  /** Units left today (quota tracker snapshot: daily - used). */
  remainingUnits: number;
  /** When today's quota resets (ms). */
  resetsAt: number;
  /** When the stream started (ms; discovery's actualStartTime, or when polling began). */
  streamStartedAt: number;
  /** The server's floor for the next poll (`pollingIntervalMillis`). */
  serverMinIntervalMs: number;
}

/** One completed poll, for the governor's view of the chat rate. */
export interface PollObservation {
  at: number;
  /** New chat items the poll returned. */
  items: number;
}
