/**
 * The fake's world and the controls that change it: channels, videos
 * (uploads and broadcasts), their chats, and what happens in them.
 */
import type { youtube_v3 } from '@googleapis/youtube';
import type { LiveChatItem } from '../types.js';
import { appendChatItem, type AuthorDetails, authorDetailsOf, bannedDetails, formatAmount, tierOf } from './chat-items.js';
import { type BroadcastState, type ChannelState, ChatState, snapshotOf, type VideoState } from './state.js';
import type { BanOptions, FakeAuthor, FakeBroadcast, GoLiveOptions, SayOptions, ScheduleOptions, SuperChatOptions } from './types.js';
import { liveChatIdFor, messageIdFor, videoIdFor } from './wire.js';

export class FakeWorld {
  readonly #channels = new Map<string, ChannelState>();
  readonly #videos = new Map<string, VideoState>();
  readonly #chats = new Map<string, ChatState>();
  /** Videos in the order they went live (the latest is the default target of controls). */
  readonly #liveOrder: string[] = [];

  /** `nextSerial` numbers generated video ids (shared with access tokens). */
  constructor(
    private readonly now: () => number,
    private readonly nextSerial: () => number,
  ) {}

  // ---------------------------------------------------------------- lookups for the endpoints

  videos(): IterableIterator<VideoState> {
    return this.#videos.values();
  }

  video(videoId: string): VideoState | undefined {
    return this.#videos.get(videoId);
  }

  channel(channelId: string): ChannelState | undefined {
    return this.#channels.get(channelId);
  }

  channelTitle(channelId: string): string {
    return this.#channels.get(channelId)?.title ?? `Channel ${channelId}`;
  }

  chatById(liveChatId: string): ChatState | undefined {
    return this.#chats.get(liveChatId);
  }

  /** Appends an item built like the API's, published at `at` (default now). */
  append(chat: ChatState, type: string, author: AuthorDetails, details: youtube_v3.Schema$LiveChatMessageSnippet, displayMessage?: string, at = this.now()): string {
    return appendChatItem(chat, type, author, details, displayMessage, at);
  }

  // ---------------------------------------------------------------- broadcasts and videos

  goLive(o: GoLiveOptions): FakeBroadcast {
    const now = this.now();
    const existing = o.videoId === undefined ? undefined : this.#videos.get(o.videoId);
    if (existing !== undefined) {
      const b = existing.broadcast;
      if (b === undefined) throw new Error(`goLive: ${existing.videoId} is an upload, not a broadcast`);
      if (b.state === 'complete') throw new Error(`goLive: ${existing.videoId} has ended`);
      if (b.state === 'upcoming') {
        b.state = 'live';
        b.actualStartTime = now;
        if (o.concurrentViewers !== undefined) b.concurrentViewers = o.concurrentViewers;
        if (o.title !== undefined) existing.title = o.title;
        this.#liveOrder.push(existing.videoId);
      }
      return snapshotOf(existing);
    }
    const v = this.#createBroadcast(o, 'live');
    v.broadcast!.actualStartTime = now;
    v.broadcast!.concurrentViewers = o.concurrentViewers ?? 0;
    this.#liveOrder.push(v.videoId);
    return snapshotOf(v);
  }

  schedule(o: ScheduleOptions): FakeBroadcast {
    if (o.videoId !== undefined && this.#videos.has(o.videoId)) throw new Error(`schedule: video ${o.videoId} exists`);
    const v = this.#createBroadcast(o, 'upcoming');
    v.broadcast!.scheduledStartTime = o.scheduledStartTime ?? this.now() + 3_600_000;
    return snapshotOf(v);
  }

  endStream(videoId?: string): FakeBroadcast {
    const v = videoId === undefined ? this.#latestLive() : this.#videos.get(videoId);
    if (v?.broadcast === undefined) throw new Error(`endStream: no broadcast ${videoId ?? '(none is live)'}`);
    const b = v.broadcast;
    if (b.state === 'complete') return snapshotOf(v);
    const now = this.now();
    const owner = this.#channels.get(v.channelId)!;
    // offlineAt first, so the page (or stream document) with the chatEndedEvent carries it.
    b.chat.offlineAt = now;
    this.append(b.chat, 'chatEndedEvent', authorDetailsOf({ channelId: v.channelId, displayName: owner.title }, b.chat), {}, undefined, now);
    b.state = 'complete';
    b.actualEndTime = now;
    b.chat.end(now);
    return snapshotOf(v);
  }

  addVideo(o: { channelId: string; videoId?: string; title?: string; channelTitle?: string }): string {
    const channel = this.#channel(o.channelId, o.channelTitle);
    const videoId = o.videoId ?? videoIdFor(`${o.channelId}:${this.nextSerial()}`);
    if (this.#videos.has(videoId)) throw new Error(`addVideo: video ${videoId} exists`);
    this.#videos.set(videoId, { videoId, channelId: o.channelId, title: o.title ?? `Video ${videoId}`, publishedAt: this.now() });
    channel.videos.push(videoId);
    return videoId;
  }

  setViewers(videoId: string, concurrentViewers: number): void {
    const b = this.#videos.get(videoId)?.broadcast;
    if (b === undefined) throw new Error(`setViewers: no broadcast ${videoId}`);
    b.concurrentViewers = concurrentViewers;
  }

  broadcasts(): FakeBroadcast[] {
    return [...this.#videos.values()].filter((v) => v.broadcast !== undefined).map(snapshotOf);
  }

  // ---------------------------------------------------------------- chat

  say(o: SayOptions): string {
    const chat = this.#chat(o.liveChatId);
    const text = o.text;
    return this.append(chat, 'textMessageEvent', authorDetailsOf(o.author, chat), { textMessageDetails: { messageText: text } }, text);
  }

  superChat(o: SuperChatOptions): string {
    const chat = this.#chat(o.liveChatId);
    const author = authorDetailsOf(o.author, chat);
    const currency = o.currency ?? 'USD';
    const display = formatAmount(o.amountMicros, currency);
    const details: youtube_v3.Schema$LiveChatSuperChatDetails = {
      amountMicros: String(o.amountMicros),
      currency,
      amountDisplayString: display,
      userComment: o.comment ?? '',
      tier: o.tier ?? tierOf(o.amountMicros),
    };
    const shown = o.comment ? `${display} from ${author.displayName}: "${o.comment}"` : `${display} from ${author.displayName}`;
    return this.append(chat, 'superChatEvent', author, { superChatDetails: details }, shown);
  }

  deleteMessage(messageId: string, o: { by?: FakeAuthor | string; liveChatId?: string } = {}): string {
    const chat = this.#chat(o.liveChatId);
    return this.append(chat, 'messageDeletedEvent', this.#moderator(o.by, chat), { messageDeletedDetails: { deletedMessageId: messageId } });
  }

  ban(o: BanOptions): string {
    const chat = this.#chat(o.liveChatId);
    const details = bannedDetails(authorDetailsOf(o.target, chat), o.durationSec);
    return this.append(chat, 'userBannedEvent', this.#moderator(o.by, chat), { userBannedDetails: details });
  }

  push(item: LiveChatItem, o: { liveChatId?: string } = {}): string {
    const chat = this.#chat(o.liveChatId);
    const copy = structuredClone(item);
    const id = typeof copy.id === 'string' && copy.id.length > 0 ? copy.id : messageIdFor(chat.liveChatId, chat.items.length + 1, this.now());
    copy.id = id;
    if (copy.snippet !== undefined && copy.snippet !== null && typeof copy.snippet === 'object') copy.snippet.liveChatId = chat.liveChatId;
    chat.append(copy);
    return id;
  }

  chatItems(liveChatId?: string): LiveChatItem[] {
    return structuredClone(this.#chat(liveChatId, true).items);
  }

  expirePageTokens(liveChatId?: string): void {
    const chats = liveChatId === undefined ? [...this.#chats.values()] : [this.#chat(liveChatId, true)];
    for (const chat of chats) chat.tokenGeneration += 1;
  }

  // ---------------------------------------------------------------- internals

  #channel(channelId: string, title?: string): ChannelState {
    let c = this.#channels.get(channelId);
    if (c === undefined) {
      c = { channelId, title: title ?? `Channel ${channelId}`, videos: [] };
      this.#channels.set(channelId, c);
    } else if (title !== undefined) {
      c.title = title;
    }
    return c;
  }

  #createBroadcast(o: GoLiveOptions | ScheduleOptions, state: 'live' | 'upcoming'): VideoState {
    const channel = this.#channel(o.channelId, o.channelTitle);
    const videoId = o.videoId ?? videoIdFor(`${o.channelId}:${this.nextSerial()}`);
    if (this.#videos.has(videoId)) throw new Error(`video ${videoId} exists`);
    const liveChatId = o.liveChatId ?? liveChatIdFor(videoId, o.channelId);
    if (this.#chats.has(liveChatId)) throw new Error(`live chat ${liveChatId} exists`);
    const chat = new ChatState(liveChatId, videoId, o.channelId);
    const broadcast: BroadcastState = { liveChatId, state, concurrentViewers: 0, chat };
    const v: VideoState = { videoId, channelId: o.channelId, title: o.title ?? `Live ${videoId}`, publishedAt: this.now(), broadcast };
    this.#videos.set(videoId, v);
    this.#chats.set(liveChatId, chat);
    channel.videos.push(videoId);
    return v;
  }

  #latestLive(): VideoState | undefined {
    for (let i = this.#liveOrder.length - 1; i >= 0; i--) {
      const v = this.#videos.get(this.#liveOrder[i]!);
      if (v?.broadcast?.state === 'live') return v;
    }
    return undefined;
  }

  /** The chat a control targets: the given one, or the latest live broadcast's. */
  #chat(liveChatId: string | undefined, allowEnded = false): ChatState {
    if (liveChatId !== undefined) {
      const chat = this.#chats.get(liveChatId);
      if (chat === undefined) throw new Error(`unknown liveChatId ${liveChatId}`);
      return chat;
    }
    const live = this.#latestLive();
    if (live !== undefined) return live.broadcast!.chat;
    if (allowEnded && this.#liveOrder.length > 0) return this.#videos.get(this.#liveOrder.at(-1)!)!.broadcast!.chat;
    throw new Error('no live broadcast: call goLive() first or pass liveChatId');
  }

  /** A moderation action's author: the given moderator, or the channel owner. */
  #moderator(by: FakeAuthor | string | undefined, chat: ChatState): AuthorDetails {
    if (by === undefined) return authorDetailsOf({ channelId: chat.channelId, displayName: this.#channels.get(chat.channelId)!.title }, chat);
    const a: FakeAuthor = typeof by === 'string' ? { displayName: by, isChatModerator: true } : { isChatModerator: true, ...by };
    return authorDetailsOf(a, chat);
  }
}
